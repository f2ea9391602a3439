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

struct SessionOptions {
    int threads = 0;                 // 0 = one per core
    // KV capacity in tokens (after the snapshot, for a session forked from one); grows on demand up to the
    // model's context length.
    std::int64_t maxContext = 4096;
    int chunkSize = 64;              // DeltaNet prefill chunk; 1 runs the plain recurrence
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

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::vector<float> logits_;
    std::vector<std::int32_t> tokens_;
    std::int64_t position_ = 0;
};

}  // namespace folio::engine
