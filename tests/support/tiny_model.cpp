#include "tiny_model.h"

#include "folio/engine/gguf.h"

#include <random>

namespace folio::test {
namespace {

using engine::GgufValue;
using engine::GgufValueType;
using engine::TensorType;

constexpr std::int64_t kEmbd = 256, kVocab = kTinyVocab, kHk = 2, kDk = 32, kHv = 4, kDv = 64, kHeads = 4, kHeadsKv = 2,
                       kHeadDim = 64, kRope = 32, kFF = 256, kExperts = 4, kUsed = 2, kFFExp = 256, kFFShared = 256,
                       kConv = 4;

class Builder {
public:
    Builder(const TinyModelSpec& spec) : spec_(spec), rng_(spec.seed) {}

    // A matrix {cols, rows(, experts)} of N(0, 1/sqrt(cols)) values in the spec's matrix type.
    void matrix(const std::string& name, std::vector<std::uint64_t> shape, float scale = 1.f)
    {
        std::uint64_t n = 1;
        for (auto s : shape) n *= s;
        std::normal_distribution<float> dist(0.f, scale / std::sqrt(float(shape[0])));
        std::vector<float> v(n);
        for (float& x : v) x = dist(rng_);
        add(name, shape, v, typeOf(name));
    }

    // A vector of values around `center`.
    void vector(const std::string& name, std::vector<std::uint64_t> shape, float center, float spread)
    {
        std::uint64_t n = 1;
        for (auto s : shape) n *= s;
        std::uniform_real_distribution<float> dist(center - spread, center + spread);
        std::vector<float> v(n);
        for (float& x : v) x = dist(rng_);
        add(name, shape, v, TensorType::F32);
    }

    void add(const std::string& name, const std::vector<std::uint64_t>& shape, const std::vector<float>& v, TensorType type)
    {
        const std::int64_t cols = std::int64_t(shape[0]);
        std::vector<std::uint8_t> bytes(std::size_t(v.size() / std::size_t(cols)) * engine::rowBytes(type, cols));
        const std::size_t rowSize = engine::rowBytes(type, cols);
        for (std::size_t r = 0; r < v.size() / std::size_t(cols); ++r)
            engine::quantizeRow(type, v.data() + r * std::size_t(cols), bytes.data() + r * rowSize, cols);
        writer.addTensor(name, shape, type, std::move(bytes));
    }

    engine::GgufWriter writer;

private:
    TensorType typeOf(const std::string& name) const
    {
        if (!spec_.q4KMediumMix) return spec_.matrixType;
        const auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
        // The router stays F32, as llama.cpp leaves it; the DeltaNet beta/alpha projections too, so that one loop
        // for the threads multiplies float and quantised matrices together (as in engine_bench's model).
        if (has("ffn_gate_inp") || has("ssm_beta") || has("ssm_alpha") || has("ssm_ba")) return TensorType::F32;
        if (has("attn_qkv")) return TensorType::Q5_K;
        if (has("attn_v.") || has("ffn_down") || name == "output.weight") return TensorType::Q6_K;
        return spec_.matrixType;
    }

    const TinyModelSpec& spec_;
    std::mt19937 rng_;
};

// GPT-2's byte alphabet, as the tokenizer maps bytes to characters.
std::string byteChar(int b)
{
    static std::vector<std::string> table = [] {
        std::vector<std::string> t(256);
        int next = 256;
        for (int i = 0; i < 256; ++i) {
            const bool printable = (i >= 33 && i <= 126) || (i >= 161 && i <= 172) || (i >= 174 && i <= 255);
            const int cp = printable ? i : next++;
            std::string s;
            if (cp < 0x80) s += char(cp);
            else { s += char(0xC0 | (cp >> 6)); s += char(0x80 | (cp & 0x3F)); }
            t[std::size_t(i)] = s;
        }
        return t;
    }();
    return table[std::size_t(b)];
}

}  // namespace

void addTinyTokenizer(engine::GgufWriter& w, const std::string& pre, bool fimTokens)
{
    const std::string sp = byteChar(' ');  // "Ġ"
    // Merges in rank order; each result is also a token.
    std::vector<std::pair<std::string, std::string>> merges = {
        {sp, "t"}, {"h", "e"}, {sp + "t", "he"}, {"i", "n"}, {sp, "a"}, {"e", "r"}, {"o", "n"}, {sp, "s"},
        {"r", "e"}, {sp, "w"}, {"a", "t"}, {"e", "n"}, {sp, "c"}, {"i", "t"}, {"i", "s"}, {"o", "r"},
        {"e", "s"}, {sp, "b"}, {"e", "d"}, {sp, "f"}, {"in", "g"}, {sp, "o"}, {sp, "p"}, {"a", "n"},
        {"a", "r"}, {sp, "m"}, {"a", "l"}, {sp + "the", "re"}, {sp + "a", "n"}, {sp + "an", "d"},
        {"o", "u"}, {sp, "d"}, {"l", "e"}, {"i", "c"}, {sp + "a", "gre"}, {"g", "re"}, {sp + "agre", "e"},
        {sp, "l"}, {"t", "h"}, {sp, "h"},
    };
    std::vector<std::pair<std::string, int>> specials = {{"<|endoftext|>", 3}, {"<|im_start|>", 3}, {"<|im_end|>", 3}, {"<tool>", 4}};
    if (fimTokens) {
        // The last six merges (nothing builds on them) make room, so the vocabulary keeps its 300 tokens.
        merges.resize(merges.size() - 6);
        for (const char* t : {"<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>"})
            specials.emplace_back(t, 4);
    }
    engine::GgufArray tokens, types, mergeList;
    for (int b = 0; b < 256; ++b) {
        tokens.push_back(engine::GgufValue::string(byteChar(b)));
        types.push_back(engine::GgufValue::i32(1));
    }
    for (const auto& [a, b] : merges) {
        tokens.push_back(engine::GgufValue::string(a + b));
        types.push_back(engine::GgufValue::i32(1));
        mergeList.push_back(engine::GgufValue::string(a + " " + b));
    }
    for (const auto& [text, type] : specials) {
        tokens.push_back(engine::GgufValue::string(text));
        types.push_back(engine::GgufValue::i32(type));
    }
    w.set("tokenizer.ggml.model", engine::GgufValue::string("gpt2"));
    w.set("tokenizer.ggml.pre", engine::GgufValue::string(pre));
    w.set("tokenizer.ggml.tokens", engine::GgufValue::array(GgufValueType::String, tokens));
    w.set("tokenizer.ggml.token_type", engine::GgufValue::array(GgufValueType::Int32, types));
    w.set("tokenizer.ggml.merges", engine::GgufValue::array(GgufValueType::String, mergeList));
    w.set("tokenizer.ggml.eos_token_id", engine::GgufValue::u32(256 + std::uint32_t(merges.size())));
    w.set("tokenizer.ggml.add_bos_token", engine::GgufValue::boolean(false));
}

std::string tinyChatTemplate(TinyChat chat)
{
    const std::string turns =
        "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
        "{%- endfor %}\n{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}";
    const std::string emptyBlock = "{{- '<think>\\n\\n</think>\\n\\n' }}";
    switch (chat) {
    case TinyChat::None: return "";
    case TinyChat::ChatML: return turns + "{%- endif %}";
    case TinyChat::ThinkSwitch:
        return turns + "{%- if enable_thinking is defined and enable_thinking is false %}" + emptyBlock + "{%- endif %}{%- endif %}";
    case TinyChat::ThinkOpened:
        return turns + "{%- if enable_thinking is defined and enable_thinking is false %}" + emptyBlock +
               "{%- else %}{{- '<think>\\n' }}{%- endif %}{%- endif %}";
    case TinyChat::AlwaysThinks: return turns + "{{- '<think>\\n' }}{%- endif %}";
    case TinyChat::Unrecognised:
        return "{%- for message in messages %}{{- '[INST] ' + message.content + ' [/INST]' }}{%- endfor %}";
    }
    return "";
}

void writeTinyModel(const std::string& path, const TinyModelSpec& spec)
{
    Builder b(spec);
    const bool next = spec.variant == TinyVariant::Qwen3Next || spec.variant == TinyVariant::Qwen3NextLegacy;
    const bool moe = spec.variant != TinyVariant::Qwen35;
    const std::string arch = next ? "qwen3next" : spec.variant == TinyVariant::Qwen35 ? "qwen35" : "qwen35moe";
    const std::string p = arch + ".";
    auto& w = b.writer;
    w.set("general.architecture", GgufValue::string(arch));
    addTinyTokenizer(w, next ? "qwen2" : "qwen35", spec.fimTokens);
    if (spec.chat != TinyChat::None) w.set("tokenizer.chat_template", GgufValue::string(tinyChatTemplate(spec.chat)));
    w.set(p + "context_length", GgufValue::u32(std::uint32_t(spec.contextLength)));
    w.set(p + "embedding_length", GgufValue::u32(kEmbd));
    const int blocks = spec.layers + (spec.predictionBlock ? 1 : 0);
    w.set(p + "block_count", GgufValue::u32(std::uint32_t(blocks)));
    if (spec.predictionBlock) w.set(p + "nextn_predict_layers", GgufValue::u32(1));
    w.set(p + "attention.head_count", GgufValue::u32(kHeads));
    w.set(p + "attention.head_count_kv", GgufValue::u32(kHeadsKv));
    w.set(p + "attention.key_length", GgufValue::u32(kHeadDim));
    w.set(p + "attention.value_length", GgufValue::u32(kHeadDim));
    w.set(p + "rope.dimension_count", GgufValue::u32(kRope));
    w.set(p + "rope.freq_base", GgufValue::f32(10000.f));
    if (!next) {
        // Qwen3.5's multi-section RoPE, with the fourth (extra) axis empty as in published files.
        engine::GgufArray sections;
        for (int n : {6, 5, 5, 0}) sections.push_back(GgufValue::i32(n));
        w.set(p + "rope.dimension_sections", GgufValue::array(GgufValueType::Int32, sections));
    }
    w.set(p + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-6f));
    w.set(p + "ssm.conv_kernel", GgufValue::u32(kConv));
    w.set(p + "ssm.state_size", GgufValue::u32(kDk));
    w.set(p + "ssm.group_count", GgufValue::u32(kHk));
    w.set(p + "ssm.time_step_rank", GgufValue::u32(kHv));
    w.set(p + "ssm.inner_size", GgufValue::u32(kDv * kHv));
    if (moe) {
        w.set(p + "expert_count", GgufValue::u32(kExperts));
        w.set(p + "expert_used_count", GgufValue::u32(kUsed));
        w.set(p + "expert_feed_forward_length", GgufValue::u32(kFFExp));
        w.set(p + "expert_shared_feed_forward_length", GgufValue::u32(kFFShared));
    } else {
        w.set(p + "feed_forward_length", GgufValue::u32(kFF));
    }
    std::vector<bool> recurrent(static_cast<std::size_t>(blocks), false);  // the prediction block is attention
    if (spec.variant == TinyVariant::Qwen35Moe) {
        // An explicit layer list that is not the every-fourth default: attention at layers 1 and 3.
        engine::GgufArray flags;
        for (int i = 0; i < blocks; ++i) {
            recurrent[std::size_t(i)] = i < spec.layers && i % 2 == 0;
            flags.push_back(GgufValue::boolean(recurrent[std::size_t(i)]));
        }
        w.set(p + "attention.recurrent_layers", GgufValue::array(GgufValueType::Bool, flags));
    } else {
        w.set(p + "full_attention_interval", GgufValue::u32(4));
        for (int i = 0; i < spec.layers; ++i) recurrent[std::size_t(i)] = (i + 1) % 4 != 0;
    }

    const auto E = std::uint64_t(kEmbd);
    const std::uint64_t conv = 2 * kHk * kDk + kHv * kDv, inner = kHv * kDv;
    b.matrix("token_embd.weight", {E, kVocab}, 1.f * std::sqrt(float(E)));
    b.vector("output_norm.weight", {E}, 1.f, 0.2f);
    if (spec.variant != TinyVariant::Qwen3NextLegacy) b.matrix("output.weight", {E, kVocab});
    for (int i = 0; i < blocks; ++i) {
        const std::string n = "blk." + std::to_string(i) + ".";
        b.vector(n + "attn_norm.weight", {E}, 1.f, 0.2f);
        b.vector(n + "post_attention_norm.weight", {E}, 1.f, 0.2f);
        if (recurrent[std::size_t(i)]) {
            if (spec.variant == TinyVariant::Qwen3NextLegacy) {
                b.matrix(n + "ssm_in.weight", {E, conv + inner});
            } else {
                b.matrix(n + "attn_qkv.weight", {E, conv});
                b.matrix(n + "attn_gate.weight", {E, inner});
            }
            b.vector(n + "ssm_conv1d.weight", {kConv, conv}, 0.f, 0.5f);
            b.vector(n + "ssm_dt.bias", {kHv}, 0.f, 1.f);
            b.vector(n + "ssm_a", {kHv}, -1.f, 0.8f);  // -exp(A_log): negative
            if (next) {
                b.matrix(n + "ssm_ba.weight", {E, 2 * kHv});
            } else {
                b.matrix(n + "ssm_beta.weight", {E, kHv});
                b.matrix(n + "ssm_alpha.weight", {E, kHv});
            }
            b.vector(n + "ssm_norm.weight", {kDv}, 1.f, 0.2f);
            b.matrix(n + "ssm_out.weight", {inner, E});
        } else {
            b.matrix(n + "attn_q.weight", {E, 2 * kHeadDim * kHeads});
            b.matrix(n + "attn_k.weight", {E, kHeadDim * kHeadsKv});
            b.matrix(n + "attn_v.weight", {E, kHeadDim * kHeadsKv});
            b.matrix(n + "attn_output.weight", {kHeadDim * kHeads, E});
            b.vector(n + "attn_q_norm.weight", {kHeadDim}, 1.f, 0.2f);
            b.vector(n + "attn_k_norm.weight", {kHeadDim}, 1.f, 0.2f);
        }
        if (moe) {
            b.matrix(n + "ffn_gate_inp.weight", {E, kExperts}, 3.f);
            if (spec.variant == TinyVariant::Qwen3NextLegacy) {
                b.matrix(n + "ffn_gate_up_exps.weight", {E, 2 * kFFExp, kExperts});
            } else {
                b.matrix(n + "ffn_gate_exps.weight", {E, kFFExp, kExperts});
                b.matrix(n + "ffn_up_exps.weight", {E, kFFExp, kExperts});
            }
            b.matrix(n + "ffn_down_exps.weight", {kFFExp, E, kExperts});
            b.vector(n + "ffn_gate_inp_shexp.weight", {E}, 0.f, 0.1f);
            b.matrix(n + "ffn_gate_shexp.weight", {E, kFFShared});
            b.matrix(n + "ffn_up_shexp.weight", {E, kFFShared});
            b.matrix(n + "ffn_down_shexp.weight", {kFFShared, E});
        } else {
            b.matrix(n + "ffn_gate.weight", {E, kFF});
            b.matrix(n + "ffn_up.weight", {E, kFF});
            b.matrix(n + "ffn_down.weight", {kFF, E});
        }
        if (i == spec.layers) {
            b.matrix(n + "nextn.eh_proj.weight", {2 * E, E});
            b.vector(n + "nextn.enorm.weight", {E}, 1.f, 0.2f);
            b.vector(n + "nextn.hnorm.weight", {E}, 1.f, 0.2f);
            b.vector(n + "nextn.shared_head_norm.weight", {E}, 1.f, 0.2f);
        }
    }
    w.write(path);
}

}  // namespace folio::test
