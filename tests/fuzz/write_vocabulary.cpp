// Writes a GGUF file holding only a Hugging Face tokenizer (tests/support/hf_vocabulary.h): the chat fuzzer's
// vocabulary, so that it runs on real ids without a model.
//   write_vocabulary TOKENIZER_FOLDER OUT.gguf

#include "hf_vocabulary.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: write_vocabulary TOKENIZER_FOLDER OUT.gguf\n");
        return 2;
    }
    try {
        folio::engine::GgufWriter w;
        w.set("general.architecture", folio::engine::GgufValue::string("qwen3"));
        folio::test::addHfTokenizer(w, argv[1]);
        w.write(argv[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "write_vocabulary: %s\n", e.what());
        return 1;
    }
    return 0;
}
