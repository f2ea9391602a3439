// libFuzzer target for the GGUF reader: any bytes must give a GgufFile or a GgufError, never a crash or an
// out-of-bounds read (AddressSanitizer watches every access, including the tensor data we touch below).

#include "folio/engine/gguf.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const int fd = memfd_create("gguf", 0);
    if (fd < 0) return 0;
    if (size > 0 && write(fd, data, size) != ssize_t(size)) {
        close(fd);
        return 0;
    }
    // Both ways of holding the bytes; the copy also gives its first tensor back, which must then be refused.
    for (auto memory : {folio::engine::WeightMemory::Mapped, folio::engine::WeightMemory::Copied}) {
        try {
            folio::engine::GgufFile file("/proc/self/fd/" + std::to_string(fd), memory);
            if (memory == folio::engine::WeightMemory::Copied && !file.tensors().empty())
                file.releaseTensorData(file.tensors().front());
            std::uint64_t checksum = 0;
            for (const auto& [key, value] : file.metadata()) checksum += key.size() + std::uint64_t(value.type);
            for (const auto& t : file.tensors()) {
                try {
                    const auto bytes = file.tensorData(t);
                    if (!bytes.empty()) checksum += bytes.front() + bytes.back();
                } catch (const folio::engine::GgufError&) {
                    if (memory == folio::engine::WeightMemory::Mapped || &t != &file.tensors().front()) std::abort();  // refused a tensor it holds
                }
            }
            if (checksum == 0xdeadbeef) write(STDERR_FILENO, "", 0);  // keep the reads from being optimised away
        } catch (const folio::engine::GgufError&) {
        }
    }
    close(fd);
    return 0;
}
