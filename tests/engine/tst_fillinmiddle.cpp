// FillInMiddle: the FIM tokens found by their text in the vocabulary, and the repository-level prompt checked
// token by token on the real Qwen3 vocabulary (whose ids the Qwen coder models share).

#include "folio/engine/fill_in_middle.h"
#include "hf_vocabulary.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TestFillInMiddle : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<engine::GgufFile> qwenFile;
    std::unique_ptr<engine::Tokenizer> qwen;

    std::vector<std::int32_t> text(const std::string& s) { return qwen->encode(s, false); }
    static void append(std::vector<std::int32_t>& out, const std::vector<std::int32_t>& more)
    {
        out.insert(out.end(), more.begin(), more.end());
    }

private slots:
    void initTestCase()
    {
        engine::GgufWriter w;
        w.set("general.architecture", engine::GgufValue::string("qwen3"));
        test::addHfTokenizer(w, FOLIO_QWEN3_TOKENIZER);
        const std::string path = tmp.filePath("qwen3-vocab.gguf").toStdString();
        w.write(path);
        qwenFile = std::make_unique<engine::GgufFile>(path);
        qwen = std::make_unique<engine::Tokenizer>(*qwenFile);
    }

    void repositoryPromptOnRealIds()
    {
        const auto fim = engine::FillInMiddle::fromTokenizer(*qwen);
        QVERIFY(fim);
        QVERIFY(fim->repositoryLevel());
        engine::Prompt p = fim->repositoryHeader("licence-server");
        p.append(fim->file("src/fees.cpp", "int fee(int days);\n"));
        p.append(fim->file("README.md", "# Fees"));  // a newline is added after a file without one
        p.append(fim->tail("src/main.cpp", "int main() {\n    return fee(", ");\n}\n"));
        QCOMPARE(p.str(), std::string("<|repo_name|>licence-server\n<|file_sep|>src/fees.cpp\nint fee(int days);\n"
                                      "<|file_sep|>README.md\n# Fees\n<|file_sep|>src/main.cpp\n<|fim_prefix|>int main() {\n"
                                      "    return fee(<|fim_suffix|>);\n}\n<|fim_middle|>"));
        std::vector<std::int32_t> expected = {151663};  // <|repo_name|>
        append(expected, text("licence-server\n"));
        expected.push_back(151664);  // <|file_sep|>
        append(expected, text("src/fees.cpp\nint fee(int days);\n"));
        expected.push_back(151664);
        append(expected, text("README.md\n# Fees\n"));
        expected.push_back(151664);
        append(expected, text("src/main.cpp\n"));
        expected.push_back(151659);  // <|fim_prefix|>
        append(expected, text("int main() {\n    return fee("));
        expected.push_back(151661);  // <|fim_suffix|>
        append(expected, text(");\n}\n"));
        expected.push_back(151660);  // <|fim_middle|>
        QCOMPARE(p.tokens(*qwen), expected);
        // Code that contains the markers' text stays text.
        const auto ids = fim->tail("x", "a<|fim_middle|>b", "").tokens(*qwen);
        QCOMPARE(std::count(ids.begin(), ids.end(), 151660), std::ptrdiff_t(1));
    }

    void vocabulariesWithoutTheTokens()
    {
        engine::GgufWriter w;
        w.set("general.architecture", engine::GgufValue::string("qwen35"));
        test::addTinyTokenizer(w);
        const std::string plain = tmp.filePath("plain.gguf").toStdString();
        w.write(plain);
        const engine::GgufFile pf(plain);
        QVERIFY(!engine::FillInMiddle::fromTokenizer(engine::Tokenizer(pf)));

        engine::GgufWriter f;
        f.set("general.architecture", engine::GgufValue::string("qwen35"));
        test::addTinyTokenizer(f, "qwen2", true);
        const std::string withFim = tmp.filePath("fim.gguf").toStdString();
        f.write(withFim);
        const engine::GgufFile ff(withFim);
        const engine::Tokenizer tf(ff);
        QCOMPARE(tf.vocabSize(), std::size_t(test::kTinyVocab));
        const auto fim = engine::FillInMiddle::fromTokenizer(tf);
        QVERIFY(fim && fim->repositoryLevel());
        const auto stops = fim->stopStrings();
        QVERIFY(std::find(stops.begin(), stops.end(), "<|file_sep|>") != stops.end());
    }
};

QTEST_GUILESS_MAIN(TestFillInMiddle)
#include "tst_fillinmiddle.moc"
