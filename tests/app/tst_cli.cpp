// The `folio` command line as a user runs it: help, JSON output, exit codes, clear errors.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    struct Result {
        int exitCode;
        QByteArray out, err;
    };
    Result folio(const QStringList& args)
    {
        QProcess p;
        p.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), QStringList{"--workspace", workspace} + args);
        if (!p.waitForFinished(120000)) return {-1, {}, "timed out"};
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qgetenv("FOLIO_EXECUTABLE").isEmpty(), "FOLIO_EXECUTABLE names the folio binary (set by ctest)");
        workspace = tmp.filePath("ws");
    }
    void everySubcommandHasHelp()
    {
        for (const char* cmd : {"ingest", "ls", "search", "show", "sample", "info"}) {
            const Result r = folio({cmd, "--help"});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains("--json"), cmd);
        }
    }
    void sampleIngestSearchShowInJson()
    {
        const Result sample = folio({"sample", tmp.filePath("contracts"), "--json"});
        QCOMPARE(sample.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(sample.out).array().size(), 3);

        const Result ingest = folio({"ingest", tmp.filePath("contracts"), "--json"});
        QCOMPARE(ingest.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(ingest.out).object();
        QCOMPARE(report["added"].toInt(), 3);
        QVERIFY(report["pages"].toInt() >= 6);
        QVERIFY(report["problems"].toArray().isEmpty());

        const Result ls = folio({"ls", "--json"});
        const QJsonArray sources = QJsonDocument::fromJson(ls.out).array();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].toObject()["items"].toArray().size(), 3);

        const Result search = folio({"search", "governing", "law", "--json"});
        QCOMPARE(search.exitCode, 0);
        const QJsonArray hits = QJsonDocument::fromJson(search.out).array();
        QCOMPARE(hits.size(), 3);  // one governing-law clause per sample contract
        QVERIFY(hits[0].toObject()["page"].toInt() >= 1);
        QVERIFY(hits[0].toObject()["snippet"].toString().contains("[Governing] [Law]", Qt::CaseInsensitive));

        const Result show = folio({"show", "Software License", "--page", "1", "--json"});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(show.out).object();
        const QJsonArray lines = doc["pages"].toArray()[0].toObject()["lines"].toArray();
        QCOMPARE(lines[0].toObject()["role"].toString(), QString("header"));
        QCOMPARE(lines[1].toObject()["text"].toString(), QString("SOFTWARE LICENSE AGREEMENT"));
        QVERIFY(lines[1].toObject()["bold"].toBool());
    }
    void errorsNameTheFileAndSetTheExitCode()
    {
        QFile bad(tmp.filePath("bad.pdf"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a pdf");
        bad.close();
        const Result r = folio({"ingest", tmp.filePath("bad.pdf")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("bad.pdf") && r.err.contains("not a PDF"), r.err.constData());

        const Result missing = folio({"show", "no-such-document"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no document matches"));

        const Result usage = folio({"ingest"});
        QVERIFY(usage.exitCode != 0);
    }
    void infoReportsGpuState()
    {
        const Result r = folio({"info", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject gpu = QJsonDocument::fromJson(r.out).object()["gpu"].toObject();
        QVERIFY(!gpu["devices"].toArray().isEmpty() || !gpu["unavailable"].toString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
