// The fuzz target's inputs replayed without libFuzzer: each file named on the command line goes through
// LLVMFuzzerTestOneInput once. Built with the rest of the tests (any compiler), so the harness keeps compiling
// against the engine and the seed corpus runs in every test pass; the fuzzing itself is tests/fuzz/run.sh.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "%s: cannot open\n", argv[i]);
            return 1;
        }
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
        std::printf("%s: %zu bytes, no crash\n", argv[i], bytes.size());
    }
    return 0;
}
