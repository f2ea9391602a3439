// libFuzzer target for the bodies `folio serve` accepts: any bytes sent to /v1/chat/completions, /v1/completions
// or /tokenize either parse into a request whose values are in their documented ranges or are refused with an
// ApiError (400) whose JSON body can be written back to the client. The first byte picks the endpoint, the rest
// is the body. Anything else (another exception, a body that cannot be serialised) aborts, which libFuzzer
// reports with the input.

#include "folio/serve/api_error.h"
#include "folio/serve/request.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace folio::serve;

namespace {

[[noreturn]] void fail(const char* what)
{
    std::fprintf(stderr, "request_fuzzer: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const GenerationRequest r = data[0] % 3 == 0 ? parseChatRequest(body)
            : data[0] % 3 == 1                        ? parseCompletionRequest(body)
                                                      : parseTokenizeRequest(body);
        if (r.maxTokens && (*r.maxTokens < 1 || *r.maxTokens > 1'000'000)) fail("max_tokens out of range");
        if (!(r.temperature >= 0.f && r.temperature <= 2.f)) fail("temperature out of range");
        if (!(r.topP > 0.f && r.topP <= 1.f)) fail("top_p out of range");
        if (r.stop.size() > 4) fail("more than 4 stop strings");
        if (r.endpoint == Endpoint::Chat && r.messages.empty()) fail("a chat request without messages");
    } catch (const ApiError& e) {
        if (e.status() != 400 || std::string(e.what()).empty()) fail("an ApiError that is not a 400 with a message");
        try {
            // As the server writes it: the message may quote the body's invalid UTF-8, which is replaced.
            (void)e.body().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        } catch (const std::exception&) {
            fail("an error body that cannot be written as JSON");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "request_fuzzer: %s\n", e.what());
        fail("an exception other than ApiError");
    }
    return 0;
}
