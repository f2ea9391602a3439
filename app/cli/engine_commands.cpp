#include "engine_commands.h"

#include "folio/engine/generation.h"
#include "folio/engine/model.h"
#include "folio/engine/session.h"
#include "folio/engine/tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace folio::cli {
namespace {

using nlohmann::json;

std::string mib(std::uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / 1048576.0);
    return buf;
}

// "mapped" or "copied": how the report of memory names the weights.
const char* weightsAre(const engine::Model& model)
{
    return model.file().memory() == engine::WeightMemory::Copied ? "copied" : "mapped";
}

std::int64_t countLayers(const engine::ModelConfig& c, engine::LayerKind kind)
{
    return std::count(c.layers.begin(), c.layers.end(), kind);
}

// " (multi-section 11/11/10/0: the plain rotation for text)", or nothing for a plain rotation.
std::string ropeSections(const engine::ModelConfig& c)
{
    if (c.ropeSections.empty()) return "";
    std::string s = " (multi-section ";
    for (std::size_t i = 0; i < c.ropeSections.size(); ++i) s += (i ? "/" : "") + std::to_string(c.ropeSections[i]);
    return s + ": the plain rotation for text)";
}

}  // namespace

int engineInfoCommand(const std::string& path, bool asJson)
{
    const auto model = engine::Model::load(path);
    const auto& c = model->config();
    std::map<std::string, std::uint64_t> bytesByType;
    for (const auto& t : model->file().tensors()) bytesByType[engine::toString(t.type)] += t.byteSize();
    std::string tokenizer = "none";
    try {
        engine::Tokenizer tok(model->file());
        tokenizer = "byte-level BPE (" + tok.preTokenizer() + "), " + std::to_string(tok.vocabSize()) + " tokens";
    } catch (const std::exception& e) {
        tokenizer = std::string("unusable: ") + e.what();
    }
    if (asJson) {
        std::cout << json{{"architecture", c.architecture}, {"layers", c.nLayer},
                          {"deltanet_layers", countLayers(c, engine::LayerKind::DeltaNet)},
                          {"attention_layers", countLayers(c, engine::LayerKind::Attention)},
                          {"unused_prediction_blocks", c.nextnLayers}, {"embedding", c.nEmbd},
                          {"rope_dimensions", c.ropeDims}, {"rope_sections", c.ropeSections},
                          {"vocab", c.vocab}, {"context_length", c.contextLength}, {"experts", c.nExpert},
                          {"experts_used", c.nExpertUsed}, {"weight_bytes", model->weightBytes()},
                          {"bytes_by_type", bytesByType}, {"tokenizer", tokenizer}}.dump(2, ' ', false, json::error_handler_t::replace)
                  << "\n";
        return 0;
    }
    std::cout << path << "\n  architecture " << c.architecture << ", " << c.nLayer << " layers ("
              << countLayers(c, engine::LayerKind::DeltaNet) << " Gated DeltaNet, "
              << countLayers(c, engine::LayerKind::Attention) << " gated attention"
              << (c.nextnLayers ? "; " + std::to_string(c.nextnLayers) + " multi-token-prediction block(s), not used" : "")
              << "), embedding " << c.nEmbd << ", vocab "
              << c.vocab << ", context " << c.contextLength << "\n  DeltaNet: " << c.keyHeads << " key heads x " << c.keyDim
              << ", " << c.valueHeads << " value heads x " << c.valueDim << "; attention: " << c.nHead << " heads ("
              << c.nHeadKv << " KV) x " << c.headDim << ", " << c.ropeDims << " rotary dims" << ropeSections(c) << "\n  FFN: "
              << (c.isMoe() ? std::to_string(c.nExpert) + " experts (" + std::to_string(c.nExpertUsed) + " used) of "
                                  + std::to_string(c.nFFExpert) + (c.nFFShared ? ", shared expert " + std::to_string(c.nFFShared) : "")
                            : "dense " + std::to_string(c.nFF))
              << "\n  weights " << mib(model->weightBytes()) << " mapped:";
    for (const auto& [type, bytes] : bytesByType) std::cout << " " << type << " " << mib(bytes);
    std::cout << "\n  tokenizer: " << tokenizer << "\n";
    return 0;
}

int engineRunCommand(const EngineRunArgs& a, bool asJson)
{
    const auto model = engine::Model::load(a.model, weightMemory(a.weights, a.model));
    const engine::Tokenizer tokenizer(model->file());
    engine::Session session(*model, {a.threads});
    engine::GenerationOptions options = generationOptions(a.sampling);
    if (!a.logitsFile.empty())
        options.afterPrefill = [&](const engine::Session& s) { writeLogits(a.logitsFile, s.logits()); };
    const auto result = engine::generate(session, tokenizer, a.prompt, options, [&](std::string_view text) {
        if (!asJson) {
            std::cout << text;
            std::cout.flush();
        }
        return true;
    }, interruptFlag());
    const double prefillRate = result.prefillSeconds > 0 ? double(result.promptTokens) / result.prefillSeconds : 0;
    const double decodeRate = result.decodeSeconds > 0 ? double(result.tokens.size()) / result.decodeSeconds : 0;
    if (asJson) {
        std::cout << json{{"text", result.text}, {"tokens", result.tokens.size()}, {"prompt_tokens", result.promptTokens},
                          {"stop_reason", result.stopReason}, {"prefill_tokens_per_s", prefillRate},
                          {"decode_tokens_per_s", decodeRate}, {"weight_bytes", model->weightBytes()},
                          {"weights", weightsAre(*model)},
                          {"state_bytes", session.stateBytes()}}.dump(2, ' ', false, json::error_handler_t::replace)
                  << "\n";
    } else {
        std::cout << "\n";
        std::cerr << "[" << result.promptTokens << " prompt tokens at " << int(prefillRate) << " t/s, "
                  << result.tokens.size() << " generated at " << int(decodeRate) << " t/s, stop: " << result.stopReason
                  << "; memory: " << mib(model->weightBytes()) << " " << weightsAre(*model) << " weights + " << mib(session.stateBytes())
                  << " state]\n";
    }
    return 0;
}

int engineBenchCommand(const EngineBenchArgs& a, bool asJson)
{
    const auto model = engine::Model::load(a.model, weightMemory(a.weights, a.model));
    const auto& c = model->config();
    engine::Session session(*model, {a.threads, std::int64_t(a.promptTokens + a.generateTokens)});
    std::vector<std::int32_t> prompt(std::size_t(a.promptTokens));
    for (std::size_t i = 0; i < prompt.size(); ++i) prompt[i] = std::int32_t((i * 7919 + 13) % std::size_t(c.vocab));
    auto t0 = std::chrono::steady_clock::now();
    session.prefill(prompt);
    const double prefill = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < a.generateTokens; ++i)
        session.decode(std::int32_t(std::max_element(session.logits().begin(), session.logits().end()) - session.logits().begin()));
    const double decode = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double prefillRate = a.promptTokens / prefill, decodeRate = a.generateTokens / decode;
    if (asJson) {
        std::cout << json{{"prompt_tokens", a.promptTokens}, {"prefill_seconds", prefill}, {"prefill_tokens_per_s", prefillRate},
                          {"generated_tokens", a.generateTokens}, {"decode_seconds", decode}, {"decode_tokens_per_s", decodeRate},
                          {"weight_bytes", model->weightBytes()}, {"weights", weightsAre(*model)},
                          {"state_bytes", session.stateBytes()}}.dump(2, ' ', false, json::error_handler_t::replace)
                  << "\n";
    } else {
        std::printf("prefill: %d tokens in %.2f s = %.1f t/s\ndecode:  %d tokens in %.2f s = %.2f t/s\n"
                    "memory:  %s %s weights + %s state\n",
                    a.promptTokens, prefill, prefillRate, a.generateTokens, decode, decodeRate,
                    mib(model->weightBytes()).c_str(), weightsAre(*model), mib(session.stateBytes()).c_str());
    }
    return 0;
}

}  // namespace folio::cli
