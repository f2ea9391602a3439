// Engine benchmark (not a test): a model of realistic shape with random weights (close to Qwen3.5-0.8B:
// 24 layers, 18 Gated DeltaNet + 6 gated attention, embedding 1024, FFN 3584, vocab 151936, tied output),
// written once per tensor type, then prefill and decode speed with a given number of threads. Decode is
// reported as a fraction of this machine's memory bandwidth, measured in the same run; prefill as GFLOP/s.
// With --moe the same model has a mixture of experts in place of each dense FFN, shaped as the experts of
// Qwen3.5-35B-A3B are (experts of 512, 8 routed and one shared per token) but 32 of them, not 256, so that the
// file stays under a gigabyte: the speed of routing and of many small matrices per token.
//
//   engine_bench [--type Q8_0|Q4_K] [--moe] [--threads 2] [--prompt 512] [--gen 32] [--weights mapped|copied] [--dir /tmp]
//
// `engine_bench --write-model PATH [--type Q8_0|Q4_K] [--vocabulary FOLDER]` only writes the dense model, with
// a real vocabulary (by default Qwen3's, which has the fill-in-the-middle tokens) and its chat template, for
// benchmarks of the `folio` executable (complete_bench.sh).

#include "folio/engine/gguf.h"
#include "folio/engine/model.h"
#include "folio/engine/session.h"
#include "hf_vocabulary.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>
#include <atomic>
#include <thread>

using namespace folio::engine;

namespace {

constexpr int kRounds = 6;
constexpr std::int64_t kEmbd = 1024, kLayers = 24, kVocab = 151936, kFF = 3584, kHk = 16, kDk = 128, kHv = 16,
                       kDv = 128, kHeads = 8, kHeadsKv = 2, kHeadDim = 256, kRope = 64;
constexpr std::int64_t kExperts = 32, kExpertsUsed = 8, kFFExpert = 512;

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Random {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    float next()  // uniform in [-1, 1)
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return float(s >> 40) / float(1 << 23) - 1.f;
    }
};

void writeModel(const std::string& path, TensorType type, bool moe, const std::string& vocabulary = "")
{
    GgufWriter w;
    if (!vocabulary.empty()) folio::test::addHfTokenizer(w, vocabulary, "qwen2", int(kVocab));
    Random rng;
    auto matrix = [&](const std::string& name, std::vector<std::uint64_t> shape, TensorType t) {
        const std::int64_t cols = std::int64_t(shape[0]);
        std::uint64_t rows = 1;
        for (std::size_t i = 1; i < shape.size(); ++i) rows *= shape[i];
        const float scale = 1.7f / std::sqrt(float(cols));
        std::vector<float> row(static_cast<std::size_t>(cols));
        std::vector<std::uint8_t> bytes(rows * rowBytes(t, cols));
        for (std::uint64_t r = 0; r < rows; ++r) {
            for (float& x : row) x = scale * rng.next();
            quantizeRow(t, row.data(), bytes.data() + r * rowBytes(t, cols), cols);
        }
        w.addTensor(name, shape, t, std::move(bytes));
    };
    auto vec = [&](const std::string& name, std::vector<std::uint64_t> shape, float center) {
        std::uint64_t n = 1;
        for (auto s : shape) n *= s;
        std::vector<float> v(n);
        for (float& x : v) x = center + 0.1f * rng.next();
        std::vector<std::uint8_t> bytes(n * 4);
        std::memcpy(bytes.data(), v.data(), bytes.size());
        w.addTensor(name, shape, TensorType::F32, std::move(bytes));
    };
    const std::string arch = moe ? "qwen35moe" : "qwen35", p = arch + ".";
    w.set("general.architecture", GgufValue::string(arch));
    w.set(p + "context_length", GgufValue::u32(262144));
    w.set(p + "embedding_length", GgufValue::u32(kEmbd));
    w.set(p + "block_count", GgufValue::u32(kLayers));
    if (moe) {
        w.set(p + "expert_count", GgufValue::u32(kExperts));
        w.set(p + "expert_used_count", GgufValue::u32(kExpertsUsed));
        w.set(p + "expert_feed_forward_length", GgufValue::u32(kFFExpert));
        w.set(p + "expert_shared_feed_forward_length", GgufValue::u32(kFFExpert));
    } else {
        w.set(p + "feed_forward_length", GgufValue::u32(kFF));
    }
    w.set(p + "attention.head_count", GgufValue::u32(kHeads));
    w.set(p + "attention.head_count_kv", GgufValue::u32(kHeadsKv));
    w.set(p + "attention.key_length", GgufValue::u32(kHeadDim));
    w.set(p + "attention.value_length", GgufValue::u32(kHeadDim));
    w.set(p + "rope.dimension_count", GgufValue::u32(kRope));
    w.set(p + "rope.freq_base", GgufValue::f32(1e7f));
    w.set(p + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-6f));
    w.set(p + "ssm.conv_kernel", GgufValue::u32(4));
    w.set(p + "ssm.state_size", GgufValue::u32(kDk));
    w.set(p + "ssm.group_count", GgufValue::u32(kHk));
    w.set(p + "ssm.time_step_rank", GgufValue::u32(kHv));
    w.set(p + "ssm.inner_size", GgufValue::u32(kHv * kDv));
    w.set(p + "full_attention_interval", GgufValue::u32(4));
    const std::uint64_t E = kEmbd, conv = 2 * kHk * kDk + kHv * kDv, inner = kHv * kDv;
    // The embedding is also the output matrix (tied), so its type matters for decode: keep it in `type`.
    matrix("token_embd.weight", {E, kVocab}, type);
    vec("output_norm.weight", {E}, 1.f);
    for (std::int64_t i = 0; i < kLayers; ++i) {
        const std::string b = "blk." + std::to_string(i) + ".";
        vec(b + "attn_norm.weight", {E}, 1.f);
        vec(b + "post_attention_norm.weight", {E}, 1.f);
        if ((i + 1) % 4 != 0) {
            matrix(b + "attn_qkv.weight", {E, conv}, type);
            matrix(b + "attn_gate.weight", {E, inner}, type);
            vec(b + "ssm_conv1d.weight", {4, conv}, 0.f);
            vec(b + "ssm_dt.bias", {kHv}, 0.f);
            vec(b + "ssm_a", {kHv}, -1.f);
            matrix(b + "ssm_beta.weight", {E, kHv}, TensorType::F32);
            matrix(b + "ssm_alpha.weight", {E, kHv}, TensorType::F32);
            vec(b + "ssm_norm.weight", {kDv}, 1.f);
            matrix(b + "ssm_out.weight", {inner, E}, type);
        } else {
            matrix(b + "attn_q.weight", {E, 2 * kHeadDim * kHeads}, type);
            matrix(b + "attn_k.weight", {E, kHeadDim * kHeadsKv}, type);
            matrix(b + "attn_v.weight", {E, kHeadDim * kHeadsKv}, type);
            matrix(b + "attn_output.weight", {kHeadDim * kHeads, E}, type);
            vec(b + "attn_q_norm.weight", {kHeadDim}, 1.f);
            vec(b + "attn_k_norm.weight", {kHeadDim}, 1.f);
        }
        if (moe) {
            matrix(b + "ffn_gate_inp.weight", {E, kExperts}, TensorType::F32);
            matrix(b + "ffn_gate_exps.weight", {E, kFFExpert, kExperts}, type);
            matrix(b + "ffn_up_exps.weight", {E, kFFExpert, kExperts}, type);
            matrix(b + "ffn_down_exps.weight", {kFFExpert, E, kExperts}, type);
            vec(b + "ffn_gate_inp_shexp.weight", {E}, 0.f);
            matrix(b + "ffn_gate_shexp.weight", {E, kFFExpert}, type);
            matrix(b + "ffn_up_shexp.weight", {E, kFFExpert}, type);
            matrix(b + "ffn_down_shexp.weight", {kFFExpert, E}, type);
        } else {
            matrix(b + "ffn_gate.weight", {E, kFF}, type);
            matrix(b + "ffn_up.weight", {E, kFF}, type);
            matrix(b + "ffn_down.weight", {kFF, E}, type);
        }
    }
    w.write(path);
}

// Memory bandwidth as a streaming read by `threads` threads (as many as decode uses), each summing its own
// part of a buffer much larger than the caches.
class BandwidthTest {
public:
    // The buffer asks for 2 MiB pages, as copied weights do: with 4 KiB pages this virtual machine read it at
    // 2-8 GB/s for whole runs after the weights had taken 2 MiB pages (35-45 otherwise), and memory it has just
    // handed out reads slowly for a second or so either way, so the buffer is read for a second first.
    explicit BandwidthTest(int threads) : threads_(threads)
    {
        void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::runtime_error("no memory for the bandwidth test");
        madvise(p, kBytes, MADV_HUGEPAGE);
        buf_ = std::span(static_cast<std::uint64_t*>(p), kBytes / 8);
        std::fill(buf_.begin(), buf_.end(), 1);
        measure(1.0);
    }
    ~BandwidthTest() { munmap(buf_.data(), kBytes); }
    BandwidthTest(const BandwidthTest&) = delete;
    BandwidthTest& operator=(const BandwidthTest&) = delete;

    // Bytes per second over passes through the buffer for at least `seconds` (one pass at least): as long as a
    // decode round, so a moment's pause of a thread weighs the same in both.
    double measure(double seconds)
    {
        const double t0 = now();
        double bytes = 0;
        do {
            pass();
            bytes += double(buf_.size() * 8);
        } while (now() - t0 < seconds);
        return bytes / (now() - t0);
    }

private:
    void pass()
    {
        std::vector<std::thread> workers;
        for (int k = 0; k < threads_; ++k)
            workers.emplace_back([this, k] {
                const std::size_t begin = buf_.size() * std::size_t(k) / std::size_t(threads_);
                const std::size_t end = buf_.size() * std::size_t(k + 1) / std::size_t(threads_);
                std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (std::size_t i = begin; i + 4 <= end; i += 4) {
                    s0 += buf_[i];
                    s1 += buf_[i + 1];
                    s2 += buf_[i + 2];
                    s3 += buf_[i + 3];
                }
                sink_ += s0 + s1 + s2 + s3;
            });
        for (auto& w : workers) w.join();
    }

    int threads_;
    static constexpr std::size_t kBytes = std::size_t(1) << 30;
    std::span<std::uint64_t> buf_;
    std::atomic<std::uint64_t> sink_{0};
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

int main(int argc, char** argv)
{
    std::string typeName = "Q8_0", dir = std::filesystem::temp_directory_path().string(), writeOnly,
                vocabulary = FOLIO_QWEN3_TOKENIZER;
    int threads = 2, prompt = 512, gen = 32;
    bool moe = false;
    WeightMemory memory = WeightMemory::Mapped;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--moe") {
            moe = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "option %s needs a value\n", a.c_str());
            return 2;
        }
        const std::string v = argv[++i];
        if (a == "--type") typeName = v;
        else if (a == "--threads") threads = std::stoi(v);
        else if (a == "--prompt") prompt = std::stoi(v);
        else if (a == "--gen") gen = std::stoi(v);
        else if (a == "--dir") dir = v;
        else if (a == "--write-model") writeOnly = v;
        else if (a == "--vocabulary") vocabulary = v;
        else if (a == "--weights" && (v == "mapped" || v == "copied")) memory = v == "copied" ? WeightMemory::Copied : WeightMemory::Mapped;
        else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
    }
    const TensorType type = typeName == "Q4_K" ? TensorType::Q4_K : typeName == "F16" ? TensorType::F16 : TensorType::Q8_0;
    if (!writeOnly.empty()) {
        writeModel(writeOnly, type, false, vocabulary);
        return 0;
    }
    const std::string path = dir + (moe ? "/folio-bench-qwen35moe-32x512-" : "/folio-bench-qwen35-0.8b-") + toString(type) + ".gguf";
    if (!std::filesystem::exists(path)) {
        // Written by a child process, so the writer's memory does not count in this process's peak RSS.
        std::printf("writing %s ...\n", path.c_str());
        std::fflush(stdout);
        const pid_t child = fork();
        if (child == 0) {
            writeModel(path + ".part", type, moe);
            std::filesystem::rename(path + ".part", path);
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!std::filesystem::exists(path)) {
            std::fprintf(stderr, "could not write %s\n", path.c_str());
            return 1;
        }
    }
    const double loadStart = now();
    const auto model = Model::load(path, memory);
    const double loadSeconds = now() - loadStart;
    Session session(*model, {threads, prompt + kRounds * gen});
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(prompt));
    for (std::size_t i = 0; i < tokens.size(); ++i) tokens[i] = std::int32_t((i * 7919 + 13) % kVocab);

    double t0 = now();
    session.prefill(tokens);
    const double prefill = now() - t0;
    // Decode in rounds of `gen` tokens between runs of the bandwidth test, and compare each round with the
    // passes either side of it: this virtual machine's cores and memory are shared, and its bandwidth moves by a
    // third within a minute, so a decode round and a bandwidth test minutes apart say little about each other.
    // Every weight byte is read once per decoded token (the tied embedding as the output matrix; one embedding
    // row aside), as the engine holds it: copied Q4_K weights are in the wide layout, 148 bytes a block where the
    // file has 144; of the routed experts, the 8 a token chooses. Each Gated DeltaNet layer also reads and writes
    // its recurrent state once per token.
    double expertBytes = 0;
    for (std::int64_t i = 0; i < kLayers; ++i)
        for (const Weight* e : {&model->layer(i).expGate, &model->layer(i).expUp, &model->layer(i).expDown})
            if (*e) expertBytes += double(e->rowBytes()) * double(e->rows * e->experts);
    const double unusedExperts = 1.0 - double(kExpertsUsed) / double(kExperts);
    const double weightBytes = double(model->weightBytes()) - expertBytes * unusedExperts;
    double fileWeightBytes = 0;
    for (const auto& t : model->file().tensors()) fileWeightBytes += double(t.byteSize());
    const double stateBytes = double(kLayers - kLayers / 4) * kHv * kDk * kDv * sizeof(float);
    // The model's peak memory is taken before the bandwidth test's buffer exists.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    BandwidthTest bandwidthTest(threads);
    double fastest = 0, widest = 0, before = bandwidthTest.measure(0.3);
    std::vector<double> weightShare, trafficShare;
    std::string rounds;  // "t/s @ GB/s" per round, so a run disturbed by a neighbour shows as one
    for (int round = 0; round < kRounds; ++round) {
        t0 = now();
        for (int i = 0; i < gen; ++i) session.decode(std::int32_t(((round * gen + i) * 104729) % kVocab));
        const double seconds = now() - t0, rate = gen / seconds, after = bandwidthTest.measure(seconds);
        const double bandwidth = (before + after) / 2;  // the passes either side of the round
        fastest = std::max(fastest, rate);
        widest = std::max({widest, before, after});
        weightShare.push_back(weightBytes * rate / bandwidth);
        trafficShare.push_back((weightBytes + 2 * stateBytes) * rate / bandwidth);
        char text[48];
        std::snprintf(text, sizeof text, " %.1f@%.1f", rate, bandwidth / 1e9);
        rounds += text;
        before = after;
    }

    // Prefill does 2 FLOPs per weight a token uses per token (the output matrix only for the last token).
    const double embeddingParams = double(kEmbd) * kVocab;
    double params = 0, expertParams = 0;
    for (const auto& t : model->file().tensors()) {
        params += double(t.elementCount());
        if (t.name.find("_exps.") != std::string::npos) expertParams += double(t.elementCount());
    }
    const double prefillFlops = 2.0 * (params - expertParams * unusedExperts - embeddingParams) * prompt + 2.0 * embeddingParams;

    std::printf("model: %s%s, %.0f M parameters, %.1f MiB of weights read per token (%s; %.1f MiB in the file), loaded in %.2f s, %d threads\n",
                toString(type).c_str(), moe ? " MoE" : "", params / 1e6, weightBytes / 1048576, memory == WeightMemory::Copied ? "copied" : "mapped",
                fileWeightBytes / 1048576, loadSeconds, threads);
    std::printf("numerics: %s\n", numericsSignature({threads}).c_str());
    std::printf("prefill: %d tokens in %.2f s = %.1f t/s, %.1f GFLOP/s\n", prompt, prefill, prompt / prefill,
                prefillFlops / prefill / 1e9);
    std::printf("decode:  %d rounds of %d tokens, fastest %.2f t/s = %.2f GB/s of weights read\n", kRounds, gen, fastest,
                weightBytes * fastest / 1e9);
    std::printf("memory bandwidth (streaming read, %d threads, as long as a round before and after each round): widest %.2f GB/s\n", threads,
                widest / 1e9);
    std::printf("rounds (t/s @ GB/s):%s\n", rounds.c_str());
    std::printf("decode reads weights at %.0f%% of the bandwidth of its round (median; rounds %.0f-%.0f%%)\n",
                100 * median(weightShare), 100 * *std::min_element(weightShare.begin(), weightShare.end()),
                100 * *std::max_element(weightShare.begin(), weightShare.end()));
    std::printf("with the recurrent state's %.1f MiB read and written per token: %.0f%% (median)\n", stateBytes / 1048576,
                100 * median(trafficShare));
    std::printf("peak RSS: %.0f MiB (weights %s; state %.1f MiB)\n", double(usage.ru_maxrss) / 1024,
                memory == WeightMemory::Copied ? "copied" : "mapped",
                double(session.stateBytes()) / 1048576);
    return 0;
}
