#include "folio/app/workspace_store.h"
#include "folio/ingest/pdf_reader.h"
#include "pdf_fixtures.h"

#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace folio;

namespace {

ingest::Document fileDocument(const std::string& path, const std::string& text)
{
    ingest::Document d;
    d.path = path;
    d.language = "C++";
    d.size = text.size();
    d.contentHash = "hash-" + path;
    d.text = text;
    return d;
}

}  // namespace

class TestWorkspaceStore : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void createsSchemaWithWalAndFts()
    {
        app::WorkspaceStore store(tmp.filePath("schema").toStdString());
        QCOMPARE(store.schemaVersion(), app::WorkspaceStore::kSchemaVersion);
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(store.databaseFile().c_str(), &db), SQLITE_OK);
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
        QCOMPARE(sqlite3_step(s), SQLITE_ROW);
        QCOMPARE(QString(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))), QString("wal"));
        sqlite3_finalize(s);
        sqlite3_close(db);
        // Opening again migrates nothing and keeps the version.
        app::WorkspaceStore again(tmp.filePath("schema").toStdString());
        QCOMPARE(again.schemaVersion(), app::WorkspaceStore::kSchemaVersion);
    }
    void migratesVersion1Workspaces()
    {
        const QString dir = tmp.filePath("v1");
        {
            app::WorkspaceStore store(dir.toStdString());
            const auto s = store.beginSource("repository", "/r", "");
            store.writeDocument(s.id, fileDocument("old.cpp", "int old;\n"));
        }
        // Take the workspace back to schema 1, as Folio 0.1 wrote it.
        sqlite3* db = nullptr;
        sqlite3_open((dir + "/workspace.sqlite").toUtf8().constData(), &db);
        QCOMPARE(sqlite3_exec(db,
                              "DROP TABLE analyses; DROP TABLE outline_nodes; DROP TABLE defined_terms; "
                              "DROP TABLE undefined_terms; DROP TABLE cross_references; DROP TABLE clauses; "
                              "DROP TABLE clause_answers; DROP TABLE code_imports; DROP TABLE code_references; "
                              "DROP TABLE code_symbols; DROP TABLE code_files; DROP TABLE questions; "
                              "ALTER TABLE documents DROP COLUMN reader_version; ALTER TABLE pages DROP COLUMN text_source; "
                              "ALTER TABLE pages DROP COLUMN ocr_confidence; PRAGMA user_version = 1",
                              nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        app::WorkspaceStore store(dir.toStdString());
        QCOMPARE(store.schemaVersion(), app::WorkspaceStore::kSchemaVersion);
        const auto known = store.knownDocuments(store.sources().front().id);
        QCOMPARE(known.at("old.cpp").readerVersion, 0);  // read by a reader older than any versioned one
        QCOMPARE(known.at("old.cpp").codeIndexVersion, 0);  // and never indexed as code
        QCOMPARE(store.search("old").size(), std::size_t(1));
    }
    void refusesNewerSchema()
    {
        const QString dir = tmp.filePath("newer");
        { app::WorkspaceStore store(dir.toStdString()); }
        sqlite3* db = nullptr;
        sqlite3_open((dir + "/workspace.sqlite").toUtf8().constData(), &db);
        sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        try {
            app::WorkspaceStore store(dir.toStdString());
            QFAIL("opened a workspace from the future");
        } catch (const std::exception& e) {
            QVERIFY2(std::string(e.what()).find("newer Folio") != std::string::npos, e.what());
        }
    }
    void fileRoundTripAndLineHits()
    {
        app::WorkspaceStore store(tmp.filePath("files").toStdString());
        const auto source = store.beginSource("repository", "/repo", "");
        std::string text;
        for (int i = 1; i <= 120; ++i) text += i == 87 ? "void frobnicateWidget();\n" : "int line" + std::to_string(i) + ";\n";
        text += "no newline at end";
        store.writeDocument(source.id, fileDocument("src/a.cpp", text));
        store.completeSource(source.id, "c0ffee", "7ree");

        const auto record = store.findDocument("a.cpp");
        QVERIFY(record);
        QCOMPARE(record->lineCount, 121);
        QCOMPARE(store.loadDocument(record->id).text, text);  // chunks join back into the exact file

        const auto hits = store.search("frobnicateWidget");
        QCOMPARE(hits.size(), std::size_t(1));
        QCOMPARE(hits[0].line, 87);
        QCOMPARE(hits[0].page, 0);
        QVERIFY(hits[0].snippet.find("[frobnicateWidget]") != std::string::npos);
        QCOMPARE(store.sources().front().state, std::string("complete"));
        QCOMPARE(store.sources().front().treeId, std::string("7ree"));

        // Rewriting replaces, removing deletes, both with their search rows.
        store.writeDocument(source.id, fileDocument("src/a.cpp", "int replaced;\n"));
        QVERIFY(store.search("frobnicateWidget").empty());
        QCOMPARE(store.search("replaced").size(), std::size_t(1));
        store.removeDocuments(source.id, {"src/a.cpp"});
        QVERIFY(store.search("replaced").empty());
        QVERIFY(store.documents().empty());
    }
    void pdfRoundTripAndPageHits()
    {
        const QString pdf = tmp.filePath("contract.pdf");
        test::writeSampleContract(pdf, 2);
        const auto doc = ingest::PdfReader().read(pdf.toStdString());
        app::WorkspaceStore store(tmp.filePath("pdfs").toStdString());
        const auto source = store.beginSource("pdf", tmp.path().toStdString(), "");
        store.writeDocument(source.id, doc);

        const auto record = store.findDocument("contract.pdf");
        QVERIFY(record);
        const auto loaded = store.loadDocument(record->id);
        QCOMPARE(loaded.pages.size(), doc.pages.size());
        QCOMPARE(loaded.pages[0].lines.size(), doc.pages[0].lines.size());
        QCOMPARE(loaded.pages[0].lines[1].text, doc.pages[0].lines[1].text);
        QCOMPARE(loaded.pages[0].lines[1].bold, true);
        QCOMPARE(loaded.pages[0].lines[0].role, ingest::LineRole::PageHeader);
        QCOMPARE(loaded.pages[0].lines[1].wordBoxes.size(), doc.pages[0].lines[1].wordBoxes.size());

        const auto hits = store.search("\"inspect the goods\"", 100);
        QVERIFY(hits.size() > 3);
        QVERIFY(hits[0].page >= 1);
        QVERIFY(hits[0].box.y1 > hits[0].box.y0);
        // Running headers are kept apart: not searchable as body text.
        QVERIFY(store.search("\"Supply Agreement Acme\"").empty());
        // Punctuation that is FTS5 syntax is searched as typed.
        QVERIFY(!store.search("1.2 Supplier").empty());
    }
    void digestIgnoresIdsAndOrder()
    {
        app::WorkspaceStore a(tmp.filePath("da").toStdString()), b(tmp.filePath("db").toStdString());
        const auto sa = a.beginSource("repository", "/r", "");
        a.writeDocument(sa.id, fileDocument("x", "one\n"));
        a.writeDocument(sa.id, fileDocument("y", "two\n"));
        const auto sb = b.beginSource("repository", "/r", "");
        b.writeDocument(sb.id, fileDocument("y", "two\n"));
        b.writeDocument(sb.id, fileDocument("x", "one\n"));
        QCOMPARE(a.contentDigest(), b.contentDigest());
        b.writeDocument(sb.id, fileDocument("x", "one!\n"));
        QVERIFY(a.contentDigest() != b.contentDigest());
    }
    void ambiguousPathIsAnError()
    {
        app::WorkspaceStore store(tmp.filePath("ambiguous").toStdString());
        const auto s = store.beginSource("repository", "/r", "");
        store.writeDocument(s.id, fileDocument("a/main.cpp", "1\n"));
        store.writeDocument(s.id, fileDocument("b/main.cpp", "2\n"));
        store.writeDocument(s.id, fileDocument("b/domain.cpp", "3\n"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store.findDocument("main.cpp"));
        QCOMPARE(store.findDocument("b/main.cpp")->path, std::string("b/main.cpp"));
        QCOMPARE(store.findDocument("domain")->path, std::string("b/domain.cpp"));
        QVERIFY(!store.findDocument("nothing-like-this"));
    }
};

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    TestWorkspaceStore test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_workspacestore.moc"
