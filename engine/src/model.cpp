#include "folio/engine/model.h"

#include <map>
#include <mutex>

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
    return model;
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
    return total;
}

}  // namespace folio::engine
