// Writes one of the tests' tiny random models (tests/support/tiny_model.h) for the benchmarks that run the
// `folio` executable, which needs a model with a vocabulary: 4 layers, embedding 256, a 300-token byte-level
// BPE vocabulary, context length 4,096 (shorter than the sample corpus, as a corpus may be longer than a real
// model's context).
//
//   write_tiny_model PATH [--variant qwen3next|qwen3next-legacy|qwen35|qwen35moe] [--q4km] [--no-chat-template]
//                    [--context TOKENS] [--fim-tokens]
//   write_tiny_model PATH --planted [--marker TOKEN]   (tests/support/planted_model.h: a planted retrieval head)

#include "planted_model.h"
#include "tiny_model.h"

#include <cstdio>
#include <map>
#include <string>

int main(int argc, char** argv)
{
    using folio::test::TinyVariant;
    const std::map<std::string, TinyVariant> variants = {{"qwen3next", TinyVariant::Qwen3Next},
                                                         {"qwen3next-legacy", TinyVariant::Qwen3NextLegacy},
                                                         {"qwen35", TinyVariant::Qwen35},
                                                         {"qwen35moe", TinyVariant::Qwen35Moe}};
    if (argc < 2) {
        std::fprintf(stderr, "usage: write_tiny_model PATH [--variant qwen3next|qwen3next-legacy|qwen35|qwen35moe] [--q4km] "
                             "[--no-chat-template] [--context TOKENS] [--fim-tokens] | --planted [--marker TOKEN]\n");
        return 2;
    }
    folio::test::TinyModelSpec spec;
    spec.variant = TinyVariant::Qwen3Next;
    bool planted = false;
    folio::test::PlantedRetrievalSpec plant;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--planted") {
            planted = true;
        } else if (a == "--marker" && i + 1 < argc) {
            plant.marker = std::stoi(argv[++i]);
        } else if (a == "--q4km") {
            spec.matrixType = folio::engine::TensorType::Q4_K;
            spec.q4KMediumMix = true;
        } else if (a == "--no-chat-template") {
            spec.chat = folio::test::TinyChat::None;
        } else if (a == "--fim-tokens") {
            spec.fimTokens = true;
        } else if (a == "--context" && i + 1 < argc) {
            spec.contextLength = std::stoi(argv[++i]);
        } else if (a == "--variant" && i + 1 < argc && variants.count(argv[i + 1])) {
            spec.variant = variants.at(argv[++i]);
        } else {
            std::fprintf(stderr, "write_tiny_model: unknown or incomplete option %s\n", a.c_str());
            return 2;
        }
    }
    if (planted) folio::test::writePlantedRetrievalModel(argv[1], plant);
    else folio::test::writeTinyModel(argv[1], spec);
    return 0;
}
