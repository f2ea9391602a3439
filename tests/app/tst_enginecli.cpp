// `folio engine ...` as a user runs it, on tiny models the test writes.

#include "folio/engine/gguf.h"
#include "folio/engine/session.h"
#include "folio/engine/tokenizer.h"
#include "tiny_model.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace folio;

class TestEngineCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString model;

    struct Result {
        int exitCode;
        QByteArray out, err;
    };
    Result folio(const QStringList& args)
    {
        QProcess p;
        p.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), args);
        if (!p.waitForFinished(120000)) return {-1, {}, "timed out"};
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(!qgetenv("FOLIO_EXECUTABLE").isEmpty());
        model = tmp.filePath("tiny.gguf");
        test::writeTinyModel(model.toStdString(), {test::TinyVariant::Qwen3Next, engine::TensorType::Q8_0, 5, 4});
    }
    void infoDescribesTheModel()
    {
        const Result r = folio({"engine", "info", model, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(info["architecture"].toString(), QString("qwen3next"));
        QCOMPARE(info["deltanet_layers"].toInt(), 3);
        QCOMPARE(info["attention_layers"].toInt(), 1);
        QCOMPARE(info["vocab"].toInt(), test::kTinyVocab);
        QVERIFY(info["bytes_by_type"].toObject().contains("Q8_0"));
        QVERIFY(info["tokenizer"].toString().startsWith("byte-level BPE (qwen2)"));
    }
    void logitsFileHoldsThePromptsLogits()
    {
        const QString logits = tmp.filePath("logits.bin");
        const Result r = folio({"engine", "run", model, "-p", "the agreement is there", "-n", "5", "--logits", logits,
                                "--threads", "2", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        QVERIFY(out["tokens"].toInt() <= 5);
        QFile f(logits);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(bytes.size(), qsizetype(test::kTinyVocab * 4));
        std::vector<float> got(std::size_t(test::kTinyVocab));
        std::memcpy(got.data(), bytes.data(), std::size_t(bytes.size()));

        engine::GgufFile file(model.toStdString());
        const auto tokens = engine::Tokenizer(file).encode("the agreement is there");
        QCOMPARE(out["prompt_tokens"].toInt(), int(tokens.size()));
        // The engine's own prompt logits, in this process: the file must hold exactly these (how close they are
        // to the float64 reference is tst_session's business; this Q8_0 model rounds activations to 8 bits).
        const auto loaded = engine::Model::load(model.toStdString());
        engine::Session session(*loaded, {2});
        session.prefill(tokens);
        QCOMPARE(got, session.logits());
    }
    void samplingIsReproducibleWithASeed()
    {
        const QStringList args = {"engine", "run", model, "-p", "and", "-n", "12", "--temp", "0.9", "--top-k", "40",
                                  "--top-p", "0.95", "--seed", "42", "--json"};
        const Result a = folio(args), b = folio(args);
        QVERIFY2(a.exitCode == 0, a.err.constData());
        QCOMPARE(QJsonDocument::fromJson(a.out).object()["text"], QJsonDocument::fromJson(b.out).object()["text"]);
    }
    // Copied weights (--weights copied) say so in the report and give the text mapped weights give; by default
    // (auto) a file this small against the machine's memory is copied. An unknown choice is refused.
    void copiedWeightsRunTheSame()
    {
        const QStringList args = {"engine", "run", model, "-p", "the parties", "-n", "6", "--threads", "2", "--json"};
        const Result mapped = folio(args + QStringList{"--weights", "mapped"}),
                     copied = folio(args + QStringList{"--weights", "copied"}), automatic = folio(args);
        QVERIFY2(mapped.exitCode == 0, mapped.err.constData());
        QVERIFY2(copied.exitCode == 0, copied.err.constData());
        QVERIFY2(automatic.exitCode == 0, automatic.err.constData());
        const QJsonObject a = QJsonDocument::fromJson(mapped.out).object(), b = QJsonDocument::fromJson(copied.out).object();
        QCOMPARE(a["weights"].toString(), QString("mapped"));
        QCOMPARE(b["weights"].toString(), QString("copied"));
        QCOMPARE(b["text"], a["text"]);
        QCOMPARE(QJsonDocument::fromJson(automatic.out).object()["weights"].toString(), QString("copied"));
        const Result wrong = folio(args + QStringList{"--weights", "borrowed"});
        QVERIFY(wrong.exitCode != 0);
        QVERIFY2(wrong.err.contains("--weights"), wrong.err.constData());
        const Result bench = folio({"engine", "bench", model, "--prompt-tokens", "8", "--gen-tokens", "4", "--weights", "copied"});
        QVERIFY2(bench.exitCode == 0, bench.err.constData());
        QVERIFY2(bench.out.contains("copied weights"), bench.out.constData());
    }
    void badModelsAreNamed()
    {
        QFile junk(tmp.filePath("junk.gguf"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("GGUF\x03\0\0\0 this is cut short");
        junk.close();
        const Result r = folio({"engine", "info", tmp.filePath("junk.gguf")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("junk.gguf") && r.err.contains("truncated"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestEngineCli)
#include "tst_enginecli.moc"
