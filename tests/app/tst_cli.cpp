// The `folio` command line as a user runs it: help, JSON output, exit codes, clear errors.

#include "repo_builder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
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
        for (const char* cmd : {"ingest", "ls", "search", "show", "sample", "info", "analyze", "clauses", "terms",
                                "xrefs", "outline", "symbols", "def", "refs", "complete", "deviations"}) {
            const Result r = folio({cmd, "--help"});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains("--json"), cmd);
        }
    }
    void versionNamesTheCommit()
    {
        const Result r = folio({"--version"});
        QCOMPARE(r.exitCode, 0);
        const QString version = QString::fromUtf8(r.out).trimmed();
        static const QRegularExpression form(R"(^folio \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-modified)?|unknown)\)$)");
        QVERIFY2(form.match(version).hasMatch(), qPrintable(version));
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
    void analyzeThenClausesTermsXrefs()
    {
        // Runs after the sample contracts were ingested above. Before `analyze`, the result commands say what to do.
        const Result early = folio({"clauses"});
        QVERIFY(early.exitCode != 0);
        QVERIFY(early.err.contains("folio analyze"));

        const Result analyze = folio({"analyze", "--json"});
        QCOMPARE(analyze.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(analyze.out).object()["analysed"].toInt(), 3);

        const Result json = folio({"clauses", "--format", "json", "--category", "governing law", "--min-confidence", "0"});
        QCOMPARE(json.exitCode, 0);
        // Each sample contract's most confident governing-law passage is its governing-law clause.
        QMap<QString, QJsonObject> best;
        for (const auto& v : QJsonDocument::fromJson(json.out).array()) {
            const QJsonObject c = v.toObject();
            QVERIFY(c["document"].toString().endsWith(".pdf"));
            QCOMPARE(c["category"].toString(), QString("Governing Law"));
            QVERIFY(c["confidence"].toDouble() >= 0 && c["confidence"].toDouble() <= 1.0);
            QVERIFY(c["page"].toInt() >= 1);
            QVERIFY(!c["regions"].toArray().isEmpty());
            QJsonObject& b = best[c["document"].toString()];
            if (b.isEmpty() || c["confidence"].toDouble() > b["confidence"].toDouble())
                b = c;
        }
        QCOMPARE(best.size(), 3);
        for (const QJsonObject& c : best) {
            QVERIFY2(c["text"].toString().contains("Governing Law. This"), qPrintable(c["text"].toString()));
            QVERIFY(c["confidence"].toDouble() > 0.3);
        }

        const Result table = folio({"clauses"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("Governing Law"));
        QCOMPARE(table.out.count(".pdf") + table.out.count("..."), 3);  // one row per contract

        const QString xlsx = tmp.filePath("clauses.xlsx");
        QCOMPARE(folio({"clauses", "--format", "xlsx", "--output", xlsx}).exitCode, 0);
        QFile book(xlsx);
        QVERIFY(book.open(QIODevice::ReadOnly));
        QCOMPARE(book.read(2), QByteArray("PK"));  // an Office Open XML zip
        QVERIFY(folio({"clauses", "--format", "xlsx"}).err.contains("--output"));

        const Result csv = folio({"clauses", "--format", "csv", "--category", "Governing Law"});
        QCOMPARE(csv.out.split('\n').first(), QByteArray("document,category,confidence,page,text"));

        const QJsonArray terms = QJsonDocument::fromJson(folio({"terms", "Master Services", "--json"}).out).array();
        bool services = false;
        for (const auto& v : terms)
            services = services || (v.toObject()["term"].toString() == "Services" && v.toObject()["uses"].toInt() > 0);
        QVERIFY(services);

        const QJsonArray refs = QJsonDocument::fromJson(folio({"xrefs", "--json"}).out).array();
        QVERIFY(refs.size() > 20);
        bool article4 = false;
        for (const auto& v : refs) {
            const QJsonObject r = v.toObject();
            article4 = article4 || (r["text"].toString() == "Article 4" && r["resolved"].toBool() &&
                                    r["target"].toObject()["title"].toString() == "FEES AND PAYMENT");
        }
        QVERIFY(article4);

        // The sample's references all resolve and its terms are all defined: the listings are empty, and say so
        // on stderr so that a script reading stdout still gets nothing.
        const Result unresolved = folio({"xrefs", "--unresolved"});
        QCOMPARE(unresolved.exitCode, 0);
        QVERIFY(unresolved.out.isEmpty());
        QCOMPARE(unresolved.err, QByteArray("Every cross-reference resolves.\n"));
        const Result undefinedTerms = folio({"terms", "--undefined"});
        QVERIFY(undefinedTerms.out.isEmpty());
        QCOMPARE(undefinedTerms.err, QByteArray("No term is used without a definition.\n"));

        const Result outline = folio({"outline", "Commercial Lease"});
        QCOMPARE(outline.exitCode, 0);
        QVERIFY(outline.out.contains("Section 4.01(b)"));
        QVERIFY(folio({"outline", "no-such.pdf"}).err.contains("no-such.pdf"));
    }
    void deviationsAgainstAReferenceAndTheNorm()
    {
        // After analyzeThenClausesTermsXrefs: the three sample contracts against the services agreement.
        const Result ref = folio({"deviations", "--reference", "Master Services", "--json"});
        QCOMPARE(ref.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(ref.out).object();
        QCOMPARE(report["baseline"].toString(), QString("reference"));
        QCOMPARE(report["against"].toString(), QString("reference Northwind-Harbor Master Services Agreement.pdf"));
        const QJsonArray contracts = report["contracts"].toArray();
        QCOMPARE(contracts.size(), 3);
        QMap<QString, QString> roles;
        for (const auto& c : contracts) roles[c.toObject()["document"].toString()] = c.toObject()["role"].toString();
        QCOMPARE(roles["Northwind-Harbor Master Services Agreement.pdf"], QString("reference"));
        QCOMPARE(roles["Lumen-Greenfield Software License.pdf"], QString("compared"));
        bool law = false, wording = false;
        for (const auto& v : report["deviations"].toArray()) {
            const QJsonObject d = v.toObject();
            QVERIFY(d["document"].toString() != "Northwind-Harbor Master Services Agreement.pdf");
            if (d["document"].toString() == "Lumen-Greenfield Software License.pdf" && d["category"] == "Governing Law") {
                if (d["kind"] == "unusual value") {
                    law = d["value"] == "California" && d["expected"] == "New York" && d["page"].toInt() >= 1 &&
                          !d["regions"].toArray().isEmpty();
                } else if (d["kind"] == "different wording") {
                    wording = d["similarity"].toDouble() < 0.75 &&
                              d["compared_with"].toObject()["document"] == "Northwind-Harbor Master Services Agreement.pdf" &&
                              d["marked_diff"].toString().contains("{+California.+}") && !d["diff"].toArray().isEmpty();
                }
            }
        }
        QVERIFY(law);
        QVERIFY(wording);

        // The norm of three different contracts, as a table and as a workbook.
        const QString xlsx = tmp.filePath("deviations.xlsx");
        const Result norm = folio({"deviations", "--xlsx", xlsx});
        QCOMPARE(norm.exitCode, 0);
        QVERIFY2(norm.out.startsWith("Deviations from the norm of 3 contracts"), norm.out.constData());
        QVERIFY(norm.out.contains("Wrote " + xlsx.toUtf8()));
        QFile book(xlsx);
        QVERIFY(book.open(QIODevice::ReadOnly));
        QCOMPARE(book.read(2), QByteArray("PK"));
        const Result normJson = folio({"deviations", "--json"});
        QCOMPARE(QJsonDocument::fromJson(normJson.out).object()["baseline"].toString(), QString("norm"));

        // A reference that is not there, or cannot be written to, is named.
        const Result bad = folio({"deviations", "--reference", "No Such Contract.pdf"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("--reference 'No Such Contract.pdf': no such document"), bad.err.constData());
        const Result unwritable = folio({"deviations", "--xlsx", tmp.filePath("missing/folder/d.xlsx")});
        QCOMPARE(unwritable.exitCode, 1);
        QVERIFY2(unwritable.err.contains("missing/folder/d.xlsx"), unwritable.err.constData());
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
    // Code intelligence as a developer uses it: a repository ingested, then symbols, definitions, references,
    // completion and outlines, in JSON, with clear errors for locations that name nothing.
    void codeIntelligenceCommands()
    {
        folio::test::RepoBuilder repo(tmp.filePath("code-repo").toStdString());
        repo.setFile("lib/queue.h", "#pragma once\nstruct Queue {\n    int size;\n    void push(int v);\n};\nint drain(Queue* q);\n");
        repo.setFile("lib/queue.c", "#include \"queue.h\"\n/* Empties q. */\nint drain(Queue* q) {\n    int n = q->size;\n    q->size = 0;\n    return n;\n}\n");
        repo.setFile("app/main.c", "#include \"../lib/queue.h\"\nint main(void) {\n    Queue q;\n    int drained = drain(&q);\n    return dra\n}\n");
        repo.commit("queue");
        const QString ws = tmp.filePath("code-ws");
        const QStringList base = {"--workspace", ws};
        auto run = [&](const QStringList& args) {
            QProcess p;
            p.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), base + args);
            p.waitForFinished(120000);
            return Result{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        };
        QCOMPARE(run({"ingest", tmp.filePath("code-repo")}).exitCode, 0);

        const Result symbols = run({"symbols", "drn", "--json"});
        QCOMPARE(symbols.exitCode, 0);
        const QJsonArray hits = QJsonDocument::fromJson(symbols.out).array();
        QVERIFY(hits.size() >= 2);
        QCOMPARE(hits[0].toObject()["name"].toString(), QString("drain"));
        QCOMPARE(hits[0].toObject()["path"].toString(), QString("lib/queue.c"));  // the definition before the prototype
        QCOMPARE(hits[0].toObject()["doc"].toString(), QString("Empties q."));

        const Result def = run({"def", "app/main.c:4:19", "--json"});
        QCOMPARE(def.exitCode, 0);
        const QJsonObject d = QJsonDocument::fromJson(def.out).object();
        QCOMPARE(d["identifier"].toString(), QString("drain"));
        const QJsonObject target = d["definitions"].toArray()[0].toObject();
        QCOMPARE(target["path"].toString(), QString("lib/queue.c"));
        QCOMPARE(target["line"].toInt(), 3);
        QCOMPARE(target["signature"].toString(), QString("int drain(Queue* q)"));

        const Result refs = run({"refs", "lib/queue.c:3:6", "--json"});
        QCOMPARE(refs.exitCode, 0);
        QStringList places;
        for (const auto& r : QJsonDocument::fromJson(refs.out).object()["references"].toArray())
            places << r.toObject()["path"].toString() + ":" + QString::number(r.toObject()["line"].toInt());
        QCOMPARE(places, (QStringList{"app/main.c:4", "lib/queue.c:3", "lib/queue.h:6"}));

        const Result member = run({"def", "queue.c:4:16", "--json"});  // q->size: the field of Queue
        const QJsonObject field = QJsonDocument::fromJson(member.out).object()["definitions"].toArray()[0].toObject();
        QCOMPARE(field["kind"].toString(), QString("field"));
        QCOMPARE(field["container"].toString(), QString("Queue"));

        const Result complete = run({"complete", "app/main.c:5:15", "--json"});
        QCOMPARE(complete.exitCode, 0);
        const QJsonArray words = QJsonDocument::fromJson(complete.out).array();
        QVERIFY(words.size() >= 2);
        QCOMPARE(words[0].toObject()["name"].toString(), QString("drained"));  // the local first
        QCOMPARE(words[0].toObject()["tier"].toString(), QString("local"));
        QCOMPARE(words[1].toObject()["name"].toString(), QString("drain"));

        const Result outline = run({"outline", "lib/queue.h", "--json"});
        QCOMPARE(outline.exitCode, 0);
        const QJsonArray tree = QJsonDocument::fromJson(outline.out).array();
        QCOMPARE(tree.size(), 4);  // Queue, size, push, drain
        QCOMPARE(tree[1].toObject()["depth"].toInt(), 1);
        QCOMPARE(tree[1].toObject()["container"].toString(), QString("Queue"));

        const Result text = run({"def", "app/main.c:4:19"});
        QVERIFY(text.out.contains("lib/queue.c:3:5  function drain"));

        const Result badFormat = run({"def", "app/main.c"});
        QCOMPARE(badFormat.exitCode, 1);
        QVERIFY(badFormat.err.contains("is not FILE:LINE:COLUMN"));
        const Result nothing = run({"def", "app/main.c:1:1"});
        QCOMPARE(nothing.exitCode, 1);
        QVERIFY(nothing.err.contains("not on an identifier"));
        const Result missing = run({"refs", "nowhere.c:1:1"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no file 'nowhere.c'"));
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
