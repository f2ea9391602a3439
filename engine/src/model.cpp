#include "folio/engine/model.h"

#include <sys/mman.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace folio::engine {
namespace {

std::map<std::string, Model::Builder>& registry()
{
    static std::map<std::string, Model::Builder> builders;
    return builders;
}

std::string shapeString(const std::vector<std::uint64_t>& shape)
{
    std::string s = "{";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "}";
}

}  // namespace

void registerQwenHybridArchitectures();  // arch_qwen_hybrid.cpp

namespace {

void ensureBuiltinArchitectures()
{
    static std::once_flag once;
    std::call_once(once, registerQwenHybridArchitectures);
}

}  // namespace

Weight findWeight(const GgufFile& file, const std::string& name, std::vector<std::int64_t> shape, bool required)
{
    const GgufTensorInfo* info = file.findTensor(name);
    if (!info) {
        if (!required) return {};
        throw GgufError(file.path() + ": tensor '" + name + "' is missing");
    }
    std::vector<std::uint64_t> want(shape.begin(), shape.end());
    // A vector may be stored as {n} or {n, 1}.
    std::vector<std::uint64_t> have = info->shape;
    while (have.size() > want.size() && have.back() == 1) have.pop_back();
    if (have != want)
        throw GgufError(file.path() + ": tensor '" + name + "' has shape " + shapeString(info->shape) + ", expected "
                        + shapeString(want));
    Weight w;
    w.data = file.tensorData(*info).data();
    w.type = info->type;
    w.cols = shape[0];
    w.rows = shape.size() > 1 ? shape[1] : 1;
    w.experts = shape.size() > 2 ? shape[2] : 1;
    w.name = name;
    if (w.rows * w.experts == 1 || w.cols * w.rows * w.experts <= 65536) {
        w.values.resize(std::size_t(w.cols * w.rows * w.experts));
        for (std::int64_t r = 0; r < w.rows * w.experts; ++r) dequantizeRow(w.type, w.row(r), w.values.data() + r * w.cols, w.cols);
    }
    return w;
}

std::unique_ptr<Model> Model::load(const std::string& path, WeightMemory memory)
{
    ensureBuiltinArchitectures();
    auto model = std::make_unique<Model>();
    model->file_ = std::make_unique<GgufFile>(path, memory);
    const std::string arch = model->file_->stringOr("general.architecture", "");
    auto it = registry().find(arch);
    if (it == registry().end()) {
        std::string known;
        for (const auto& [name, b] : registry()) known += (known.empty() ? "" : ", ") + name;
        throw GgufError(path + ": architecture '" + arch + "' is not supported (known: " + known + ")");
    }
    it->second(*model->file_, *model);
    model->releaseUnusedTensors();
    if (memory == WeightMemory::Copied) model->widenQ4K();
    return model;
}

std::array<Weight*, 31> LayerWeights::all()
{
    static_assert(sizeof(LayerWeights) == 31 * sizeof(Weight) + sizeof(convTaps), "a weight was added to LayerWeights but not to all()");
    return {&attnNorm, &postAttnNorm, &qkv, &gate, &ssmIn, &convWeight, &dtBias, &ssmA, &ba, &beta, &alpha,
            &ssmNorm, &ssmOut, &wq, &wk, &wv, &wo, &qNorm, &kNorm, &ffnGate, &ffnUp, &ffnDown, &router, &expGate,
            &expUp, &expGateUp, &expDown, &sharedGateInp, &sharedGate, &sharedUp, &sharedDown};
}

// Tensors no weight refers to (a multi-token-prediction block) are not weights of the model: a copied file gives
// their bytes back, a mapped one never reads them.
void Model::releaseUnusedTensors()
{
    std::set<std::string> used{tokenEmbd_.name, outputNorm_.name, output_.name};
    for (LayerWeights& layer : layers_)
        for (const Weight* w : layer.all())
            if (*w) used.insert(w->name);
    for (const auto& t : file_->tensors()) {
        if (used.count(t.name)) continue;
        file_->releaseTensorData(t);
        unusedFileBytes_ += t.byteSize();
    }
}

// A copied file has already paid for reading every byte, so its Q4_K weights move into the wide layout, which
// the CPU kernels multiply with about half the instructions, and the file's copy of them goes back to the
// system: memory grows by 4 bytes per 144. A mapped file stays as it is, read only where it is used.
void Model::widenQ4K()
{
    std::vector<Weight*> weights{&tokenEmbd_, &output_};
    for (LayerWeights& layer : layers_)
        for (Weight* w : layer.all()) weights.push_back(w);
    // Each tensor once (a tied output is the embedding again), each at a 64-byte boundary of the arena.
    struct Placement {
        const Weight* source;
        std::uint64_t offset;
    };
    std::map<const std::uint8_t*, Placement> placed;  // by the tensor's bytes in the file
    std::uint64_t total = 0;
    for (const Weight* w : weights) {
        if (!*w || w->type != TensorType::Q4_K || placed.count(w->data)) continue;
        placed[w->data] = {w, total};
        const std::uint64_t bytes = rowBytes(TensorType::Q4_K_WIDE, w->cols) * std::uint64_t(w->rows * w->experts);
        wideBytes_ += bytes;
        total += (bytes + 63) / 64 * 64;
    }
    if (total == 0) return;
    void* arena = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (arena == MAP_FAILED) throw GgufError(file_->path() + ": cannot allocate " + std::to_string(total) + " bytes for the weights");
    madvise(arena, total, MADV_HUGEPAGE);
    wideWeights_ = std::shared_ptr<void>(arena, [total](void* p) { munmap(p, total); });
    auto* base = static_cast<std::uint8_t*>(arena);
    // A few MiB at a time, the file's copy of each piece given back before the next, so loading holds both
    // copies of no more than a piece (an embedding alone can be hundreds of MiB).
    constexpr std::int64_t kPieceBytes = std::int64_t(16) << 20;
    for (const auto& [data, place] : placed) {
        const Weight* w = place.source;
        std::uint8_t* wide = base + place.offset;
        const std::int64_t rows = w->rows * w->experts, fileRowBytes = std::int64_t(w->rowBytes());
        const std::int64_t wideRowBytes = std::int64_t(rowBytes(TensorType::Q4_K_WIDE, w->cols));
        const std::int64_t rowsPerPiece = std::max<std::int64_t>(1, kPieceBytes / fileRowBytes);
        const GgufTensorInfo& info = file_->tensor(w->name);
        for (std::int64_t r = 0; r < rows; r += rowsPerPiece) {
            const std::int64_t n = std::min(rowsPerPiece, rows - r);
            repackQ4KWide(data + r * fileRowBytes, wide + r * wideRowBytes, n * w->cols);
            file_->releaseTensorData(info, std::uint64_t((r + n) * fileRowBytes));
        }
        widenedFileBytes_ += info.byteSize();
    }
    mprotect(arena, total, PROT_READ);
    for (Weight* w : weights) {
        if (!*w || w->type != TensorType::Q4_K) continue;
        w->data = base + placed.at(w->data).offset;
        w->type = TensorType::Q4_K_WIDE;
    }
}

void Model::registerArchitecture(const std::string& name, Builder builder)
{
    registry()[name] = std::move(builder);
}

std::vector<std::string> Model::architectures()
{
    ensureBuiltinArchitectures();
    std::vector<std::string> out;
    for (const auto& [name, b] : registry()) out.push_back(name);
    return out;
}

std::uint64_t Model::weightBytes() const
{
    std::uint64_t total = 0;
    for (const auto& t : file_->tensors()) total += t.byteSize();
    return total - unusedFileBytes_ - widenedFileBytes_ + wideBytes_;
}

}  // namespace folio::engine
