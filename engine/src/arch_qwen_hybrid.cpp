// The Qwen3-Next / Qwen3.5 builder: Gated DeltaNet layers interleaved with gated attention, dense SwiGLU or MoE
// with a shared expert. One builder serves `qwen3next`, `qwen35` and `qwen35moe`; the variants real files carry
// (fused or separate projections, tied output) are told apart by which tensors exist.

#include "folio/engine/model.h"

#include <algorithm>

namespace folio::engine {
namespace {

void buildQwenHybrid(const GgufFile& f, Model& m)
{
    ModelConfig& c = m.config_;
    c.architecture = f.at("general.architecture").asString();
    const std::string p = c.architecture + ".";
    auto req = [&](const std::string& key) { return f.at(p + key).asInt(); };

    c.nEmbd = req("embedding_length");
    // Files converted with their multi-token-prediction block count it in block_count and name it
    // nextn_predict_layers: the last blocks are a draft head for speculative decoding, not layers of the forward
    // pass. They are left unread; running one as a layer would give wrong logits without any error.
    const std::int64_t blocks = req("block_count");
    c.nextnLayers = f.intOr(p + "nextn_predict_layers", 0);
    if (c.nextnLayers < 0 || c.nextnLayers >= blocks)
        throw GgufError(f.path() + ": nextn_predict_layers is " + std::to_string(c.nextnLayers) + " of "
                        + std::to_string(blocks) + " blocks");
    c.nLayer = blocks - c.nextnLayers;
    c.contextLength = f.intOr(p + "context_length", 0);
    c.rmsEps = float(f.floatOr(p + "attention.layer_norm_rms_epsilon", 1e-6));
    c.nHead = req("attention.head_count");
    c.nHeadKv = f.intOr(p + "attention.head_count_kv", c.nHead);
    c.headDim = f.intOr(p + "attention.key_length", c.nEmbd / c.nHead);
    c.ropeDims = f.intOr(p + "rope.dimension_count", c.headDim);
    c.ropeBase = float(f.floatOr(p + "rope.freq_base", 10000.0));
    // Multi-section RoPE gives each rotary frequency the angle of one axis of a token's position. A text token's
    // time, height and width positions are all its index, so for text the rotation is the plain one over the
    // rotary dims; a fourth (extra) section would turn its frequencies by a position text does not have, and is
    // refused rather than guessed.
    if (f.has(p + "rope.dimension_sections")) {
        const std::string key = p + "rope.dimension_sections";
        for (const auto& v : f.at(key).asArray()) c.ropeSections.push_back(v.asInt());
        const bool valid = !c.ropeSections.empty() && c.ropeSections.size() <= 4
            && std::all_of(c.ropeSections.begin(), c.ropeSections.end(), [](std::int64_t s) { return s >= 0; });
        if (!valid) throw GgufError(f.path() + ": " + key + " must be up to four counts of rotary frequencies, none negative");
        if (c.ropeSections.size() == 4 && c.ropeSections[3] != 0)
            throw GgufError(f.path() + ": " + key + " gives " + std::to_string(c.ropeSections[3])
                            + " rotary frequencies to a fourth position axis, which text tokens do not have: not supported");
    }
    c.convKernel = f.intOr(p + "ssm.conv_kernel", 4);
    c.keyDim = req("ssm.state_size");
    c.keyHeads = req("ssm.group_count");
    c.valueHeads = req("ssm.time_step_rank");
    c.valueDim = req("ssm.inner_size") / c.valueHeads;
    c.valueHeadOrder = c.architecture == "qwen3next" ? ValueHeadOrder::Grouped : ValueHeadOrder::Tiled;
    c.nExpert = f.intOr(p + "expert_count", 0);
    c.nExpertUsed = f.intOr(p + "expert_used_count", 0);
    c.nFFExpert = f.intOr(p + "expert_feed_forward_length", 0);
    c.nFFShared = f.intOr(p + "expert_shared_feed_forward_length", 0);
    c.nFF = f.intOr(p + "feed_forward_length", 0);
    if (c.valueHeads % c.keyHeads != 0)
        throw GgufError(f.path() + ": " + std::to_string(c.valueHeads) + " value heads do not divide into "
                        + std::to_string(c.keyHeads) + " key heads");
    if (c.nHead % c.nHeadKv != 0) throw GgufError(f.path() + ": attention heads do not divide into KV heads");

    // Layer i is DeltaNet unless it is every full_attention_interval-th; an explicit per-layer array wins (one
    // entry per block, the prediction blocks' included, or one per layer).
    const std::int64_t interval = f.intOr(p + "full_attention_interval", 4);
    c.layers.assign(std::size_t(c.nLayer), LayerKind::DeltaNet);
    if (f.has(p + "attention.recurrent_layers")) {
        const auto& flags = f.at(p + "attention.recurrent_layers").asArray();
        if (std::int64_t(flags.size()) != blocks && std::int64_t(flags.size()) != c.nLayer)
            throw GgufError(f.path() + ": attention.recurrent_layers has " + std::to_string(flags.size())
                            + " entries for " + std::to_string(blocks) + " blocks");
        for (std::size_t i = 0; i < c.layers.size(); ++i)
            c.layers[i] = flags[i].asInt() ? LayerKind::DeltaNet : LayerKind::Attention;
    } else {
        for (std::int64_t i = 0; i < c.nLayer; ++i)
            if ((i + 1) % interval == 0) c.layers[std::size_t(i)] = LayerKind::Attention;
    }

    const GgufTensorInfo& embd = f.tensor("token_embd.weight");
    if (embd.shape.size() != 2) throw GgufError(f.path() + ": token_embd.weight is not a matrix");
    c.vocab = std::int64_t(embd.shape[1]);
    m.tokenEmbd_ = findWeight(f, "token_embd.weight", {c.nEmbd, c.vocab});
    m.outputNorm_ = findWeight(f, "output_norm.weight", {c.nEmbd});
    m.output_ = findWeight(f, "output.weight", {c.nEmbd, c.vocab}, false);
    if (!m.output_) m.output_ = m.tokenEmbd_;

    const std::int64_t E = c.nEmbd, conv = c.convChannels(), inner = c.valueHeads * c.valueDim;
    m.layers_.resize(std::size_t(c.nLayer));
    for (std::int64_t i = 0; i < c.nLayer; ++i) {
        const std::string b = "blk." + std::to_string(i) + ".";
        LayerWeights& L = m.layers_[std::size_t(i)];
        L.attnNorm = findWeight(f, b + "attn_norm.weight", {E});
        L.postAttnNorm = findWeight(f, b + "post_attention_norm.weight", {E});
        if (c.layers[std::size_t(i)] == LayerKind::DeltaNet) {
            if (f.findTensor(b + "ssm_in.weight")) {
                L.ssmIn = findWeight(f, b + "ssm_in.weight", {E, conv + inner});
            } else {
                L.qkv = findWeight(f, b + "attn_qkv.weight", {E, conv});
                L.gate = findWeight(f, b + "attn_gate.weight", {E, inner});
            }
            L.convWeight = findWeight(f, b + "ssm_conv1d.weight", {c.convKernel, conv});
            L.convTaps.resize(L.convWeight.values.size());
            for (std::int64_t ch = 0; ch < conv; ++ch)
                for (std::int64_t j = 0; j < c.convKernel; ++j)
                    L.convTaps[std::size_t(j * conv + ch)] = L.convWeight.values[std::size_t(ch * c.convKernel + j)];
            L.dtBias = findWeight(f, b + "ssm_dt.bias", {c.valueHeads});
            L.ssmA = findWeight(f, b + "ssm_a", {c.valueHeads});
            if (f.findTensor(b + "ssm_ba.weight")) {
                L.ba = findWeight(f, b + "ssm_ba.weight", {E, 2 * c.valueHeads});
            } else {
                L.beta = findWeight(f, b + "ssm_beta.weight", {E, c.valueHeads});
                L.alpha = findWeight(f, b + "ssm_alpha.weight", {E, c.valueHeads});
            }
            L.ssmNorm = findWeight(f, b + "ssm_norm.weight", {c.valueDim});
            L.ssmOut = findWeight(f, b + "ssm_out.weight", {inner, E});
        } else {
            L.wq = findWeight(f, b + "attn_q.weight", {E, 2 * c.headDim * c.nHead});
            L.wk = findWeight(f, b + "attn_k.weight", {E, c.headDim * c.nHeadKv});
            L.wv = findWeight(f, b + "attn_v.weight", {E, c.headDim * c.nHeadKv});
            L.wo = findWeight(f, b + "attn_output.weight", {c.headDim * c.nHead, E});
            L.qNorm = findWeight(f, b + "attn_q_norm.weight", {c.headDim});
            L.kNorm = findWeight(f, b + "attn_k_norm.weight", {c.headDim});
        }
        if (c.isMoe()) {
            const std::int64_t F = c.nFFExpert, X = c.nExpert;
            L.router = findWeight(f, b + "ffn_gate_inp.weight", {E, X});
            if (f.findTensor(b + "ffn_gate_up_exps.weight")) {
                L.expGateUp = findWeight(f, b + "ffn_gate_up_exps.weight", {E, 2 * F, X});
            } else {
                L.expGate = findWeight(f, b + "ffn_gate_exps.weight", {E, F, X});
                L.expUp = findWeight(f, b + "ffn_up_exps.weight", {E, F, X});
            }
            L.expDown = findWeight(f, b + "ffn_down_exps.weight", {F, E, X});
            if (c.nFFShared > 0) {
                L.sharedGateInp = findWeight(f, b + "ffn_gate_inp_shexp.weight", {E});
                L.sharedGate = findWeight(f, b + "ffn_gate_shexp.weight", {E, c.nFFShared});
                L.sharedUp = findWeight(f, b + "ffn_up_shexp.weight", {E, c.nFFShared});
                L.sharedDown = findWeight(f, b + "ffn_down_shexp.weight", {c.nFFShared, E});
            }
        } else {
            L.ffnGate = findWeight(f, b + "ffn_gate.weight", {E, c.nFF});
            L.ffnUp = findWeight(f, b + "ffn_up.weight", {E, c.nFF});
            L.ffnDown = findWeight(f, b + "ffn_down.weight", {c.nFF, E});
        }
    }
}

}  // namespace

void registerQwenHybridArchitectures()
{
    for (const char* name : {"qwen3next", "qwen35", "qwen35moe"}) Model::registerArchitecture(name, buildQwenHybrid);
}

}  // namespace folio::engine
