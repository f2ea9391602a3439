#include "generation_handler.h"

#include "folio/serve/api_error.h"
#include "folio/serve/openai_json.h"

#include <httplib.h>

namespace folio::serve {
namespace {

using nlohmann::json;

Usage usageOf(const PreparedPrompt& prompt, const RunResult& r)
{
    return {std::int64_t(prompt.tokens.size()), std::int64_t(r.generation.tokens.size()), r.cachedTokens};
}

struct Stream {
    GenerationRequest request;
    PreparedPrompt prompt;
    std::shared_ptr<RequestQueue::Ticket> ticket;
    ResponseHeader header;
};

// Runs the request and writes its events; a failed write means the client went away and cancels the
// generation.
void writeStream(GenerationContext& ctx, Stream& s, httplib::DataSink& sink)
{
    std::atomic<bool> cancel{false};
    auto send = [&](const std::string& event) {
        if (!cancel && !sink.write(event.data(), event.size())) cancel = true;
        return !cancel;
    };
    const bool chat = s.request.endpoint == Endpoint::Chat;
    if (chat) send(sseEvent(chunkJson(s.header, {{"role", "assistant"}, {"content", ""}})));
    auto delta = [&](bool reasoning) {
        return [&, reasoning](std::string_view t) { send(sseEvent(chunkJson(s.header, chatDelta(std::string(t), reasoning)))); };
    };
    engine::AnswerStream splitter(s.prompt.streamStart, delta(true), delta(false));
    auto sendText = [&](std::string_view text) {
        if (!chat) return send(sseEvent(chunkJson(s.header, json(std::string(text)))));
        splitter.feed(text);
        return !cancel.load();
    };
    try {
        auto lease = s.ticket->acquire();
        const RunResult r = ctx.engine.run(lease.session(), s.prompt, s.request, sendText, &cancel);
        if (cancel) {
            ctx.log(s.header.id + ": the client went away; generation cancelled after " +
                    std::to_string(r.generation.tokens.size()) + " tokens");
            return;
        }
        if (chat) splitter.finish();
        const std::string finish = finishReason(r.generation.stopReason);
        send(sseEvent(chunkJson(s.header, chat ? json::object() : json(""), finish)));
        if (s.request.includeUsage) send(sseEvent(usageChunkJson(s.header, usageOf(s.prompt, r))));
        ctx.log(s.header.id + ": " + std::to_string(s.prompt.tokens.size()) + " prompt tokens (" + std::to_string(r.cachedTokens) +
                " cached), " + std::to_string(r.generation.tokens.size()) + " generated, streamed");
    } catch (const std::exception& e) {
        ctx.log(s.header.id + ": failed: " + e.what());
        send(sseEvent(ApiError(500, e.what(), "server_error").body()));
    }
    send(kSseDone);
    sink.done();
}

}  // namespace

void answerGeneration(GenerationContext& ctx, const GenerationRequest& request, httplib::Response& res)
{
    PreparedPrompt prompt = ctx.engine.prepare(request);
    auto ticket = ctx.queue.admit();
    if (!ticket)
        throw ApiError(429, "the server is busy: as many requests as it runs and queues are in progress; try again later",
                       "rate_limit_error", "server_busy");
    const auto header = ResponseHeader::make(request.endpoint, ctx.engine.modelName());
    if (request.stream) {
        auto stream = std::make_shared<Stream>(Stream{request, std::move(prompt), std::move(ticket), header});
        // The stream holds the ticket: it leaves the queue when httplib drops the provider, written or not.
        res.set_chunked_content_provider("text/event-stream", [&ctx, stream](std::size_t, httplib::DataSink& sink) {
            writeStream(ctx, *stream, sink);
            return true;
        });
        res.set_header("Cache-Control", "no-cache");
        return;
    }
    auto lease = ticket->acquire();
    const RunResult r = ctx.engine.run(lease.session(), prompt, request, {}, nullptr);
    std::string text = r.generation.text, reasoning;
    if (request.endpoint == Endpoint::Chat) {
        auto parts = ctx.engine.splitAnswer(r.generation.text, request);
        text = std::move(parts.answer);
        reasoning = std::move(parts.thinking);
    }
    const json body = completionJson(header, text, reasoning, finishReason(r.generation.stopReason), usageOf(prompt, r));
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
    ctx.log(header.id + ": " + std::to_string(prompt.tokens.size()) + " prompt tokens (" + std::to_string(r.cachedTokens) +
            " cached), " + std::to_string(r.generation.tokens.size()) + " generated");
}

}  // namespace folio::serve
