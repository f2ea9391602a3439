// indexFile(): every grammar's query compiles; each fixture in tests/code/fixtures gives the symbols,
// references and imports its .expected file lists (and none of its '!' lines); broken, minified and oversized
// files are handled as the index promises.

#include "code_index_lines.h"

#include "folio/code/code_index.h"
#include "folio/ingest/language.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>

using namespace folio;

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

code::FileIndex indexOf(const std::string& path, const std::string& text)
{
    const std::string grammar = code::grammarFor(ingest::detectLanguage(path, std::string_view(text).substr(0, 256)), path);
    return code::indexFile(grammar, text);
}

const code::Symbol* find(const code::FileIndex& index, const std::string& name, const std::string& kind)
{
    for (const auto& s : index.symbols)
        if (s.name == name && s.kind == kind) return &s;
    return nullptr;
}

}  // namespace

class TestFileIndexer : public QObject {
    Q_OBJECT

private slots:
    void everyGrammarsQueryCompiles()
    {
        const auto grammars = code::supportedGrammars();
        QCOMPARE(grammars.size(), std::size_t(13));
        for (const auto& g : grammars) {
            code::FileIndex index;
            QVERIFY_THROWS_NO_EXCEPTION(index = code::indexFile(g, "x\n"));
            QCOMPARE(index.language, g);
        }
    }
    void grammarsFollowTheIngestLanguage()
    {
        QCOMPARE(code::grammarFor("C++", "a/b.cc"), std::string("cpp"));
        QCOMPARE(code::grammarFor("C/C++", "a/b.h"), std::string("cpp"));
        QCOMPARE(code::grammarFor("TypeScript", "a/b.tsx"), std::string("tsx"));
        QCOMPARE(code::grammarFor("Shell", "run"), std::string("bash"));
        QCOMPARE(code::grammarFor("Markdown", "README.md"), std::string());
    }
    void fixtures_data()
    {
        QTest::addColumn<QString>("source");
        const QDir dir(FOLIO_CODE_FIXTURES);
        const auto expected = dir.entryList({"*.expected"}, QDir::Files, QDir::Name);
        QVERIFY(expected.size() >= 12);
        for (const QString& e : expected) QTest::newRow(qPrintable(e.chopped(9))) << dir.filePath(e.chopped(9));
    }
    void fixtures()
    {
        QFETCH(QString, source);
        const std::string text = readFile(source).toStdString();
        QVERIFY(!text.empty());
        const auto index = indexOf(QFileInfo(source).fileName().toStdString(), text);
        QCOMPARE(index.syntaxErrors, 0);
        QVERIFY(index.skipped.empty());
        const auto lines = test::codeIndexLines(index);
        int checked = 0;
        for (const QByteArray& raw : readFile(source + ".expected").split('\n')) {
            const std::string line = raw.trimmed().toStdString();
            if (line.empty() || line.starts_with('#')) continue;
            const bool absent = line.starts_with('!');
            const std::string want = absent ? line.substr(1) : line;
            const bool present = std::find(lines.begin(), lines.end(), want) != lines.end();
            QVERIFY2(present != absent, qPrintable(QString::fromStdString((absent ? "unexpected: " : "missing: ") + want)));
            ++checked;
        }
        QVERIFY(checked >= 20);
    }
    void signaturesAndDocComments()
    {
        const auto c = indexOf("sample.c", readFile(QString(FOLIO_CODE_FIXTURES) + "/sample.c").toStdString());
        const code::Symbol* add = nullptr;
        for (const auto& s : c.symbols)
            if (s.name == "add" && !s.declaration) add = &s;
        QVERIFY(add);
        QCOMPARE(add->doc, std::string("Adds two numbers."));
        QCOMPARE(add->signature, std::string("int add(int a, int b)"));
        QCOMPARE(find(c, "point", "struct")->doc, std::string("A point in the plane."));

        const auto py = indexOf("m.py", "class Cache:\n    \"\"\"A bounded cache.\n\n    Evicts the oldest.\"\"\"\n"
                                        "    def get(self, k):\n        return k\n");
        QCOMPARE(find(py, "Cache", "class")->doc, std::string("A bounded cache.\n\nEvicts the oldest."));
        QCOMPARE(find(py, "get", "method")->container, std::string("Cache"));
    }
    // Where assignment declares, assigning in a block to a local of the function is a use of it, not a new local.
    void assignmentInABlockIsAUse()
    {
        const auto rb = indexOf("a.rb", "def last(items)\n  seen = nil\n  items.each { |i| seen = i }\n  seen\nend\n");
        QCOMPARE(std::count_if(rb.symbols.begin(), rb.symbols.end(), [](const code::Symbol& s) { return s.name == "seen"; }), 1L);
        const auto js = indexOf("a.js", "function f() {\n  let x = 1;\n  { let x = 2; }\n}\n");  // a declaration shadows
        QCOMPARE(std::count_if(js.symbols.begin(), js.symbols.end(), [](const code::Symbol& s) { return s.name == "x"; }), 2L);
    }
    // What parses is indexed: a definition after a syntax error is still found.
    void syntaxErrorsIndexWhatParses()
    {
        const auto index = indexOf("broken.c", "int good(void) { return 1; }\nint broken( { ;;\nint after(int x) { return x; }\n");
        QVERIFY(index.syntaxErrors > 0);
        QVERIFY(find(index, "good", "function"));
        QVERIFY(find(index, "after", "function"));
    }
    void minifiedAndOversizedFilesAreSkippedWithTheReason()
    {
        std::string minified;
        for (int i = 0; i < 2000; ++i) minified += "var a" + std::to_string(i) + "=function(){return " + std::to_string(i) + "};";
        const auto m = indexOf("app.min.js", minified);
        QVERIFY(m.symbols.empty());
        QVERIFY2(m.skipped.find("minified") != std::string::npos, m.skipped.c_str());

        const std::string big(2 << 20, '\n');
        const auto b = indexOf("big.py", big);
        QVERIFY2(b.skipped.find("larger than") != std::string::npos, b.skipped.c_str());
        QVERIFY(code::indexFile("python", big, {4 << 20, 400}).skipped.empty());
    }
    // Languages without a grammar: universal-ctags gives their definitions; without ctags, the reason.
    void ctagsCoversOtherLanguages()
    {
        QCOMPARE(code::ctagsLanguageFor("Perl"), std::string("Perl"));
        QCOMPARE(code::ctagsLanguageFor("Python"), std::string());  // a grammar reads it
        QCOMPARE(code::ctagsLanguageFor("Markdown"), std::string());
        const std::string perl = "package Shop::Cart;\nsub add_item {\n  my ($self, $item) = @_;\n}\n1;\n";
        const std::string lua = "local M = {}\nfunction M.greet(name)\n  return name\nend\nreturn M\n";
        const auto run = code::indexWithCtags({{"lib/Shop/Cart.pm", perl}, {"greet.lua", lua}, {"../outside.lua", lua}});
        if (!run.error.empty()) QSKIP(("universal-ctags is not usable here: " + run.error).c_str());
        QCOMPARE(run.files.size(), std::size_t(3));
        const auto* add = find(run.files[0], "add_item", "function");
        QVERIFY(add);
        QCOMPARE(add->nameRange.begin.line, 1);
        QCOMPARE(add->nameRange.begin.column, 4);
        QVERIFY(find(run.files[0], "Shop::Cart", "module"));
        const auto* greet = find(run.files[1], "greet", "function");
        QVERIFY(greet);
        QCOMPARE(greet->container, std::string("M"));
        QVERIFY(run.files[2].symbols.empty());  // a path out of the repository is not written anywhere
        QVERIFY(run.files[0].references.empty());  // definitions only

        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        const auto missing = code::indexWithCtags({{"greet.lua", lua}});
        qputenv("PATH", path);
        QVERIFY2(missing.error.find("not installed") != std::string::npos, missing.error.c_str());
        QVERIFY(missing.files[0].symbols.empty());
    }
    void indexingIsThreadSafe()
    {
        const std::string text = readFile(QString(FOLIO_CODE_FIXTURES) + "/sample.c").toStdString();
        const auto expected = test::codeIndexLines(indexOf("sample.c", text));
        std::vector<std::vector<std::string>> results(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 20; ++i) results[std::size_t(t)] = test::codeIndexLines(indexOf("sample.c", text));
            });
        for (auto& t : threads) t.join();
        for (const auto& r : results) QCOMPARE(r, expected);
    }
};

QTEST_GUILESS_MAIN(TestFileIndexer)
#include "tst_fileindexer.moc"
