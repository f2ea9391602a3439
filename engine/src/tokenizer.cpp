#include "folio/engine/tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <climits>

namespace folio::engine {
namespace {

// token_type values in GGUF files.
constexpr std::int32_t kControl = 3, kUserDefined = 4;

// The pre-tokenizer splits of the family. Qwen2: contractions, letters with one leading non-letter, single
// digits, punctuation runs, newlines, spaces. Qwen3.5 lets combining marks (\p{M}) join letters.
constexpr const char* kQwen2Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen35Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{M}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// GPT-2's byte-to-character table: printable bytes stand for themselves, the other 68 take code points from
// U+0100 on, so every byte sequence becomes a string of visible characters.
struct ByteAlphabet {
    std::array<std::string, 256> toChar;
    std::unordered_map<std::string, std::uint8_t> toByte;
    ByteAlphabet()
    {
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            appendUtf8(toChar[std::size_t(b)], printable ? char32_t(b) : next++);
            toByte[toChar[std::size_t(b)]] = std::uint8_t(b);
        }
    }
};

const ByteAlphabet& alphabet()
{
    static const ByteAlphabet a;
    return a;
}

std::size_t utf8Length(unsigned char lead)
{
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    return 4;
}

}  // namespace

struct Tokenizer::Regex {
    pcre2_code* code = nullptr;
    ~Regex() { pcre2_code_free(code); }
};

Tokenizer::Tokenizer(const GgufFile& f) : regex_(std::make_unique<Regex>())
{
    const std::string model = f.stringOr("tokenizer.ggml.model", "");
    if (model != "gpt2")
        throw GgufError(f.path() + ": tokenizer model '" + model + "' is not supported (only byte-level BPE, \"gpt2\")");
    pre_ = f.stringOr("tokenizer.ggml.pre", "qwen2");
    const char* pattern = pre_ == "qwen35" ? kQwen35Split : pre_ == "qwen2" ? kQwen2Split : nullptr;
    if (!pattern) throw GgufError(f.path() + ": pre-tokenizer '" + pre_ + "' is not supported (qwen2, qwen35)");

    for (const auto& t : f.at("tokenizer.ggml.tokens").asArray()) tokens_.push_back(t.asString());
    if (f.has("tokenizer.ggml.token_type"))
        for (const auto& t : f.at("tokenizer.ggml.token_type").asArray()) types_.push_back(std::int32_t(t.asInt()));
    types_.resize(tokens_.size(), 1);
    for (std::size_t i = 0; i < tokens_.size(); ++i) ids_.emplace(tokens_[i], std::int32_t(i));
    if (f.has("tokenizer.ggml.merges")) {
        const auto& merges = f.at("tokenizer.ggml.merges").asArray();
        for (std::size_t i = 0; i < merges.size(); ++i) mergeRanks_.emplace(merges[i].asString(), std::int32_t(i));
    }
    for (std::size_t i = 0; i < tokens_.size(); ++i)
        if (types_[i] == kControl || types_[i] == kUserDefined) specials_.push_back(std::int32_t(i));
    std::sort(specials_.begin(), specials_.end(),
              [&](auto a, auto b) { return tokens_[std::size_t(a)].size() > tokens_[std::size_t(b)].size(); });
    bos_ = std::int32_t(f.intOr("tokenizer.ggml.bos_token_id", -1));
    eos_ = std::int32_t(f.intOr("tokenizer.ggml.eos_token_id", -1));
    addBos_ = f.intOr("tokenizer.ggml.add_bos_token", 0) != 0;

    int error = 0;
    PCRE2_SIZE offset = 0;
    regex_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
    if (!regex_->code) throw GgufError("pre-tokenizer pattern does not compile (PCRE2 error " + std::to_string(error) + ")");
    pcre2_jit_compile(regex_->code, PCRE2_JIT_COMPLETE);  // a speed-up where available; matching works without
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;

bool Tokenizer::isSpecial(std::int32_t token) const
{
    return token >= 0 && std::size_t(token) < types_.size()
        && (types_[std::size_t(token)] == kControl || types_[std::size_t(token)] == kUserDefined);
}

std::vector<std::string> Tokenizer::split(std::string_view text) const
{
    std::vector<std::string> pieces;
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(regex_->code, nullptr);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const int rc = pcre2_match(regex_->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), pos, 0, match, nullptr);
        if (rc < 0) {
            pieces.emplace_back(text.substr(pos));  // the rest matches nothing (invalid UTF-8): its own piece
            break;
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match);
        // Bytes the pattern skipped (invalid UTF-8) still have to be encoded: they form a piece of their own.
        if (ov[0] > pos) pieces.emplace_back(text.substr(pos, ov[0] - pos));
        if (ov[1] == ov[0]) {  // an empty match cannot advance: take one character
            const std::size_t len = std::min(utf8Length(static_cast<unsigned char>(text[ov[0]])), text.size() - ov[0]);
            pieces.emplace_back(text.substr(ov[0], len));
            pos = ov[0] + len;
            continue;
        }
        pieces.emplace_back(text.substr(ov[0], ov[1] - ov[0]));
        pos = ov[1];
    }
    pcre2_match_data_free(match);
    return pieces;
}

std::vector<std::int32_t> Tokenizer::bpe(const std::string& piece) const
{
    // Start from one symbol per byte, in the byte alphabet.
    std::vector<std::string> symbols;
    for (unsigned char b : piece) symbols.push_back(alphabet().toChar[b]);
    for (;;) {
        int bestRank = INT_MAX;
        std::size_t best = 0;
        for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
            auto it = mergeRanks_.find(symbols[i] + " " + symbols[i + 1]);
            if (it != mergeRanks_.end() && it->second < bestRank) {
                bestRank = it->second;
                best = i;
            }
        }
        if (bestRank == INT_MAX) break;
        symbols[best] += symbols[best + 1];
        symbols.erase(symbols.begin() + std::ptrdiff_t(best) + 1);
    }
    std::vector<std::int32_t> ids;
    for (const std::string& s : symbols) {
        auto it = ids_.find(s);
        if (it != ids_.end()) {
            ids.push_back(it->second);
            continue;
        }
        // A merge result missing from the vocabulary: fall back to its bytes, which every byte-level vocabulary has.
        for (std::size_t i = 0; i < s.size();) {
            const std::size_t len = utf8Length(static_cast<unsigned char>(s[i]));
            auto byte = ids_.find(s.substr(i, len));
            if (byte == ids_.end()) throw std::runtime_error("the vocabulary lacks the byte token '" + s.substr(i, len) + "'");
            ids.push_back(byte->second);
            i += len;
        }
    }
    return ids;
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool parseSpecial) const
{
    std::vector<std::int32_t> out;
    if (addBos_ && bos_ >= 0) out.push_back(bos_);
    auto encodePlain = [&](std::string_view part) {
        for (const std::string& piece : split(part)) {
            const auto ids = bpe(piece);
            out.insert(out.end(), ids.begin(), ids.end());
        }
    };
    std::size_t start = 0, pos = 0;
    while (parseSpecial && pos < text.size()) {
        std::int32_t found = -1;
        for (std::int32_t id : specials_) {
            const std::string& s = tokens_[std::size_t(id)];
            if (!s.empty() && text.substr(pos, s.size()) == s) {
                found = id;
                break;
            }
        }
        if (found < 0) {
            ++pos;
            continue;
        }
        encodePlain(text.substr(start, pos - start));
        out.push_back(found);
        pos += tokens_[std::size_t(found)].size();
        start = pos;
    }
    encodePlain(text.substr(start));
    return out;
}

std::string Tokenizer::tokenText(std::int32_t token) const
{
    if (token < 0 || std::size_t(token) >= tokens_.size()) throw std::out_of_range("token id " + std::to_string(token));
    const std::string& s = tokens_[std::size_t(token)];
    if (isSpecial(token)) return s;
    std::string bytes;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = utf8Length(static_cast<unsigned char>(s[i]));
        auto it = alphabet().toByte.find(s.substr(i, len));
        if (it != alphabet().toByte.end()) bytes += char(it->second);
        else bytes += s.substr(i, len);  // not in the byte alphabet: keep as written
        i += len;
    }
    return bytes;
}

std::string Tokenizer::decode(std::span<const std::int32_t> tokens) const
{
    std::string out;
    for (std::int32_t t : tokens) out += tokenText(t);
    return out;
}

}  // namespace folio::engine
