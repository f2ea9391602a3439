#include "folio/engine/session.h"

#include "folio/engine/rms_norm.h"

#include "block_summaries.h"
#include "feed_forward.h"
#include "gated_attention.h"
#include "gated_deltanet.h"
#include "kernels.h"
#include "large_page_allocator.h"
#include "matmul.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <span>
#include <stdexcept>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace folio::engine {
namespace {

// Tokens per batch of a long prefill (see Session::prefill).
constexpr std::int64_t kBatchTokens = 256;

template <typename T>
void putBytes(std::vector<std::uint8_t>& out, const T* p, std::size_t n)
{
    const auto* b = reinterpret_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + n * sizeof(T));
}

constexpr char kStateMagic[8] = {'F', 'O', 'L', 'I', 'O', 'S', 'T', '2'};

// Each layer of a forward pass allocates activations of megabytes and frees them before the next. By default
// glibc gives freed memory at the top of its heap back to the system, and maps large blocks afresh (adjusting
// the limit as it goes), so layer after layer faulted in and zeroed new pages: a MoE prefill of 256 tokens ran
// 87 t/s where the same code with the memory kept ran 141. Once per process, blocks up to glibc's largest
// threshold (32 MiB) come from the heap, and up to 256 MiB of freed heap stays with the process.
void keepActivationMemory()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
#endif
}

}  // namespace

struct SessionSnapshot {
    struct Layer {
        std::vector<float> conv;  // (K-1) x channels, oldest first
        std::vector<float> ssm;   // Hv x Dv x Dk
        std::vector<float, LargePageAllocator<float>> k, v;  // rows of nHeadKv x headDim, one per position
        BlockSummaries summaries;  // of the whole blocks of k (selected attention; empty otherwise)
    };
    const Model* model = nullptr;
    std::vector<std::int32_t> tokens;  // as many as positions
    std::vector<float> logits;
    std::vector<Layer> layers;  // KV of positions [0, tokens.size())
};

struct Session::Impl {
    const Model& model;
    const ModelConfig& c;
    SessionOptions options;
    ThreadPool pool;

    using LayerState = SessionSnapshot::Layer;
    // The KV rows of an attention layer hold positions from sharedEnd on, `capacity` of them; those before lie in
    // the shared snapshot.
    std::vector<LayerState> layers;
    std::int64_t capacity = 0;
    std::shared_ptr<const SessionSnapshot> shared;
    std::int64_t sharedEnd = 0;
    RoutingCounts routing;  // since construction or resetRoutingCounts(); empty for a dense model
    AttentionStats attentionStats;
    bool measureMass = false;

    Impl(const Model& m, SessionOptions o) : model(m), c(m.config()), options(o), pool(o.threads)
    {
        checkAttentionOptions(o.attention);
        keepActivationMemory();
        layers.resize(c.nLayer);
        reset();
        resetRouting();
    }

    void resetRouting()
    {
        if (!c.isMoe()) return;
        routing = {c.nLayer, c.nExpert, c.nExpertUsed, 0, std::vector<std::uint64_t>(std::size_t(c.nLayer * c.nExpert))};
    }

    static void checkAttentionOptions(const AttentionOptions& a)
    {
        if (a.mode != AttentionMode::Selected) return;
        if (a.blockSize <= 0 || a.blockSize % 64 != 0)
            throw std::invalid_argument("attention block size " + std::to_string(a.blockSize) + " is not a positive multiple of 64");
        if (a.sinkTokens < 0 || a.sinkTokens % 64 != 0)
            throw std::invalid_argument("attention sink tokens " + std::to_string(a.sinkTokens) + " are not a multiple of 64");
        if (a.hotWindow < 1) throw std::invalid_argument("the hot window must hold at least one token");
        if (a.topBlocks < 0) throw std::invalid_argument("the number of cold blocks to read cannot be negative");
        if (a.summary == BlockSummaryKind::VqCode && (a.codebookSize < 1 || a.codebookSize > a.blockSize))
            throw std::invalid_argument("a block's codebook needs between 1 and block size centroids");
    }

    bool selected() const { return options.attention.mode == AttentionMode::Selected; }

    BlockSummaries emptySummaries() const
    {
        const AttentionOptions& a = options.attention;
        return BlockSummaries(a.summary, a.blockSize, c.nHeadKv, c.headDim, a.codebookSize);
    }

    void reset()
    {
        capacity = 0;
        shared.reset();
        sharedEnd = 0;
        for (std::int64_t i = 0; i < c.nLayer; ++i) {
            LayerState& s = layers[i];
            s = {};
            if (c.layers[i] == LayerKind::DeltaNet) {
                s.conv.assign((c.convKernel - 1) * c.convChannels(), 0.f);
                s.ssm.assign(c.valueHeads * c.valueDim * c.keyDim, 0.f);
            } else if (selected()) {
                s.summaries = emptySummaries();
            }
        }
    }

    // Room for the KV of positions up to `end`.
    void reserve(std::int64_t end)
    {
        const std::int64_t rows = end - sharedEnd;
        if (rows <= capacity) return;
        std::int64_t cap = std::max<std::int64_t>(capacity * 2, std::max<std::int64_t>(rows, options.maxContext));
        if (c.contextLength > 0) cap = std::max(rows, std::min(cap, c.contextLength - sharedEnd));
        const std::size_t per = c.nHeadKv * c.headDim;
        for (std::int64_t i = 0; i < c.nLayer; ++i)
            if (c.layers[i] == LayerKind::Attention) {
                layers[i].k.resize(cap * per);
                layers[i].v.resize(cap * per);
            }
        capacity = cap;
    }

    KvCache kvCache(std::int64_t layer)
    {
        KvCache kv;
        kv.stride = c.nHeadKv * c.headDim;
        kv.keys = layers[layer].k.data();
        kv.values = layers[layer].v.data();
        if (shared) {
            kv.sharedKeys = shared->layers[layer].k.data();
            kv.sharedValues = shared->layers[layer].v.data();
            kv.sharedEnd = sharedEnd;
        }
        return kv;
    }

    // The layers over tokens at positions pos0...; the last token's final normalised hidden state goes to
    // lastHidden. False if cancelled (the recurrent states are then half-updated: the caller restores them).
    // A MoE model's routing goes into `routed` (layers x experts), when given.
    bool forward(std::span<const std::int32_t> tokens, std::int64_t pos0, const std::atomic<bool>* cancel, float* lastHidden,
                 std::uint64_t* routed)
    {
        const std::int64_t T = std::int64_t(tokens.size()), E = c.nEmbd;
        std::vector<float> x(T * E), h(T * E), y(T * E);
        const Weight& embd = model.tokenEmbedding();
        for (std::int64_t t = 0; t < T; ++t) dequantizeRow(embd.type, embd.row(tokens[t]), x.data() + t * E, E);
        // x += y (the sublayer just done; none before the first), then h = RMSNorm(x): token by token on the
        // threads, so a prompt's norms do not run on one thread while the others wait (one token: on this one).
        const auto addThenNorm = [&](const float* add, const Weight& norm) {
            pool.parallelFor(T, [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t t = begin; t < end; ++t) {
                    float* xt = x.data() + t * E;
                    if (add)
                        for (std::int64_t i = 0; i < E; ++i) xt[i] += add[t * E + i];
                    rmsNorm(xt, norm.values.data(), h.data() + t * E, E, c.rmsEps);
                }
            });
        };
        for (std::int64_t li = 0; li < c.nLayer; ++li) {
            if (cancel && cancel->load()) return false;
            const LayerWeights& L = model.layer(li);
            addThenNorm(li == 0 ? nullptr : y.data(), L.attnNorm);
            LayerState& st = layers[li];
            if (c.layers[li] == LayerKind::DeltaNet) {
                gatedDeltaNet(pool, c, options.chunkSize, L, st.conv.data(), st.ssm.data(), h.data(), T, y.data());
            } else if (selected()) {
                const AttentionOptions& a = options.attention;
                SelectedAttention sel{&st.summaries, {&st.summaries, a.sinkTokens, a.hotWindow, a.topBlocks, measureMass}, &attentionStats};
                gatedAttention(pool, c, L, kvCache(li), h.data(), T, pos0, y.data(), &sel);
            } else {
                gatedAttention(pool, c, L, kvCache(li), h.data(), T, pos0, y.data());
            }
            addThenNorm(y.data(), L.postAttnNorm);
            feedForward(pool, c, L, h.data(), T, y.data(), routed ? routed + li * c.nExpert : nullptr);
        }
        // Only the last token goes on to the output.
        float* last = x.data() + (T - 1) * E;
        for (std::int64_t i = 0; i < E; ++i) last[i] += y[std::size_t((T - 1) * E + i)];
        rmsNorm(last, model.outputNorm().values.data(), lastHidden, E, c.rmsEps);
        return true;
    }
};

std::string numericsSignature(const SessionOptions& options)
{
    std::string signature = "cpu/" + kernels::instructionSet() + "/deltanet-wy2-chunk-" + std::to_string(std::max(1, options.chunkSize))
        + "/activations-q8-32-k256/attention-tiles-64-exp-poly6/state-v1";
    const AttentionOptions& a = options.attention;
    // Exact attention reads every key, whatever the other settings say: its signature is the one it always had.
    if (a.mode == AttentionMode::Selected) {
        signature += "/selected-block-" + std::to_string(a.blockSize) + "-window-" + std::to_string(a.hotWindow) + "-sinks-"
            + std::to_string(a.sinkTokens) + "-top-" + std::to_string(a.topBlocks) + "-" + toString(a.summary);
        if (a.summary == BlockSummaryKind::VqCode) signature += "-" + std::to_string(a.codebookSize);
    }
    return signature;
}

std::string toString(AttentionMode mode)
{
    return mode == AttentionMode::Exact ? "exact" : "selected";
}

std::string toString(BlockSummaryKind kind)
{
    return kind == BlockSummaryKind::MinMax ? "minmax" : "vq";
}

AttentionMode parseAttentionMode(const std::string& text)
{
    for (auto mode : {AttentionMode::Exact, AttentionMode::Selected})
        if (text == toString(mode)) return mode;
    throw std::invalid_argument("unknown attention mode '" + text + "' (exact or selected)");
}

BlockSummaryKind parseBlockSummaryKind(const std::string& text)
{
    for (auto kind : {BlockSummaryKind::MinMax, BlockSummaryKind::VqCode})
        if (text == toString(kind)) return kind;
    throw std::invalid_argument("unknown block summary '" + text + "' (minmax or vq)");
}

AttentionStats& AttentionStats::operator+=(const AttentionStats& o)
{
    queries += o.queries;
    selectingQueries += o.selectingQueries;
    coldBlocks += o.coldBlocks;
    selectedBlocks += o.selectedBlocks;
    massHeads += o.massHeads;
    massSum += o.massSum;
    massMin = std::min(massMin, o.massMin);
    return *this;
}

Session::Session(const Model& model, SessionOptions options) : d(std::make_unique<Impl>(model, options)) {}

Session::Session(const Model& model, std::shared_ptr<const SessionSnapshot> snapshot, SessionOptions options)
    : Session(model, options)
{
    if (!snapshot || snapshot->model != &model)
        throw std::invalid_argument("a session goes on only from a snapshot of a session of its own model");
    for (std::size_t i = 0; i < d->layers.size(); ++i) {
        d->layers[i].conv = snapshot->layers[i].conv;
        d->layers[i].ssm = snapshot->layers[i].ssm;
        // Summaries made another way (or none, by an exact session) are rebuilt from the keys as they are needed.
        if (d->selected() && snapshot->layers[i].summaries.sameKind(d->layers[i].summaries))
            d->layers[i].summaries = snapshot->layers[i].summaries;
    }
    logits_ = snapshot->logits;
    tokens_ = snapshot->tokens;
    position_ = std::int64_t(tokens_.size());
    d->sharedEnd = position_;
    d->shared = std::move(snapshot);
}

std::shared_ptr<const SessionSnapshot> Session::share()
{
    if (d->shared) {
        if (position_ != d->sharedEnd)
            throw std::logic_error("a session that has gone on past its snapshot cannot be shared again");
        return d->shared;
    }
    auto snapshot = std::make_shared<SessionSnapshot>();
    snapshot->model = &d->model;
    snapshot->tokens = tokens_;
    snapshot->logits = logits_;
    snapshot->layers.resize(d->layers.size());
    for (std::size_t i = 0; i < d->layers.size(); ++i) {
        auto& from = d->layers[i];
        auto& to = snapshot->layers[i];
        to.conv = from.conv;
        to.ssm = from.ssm;
        to.k = std::exchange(from.k, {});
        to.v = std::exchange(from.v, {});
        to.summaries = from.summaries;  // the session goes on from them, like a fork
    }
    d->capacity = 0;
    d->sharedEnd = position_;
    d->shared = snapshot;
    return snapshot;
}

std::int64_t Session::sharedPosition() const
{
    return d->sharedEnd;
}

Session::~Session() = default;

void Session::reset()
{
    d->reset();
    logits_.clear();
    tokens_.clear();
    position_ = 0;
}

void Session::prefill(std::span<const std::int32_t> tokens, const std::atomic<bool>* cancel)
{
    const ModelConfig& c = d->c;
    const std::int64_t T = std::int64_t(tokens.size()), E = c.nEmbd;
    if (T == 0) return;
    for (std::int32_t tok : tokens)
        if (tok < 0 || tok >= c.vocab)
            throw std::out_of_range("token id " + std::to_string(tok) + " is outside the vocabulary of "
                                    + std::to_string(c.vocab));
    d->reserve(position_ + T);
    // Recurrent states change in place: keep a copy to put back if the work is cancelled half-way.
    std::vector<Impl::LayerState> backup;
    std::vector<std::int64_t> summarised;
    if (cancel)
        for (const auto& s : d->layers) {
            backup.push_back({s.conv, s.ssm, {}, {}, {}});
            summarised.push_back(s.summaries.blocks());
        }

    // Long prompts go through in batches of about kBatchTokens: the activations of a batch stay small enough to
    // be reused from one layer to the next instead of being mapped and cleared afresh (for 2,048 tokens that was
    // a fifth of the time). A batch is a whole number of DeltaNet chunks, and no other product depends on which
    // tokens share a call, so the numbers are exactly those of one call.
    const std::int64_t chunk = std::max(1, d->options.chunkSize);
    const std::int64_t batch = chunk * ((kBatchTokens + chunk - 1) / chunk);
    std::vector<float> last(E);
    // Routing is counted apart and added once the call is done, so that a cancelled one counts nothing.
    std::vector<std::uint64_t> routed(d->routing.counts.size());
    for (std::int64_t b0 = 0; b0 < T; b0 += batch) {
        const auto part = tokens.subspan(std::size_t(b0), std::size_t(std::min(batch, T - b0)));
        if (!d->forward(part, position_ + b0, cancel, last.data(), routed.empty() ? nullptr : routed.data())) {
            for (std::size_t i = 0; i < backup.size(); ++i) {
                d->layers[i].conv = std::move(backup[i].conv);
                d->layers[i].ssm = std::move(backup[i].ssm);
                d->layers[i].summaries.truncate(summarised[i]);
            }
            return;
        }
    }
    logits_.resize(c.vocab);
    matmul(d->pool, d->model.output(), 0, last.data(), 1, logits_.data());
    tokens_.insert(tokens_.end(), tokens.begin(), tokens.end());
    position_ += T;
    if (!routed.empty()) {
        for (std::size_t i = 0; i < routed.size(); ++i) d->routing.counts[i] += routed[i];
        d->routing.tokens += T;
    }
}

const RoutingCounts& Session::routingCounts() const
{
    return d->routing;
}

void Session::resetRoutingCounts()
{
    d->resetRouting();
}

std::uint64_t Session::stateBytes() const
{
    std::uint64_t total = 0;
    for (const auto& s : d->layers)
        total += (s.conv.size() + s.ssm.size() + s.k.size() + s.v.size()) * sizeof(float) + s.summaries.bytes();
    return total;
}

const AttentionStats& Session::attentionStats() const
{
    return d->attentionStats;
}

void Session::resetAttentionStats()
{
    d->attentionStats = {};
}

void Session::measureAttentionMass(bool on)
{
    d->measureMass = on;
}

std::uint64_t Session::summaryBytes() const
{
    std::uint64_t total = 0;
    for (const auto& s : d->layers) total += s.summaries.bytes();
    return total;
}

namespace {

// Reads a state blob front to back, refusing to read past its end.
class StateReader {
public:
    explicit StateReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
    void take(void* dst, std::size_t n)
    {
        if (n > bytes_.size() - pos_) throw std::runtime_error("session state is truncated");
        std::memcpy(dst, bytes_.data() + pos_, n);
        pos_ += n;
    }
    void skip(std::size_t n)
    {
        if (n > bytes_.size() - pos_) throw std::runtime_error("session state is truncated");
        pos_ += n;
    }
    template <typename T>
    T value()
    {
        T v;
        take(&v, sizeof v);
        return v;
    }
    void expectMagic(const char (&magic)[8], const char* what)
    {
        char m[8];
        take(m, 8);
        if (std::memcmp(m, magic, 8) != 0) throw std::runtime_error(std::string("not a Folio ") + what);
    }
    std::span<const std::uint8_t> block()
    {
        const auto n = value<std::uint64_t>();
        if (n > bytes_.size() - pos_) throw std::runtime_error("session state is truncated");
        auto out = bytes_.subspan(pos_, std::size_t(n));
        pos_ += std::size_t(n);
        return out;
    }
    void expectEnd() const
    {
        if (pos_ != bytes_.size()) throw std::runtime_error("session state has trailing bytes");
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t pos_ = 0;
};

constexpr char kRecurrentMagic[8] = {'F', 'O', 'L', 'I', 'O', 'R', 'S', '1'};
constexpr char kKvMagic[8] = {'F', 'O', 'L', 'I', 'O', 'K', 'V', '1'};

std::vector<std::int64_t> shapeOf(const ModelConfig& c)
{
    return {c.nLayer, c.nEmbd, c.vocab, c.convChannels(), c.valueHeads, c.valueDim, c.keyDim, c.nHeadKv, c.headDim};
}

void checkShape(StateReader& r, const ModelConfig& c)
{
    for (std::int64_t expected : shapeOf(c))
        if (r.value<std::int64_t>() != expected) throw std::runtime_error("session state belongs to a model of another shape");
}

}  // namespace

std::vector<std::uint8_t> Session::saveRecurrentState() const
{
    const ModelConfig& c = d->c;
    std::vector<std::uint8_t> out(kRecurrentMagic, kRecurrentMagic + 8);
    const auto shape = shapeOf(c);
    putBytes(out, shape.data(), shape.size());
    putBytes(out, &position_, 1);
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        if (c.layers[i] != LayerKind::DeltaNet) continue;
        const auto& s = d->layers[i];
        putBytes(out, s.conv.data(), s.conv.size());
        putBytes(out, s.ssm.data(), s.ssm.size());
    }
    const std::uint64_t nLogits = logits_.size();
    putBytes(out, &nLogits, 1);
    putBytes(out, logits_.data(), logits_.size());
    return out;
}

std::vector<std::uint8_t> Session::saveKv(std::int64_t begin, std::int64_t end) const
{
    const ModelConfig& c = d->c;
    if (begin < 0 || end < begin || end > position_) throw std::out_of_range("KV range outside the sequence");
    std::vector<std::uint8_t> out(kKvMagic, kKvMagic + 8);
    const auto shape = shapeOf(c);
    putBytes(out, shape.data(), shape.size());
    putBytes(out, &begin, 1);
    putBytes(out, &end, 1);
    const std::size_t per = c.nHeadKv * c.headDim;
    const std::int64_t mid = std::clamp(d->sharedEnd, begin, end);
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        if (c.layers[i] != LayerKind::Attention) continue;
        const KvCache kv = d->kvCache(i);
        // [begin, mid) from the shared prefix, [mid, end) from this session's own rows.
        const auto putRows = [&](auto row) {
            if (mid > begin) putBytes(out, row(begin), std::size_t(mid - begin) * per);
            if (end > mid) putBytes(out, row(mid), std::size_t(end - mid) * per);
        };
        putRows([&](std::int64_t p) { return kv.key(p); });
        putRows([&](std::int64_t p) { return kv.value(p); });
    }
    return out;
}

void Session::restoreParts(std::span<const std::uint8_t> recurrent,
                           const std::vector<std::span<const std::uint8_t>>& kvRanges,
                           std::span<const std::int32_t> tokens)
{
    const ModelConfig& c = d->c;
    const std::size_t per = c.nHeadKv * c.headDim;
    std::size_t recurrentFloats = 0;
    std::int64_t attentionLayers = 0;
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        if (c.layers[i] == LayerKind::Attention) ++attentionLayers;
        else recurrentFloats += (c.convKernel - 1) * c.convChannels() + c.valueHeads * c.valueDim * c.keyDim;
    }
    const auto recurrentError = [](const std::string& why) {
        return StateRestoreError(StateRestoreError::kRecurrentState, "recurrent state: " + why);
    };

    // First every part is read through without keeping anything: the position is trusted only once the tokens
    // and the KV ranges agree with it, and only then is memory reserved for it.
    std::int64_t position = 0;
    try {
        StateReader r(recurrent);
        r.expectMagic(kRecurrentMagic, "recurrent state");
        checkShape(r, c);
        position = r.value<std::int64_t>();
        r.skip(recurrentFloats * sizeof(float));
        const auto nLogits = r.value<std::uint64_t>();
        if (nLogits != 0 && nLogits != std::uint64_t(c.vocab)) throw std::runtime_error("its logits do not fit the vocabulary");
        r.skip(std::size_t(nLogits) * sizeof(float));
        r.expectEnd();
    } catch (const std::runtime_error& e) {
        throw recurrentError(e.what());
    }
    if (position < 0 || std::size_t(position) != tokens.size())
        throw recurrentError("its position " + std::to_string(position) + " does not match the " + std::to_string(tokens.size())
                             + " tokens it is restored with");
    std::int64_t next = 0;
    for (std::size_t j = 0; j < kvRanges.size(); ++j) {
        try {
            StateReader k(kvRanges[j]);
            k.expectMagic(kKvMagic, "KV block");
            checkShape(k, c);
            const auto begin = k.value<std::int64_t>(), end = k.value<std::int64_t>();
            if (begin != next || end < begin || end > position)
                throw std::runtime_error("it holds positions [" + std::to_string(begin) + ", " + std::to_string(end) + ") where ["
                                         + std::to_string(next) + ", ...) up to " + std::to_string(position) + " was expected");
            k.skip(std::size_t(end - begin) * per * sizeof(float) * 2 * std::size_t(attentionLayers));
            k.expectEnd();
            next = end;
        } catch (const std::runtime_error& e) {
            throw StateRestoreError(int(j), "KV range " + std::to_string(j) + ": " + e.what());
        }
    }
    if (attentionLayers > 0 && next != position)
        throw recurrentError("its position " + std::to_string(position) + " lies past the KV ranges, which end at " + std::to_string(next));

    reset();
    try {
        d->reserve(position);
        StateReader r(recurrent);
        r.skip(8 + shapeOf(c).size() * sizeof(std::int64_t) + sizeof(std::int64_t));
        for (std::int64_t i = 0; i < c.nLayer; ++i) {
            if (c.layers[i] != LayerKind::DeltaNet) continue;
            auto& s = d->layers[i];
            r.take(s.conv.data(), s.conv.size() * sizeof(float));
            r.take(s.ssm.data(), s.ssm.size() * sizeof(float));
        }
        logits_.resize(r.value<std::uint64_t>());
        r.take(logits_.data(), logits_.size() * sizeof(float));
        for (const auto& range : kvRanges) {
            StateReader k(range);
            k.skip(8 + shapeOf(c).size() * sizeof(std::int64_t));
            const auto begin = k.value<std::int64_t>(), end = k.value<std::int64_t>();
            for (std::int64_t i = 0; i < c.nLayer; ++i) {
                if (c.layers[i] != LayerKind::Attention) continue;
                auto& s = d->layers[i];
                k.take(s.k.data() + begin * per, (end - begin) * per * sizeof(float));
                k.take(s.v.data() + begin * per, (end - begin) * per * sizeof(float));
            }
        }
    } catch (...) {
        Session::reset();
        throw;
    }
    tokens_.assign(tokens.begin(), tokens.end());
    position_ = position;
}

std::vector<std::uint8_t> Session::saveState() const
{
    std::vector<std::uint8_t> out(kStateMagic, kStateMagic + 8);
    auto putBlock = [&](const std::vector<std::uint8_t>& b) {
        const std::uint64_t n = b.size();
        putBytes(out, &n, 1);
        out.insert(out.end(), b.begin(), b.end());
    };
    const std::uint64_t nTokens = tokens_.size();
    putBytes(out, &nTokens, 1);
    putBytes(out, tokens_.data(), tokens_.size());
    putBlock(saveRecurrentState());
    putBlock(saveKv(0, position_));
    return out;
}

void Session::restoreState(std::span<const std::uint8_t> bytes)
{
    StateReader r(bytes);
    r.expectMagic(kStateMagic, "session state");
    const auto nTokens = r.value<std::uint64_t>();
    if (nTokens > bytes.size()) throw std::runtime_error("session state is truncated");
    std::vector<std::int32_t> tokens(nTokens);
    r.take(tokens.data(), tokens.size() * sizeof(std::int32_t));
    const auto recurrent = r.block();
    const auto kv = r.block();
    r.expectEnd();
    restoreParts(recurrent, {kv}, tokens);
}

}  // namespace folio::engine
