#pragma once

// GGUF, version 3: the model file format of llama.cpp and the tools around it. A file is a header, metadata
// key/value pairs, tensor descriptions, then the tensor data at an aligned offset. GgufFile maps a file and
// validates every offset and shape before anything reads through them; GgufWriter writes files for tests/tools.

#include "folio/engine/tensor_type.h"

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace folio::engine {

class GgufError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The value types of GGUF metadata, numbered as in the file.
enum class GgufValueType : std::uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8,
    Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};

struct GgufValue;
using GgufArray = std::vector<GgufValue>;

// One metadata value. Integers of every width are kept as they were typed in the file.
struct GgufValue {
    GgufValueType type = GgufValueType::UInt32;
    std::variant<std::uint64_t, std::int64_t, double, bool, std::string, std::shared_ptr<GgufArray>> value;
    GgufValueType elementType = GgufValueType::UInt32;  // arrays only

    static GgufValue u32(std::uint32_t v) { return {GgufValueType::UInt32, std::uint64_t(v)}; }
    static GgufValue i32(std::int32_t v) { return {GgufValueType::Int32, std::int64_t(v)}; }
    static GgufValue f32(float v) { return {GgufValueType::Float32, double(v)}; }
    static GgufValue boolean(bool v) { return {GgufValueType::Bool, v}; }
    static GgufValue string(std::string v) { return {GgufValueType::String, std::move(v)}; }
    static GgufValue array(GgufValueType elementType, GgufArray items);

    std::int64_t asInt() const;   // any integer type or bool; throws GgufError otherwise
    double asFloat() const;       // any numeric type
    const std::string& asString() const;
    const GgufArray& asArray() const;
};

struct GgufTensorInfo {
    std::string name;
    std::vector<std::uint64_t> shape;  // GGUF order: first dimension fastest
    TensorType type = TensorType::F32;
    std::uint64_t offset = 0;          // from the start of the data section
    std::uint64_t elementCount() const;
    std::uint64_t byteSize() const;
};

// Where a model file's bytes live while it is in use.
enum class WeightMemory {
    // The file mapped into memory: nothing is read before it is used, and processes share the page cache.
    Mapped,
    // The file read into anonymous memory that asks for 2 MiB pages: loading reads every byte first, and the
    // weights take memory of their own beside the page cache, but reading them costs fewer TLB misses (on the
    // benchmark machine, against mapped: Q8_0 decode +8% to +22%; docs/benchmarks.md). A model loaded this way
    // also moves its Q4_K weights into the layout its CPU kernels read fastest (Q4_K_WIDE in tensor_type.h):
    // Q4_K decode +9% to +34%, prefill +13% to +44%.
    Copied,
};

// Copied when the file takes at most half of the memory the system has available now, Mapped otherwise (or when
// the file cannot be measured: opening it then reports why). A copy is faster to read but has to fit beside
// everything else; a file too big for that is better read from the page cache as it is needed.
WeightMemory preferredWeightMemory(const std::string& path);

class GgufFile {
public:
    // Maps (or copies, see WeightMemory) and validates the whole file. Throws GgufError naming the file and what
    // is wrong: bad magic or version, a truncated header, an unknown value or tensor type, a tensor outside the file.
    explicit GgufFile(const std::string& path, WeightMemory memory = WeightMemory::Mapped);
    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::string& path() const { return path_; }
    std::uint32_t version() const { return version_; }
    std::uint64_t fileSize() const { return size_; }
    WeightMemory memory() const { return memory_; }
    std::uint32_t alignment() const { return alignment_; }
    std::uint64_t dataOffset() const { return dataStart_; }  // where the tensor data section begins

    const std::map<std::string, GgufValue>& metadata() const { return metadata_; }
    bool has(const std::string& key) const { return metadata_.count(key) != 0; }
    const GgufValue& at(const std::string& key) const;  // throws GgufError naming the missing key
    std::int64_t intOr(const std::string& key, std::int64_t fallback) const;
    double floatOr(const std::string& key, double fallback) const;
    std::string stringOr(const std::string& key, const std::string& fallback) const;

    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
    const GgufTensorInfo* findTensor(const std::string& name) const;
    // The tensor's bytes inside the mapping. Throws GgufError naming the tensor when its bytes were released.
    std::span<const std::uint8_t> tensorData(const GgufTensorInfo& info) const;
    // Copied files only: once the engine holds a tensor in a layout of its own, the memory under the file's copy
    // of it goes back to the system: its first `bytes` bytes (all by default), in whole pages (a page shared with
    // the rest or a neighbour stays), so a big tensor can be given back piece by piece as it is converted. From
    // the first call on, tensorData refuses the tensor. A mapping costs nothing that could be given back, so
    // there this does nothing.
    void releaseTensorData(const GgufTensorInfo& info, std::uint64_t bytes = ~std::uint64_t(0));
    const GgufTensorInfo& tensor(const std::string& name) const;

private:
    std::string path_;
    const std::uint8_t* data_ = nullptr;
    std::uint64_t size_ = 0;
    WeightMemory memory_ = WeightMemory::Mapped;
    std::uint64_t dataStart_ = 0;
    std::uint32_t version_ = 0;
    std::uint32_t alignment_ = 32;
    std::map<std::string, GgufValue> metadata_;
    std::vector<GgufTensorInfo> tensors_;
    std::map<std::string, std::size_t> tensorIndex_;
    std::vector<bool> released_;  // by index in tensors_
};

// Collects metadata and tensors, then writes a version-3 file.
class GgufWriter {
public:
    void set(const std::string& key, GgufValue value);
    // `data` must hold exactly the bytes of `shape` in `type` (quantised rows already packed).
    void addTensor(const std::string& name, std::vector<std::uint64_t> shape, TensorType type,
                   std::vector<std::uint8_t> data);
    void write(const std::string& path, std::uint32_t alignment = 32) const;

private:
    std::vector<std::pair<std::string, GgufValue>> metadata_;
    struct Tensor {
        GgufTensorInfo info;
        std::vector<std::uint8_t> data;
    };
    std::vector<Tensor> tensors_;
};

}  // namespace folio::engine
