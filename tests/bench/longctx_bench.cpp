// Selected attention against exact attention (not a test): for corpora of N tokens, the same tokens prefilled in
// both modes, then the selected mode's logits against the exact ones at the corpus end (largest absolute
// difference, KL divergence of the softmaxes), the share of the next greedy tokens on which both modes pick the
// same token (teacher-forced: both read the exact mode's tokens), the attention mass the selected keys hold over
// those tokens, prefill tokens/s of each mode, the summaries' bytes per 1K tokens per attention layer, and the
// process's peak RSS after each phase.
//
//   longctx_bench MODEL.gguf [--tokens 8192,32768] [--threads 2] [--gen 64] [--block-size 1024]
//                 [--hot-window 2048] [--sink-tokens 64] [--top-blocks 4] [--summary minmax|vq] [--codebook 4]
//                 [--needle TOKEN]
// MODEL: any model of the family (engine_bench --write-model writes a 0.8B-shaped one; write_tiny_model a tiny
// one, --planted a tiny one with a planted retrieval head). With --needle, that token goes at a third of the
// corpus, so that it lies in a cold block.

#include "folio/engine/model.h"
#include "folio/engine/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace folio;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double peakRssMiB()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return double(std::stoll(line.substr(6))) / 1024.0;
    return -1;
}

std::int32_t greedy(const std::vector<float>& logits)
{
    return std::int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

// KL(p || q) of the softmaxes of two logit vectors, in nats.
double klDivergence(const std::vector<float>& p, const std::vector<float>& q)
{
    const auto logSoftmax = [](const std::vector<float>& x) {
        const double m = *std::max_element(x.begin(), x.end());
        double sum = 0;
        for (float v : x) sum += std::exp(double(v) - m);
        std::vector<double> out(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = double(x[i]) - m - std::log(sum);
        return out;
    };
    const auto lp = logSoftmax(p), lq = logSoftmax(q);
    double kl = 0;
    for (std::size_t i = 0; i < lp.size(); ++i) kl += std::exp(lp[i]) * (lp[i] - lq[i]);
    return kl;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: longctx_bench MODEL.gguf [--tokens 8192,32768] [--threads 2] [--gen 64] [--block-size 1024] "
                             "[--hot-window 2048] [--sink-tokens 64] [--top-blocks 4] [--summary minmax|vq] [--codebook 4] [--needle TOKEN]\n");
        return 2;
    }
    const std::string modelPath = argv[1];
    std::vector<std::int64_t> lengths{8192, 32768};
    int threads = 2, gen = 64, needle = -1;
    engine::AttentionOptions selected;
    selected.mode = engine::AttentionMode::Selected;
    selected.hotWindow = 2048;
    selected.topBlocks = 4;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--tokens") {
            lengths.clear();
            std::stringstream list(v);
            for (std::string n; std::getline(list, n, ',');) lengths.push_back(std::stoll(n));
        } else if (a == "--threads") threads = std::stoi(v);
        else if (a == "--gen") gen = std::stoi(v);
        else if (a == "--block-size") selected.blockSize = std::stoll(v);
        else if (a == "--hot-window") selected.hotWindow = std::stoll(v);
        else if (a == "--sink-tokens") selected.sinkTokens = std::stoll(v);
        else if (a == "--top-blocks") selected.topBlocks = std::stoll(v);
        else if (a == "--summary") selected.summary = engine::parseBlockSummaryKind(v);
        else if (a == "--codebook") selected.codebookSize = std::stoi(v);
        else if (a == "--needle") needle = std::stoi(v);
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    const auto model = engine::Model::load(modelPath);
    const auto& c = model->config();
    std::int64_t attentionLayers = 0;
    for (auto kind : c.layers) attentionLayers += kind == engine::LayerKind::Attention;
    std::printf("%s: %lld layers (%lld attention, %lld KV heads x %lld), vocabulary %lld; %d threads\n", modelPath.c_str(),
                static_cast<long long>(c.nLayer), static_cast<long long>(attentionLayers), static_cast<long long>(c.nHeadKv),
                static_cast<long long>(c.headDim), static_cast<long long>(c.vocab), threads);
    std::printf("selected: top %lld blocks of %lld, hot window %lld, %lld sinks, %s summaries", static_cast<long long>(selected.topBlocks),
                static_cast<long long>(selected.blockSize), static_cast<long long>(selected.hotWindow),
                static_cast<long long>(selected.sinkTokens), engine::toString(selected.summary).c_str());
    if (selected.summary == engine::BlockSummaryKind::VqCode) std::printf(" (%d centroids)", selected.codebookSize);
    std::printf("\n");
    const double kvPer1K = double(c.nHeadKv * c.headDim) * 2 * sizeof(float) * 1024;
    std::printf("KV per 1K tokens per attention layer: %.0f bytes\n", kvPer1K);

    for (const std::int64_t n : lengths) {
        std::vector<std::int32_t> tokens(static_cast<std::size_t>(n));
        const std::int64_t words = std::min<std::int64_t>(c.vocab, 256);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = std::int32_t((i * 7919 + 13) % std::size_t(words));
            if (tokens[i] == needle) tokens[i] = (needle + 1) % std::int32_t(words);  // one needle only
        }
        if (needle >= 0) tokens[std::size_t(n / 3)] = needle;
        engine::SessionOptions exactOptions{threads, n + gen, 64};
        engine::SessionOptions selectedOptions = exactOptions;
        selectedOptions.attention = selected;

        engine::Session exact(*model, exactOptions);
        double t0 = now();
        exact.prefill(tokens);
        const double exactSeconds = now() - t0;
        const double exactRss = peakRssMiB();
        engine::Session approx(*model, selectedOptions);
        t0 = now();
        approx.prefill(tokens);
        const double selectedSeconds = now() - t0;
        const double bothRss = peakRssMiB();
        const auto prefillStats = approx.attentionStats();

        double maxAbs = 0;
        for (std::size_t i = 0; i < exact.logits().size(); ++i)
            maxAbs = std::max(maxAbs, std::fabs(double(exact.logits()[i]) - double(approx.logits()[i])));
        const double kl = klDivergence(exact.logits(), approx.logits());

        approx.resetAttentionStats();
        approx.measureAttentionMass(true);
        int agree = 0;
        double klSum = 0;
        for (int i = 0; i < gen; ++i) {
            agree += greedy(exact.logits()) == greedy(approx.logits());
            klSum += klDivergence(exact.logits(), approx.logits());
            const std::int32_t next = greedy(exact.logits());
            exact.decode(next);
            approx.decode(next);
        }
        const auto& mass = approx.attentionStats();
        const double summaryPer1K = double(approx.summaryBytes()) / double(attentionLayers) / (double(n + gen) / 1024.0);

        std::printf("\n%lld tokens:\n", static_cast<long long>(n));
        std::printf("  prefill: exact %.1f t/s (%.1f s), selected %.1f t/s (%.1f s), ratio %.2f\n", double(n) / exactSeconds, exactSeconds,
                    double(n) / selectedSeconds, selectedSeconds, exactSeconds / selectedSeconds);
        std::printf("  prefill queries that left blocks out: %.1f%%, reading %.1f of %.1f cold blocks on average\n",
                    100.0 * double(prefillStats.selectingQueries) / double(std::max<std::uint64_t>(1, prefillStats.queries)),
                    prefillStats.selectingQueries ? double(prefillStats.selectedBlocks) / double(prefillStats.selectingQueries) : 0.0,
                    prefillStats.selectingQueries ? double(prefillStats.coldBlocks) / double(prefillStats.selectingQueries) : 0.0);
        std::printf("  logits at the corpus end: max |selected - exact| %.4g, KL(exact || selected) %.4g nats\n", maxAbs, kl);
        std::printf("  next %d greedy tokens (exact's, teacher-forced): top-1 agreement %d/%d, mean KL %.4g\n", gen, agree, gen,
                    klSum / double(std::max(1, gen)));
        std::printf("  attention mass the selected keys hold over those tokens: mean %.4f, least %.4f (%llu query heads)\n",
                    mass.meanMass(), mass.massMin, static_cast<unsigned long long>(mass.massHeads));
        std::printf("  summaries: %.0f bytes per 1K tokens per attention layer (%.2f%% of its KV)\n", summaryPer1K,
                    100.0 * summaryPer1K / kvPer1K);
        std::printf("  peak RSS: %.0f MiB after the exact prefill, %.0f MiB with both sessions\n", exactRss, bothRss);
        std::fflush(stdout);
    }
    return 0;
}
