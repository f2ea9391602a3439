#pragma once

// One sequence being processed by a model: its recurrent state (per DeltaNet layer, the conv window and the
// Dv x Dk state of every value head), the attention KV cache, and the logits of the last token. Prefill and
// decode append tokens; the whole state can be saved as bytes and restored, and continuing from a restored
// state gives the same logits as never having stopped. A state can also be frozen as a SessionSnapshot that
// many sessions go on from at once, sharing its KV cache instead of copying it.

#include "folio/engine/model.h"
#include "folio/engine/routing_counts.h"
#include "folio/engine/thread_pool.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace folio::engine {

// Which keys each query of an attention layer reads.
enum class AttentionMode {
    Exact,     // every key before it
    Selected,  // attention sinks, the hot window of recent tokens and the cold blocks its block summaries score best
};

// What a cold block keeps to be scored against a query (per KV head; see block_summaries.h).
enum class BlockSummaryKind {
    MinMax,  // per-channel minimum and maximum of the block's keys (Quest's upper bound)
    VqCode,  // a small k-means codebook of the block's keys, each centroid with its spread
};

struct AttentionOptions {
    AttentionMode mode = AttentionMode::Exact;
    // Selected mode. Block size and sinks are multiples of 64 (the attention tile); the hot window starts at a
    // block boundary, so it holds between hotWindow and hotWindow + blockSize - 1 tokens.
    std::int64_t blockSize = 1024;
    std::int64_t hotWindow = 131072;
    std::int64_t sinkTokens = 64;
    std::int64_t topBlocks = 16;
    BlockSummaryKind summary = BlockSummaryKind::MinMax;
    int codebookSize = 4;  // centroids per block and KV head of a VqCode summary
};

struct SessionOptions {
    int threads = 0;                 // 0 = one per core
    // KV capacity in tokens (after the snapshot, for a session forked from one); grows on demand up to the
    // model's context length.
    std::int64_t maxContext = 4096;
    int chunkSize = 64;              // DeltaNet prefill chunk; 1 runs the plain recurrence
    AttentionOptions attention = {};
};

std::string toString(AttentionMode mode);      // "exact", "selected"
std::string toString(BlockSummaryKind kind);   // "minmax", "vq"
// Throws std::invalid_argument naming the text and the accepted values.
AttentionMode parseAttentionMode(const std::string& text);
BlockSummaryKind parseBlockSummaryKind(const std::string& text);

// What selected attention did, summed over the attention layers' queries (one query = one token x one KV head)
// since the session was made or resetAttentionStats(); all zero in exact mode.
struct AttentionStats {
    std::uint64_t queries = 0;           // queries attended
    std::uint64_t selectingQueries = 0;  // those that had more cold blocks than topBlocks, and so left some out
    std::uint64_t coldBlocks = 0;        // cold blocks before the selecting queries
    std::uint64_t selectedBlocks = 0;    // cold blocks they read
    // While Session::measureAttentionMass is on, per query head of the selecting queries: the share of the softmax
    // mass over all keys before it that the keys read hold.
    std::uint64_t massHeads = 0;
    double massSum = 0;
    double massMin = 1;
    double meanMass() const { return massHeads ? massSum / double(massHeads) : 1.0; }
    AttentionStats& operator+=(const AttentionStats& o);
};

// Session::restoreParts refused its parts, naming the one at fault (a context cache drops exactly that entry):
// the recurrent state, or the KV range at index part().
class StateRestoreError : public std::runtime_error {
public:
    static constexpr int kRecurrentState = -1;
    StateRestoreError(int part, const std::string& what) : std::runtime_error(what), part_(part) {}
    int part() const { return part_; }

private:
    int part_;
};

// Everything besides the model file that changes the numbers a session computes: part of a cache key.
std::string numericsSignature(const SessionOptions& options);

// A session's state at one position, frozen (Session::share): immutable, so any number of sessions on any
// threads may read it at once. Its tokens, recurrent states and last logits are copied into each session forked
// from it (a few MB at most); its KV cache, which grows with the position, is read where it lies.
struct SessionSnapshot;

class Session {
public:
    // The first session of a process also tells glibc's malloc to keep freed memory for reuse (session.cpp
    // says why): a setting for the whole process.
    Session(const Model& model, SessionOptions options = {});
    // A session that goes on from a snapshot of a session of the same model: it owns only the KV of the positions
    // it adds, and computes bitwise the numbers of a session that had prefilled the snapshot's tokens itself.
    // Throws std::invalid_argument for a snapshot of another Model object.
    Session(const Model& model, std::shared_ptr<const SessionSnapshot> snapshot, SessionOptions options = {});
    ~Session();

    // Freezes the state at the current position as a snapshot to fork sessions from. The KV cache moves into the
    // snapshot without a copy, and this session goes on from it like any fork. A session forked from a snapshot
    // gets that snapshot back while it has added nothing; past it, this throws std::logic_error (the prefix
    // would have two owners, and forks read one).
    std::shared_ptr<const SessionSnapshot> share();
    // The end of the shared prefix this session reads (0 when it reads none): its own KV begins there.
    std::int64_t sharedPosition() const;

    // Appends tokens, computing the logits of the last one. Throws std::out_of_range for a token id outside
    // the vocabulary. `cancel` is checked between layers of work; a cancelled prefill leaves the session as
    // it was before the call.
    void prefill(std::span<const std::int32_t> tokens, const std::atomic<bool>* cancel = nullptr);
    void decode(std::int32_t token) { prefill(std::span<const std::int32_t>(&token, 1)); }

    const std::vector<float>& logits() const { return logits_; }
    std::int64_t position() const { return position_; }
    const std::vector<std::int32_t>& tokens() const { return tokens_; }

    // The whole state as bytes: tokens so far, conv and DeltaNet states, KV up to the position, last logits.
    std::vector<std::uint8_t> saveState() const;
    // Throws std::runtime_error when the bytes are not a state of this model's shape (or are truncated).
    void restoreState(std::span<const std::uint8_t> bytes);

    // The state in the two parts a context cache keeps apart: the fixed-size recurrent part (conv and DeltaNet
    // states of every recurrent layer, the position, the last logits) and the attention KV of a range of
    // positions, which a shared prefix stores once.
    std::vector<std::uint8_t> saveRecurrentState() const;
    std::vector<std::uint8_t> saveKv(std::int64_t begin, std::int64_t end) const;
    // Restores a recurrent state at position p together with the KV of [0, p) as consecutive ranges, and the p
    // tokens themselves. Every part is checked before anything is allocated or copied, so a wrong position can
    // never reserve memory its bytes do not back. p may lie past the model's trained context length, as it may
    // after a prefill. Throws StateRestoreError when the parts do not fit this model or each other, leaving the
    // session as it was (std::bad_alloc leaves it empty).
    void restoreParts(std::span<const std::uint8_t> recurrent,
                      const std::vector<std::span<const std::uint8_t>>& kvRanges,
                      std::span<const std::int32_t> tokens);
    // Restoring or resetting a forked session lets go of its snapshot.
    void reset();

    // The tokens each MoE layer routed to each expert in this session's prefills and decodes (not those of the
    // snapshot it was forked from, nor of a restored state), since it was made or the counts were reset. Empty
    // for a dense model.
    const RoutingCounts& routingCounts() const;
    void resetRoutingCounts();

    // Memory this session holds: recurrent states and its own KV cache (a shared prefix is not counted).
    std::uint64_t stateBytes() const;

    // Selected mode's counts (see AttentionStats).
    const AttentionStats& attentionStats() const;
    void resetAttentionStats();
    // Diagnostics: from now on also compute, for every query that leaves blocks out, the share of its full
    // softmax mass the keys it reads hold (a second pass over all its keys). Changes no other number.
    void measureAttentionMass(bool on);
    // Bytes the block summaries of the attention layers hold (selected mode; zero in exact mode).
    std::uint64_t summaryBytes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::vector<float> logits_;
    std::vector<std::int32_t> tokens_;
    std::int64_t position_ = 0;
};

}  // namespace folio::engine
