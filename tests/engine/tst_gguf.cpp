#include "folio/engine/gguf.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace folio::engine;

namespace {

std::vector<std::uint8_t> f32Bytes(const std::vector<float>& v)
{
    std::vector<std::uint8_t> out(v.size() * 4);
    std::memcpy(out.data(), v.data(), out.size());
    return out;
}

std::vector<std::uint8_t> readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeAll(const std::string& path, const std::vector<std::uint8_t>& bytes, std::size_t n)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(n));
}

}  // namespace

class TestGguf : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string path(const char* name) { return tmp.filePath(name).toStdString(); }

    GgufWriter sampleWriter()
    {
        GgufWriter w;
        w.set("general.architecture", GgufValue::string("qwen35"));
        w.set("qwen35.block_count", GgufValue::u32(2));
        w.set("qwen35.rope.freq_base", GgufValue::f32(1e7f));
        w.set("test.i32", GgufValue::i32(-5));
        w.set("test.flag", GgufValue::boolean(true));
        w.set("test.u64", GgufValue{GgufValueType::UInt64, std::uint64_t(1) << 40});
        w.set("test.f64", GgufValue{GgufValueType::Float64, 0.125});
        w.set("test.i8", GgufValue{GgufValueType::Int8, std::int64_t(-3)});
        w.set("tokenizer.ggml.tokens", GgufValue::array(GgufValueType::String, {GgufValue::string("a"), GgufValue::string("bc")}));
        w.set("test.nested", GgufValue::array(GgufValueType::Array, {GgufValue::array(GgufValueType::Int32, {GgufValue::i32(1)})}));
        w.addTensor("token_embd.weight", {4, 3}, TensorType::F32, f32Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        w.addTensor("output_norm.weight", {4}, TensorType::F32, f32Bytes({1, 1, 1, 1}));
        std::vector<std::uint8_t> q8(34 * 2, 0);
        w.addTensor("blk.0.q8", {64}, TensorType::Q8_0, q8);
        return w;
    }

private slots:
    void writesAndReadsEveryValueType()
    {
        sampleWriter().write(path("model.gguf"));
        GgufFile f(path("model.gguf"));
        QCOMPARE(f.version(), 3u);
        QCOMPARE(f.at("general.architecture").asString(), std::string("qwen35"));
        QCOMPARE(f.at("qwen35.block_count").asInt(), 2);
        QCOMPARE(float(f.at("qwen35.rope.freq_base").asFloat()), 1e7f);
        QCOMPARE(f.at("test.i32").asInt(), -5);
        QCOMPARE(f.at("test.flag").asInt(), 1);
        QCOMPARE(f.at("test.u64").asInt(), std::int64_t(1) << 40);
        QCOMPARE(f.at("test.f64").asFloat(), 0.125);
        QCOMPARE(f.at("test.i8").asInt(), -3);
        QCOMPARE(f.at("tokenizer.ggml.tokens").asArray()[1].asString(), std::string("bc"));
        QCOMPARE(f.at("test.nested").asArray()[0].asArray()[0].asInt(), 1);
        QCOMPARE(f.intOr("missing", 7), 7);
        QVERIFY_THROWS_EXCEPTION(GgufError, f.at("missing.key"));

        const auto& embd = f.tensor("token_embd.weight");
        QCOMPARE(embd.shape, (std::vector<std::uint64_t>{4, 3}));
        const auto data = f.tensorData(embd);
        QCOMPARE(reinterpret_cast<std::uintptr_t>(data.data()) % 32, std::uintptr_t(0));
        float last;
        std::memcpy(&last, data.data() + 11 * 4, 4);
        QCOMPARE(last, 12.f);
        QCOMPARE(f.tensor("blk.0.q8").byteSize(), std::uint64_t(68));
        try {
            f.tensor("blk.9.attn_q.weight");
            QFAIL("no error for a missing tensor");
        } catch (const GgufError& e) {
            QVERIFY(std::string(e.what()).find("blk.9.attn_q.weight") != std::string::npos);
        }
    }
    void honoursAlignment()
    {
        sampleWriter().write(path("aligned.gguf"), 64);
        GgufFile f(path("aligned.gguf"));
        QCOMPARE(f.alignment(), 64u);
        for (const auto& t : f.tensors()) QCOMPARE(t.offset % 64, std::uint64_t(0));
    }
    void everyTruncationIsAnErrorNotACrash()
    {
        sampleWriter().write(path("full.gguf"));
        const auto bytes = readAll(path("full.gguf"));
        std::uint64_t end = 0;  // past the last tensor's data: what follows is padding
        {
            GgufFile full(path("full.gguf"));
            for (const auto& t : full.tensors()) end = std::max(end, full.dataOffset() + t.offset + t.byteSize());
        }
        QVERIFY(end <= bytes.size());
        for (std::size_t n = 0; n < end; ++n) {
            writeAll(path("cut.gguf"), bytes, n);
            QVERIFY_THROWS_EXCEPTION(GgufError, GgufFile(path("cut.gguf")));
            QVERIFY_THROWS_EXCEPTION(GgufError, GgufFile(path("cut.gguf"), WeightMemory::Copied));
        }
    }
    void copiedFileHoldsTheSameBytes()
    {
        sampleWriter().write(path("copy.gguf"));
        GgufFile mapped(path("copy.gguf")), copied(path("copy.gguf"), WeightMemory::Copied);
        QCOMPARE(mapped.memory(), WeightMemory::Mapped);
        QCOMPARE(copied.memory(), WeightMemory::Copied);
        QCOMPARE(copied.metadata().size(), mapped.metadata().size());
        QCOMPARE(copied.at("test.nested").asArray()[0].asArray()[0].asInt(), 1);
        QCOMPARE(copied.tensors().size(), mapped.tensors().size());
        for (const auto& t : mapped.tensors()) {
            const auto a = mapped.tensorData(t), b = copied.tensorData(copied.tensor(t.name));
            QVERIFY(a.data() != b.data());
            QCOMPARE(reinterpret_cast<std::uintptr_t>(b.data()) % 32, std::uintptr_t(0));
            QVERIFY(std::equal(a.begin(), a.end(), b.begin(), b.end()));
        }
        // Bytes the engine has taken in a layout of its own go back: the copy then refuses to hand them out,
        // naming the tensor, and keeps every other tensor; a mapping has nothing to give back.
        const GgufTensorInfo& first = copied.tensors().front();
        copied.releaseTensorData(first);
        mapped.releaseTensorData(mapped.tensor(first.name));
        try {
            copied.tensorData(first);
            QFAIL("released bytes handed out");
        } catch (const GgufError& e) {
            QVERIFY2(std::string(e.what()).find(first.name) != std::string::npos, e.what());
        }
        QCOMPARE(mapped.tensorData(mapped.tensor(first.name)).size(), std::size_t(first.byteSize()));
        // Giving back only the start of a tensor (a piece converted) refuses it as a whole just the same.
        const GgufTensorInfo& last = copied.tensors().back();
        copied.releaseTensorData(last, 0);
        QVERIFY_THROWS_EXCEPTION(GgufError, copied.tensorData(last));
        for (std::size_t i = 1; i + 1 < copied.tensors().size(); ++i) {
            const auto a = mapped.tensorData(mapped.tensors()[i]), b = copied.tensorData(copied.tensors()[i]);
            QVERIFY(std::equal(a.begin(), a.end(), b.begin(), b.end()));
        }
    }
    // Small files are copied, files too big to sit beside everything else are mapped (a sparse file of 1 TiB
    // stands for one), and a file that cannot be measured is left to the mapping to report.
    void preferredMemoryFollowsTheFileSize()
    {
        sampleWriter().write(path("small.gguf"));
        QCOMPARE(preferredWeightMemory(path("small.gguf")), WeightMemory::Copied);
        QCOMPARE(preferredWeightMemory(path("absent.gguf")), WeightMemory::Mapped);
        std::ofstream(path("huge.gguf")).close();
        std::error_code error;
        std::filesystem::resize_file(path("huge.gguf"), std::uintmax_t(1) << 40, error);
        if (error) QSKIP("this file system has no sparse files of 1 TiB");
        QCOMPARE(preferredWeightMemory(path("huge.gguf")), WeightMemory::Mapped);
    }
    void writerRefusesTheEnginesOwnLayouts()
    {
        GgufWriter w;
        QVERIFY_THROWS_EXCEPTION(GgufError, w.addTensor("wide", {256}, TensorType::Q4_K_WIDE,
                                                        std::vector<std::uint8_t>(rowBytes(TensorType::Q4_K_WIDE, 256))));
    }
    void missingFileIsNamed()
    {
        for (WeightMemory memory : {WeightMemory::Mapped, WeightMemory::Copied}) {
            try {
                GgufFile f(path("absent.gguf"), memory);
                QFAIL("no error for a missing file");
            } catch (const GgufError& e) {
                QVERIFY2(std::string(e.what()).find("absent.gguf") != std::string::npos, e.what());
            }
        }
    }
    void corruptFieldsAreNamed()
    {
        sampleWriter().write(path("base.gguf"));
        auto bytes = readAll(path("base.gguf"));
        auto expectError = [&](std::vector<std::uint8_t> b, const char* fragment) {
            writeAll(path("bad.gguf"), b, b.size());
            try {
                GgufFile f(path("bad.gguf"));
                QFAIL(qPrintable(QString("no error, expected '%1'").arg(fragment)));
            } catch (const GgufError& e) {
                QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
            }
        };
        auto b = bytes;
        b[0] = 'X';
        expectError(b, "bad magic");
        b = bytes;
        b[4] = 2;
        expectError(b, "version 2");
        // The first tensor's type field: find its name, skip length-prefixed name, dims and shape.
        const std::string name = "token_embd.weight";
        auto at = std::search(bytes.begin(), bytes.end(), name.begin(), name.end()) - bytes.begin();
        const std::size_t typeOffset = std::size_t(at) + name.size() + 4 + 2 * 8;
        b = bytes;
        b[typeOffset] = 99;
        expectError(b, "tensor 'token_embd.weight': tensor type (99) is not supported");
        b[typeOffset] = 2;  // a type ggml has and Folio does not read is named
        expectError(b, "tensor 'token_embd.weight': tensor type Q4_0 (2) is not supported");
        b = bytes;
        b[typeOffset + 4 + 5] = 0x10;  // offset far beyond the end
        expectError(b, "token_embd.weight");
    }
    void writerChecksSizes()
    {
        GgufWriter w;
        QVERIFY_THROWS_EXCEPTION(GgufError, w.addTensor("x", {4}, TensorType::F32, std::vector<std::uint8_t>(8)));
    }
};

QTEST_APPLESS_MAIN(TestGguf)
#include "tst_gguf.moc"
