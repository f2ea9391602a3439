#include "folio/app/contract_pdf.h"
#include "folio/app/ingest_service.h"
#include "pdf_fixtures.h"
#include "repo_builder.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QProcess>
#include <QThread>
#include <QFileInfo>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <csignal>

using namespace folio;

class TestIngestService : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString pdfDir;

private slots:
    void initTestCase()
    {
        // A batch of contracts with one corrupt, one encrypted and one scanned file among them.
        pdfDir = tmp.filePath("batch");
        QDir().mkpath(pdfDir + "/nested");
        for (int i = 0; i < 24; ++i)
            test::writeSampleContract(QString("%1/%2contract-%3.pdf").arg(pdfDir, i % 3 ? "" : "nested/").arg(i, 2, 10, QChar('0')),
                                      5, "Party " + std::to_string(i));  // long enough to kill mid-way
        test::writeFile(pdfDir + "/corrupt.pdf", "%PDF-1.4\n1 0 obj << broken");
        test::writeFile(pdfDir + "/locked.pdf", test::encryptedPdf());
        app::ContractPdfSpec scan;
        scan.asImage = true;
        for (int i = 0; i < 25; ++i)
            scan.paragraphs.push_back({app::ContractParagraph::Style::Body,
                                       "A scanned page has pixels, not text: nothing here can be selected or searched.", 0});
        app::writeContractPdf(scan, (pdfDir + "/scan.pdf").toStdString());
    }
    void badFilesAreReportedAndTheRestIngested()
    {
        app::WorkspaceStore store(tmp.filePath("ws-batch").toStdString());
        app::IngestService service(store);
        std::uint64_t lastDone = 0, total = 0;
        app::IngestOptions twoWorkers;
        twoWorkers.threads = 2;
        const auto report = service.ingest({pdfDir.toStdString(), tmp.filePath("does-not-exist").toStdString()},
                                           twoWorkers, [&](const app::IngestProgress& p) {
                                               QVERIFY(p.done >= lastDone);
                                               lastDone = p.done;
                                               total = p.total;
                                           });
        QCOMPARE(report.added, std::uint64_t(27));
        QCOMPARE(total, std::uint64_t(27));
        QCOMPARE(lastDone, total);
        QCOMPARE(report.errorCount(), 3);  // corrupt, locked, the missing path
        std::map<std::string, std::string> byName;
        for (const auto& p : report.problems) byName[QFileInfo(QString::fromStdString(p.path)).fileName().toStdString()] = p.status + ": " + p.reason;
        QVERIFY(byName["corrupt.pdf"].starts_with("error: damaged PDF"));
        QVERIFY(byName["locked.pdf"].starts_with("error: encrypted PDF"));
        QVERIFY(byName["scan.pdf"].starts_with("warning: no text layer"));
        QVERIFY(byName["does-not-exist"].starts_with("error: no such file"));
        QCOMPARE(store.documents().size(), std::size_t(27));
        QCOMPARE(store.search("\"Party 17\"").size(), std::size_t(1));

        // A second run reads nothing that did not change, except the files that failed before: they are tried
        // and reported again, and failing on the same bytes counts as unchanged, not updated.
        const auto again = service.ingest({pdfDir.toStdString()}, {});
        QCOMPARE(again.unchanged, std::uint64_t(27));
        QCOMPARE(again.updated, std::uint64_t(0));
        QCOMPARE(again.added, std::uint64_t(0));
        QCOMPARE(again.errorCount(), 2);

        // A deleted PDF leaves the workspace with its folder's next ingest.
        QVERIFY(QFile::remove(pdfDir + "/nested/contract-00.pdf"));
        const auto removed = service.ingest({pdfDir.toStdString()}, {});
        QCOMPARE(removed.removed, std::uint64_t(1));
        QVERIFY(store.search("\"Party 0\"").empty());
        test::writeSampleContract(pdfDir + "/nested/contract-00.pdf", 2, "Party 0");
    }
    void repositoryReingestReadsOnlyChangedBlobs()
    {
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        for (int i = 0; i < 300; ++i) repo.setFile("src/m" + std::to_string(i) + ".py", "def f" + std::to_string(i) + "(): pass\n");
        repo.setFile("big.bin", std::string(100, '\0'));
        repo.commit("base");
        app::WorkspaceStore store(tmp.filePath("ws-repo").toStdString());
        app::IngestService service(store);
        const auto first = service.ingest({repo.dir()}, {});
        QCOMPARE(first.added, std::uint64_t(301));
        QCOMPARE(first.blobsRead, std::uint64_t(301));
        QCOMPARE(first.errorCount(), 0);

        repo.setFile("src/m5.py", "def changed(): pass\n");
        repo.setFile("src/new.py", "def added(): pass\n");
        repo.removeFile("src/m9.py");
        repo.commit("three changes");
        const auto second = service.ingest({repo.dir()}, {});
        QCOMPARE(second.blobsRead, std::uint64_t(2));
        QCOMPARE(second.added, std::uint64_t(1));
        QCOMPARE(second.updated, std::uint64_t(1));
        QCOMPARE(second.removed, std::uint64_t(1));
        QCOMPARE(second.unchanged, std::uint64_t(299));
        QCOMPARE(store.documents().size(), std::size_t(301));
        QCOMPARE(store.search("changed").size(), std::size_t(1));
        QVERIFY(store.search("f9").empty());

        // A document read by an older reader is read again, even though its blob did not change.
        {
            sqlite3* db = nullptr;
            sqlite3_open(store.databaseFile().c_str(), &db);
            sqlite3_exec(db, "UPDATE documents SET reader_version = 0 WHERE path = 'src/m1.py'", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        }
        const auto upgraded = service.ingest({repo.dir()}, {});
        QCOMPARE(upgraded.blobsRead, std::uint64_t(1));
        QCOMPARE(upgraded.updated, std::uint64_t(1));

        // A file skipped for its size is read once the limit grows past it, and skipped again when it falls.
        std::string notes;
        for (int i = 0; i < 20; ++i) notes += "plenty of words in the release notes\n";
        repo.setFile("NOTES.txt", notes);
        repo.commit("notes");
        const auto small = service.ingest({repo.dir()}, {.maxFileSize = 500});
        QCOMPARE(small.added, std::uint64_t(1));
        QCOMPARE(small.problems.size(), std::size_t(1));
        QVERIFY2(small.problems[0].reason.starts_with("larger than the size limit"), small.problems[0].reason.c_str());
        QVERIFY(store.search("plenty").empty());
        const auto sameLimit = service.ingest({repo.dir()}, {.maxFileSize = 500});
        QCOMPARE(sameLimit.updated, std::uint64_t(0));
        QCOMPARE(sameLimit.unchanged, std::uint64_t(302));
        const auto larger = service.ingest({repo.dir()}, {});
        QCOMPARE(larger.updated, std::uint64_t(1));
        QCOMPARE(store.search("plenty").size(), std::size_t(1));
        const auto smallerAgain = service.ingest({repo.dir()}, {.maxFileSize = 500});
        QCOMPARE(smallerAgain.updated, std::uint64_t(1));
        QVERIFY(store.search("plenty").empty());
        repo.removeFile("NOTES.txt");
        repo.commit("no notes");
        service.ingest({repo.dir()}, {});

        // An older ref is a tree diff too, back in time.
        const auto back = service.ingest({repo.dir()}, {.ref = "main~3"});
        QCOMPARE(back.blobsRead, std::uint64_t(2));
        QCOMPARE(store.search("f9").size(), std::size_t(1));
    }
    void killedIngestResumesToTheSameContent()
    {
        const QByteArray folio = qgetenv("FOLIO_EXECUTABLE");
        QVERIFY2(!folio.isEmpty(), "FOLIO_EXECUTABLE names the folio binary (set by ctest)");
        const QString killed = tmp.filePath("ws-killed"), clean = tmp.filePath("ws-clean");

        // Kill -9 as soon as some documents are in, but before the run ends.
        QProcess process;
        process.start(QString::fromUtf8(folio), {"--workspace", killed, "ingest", "--threads", "1", pdfDir});
        QVERIFY(process.waitForStarted());
        QElapsedTimer timer;
        timer.start();
        bool killedMidway = false;
        while (timer.elapsed() < 60000 && process.state() == QProcess::Running) {
            QThread::msleep(5);
            if (!QFile::exists(killed + "/workspace.sqlite")) continue;
            try {
                app::WorkspaceStore peek(killed.toStdString());
                if (peek.documents().size() >= 3) {
                    ::kill(pid_t(process.processId()), SIGKILL);
                    killedMidway = true;
                    break;
                }
            } catch (const std::exception&) {
                // busy or mid-migration: look again
            }
        }
        process.waitForFinished();
        QVERIFY2(killedMidway, "the ingest finished before it could be killed");
        {
            app::WorkspaceStore partial(killed.toStdString());
            QVERIFY(partial.documents().size() < 27);
            QCOMPARE(partial.sources().front().state, std::string("ingesting"));
        }
        QProcess resume;
        resume.start(QString::fromUtf8(folio), {"--workspace", killed, "ingest", pdfDir});
        QVERIFY(resume.waitForFinished(120000));

        app::WorkspaceStore store(clean.toStdString());
        app::IngestService(store).ingest({pdfDir.toStdString()}, {});
        app::WorkspaceStore resumed(killed.toStdString());
        QCOMPARE(resumed.sources().front().state, std::string("complete"));
        QCOMPARE(resumed.documents().size(), std::size_t(27));
        QCOMPARE(resumed.contentDigest(), store.contentDigest());
    }
};

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    TestIngestService test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_ingestservice.moc"
