// libFuzzer target for what turns untrusted text into tokens and back, on the real Qwen3 vocabulary and chat
// template (the GGUF that FOLIO_FUZZ_VOCABULARY names, written by write_vocabulary). The first byte picks the
// property, the rest is the text:
//   0  any bytes encode and decode back to themselves (documents are not always valid UTF-8);
//   1  text inside a turn never becomes a control token, whatever markers it holds: only the turn's own
//      <|im_start|> and <|im_end|> are control tokens;
//   2  the answer stream, fed the text in pieces cut where the input says, splits it as ChatFormat::split does;
//   3  any chat template is recognised or refused with ChatFormatError, never anything else.
// A property that does not hold aborts, which libFuzzer reports with the input.

#include "folio/engine/chat_format.h"
#include "folio/engine/gguf.h"
#include "folio/engine/tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

using namespace folio::engine;

namespace {

struct Vocabulary {
    std::unique_ptr<GgufFile> file;
    std::unique_ptr<Tokenizer> tokenizer;
    std::unique_ptr<ChatFormat> format;
    std::int32_t imStart = -1, imEnd = -1;
};

const Vocabulary& vocabulary()
{
    static const Vocabulary v = [] {
        const char* path = std::getenv("FOLIO_FUZZ_VOCABULARY");
        if (!path) {
            std::fprintf(stderr, "chat_fuzzer: FOLIO_FUZZ_VOCABULARY must name a GGUF file with the Qwen3 vocabulary\n");
            std::exit(2);
        }
        Vocabulary out;
        out.file = std::make_unique<GgufFile>(path);
        out.tokenizer = std::make_unique<Tokenizer>(*out.file);
        out.format = std::make_unique<ChatFormat>(ChatFormat::fromModel(*out.file, *out.tokenizer));
        out.imStart = out.tokenizer->encode("<|im_start|>").at(0);
        out.imEnd = out.tokenizer->encode("<|im_end|>").at(0);
        return out;
    }();
    return v;
}

void require(bool holds, const char* what)
{
    if (holds) return;
    std::fprintf(stderr, "chat_fuzzer: %s\n", what);
    std::abort();
}

void roundTrip(const std::string& text)
{
    const Tokenizer& t = *vocabulary().tokenizer;
    require(t.decode(t.encode(text, false)) == text, "decode(encode(text)) differs from the text");
    t.encode(text, true);  // with special tokens parsed: anything, but no crash
}

void markersStayText(const std::string& text)
{
    const Vocabulary& v = vocabulary();
    const ChatFormat& f = *v.format;
    const auto tokens = Prompt().append(f.turn({"user", text})).tokens(*v.tokenizer);
    require(std::count(tokens.begin(), tokens.end(), v.imStart) == 1, "text in a turn became <|im_start|>");
    require(std::count(tokens.begin(), tokens.end(), v.imEnd) == 1, "text in a turn became <|im_end|>");
}

void streamSplitsAsWhole(const std::string& input)
{
    const ChatFormat& f = *vocabulary().format;
    // The first half of the input says where to cut the second half into pieces.
    const std::string cuts = input.substr(0, input.size() / 2), text = input.substr(input.size() / 2);
    for (const Thinking thinking : {Thinking::Default, Thinking::Off}) {
        std::string thought, answer;
        AnswerStream stream(f.streamStart(thinking), [&](std::string_view s) { thought += s; },
                            [&](std::string_view s) { answer += s; });
        std::size_t at = 0;
        for (std::size_t i = 0; at < text.size(); ++i) {
            const std::size_t n = std::min<std::size_t>(text.size() - at, i < cuts.size() ? std::uint8_t(cuts[i]) % 17 : text.size());
            stream.feed(std::string_view(text).substr(at, n));
            at += n;
        }
        stream.finish();
        const AnswerParts whole = f.split(text, thinking);
        require(thought == whole.thinking && answer == whole.answer, "the streamed split differs from the whole split");
    }
}

void anyTemplate(const std::string& text)
{
    try {
        const ChatFormat f = ChatFormat::fromTemplate(text, *vocabulary().tokenizer, "fuzz");
        f.render({{"system", "s"}, {"user", "q"}}, true, Thinking::Default).tokens(*vocabulary().tokenizer);
    } catch (const ChatFormatError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0: roundTrip(text); break;
    case 1: markersStayText(text); break;
    case 2: streamSplitsAsWhole(text); break;
    default: anyTemplate(text); break;
    }
    return 0;
}
