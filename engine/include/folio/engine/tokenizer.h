#pragma once

// Byte-level BPE as GGUF files of the family carry it (tokenizer.ggml.model = "gpt2"): text is split by the
// pre-tokenizer's regular expression, each piece's bytes are mapped to printable characters, and merges are
// applied in rank order. Special (control and user-defined) tokens are matched literally first.

#include "folio/engine/gguf.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace folio::engine {

class Tokenizer {
public:
    // Throws GgufError for a tokenizer model or pre-tokenizer this engine does not implement.
    explicit Tokenizer(const GgufFile& file);
    ~Tokenizer();
    Tokenizer(Tokenizer&&) noexcept;

    // Any bytes, valid UTF-8 or not, encode and decode back to themselves.
    std::vector<std::int32_t> encode(std::string_view text, bool parseSpecial = true) const;
    std::string decode(std::span<const std::int32_t> tokens) const;
    std::string tokenText(std::int32_t token) const;  // the bytes one token stands for

    // The pre-tokenizer's pieces, for tests and diagnostics.
    std::vector<std::string> split(std::string_view text) const;

    std::size_t vocabSize() const { return tokens_.size(); }
    std::int32_t bos() const { return bos_; }
    std::int32_t eos() const { return eos_; }
    bool addBos() const { return addBos_; }
    const std::string& preTokenizer() const { return pre_; }
    bool isSpecial(std::int32_t token) const;

private:
    std::vector<std::int32_t> bpe(const std::string& piece) const;

    std::vector<std::string> tokens_;  // in the byte-mapped alphabet
    std::vector<std::int32_t> types_;
    std::unordered_map<std::string, std::int32_t> ids_;
    std::unordered_map<std::string, std::int32_t> mergeRanks_;  // "left right" -> rank
    std::vector<std::int32_t> specials_;                        // longest first
    std::int32_t bos_ = -1, eos_ = -1;
    bool addBos_ = false;
    std::string pre_;
    struct Regex;
    std::unique_ptr<Regex> regex_;
};

}  // namespace folio::engine
