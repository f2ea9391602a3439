#pragma once

// One sequence being processed by a model: its recurrent state (per DeltaNet layer, the conv window and the
// Dv x Dk state of every value head), the attention KV cache, and the logits of the last token. Prefill and
// decode append tokens; the whole state can be saved as bytes and restored, and continuing from a restored
// state gives the same logits as never having stopped.

#include "folio/engine/model.h"
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
    std::int64_t maxContext = 4096;  // KV capacity in tokens; grows on demand up to the model's context length
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

class Session {
public:
    // The first session of a process also tells glibc's malloc to keep freed memory for reuse (session.cpp
    // says why): a setting for the whole process.
    Session(const Model& model, SessionOptions options = {});
    ~Session();

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
    void reset();

    std::uint64_t stateBytes() const;  // memory held by recurrent states and the KV cache

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::vector<float> logits_;
    std::vector<std::int32_t> tokens_;
    std::int64_t position_ = 0;
};

}  // namespace folio::engine
