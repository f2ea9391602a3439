#pragma once

#include <string>

namespace folio::test {

// A tiny Qwen3.5 model (writeTinyModel's dimensions, F32, four layers: three DeltaNet, then one gated attention
// layer) with a planted retrieval head: every query of the attention layer points along one key channel that
// only the marker token's key has, so each query draws its attention to the marker wherever it lies in the
// sequence, and draws almost all of it (the marker's score is about 30, the others' about 0). Two embedding
// channels carry this past the DeltaNet layers, which do not write them: one is constant (it makes the queries),
// one is the marker's alone (it makes the marker's key).
struct PlantedRetrievalSpec {
    unsigned seed = 1;
    int marker = 200;  // the token id of the needle
};
void writePlantedRetrievalModel(const std::string& path, const PlantedRetrievalSpec& spec);

}  // namespace folio::test
