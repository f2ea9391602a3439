#include "folio/engine/tokenizer.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using Pieces = std::vector<std::string>;

class TestTokenizer : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<engine::GgufFile> qwen2File, qwen35File;
    std::unique_ptr<engine::Tokenizer> qwen2, qwen35;

    std::unique_ptr<engine::GgufFile> vocabFile(const std::string& pre)
    {
        engine::GgufWriter w;
        w.set("general.architecture", engine::GgufValue::string("qwen35"));
        test::addTinyTokenizer(w, pre);
        const std::string path = tmp.filePath(QString::fromStdString(pre + ".gguf")).toStdString();
        w.write(path);
        return std::make_unique<engine::GgufFile>(path);
    }
    std::vector<std::string> texts(const std::vector<std::int32_t>& ids)
    {
        std::vector<std::string> out;
        for (auto id : ids) out.push_back(qwen2->tokenText(id));
        return out;
    }

private slots:
    void initTestCase()
    {
        qwen2File = vocabFile("qwen2");
        qwen35File = vocabFile("qwen35");
        qwen2 = std::make_unique<engine::Tokenizer>(*qwen2File);
        qwen35 = std::make_unique<engine::Tokenizer>(*qwen35File);
        QCOMPARE(qwen2->vocabSize(), std::size_t(test::kTinyVocab));
    }
    void splitsLikeQwen2()
    {
        QCOMPARE(qwen2->split("Hello world's 123  \n\nx"),
                 (Pieces{"Hello", " world", "'s", " ", "1", "2", "3", "  \n\n", "x"}));
        QCOMPARE(qwen2->split("I'LL do"), (Pieces{"I", "'LL", " do"}));            // contractions ignore case
        QCOMPARE(qwen2->split("a   b"), (Pieces{"a", "  ", " b"}));                // a space stays with the word
        QCOMPARE(qwen2->split("x = (y);"), (Pieces{"x", " =", " (", "y", ");"}));
        QCOMPARE(qwen2->split("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E!"), (Pieces{"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "!"}));  // CJK letters
        QCOMPARE(qwen2->split("hi \xF0\x9F\x98\x80\xF0\x9F\x98\x80"), (Pieces{"hi", " \xF0\x9F\x98\x80\xF0\x9F\x98\x80"}));  // emoji: punctuation-like
        QCOMPARE(qwen2->split("line\r\nnext"), (Pieces{"line", "\r\n", "next"}));
    }
    void qwen35KeepsCombiningMarksWithLetters()
    {
        const std::string text = "caf" "e\xCC\x81" " ok";  // e + COMBINING ACUTE ACCENT
        QCOMPARE(qwen2->split(text), (Pieces{"cafe", "\xCC\x81", " ok"}));
        QCOMPARE(qwen35->split(text), (Pieces{"cafe\xCC\x81", " ok"}));
    }
    void appliesMergesByRank()
    {
        QCOMPARE(texts(qwen2->encode(" the")), (Pieces{" the"}));
        QCOMPARE(texts(qwen2->encode(" there")), (Pieces{" there"}));
        QCOMPARE(texts(qwen2->encode(" agree and")), (Pieces{" agree", " and"}));
        QCOMPARE(texts(qwen2->encode("then")), (Pieces{"t", "he", "n"}));  // "h e" (rank 1) beats "e n" and "t h"
        QCOMPARE(texts(qwen2->encode("xyz")), (Pieces{"x", "y", "z"}));
    }
    void specialTokensMatchLiterally()
    {
        const auto ids = qwen2->encode("<|im_start|>user\n<tool>hi<|im_end|>");
        QCOMPARE(ids.front(), 256 + 40 + 1);
        QVERIFY(qwen2->isSpecial(ids.front()));
        QCOMPARE(qwen2->decode(ids), std::string("<|im_start|>user\n<tool>hi<|im_end|>"));
        const auto plain = qwen2->encode("<|im_start|>", false);
        QVERIFY(plain.size() > 1);  // not parsed: spelled out in bytes
        QCOMPARE(qwen2->eos(), 256 + 40);
    }
    void roundTripsAnyBytes()
    {
        const std::vector<std::string> samples = {
            "", "plain ascii text", "  leading and trailing  ", "tabs\tand\nnewlines\r\n", "digits 0123456789",
            "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87", "emoji \xF0\x9F\x98\x80\xF0\x9F\x91\x8D",
            "invalid \xFF\xFE bytes \xC3", std::string("nul\0byte", 8), "\xE2\x80\x8B zero width",
        };
        for (const auto& s : samples) {
            QCOMPARE(qwen2->decode(qwen2->encode(s)), s);
            QCOMPARE(qwen35->decode(qwen35->encode(s)), s);
        }
    }
    void refusesOtherTokenizers()
    {
        engine::GgufWriter w;
        w.set("tokenizer.ggml.model", engine::GgufValue::string("llama"));
        const std::string path = tmp.filePath("spm.gguf").toStdString();
        w.write(path);
        engine::GgufFile f(path);
        QVERIFY_THROWS_EXCEPTION(engine::GgufError, engine::Tokenizer{f});
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
