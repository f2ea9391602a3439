#pragma once

#include "folio/engine/gguf.h"

#include <string>

namespace folio::test {

// A Hugging Face tokenizer (tokenizer.json and tokenizer_config.json of a byte-level BPE model) written as the
// GGUF tokenizer keys, as llama.cpp's converter writes them: tokens by id, merges in rank order, added special
// tokens as control (3) and other added tokens as user-defined (4), and the chat template. With `size` larger
// than the vocabulary (a model's embedding rows), the ids past it are written as unused padding tokens, so that
// every id the model can sample has a text.
void addHfTokenizer(engine::GgufWriter& writer, const std::string& folder, const std::string& pre = "qwen2", int size = 0);

}  // namespace folio::test
