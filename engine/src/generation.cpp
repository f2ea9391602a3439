#include "folio/engine/generation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <unordered_set>

namespace folio::engine {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Bytes at the end of `s` that start a UTF-8 character not yet complete.
std::size_t incompleteUtf8Tail(std::string_view s)
{
    for (std::size_t back = 1; back <= std::min<std::size_t>(3, s.size()); ++back) {
        const auto c = static_cast<unsigned char>(s[s.size() - back]);
        if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
        const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

}  // namespace

Sampler::Sampler(SamplingOptions options) : options_(options), rng_(options.seed) {}

std::int32_t Sampler::sample(const std::vector<float>& logits, std::span<const std::int32_t> history)
{
    std::vector<float> l = logits;
    if (options_.repetitionPenalty != 1.f) {
        // As in CTRL: divide positive logits, multiply negative ones, once per distinct recent token.
        std::unordered_set<std::int32_t> seen;
        const std::size_t from = history.size() > std::size_t(options_.repetitionWindow) ? history.size() - std::size_t(options_.repetitionWindow) : 0;
        for (std::size_t i = from; i < history.size(); ++i) seen.insert(history[i]);
        for (std::int32_t t : seen) {
            float& v = l[std::size_t(t)];
            v = v > 0 ? v / options_.repetitionPenalty : v * options_.repetitionPenalty;
        }
    }
    if (options_.temperature <= 0.f)
        return std::int32_t(std::max_element(l.begin(), l.end()) - l.begin());

    std::vector<std::int32_t> ids(l.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::size_t keep = ids.size();
    if (options_.topK > 0) keep = std::min<std::size_t>(keep, std::size_t(options_.topK));
    std::partial_sort(ids.begin(), ids.begin() + std::ptrdiff_t(keep), ids.end(),
                      [&](auto a, auto b) { return l[std::size_t(a)] > l[std::size_t(b)]; });
    ids.resize(keep);
    std::vector<double> p(keep);
    const double maxLogit = l[std::size_t(ids[0])];
    double total = 0;
    for (std::size_t i = 0; i < keep; ++i) total += p[i] = std::exp((l[std::size_t(ids[i])] - maxLogit) / options_.temperature);
    if (options_.topP < 1.f) {
        double cumulative = 0;
        std::size_t n = 0;
        while (n < keep && cumulative < options_.topP * total) cumulative += p[n++];
        p.resize(std::max<std::size_t>(n, 1));
    }
    std::discrete_distribution<std::size_t> pick(p.begin(), p.end());
    return ids[pick(rng_)];
}

GenerationResult generate(Session& session, const Tokenizer& tokenizer, std::string_view prompt,
                          const GenerationOptions& options, const std::function<bool(std::string_view)>& onText,
                          const std::atomic<bool>* cancel)
{
    const auto tokens = tokenizer.encode(prompt);
    return generate(session, tokenizer, std::span<const std::int32_t>(tokens), options, onText, cancel);
}

GenerationResult generate(Session& session, const Tokenizer& tokenizer, std::span<const std::int32_t> promptTokens,
                          const GenerationOptions& options, const std::function<bool(std::string_view)>& onText,
                          const std::atomic<bool>* cancel)
{
    GenerationResult result;
    result.promptTokens = std::int64_t(promptTokens.size());
    auto start = std::chrono::steady_clock::now();
    session.prefill(promptTokens, cancel);
    result.prefillSeconds = secondsSince(start);
    if (cancel && cancel->load()) {
        result.stopReason = "cancelled";
        return result;
    }
    if (options.afterPrefill) options.afterPrefill(session);

    std::size_t longestStop = 0;
    for (const auto& s : options.stop) longestStop = std::max(longestStop, s.size());
    std::size_t emitted = 0;  // bytes of result.text handed to onText
    Sampler sampler(options.sampling);
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < options.maxTokens; ++i) {
        if (cancel && cancel->load()) { result.stopReason = "cancelled"; break; }
        const std::int32_t token = sampler.sample(session.logits(), session.tokens());
        if (token == tokenizer.eos()) { result.stopReason = "eos"; break; }
        result.tokens.push_back(token);
        result.text += tokenizer.tokenText(token);
        std::size_t stopAt = std::string::npos;
        for (const auto& s : options.stop)
            if (!s.empty()) stopAt = std::min(stopAt, result.text.find(s, emitted > s.size() ? emitted - s.size() : 0));
        if (stopAt != std::string::npos) {
            result.text.resize(stopAt);
            result.stopReason = "stop";
            break;
        }
        // Hold back what could still become a stop string, and any half-written character.
        std::size_t safe = result.text.size() - std::min(result.text.size(), longestStop ? longestStop - 1 : 0);
        safe -= incompleteUtf8Tail(std::string_view(result.text).substr(0, safe));
        if (onText && safe > emitted) {
            if (!onText(std::string_view(result.text).substr(emitted, safe - emitted))) { emitted = safe; result.stopReason = "cancelled"; break; }
            emitted = safe;
        }
        if (i + 1 < options.maxTokens) session.decode(token);
    }
    if (result.stopReason.empty()) result.stopReason = "length";
    if (onText && result.text.size() > emitted) onText(std::string_view(result.text).substr(emitted));
    result.decodeSeconds = secondsSince(start);
    return result;
}

}  // namespace folio::engine
