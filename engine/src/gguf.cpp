#include "folio/engine/gguf.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>

namespace folio::engine {
namespace {

constexpr std::uint32_t kMagic = 0x46554747;  // "GGUF" read as little-endian uint32
constexpr std::uint64_t kMaxDims = 4;
// Sanity limits: a corrupt count must not make the reader allocate without bound.
constexpr std::uint64_t kMaxStringBytes = 1ull << 30;
constexpr std::uint64_t kMaxArrayDepth = 4;

// What a tensor type Folio does not read is called in ggml's numbering, so that a user with a Q4_0 or IQ4_XS file
// learns which quantisation to fetch instead.
std::string unsupportedTypeName(std::uint32_t raw)
{
    static const std::map<std::uint32_t, const char*> names{
        {2, "Q4_0"},    {3, "Q4_1"},    {6, "Q5_0"},   {7, "Q5_1"},    {9, "Q8_1"},    {10, "Q2_K"},   {11, "Q3_K"},
        {15, "Q8_K"},   {16, "IQ2_XXS"}, {17, "IQ2_XS"}, {18, "IQ3_XXS"}, {19, "IQ1_S"}, {20, "IQ4_NL"}, {21, "IQ3_S"},
        {22, "IQ2_S"},  {23, "IQ4_XS"}, {24, "I8"},    {25, "I16"},    {26, "I32"},    {27, "I64"},    {28, "F64"},
        {29, "IQ1_M"},  {34, "TQ1_0"},  {35, "TQ2_0"}, {39, "MXFP4"}};
    const auto it = names.find(raw);
    return (it != names.end() ? std::string(it->second) + " (" : "(") + std::to_string(raw) + ")";
}

// Reads little-endian values from the mapping, never past its end.
class Cursor {
public:
    Cursor(const std::uint8_t* data, std::uint64_t size, const std::string& path) : data_(data), size_(size), path_(path) {}

    template <typename T>
    T read(const char* what)
    {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, data_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }

    std::string string(const char* what)
    {
        const auto len = read<std::uint64_t>(what);
        if (len > kMaxStringBytes) fail(std::string(what) + ": string length " + std::to_string(len) + " is implausible");
        need(len, what);
        std::string s(reinterpret_cast<const char*>(data_ + pos_), std::size_t(len));
        pos_ += len;
        return s;
    }

    void need(std::uint64_t bytes, const char* what) const
    {
        if (bytes > size_ - pos_)
            fail(std::string("truncated file: ") + what + " needs " + std::to_string(bytes) + " bytes at offset "
                 + std::to_string(pos_) + ", the file has " + std::to_string(size_));
    }

    [[noreturn]] void fail(const std::string& what) const { throw GgufError(path_ + ": " + what); }
    std::uint64_t position() const { return pos_; }
    std::uint64_t remaining() const { return size_ - pos_; }

private:
    const std::uint8_t* data_;
    std::uint64_t size_;
    std::uint64_t pos_ = 0;
    const std::string& path_;
};

GgufValue readValue(Cursor& c, GgufValueType type, const std::string& key, int depth)
{
    const char* what = "metadata value";
    switch (type) {
    case GgufValueType::UInt8: return {type, std::uint64_t(c.read<std::uint8_t>(what))};
    case GgufValueType::Int8: return {type, std::int64_t(c.read<std::int8_t>(what))};
    case GgufValueType::UInt16: return {type, std::uint64_t(c.read<std::uint16_t>(what))};
    case GgufValueType::Int16: return {type, std::int64_t(c.read<std::int16_t>(what))};
    case GgufValueType::UInt32: return {type, std::uint64_t(c.read<std::uint32_t>(what))};
    case GgufValueType::Int32: return {type, std::int64_t(c.read<std::int32_t>(what))};
    case GgufValueType::UInt64: return {type, c.read<std::uint64_t>(what)};
    case GgufValueType::Int64: return {type, c.read<std::int64_t>(what)};
    case GgufValueType::Float32: return {type, double(c.read<float>(what))};
    case GgufValueType::Float64: return {type, c.read<double>(what)};
    case GgufValueType::Bool: {
        const auto b = c.read<std::uint8_t>(what);
        if (b > 1) c.fail("metadata '" + key + "': bool value " + std::to_string(b));
        return {type, b == 1};
    }
    case GgufValueType::String: return {type, c.string(what)};
    case GgufValueType::Array: {
        if (depth >= int(kMaxArrayDepth)) c.fail("metadata '" + key + "': arrays nested too deep");
        const auto elem = c.read<std::uint32_t>("array element type");
        if (elem > std::uint32_t(GgufValueType::Float64)) c.fail("metadata '" + key + "': unknown array element type " + std::to_string(elem));
        const auto count = c.read<std::uint64_t>("array length");
        // Every element takes at least one byte: a count larger than the rest of the file is corrupt.
        if (count > c.remaining()) c.fail("metadata '" + key + "': array length " + std::to_string(count) + " exceeds the file");
        auto items = std::make_shared<GgufArray>();
        items->reserve(std::size_t(count));
        for (std::uint64_t i = 0; i < count; ++i) items->push_back(readValue(c, GgufValueType(elem), key, depth + 1));
        GgufValue v{type, items};
        v.elementType = GgufValueType(elem);
        return v;
    }
    }
    c.fail("metadata '" + key + "': unknown value type " + std::to_string(std::uint32_t(type)));
}

template <typename T>
void put(std::vector<std::uint8_t>& out, T v)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof(T));
}

void putString(std::vector<std::uint8_t>& out, const std::string& s)
{
    put<std::uint64_t>(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

void putValue(std::vector<std::uint8_t>& out, const GgufValue& v)
{
    switch (v.type) {
    case GgufValueType::UInt8: put(out, std::uint8_t(v.asInt())); break;
    case GgufValueType::Int8: put(out, std::int8_t(v.asInt())); break;
    case GgufValueType::UInt16: put(out, std::uint16_t(v.asInt())); break;
    case GgufValueType::Int16: put(out, std::int16_t(v.asInt())); break;
    case GgufValueType::UInt32: put(out, std::uint32_t(v.asInt())); break;
    case GgufValueType::Int32: put(out, std::int32_t(v.asInt())); break;
    case GgufValueType::UInt64: put(out, std::uint64_t(std::get<std::uint64_t>(v.value))); break;
    case GgufValueType::Int64: put(out, std::int64_t(v.asInt())); break;
    case GgufValueType::Float32: put(out, float(v.asFloat())); break;
    case GgufValueType::Float64: put(out, v.asFloat()); break;
    case GgufValueType::Bool: put(out, std::uint8_t(std::get<bool>(v.value))); break;
    case GgufValueType::String: putString(out, v.asString()); break;
    case GgufValueType::Array:
        put(out, std::uint32_t(v.elementType));
        put<std::uint64_t>(out, v.asArray().size());
        for (const auto& item : v.asArray()) putValue(out, item);
        break;
    }
}

std::uint64_t alignUp(std::uint64_t x, std::uint64_t a)
{
    return (x + a - 1) / a * a;
}

}  // namespace

GgufValue GgufValue::array(GgufValueType elementType, GgufArray items)
{
    GgufValue v{GgufValueType::Array, std::make_shared<GgufArray>(std::move(items))};
    v.elementType = elementType;
    return v;
}

std::int64_t GgufValue::asInt() const
{
    if (auto* u = std::get_if<std::uint64_t>(&value)) return std::int64_t(*u);
    if (auto* i = std::get_if<std::int64_t>(&value)) return *i;
    if (auto* b = std::get_if<bool>(&value)) return *b ? 1 : 0;
    throw GgufError("metadata value is not an integer");
}

double GgufValue::asFloat() const
{
    if (auto* d = std::get_if<double>(&value)) return *d;
    return double(asInt());
}

const std::string& GgufValue::asString() const
{
    if (auto* s = std::get_if<std::string>(&value)) return *s;
    throw GgufError("metadata value is not a string");
}

const GgufArray& GgufValue::asArray() const
{
    if (auto* a = std::get_if<std::shared_ptr<GgufArray>>(&value)) return **a;
    throw GgufError("metadata value is not an array");
}

std::uint64_t GgufTensorInfo::elementCount() const
{
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::uint64_t GgufTensorInfo::byteSize() const
{
    return elementCount() / std::uint64_t(traits(type).blockSize) * traits(type).blockBytes;
}

namespace {

// The whole file in anonymous memory, read-only once filled. Huge pages are a request: where the kernel has none,
// the copy is made of ordinary pages and works the same.
const std::uint8_t* readIntoMemory(int fd, std::uint64_t size, const std::string& path)
{
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw GgufError(path + ": cannot allocate " + std::to_string(size) + " bytes for the weights: " + std::strerror(errno));
    madvise(p, size, MADV_HUGEPAGE);
    auto* bytes = static_cast<std::uint8_t*>(p);
    for (std::uint64_t done = 0; done < size;) {
        const ssize_t n = pread(fd, bytes + done, std::size_t(std::min<std::uint64_t>(size - done, 1u << 26)), off_t(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string reason = n < 0 ? std::strerror(errno) : "the file ended early";
            munmap(p, size);
            throw GgufError(path + ": cannot read: " + reason);
        }
        done += std::uint64_t(n);
    }
    mprotect(p, size, PROT_READ);
    return bytes;
}

// MemAvailable from /proc/meminfo (what can be had without swapping, page cache included), else the free pages.
std::uint64_t availableMemory()
{
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);)
        if (line.rfind("MemAvailable:", 0) == 0) return std::stoull(line.substr(13)) * 1024;  // "...: N kB"
    return std::uint64_t(sysconf(_SC_AVPHYS_PAGES)) * std::uint64_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

WeightMemory preferredWeightMemory(const std::string& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return WeightMemory::Mapped;
    return std::uint64_t(st.st_size) <= availableMemory() / 2 ? WeightMemory::Copied : WeightMemory::Mapped;
}

GgufFile::GgufFile(const std::string& path, WeightMemory memory) : path_(path), memory_(memory)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw GgufError(path + ": cannot open: " + std::strerror(errno));
    struct stat st{};
    if (fstat(fd, &st) != 0) {
        ::close(fd);
        throw GgufError(path + ": cannot stat: " + std::strerror(errno));
    }
    size_ = std::uint64_t(st.st_size);
    if (size_ > 0 && memory == WeightMemory::Copied) {
        try {
            data_ = readIntoMemory(fd, size_, path);
        } catch (...) {
            ::close(fd);
            throw;
        }
    } else if (size_ > 0) {
        void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            throw GgufError(path + ": cannot map: " + std::strerror(errno));
        }
        data_ = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);

    try {
        Cursor c(data_, size_, path_);
        if (c.read<std::uint32_t>("magic") != kMagic) c.fail("not a GGUF file (bad magic)");
        version_ = c.read<std::uint32_t>("version");
        if (version_ != 3) c.fail("GGUF version " + std::to_string(version_) + " is not supported (only 3)");
        const auto tensorCount = c.read<std::uint64_t>("tensor count");
        const auto kvCount = c.read<std::uint64_t>("metadata count");
        if (kvCount > c.remaining() || tensorCount > c.remaining()) c.fail("implausible tensor or metadata count");
        for (std::uint64_t i = 0; i < kvCount; ++i) {
            std::string key = c.string("metadata key");
            const auto type = c.read<std::uint32_t>("metadata type");
            if (type > std::uint32_t(GgufValueType::Float64)) c.fail("metadata '" + key + "': unknown value type " + std::to_string(type));
            GgufValue value = readValue(c, GgufValueType(type), key, 0);
            metadata_[std::move(key)] = std::move(value);
        }
        if (auto it = metadata_.find("general.alignment"); it != metadata_.end()) {
            const std::int64_t a = it->second.asInt();
            if (a <= 0 || a > 65536 || (a & (a - 1)) != 0) c.fail("general.alignment " + std::to_string(a) + " is not a power of two");
            alignment_ = std::uint32_t(a);
        }
        for (std::uint64_t i = 0; i < tensorCount; ++i) {
            GgufTensorInfo t;
            t.name = c.string("tensor name");
            const auto dims = c.read<std::uint32_t>("tensor dimensions");
            if (dims == 0 || dims > kMaxDims) c.fail("tensor '" + t.name + "': " + std::to_string(dims) + " dimensions");
            std::uint64_t elements = 1;
            for (std::uint32_t d = 0; d < dims; ++d) {
                const auto n = c.read<std::uint64_t>("tensor shape");
                if (n == 0 || elements > std::numeric_limits<std::uint64_t>::max() / n / 8)
                    c.fail("tensor '" + t.name + "': shape dimension " + std::to_string(n) + " is out of range");
                elements *= n;
                t.shape.push_back(n);
            }
            const auto type = c.read<std::uint32_t>("tensor type");
            if (!isSupportedTensorType(type))
                c.fail("tensor '" + t.name + "': tensor type " + unsupportedTypeName(type)
                       + " is not supported (Folio reads F32, F16, BF16, Q8_0, Q4_K, Q5_K and Q6_K: Q8_0, Q4_K_M, "
                         "Q5_K_M and Q6_K files)");
            t.type = TensorType(type);
            if (t.shape[0] % std::uint64_t(traits(t.type).blockSize) != 0)
                c.fail("tensor '" + t.name + "': rows of " + std::to_string(t.shape[0]) + " values do not fill whole "
                       + toString(t.type) + " blocks");
            t.offset = c.read<std::uint64_t>("tensor offset");
            if (t.offset % alignment_ != 0) c.fail("tensor '" + t.name + "': offset " + std::to_string(t.offset) + " is not aligned");
            if (tensorIndex_.count(t.name)) c.fail("tensor '" + t.name + "' appears twice");
            tensorIndex_[t.name] = tensors_.size();
            tensors_.push_back(std::move(t));
        }
        dataStart_ = alignUp(c.position(), alignment_);
        for (const auto& t : tensors_) {
            const std::uint64_t bytes = t.byteSize();
            if (dataStart_ > size_ || t.offset > size_ - dataStart_ || bytes > size_ - dataStart_ - t.offset)
                c.fail("tensor '" + t.name + "': data (" + std::to_string(bytes) + " bytes at " + std::to_string(t.offset)
                       + ") lies outside the file: truncated?");
        }
    } catch (...) {
        if (data_) munmap(const_cast<std::uint8_t*>(data_), size_);
        throw;
    }
}

GgufFile::~GgufFile()
{
    if (data_) munmap(const_cast<std::uint8_t*>(data_), size_);
}

const GgufValue& GgufFile::at(const std::string& key) const
{
    auto it = metadata_.find(key);
    if (it == metadata_.end()) throw GgufError(path_ + ": metadata key '" + key + "' is missing");
    return it->second;
}

std::int64_t GgufFile::intOr(const std::string& key, std::int64_t fallback) const
{
    auto it = metadata_.find(key);
    return it == metadata_.end() ? fallback : it->second.asInt();
}

double GgufFile::floatOr(const std::string& key, double fallback) const
{
    auto it = metadata_.find(key);
    return it == metadata_.end() ? fallback : it->second.asFloat();
}

std::string GgufFile::stringOr(const std::string& key, const std::string& fallback) const
{
    auto it = metadata_.find(key);
    return it == metadata_.end() ? fallback : it->second.asString();
}

const GgufTensorInfo* GgufFile::findTensor(const std::string& name) const
{
    auto it = tensorIndex_.find(name);
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

const GgufTensorInfo& GgufFile::tensor(const std::string& name) const
{
    if (const auto* t = findTensor(name)) return *t;
    throw GgufError(path_ + ": tensor '" + name + "' is missing");
}

std::span<const std::uint8_t> GgufFile::tensorData(const GgufTensorInfo& info) const
{
    const auto it = tensorIndex_.find(info.name);
    if (it != tensorIndex_.end() && !released_.empty() && released_[it->second])
        throw GgufError(path_ + ": the bytes of tensor '" + info.name + "' were released after the model took them");
    return {data_ + dataStart_ + info.offset, std::size_t(info.byteSize())};
}

void GgufFile::releaseTensorData(const GgufTensorInfo& info, std::uint64_t bytes)
{
    if (memory_ != WeightMemory::Copied) return;
    const std::size_t index = tensorIndex_.at(info.name);
    const std::uintptr_t page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const std::uintptr_t begin = std::uintptr_t(data_ + dataStart_ + info.offset);
    const std::uintptr_t end = begin + std::min(bytes, info.byteSize());
    const std::uintptr_t first = (begin + page - 1) / page * page, last = end / page * page;
    // Anonymous private pages dropped this way read as zeros if touched again; tensorData refuses to hand them out.
    if (first < last) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    released_.resize(tensors_.size());
    released_[index] = true;
}

void GgufWriter::set(const std::string& key, GgufValue value)
{
    for (auto& [k, v] : metadata_)
        if (k == key) { v = std::move(value); return; }
    metadata_.emplace_back(key, std::move(value));
}

void GgufWriter::addTensor(const std::string& name, std::vector<std::uint64_t> shape, TensorType type,
                           std::vector<std::uint8_t> data)
{
    if (!isSupportedTensorType(std::uint32_t(type)))
        throw GgufError("tensor '" + name + "': " + toString(type) + " is a layout of the engine's memory, not a GGUF type");
    GgufTensorInfo info{name, std::move(shape), type, 0};
    if (info.byteSize() != data.size())
        throw GgufError("tensor '" + name + "': " + std::to_string(data.size()) + " bytes given, "
                        + std::to_string(info.byteSize()) + " expected");
    tensors_.push_back({std::move(info), std::move(data)});
}

void GgufWriter::write(const std::string& path, std::uint32_t alignment) const
{
    std::vector<std::uint8_t> out;
    put(out, kMagic);
    put(out, std::uint32_t(3));
    put<std::uint64_t>(out, tensors_.size());
    const bool hasAlignment = alignment != 32;
    put<std::uint64_t>(out, metadata_.size() + (hasAlignment ? 1 : 0));
    for (const auto& [key, value] : metadata_) {
        putString(out, key);
        put(out, std::uint32_t(value.type));
        putValue(out, value);
    }
    if (hasAlignment) {
        putString(out, "general.alignment");
        put(out, std::uint32_t(GgufValueType::UInt32));
        put(out, alignment);
    }
    std::uint64_t offset = 0;
    for (const auto& t : tensors_) {
        putString(out, t.info.name);
        put(out, std::uint32_t(t.info.shape.size()));
        for (auto d : t.info.shape) put(out, d);
        put(out, std::uint32_t(t.info.type));
        put(out, offset);
        offset = alignUp(offset + t.data.size(), alignment);
    }
    out.resize(alignUp(out.size(), alignment), 0);
    for (const auto& t : tensors_) {
        out.insert(out.end(), t.data.begin(), t.data.end());
        out.resize(alignUp(out.size(), alignment), 0);
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(out.data()), std::streamsize(out.size()));
    if (!file) throw GgufError(path + ": cannot write");
}

}  // namespace folio::engine
