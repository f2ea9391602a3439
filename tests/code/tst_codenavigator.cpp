// CodeNavigator over a repository ingested into a workspace (IngestService -> CodeStore): definitions ranked
// by scope, members through the receiver's type, prototypes told from definitions, references that resolve
// to the same symbol, completion by scope, incremental re-indexing, and a workspace from before code
// intelligence (schema 3) indexed on its next ingest.

#include "folio/app/code_store.h"
#include "folio/app/ingest_service.h"
#include "folio/code/code_navigator.h"
#include "folio/code/completion_provider.h"
#include "repo_builder.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace folio;

namespace {

const char* kShapeHeader = R"(#pragma once
namespace geo {
/// A polygon.
class Shape {
public:
    double area() const;
    int sides;
};
double scale(double x);
}
)";

const char* kShapeSource = R"(#include "geometry/shape.h"
namespace geo {
double Shape::area() const { return sides * 1.5; }
double scale(double x) { return x * 2; }
}
)";

const char* kMain = R"(#include "geometry/shape.h"
static int count = 0;
int area(int w) { return w; }
int main() {
    geo::Shape s;
    int count = 3;
    double a = s.area();
    return count + area(2) + int(geo::scale(a));
}
)";

// Lines and columns in the tests are 1-based, as an editor shows them.
code::CodePosition at(const std::string& path, int line, int column)
{
    return {path, {line - 1, column - 1}};
}

std::string where(const code::SymbolLocation& s)
{
    return s.path + ":" + std::to_string(s.symbol.nameRange.begin.line + 1);
}

}  // namespace

class TestCodeNavigator : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<test::RepoBuilder> repo;
    std::filesystem::path workspace;

    app::IngestReport ingest()
    {
        app::WorkspaceStore store(workspace);
        return app::IngestService(store).ingest({repo->dir()}, {});
    }
    std::string definitionOf(const code::CodePosition& p)
    {
        app::CodeStore store(workspace);
        code::CodeNavigator nav(store);
        const auto defs = nav.definitions(p);
        return defs.empty() ? std::string("none") : where(defs.front().location);
    }

private slots:
    void initTestCase()
    {
        workspace = tmp.filePath("ws").toStdString();
        repo = std::make_unique<test::RepoBuilder>(tmp.filePath("repo").toStdString());
        repo->setFile("include/geometry/shape.h", kShapeHeader);
        repo->setFile("src/shape.cpp", kShapeSource);
        repo->setFile("src/main.cpp", kMain);
        repo->setFile("pkg/__init__.py", "");
        repo->setFile("pkg/cache.py", "class Cache:\n    def get(self, key):\n        return key\n\ndef make():\n    return Cache()\n");
        repo->setFile("other/cache.py", "def make():\n    return None\n");
        repo->setFile("pkg/app.py", "from .cache import make\n\ndef run():\n    c = make()\n    return c.get(1)\n");
        repo->setFile("tools/script.py", "from other.cache import make\n\nx = make()\n");
        repo->setFile("pkg/util.py", "def make_all():\n    return make_one()\n");
        repo->setFile("pkg/one.py", "def make_one():\n    return 1\n");
        repo->setFile("lib/one.py", "def make_one():\n    return 2\n");
        repo->setFile("web/registry.ts", "export class Registry {\n  add(x: number) { return x; }\n}\n"
                                         "export function add(a: number, b: number) { return a + b; }\n");
        repo->setFile("web/main.ts", "import { Registry } from \"./registry\";\nconst r: Registry = new Registry();\nr.add(1);\n");
        repo->commit("first");
        const auto report = ingest();
        QVERIFY(report.problems.empty());
        QCOMPARE(report.added, std::uint64_t(13));
    }
    void indexIsStoredDuringIngest()
    {
        app::CodeStore store(workspace);
        const auto stats = store.stats();
        QCOMPARE(stats.files, std::int64_t(13));  // every file, pkg/__init__.py too
        QVERIFY(stats.symbols >= 20);
        QVERIFY(stats.references >= 30);
        QCOMPARE(store.symbolsNamed("Shape").size(), std::size_t(1));
        QCOMPARE(store.importsOf("src/main.cpp").size(), std::size_t(1));
        const auto hits = store.searchSymbols("shp");
        QVERIFY(!hits.empty());
        QCOMPARE(hits.front().location.symbol.name, std::string("Shape"));
        QCOMPARE(store.searchSymbols("make", "function", "python").size(), std::size_t(5));
    }
    // --no-code-index: a repository for search only; indexed by the next ingest that wants it.
    void ingestWithoutCodeIndex()
    {
        const std::filesystem::path plain = tmp.filePath("plain").toStdString();
        {
            app::WorkspaceStore store(plain);
            app::IngestOptions options;
            options.codeIndex = false;
            QCOMPARE(app::IngestService(store).ingest({repo->dir()}, options).added, std::uint64_t(13));
        }
        QCOMPARE(app::CodeStore(plain).stats().files, std::int64_t(0));
        {
            app::WorkspaceStore store(plain);
            QCOMPARE(app::IngestService(store).ingest({repo->dir()}, {}).updated, std::uint64_t(13));
        }
        QCOMPARE(app::CodeStore(plain).stats().files, std::int64_t(13));
    }
    void localsShadowGlobals()
    {
        QCOMPARE(definitionOf(at("src/main.cpp", 8, 12)), std::string("src/main.cpp:6"));  // count: the local
    }
    void membersResolveThroughTheReceiversType()
    {
        // s.area(): the method of geo::Shape (its definition, not the prototype), not the free area() here.
        QCOMPARE(definitionOf(at("src/main.cpp", 7, 18)), std::string("src/shape.cpp:3"));
        QCOMPARE(definitionOf(at("src/main.cpp", 8, 20)), std::string("src/main.cpp:3"));  // area(2): the free one
        QCOMPARE(definitionOf(at("web/main.ts", 3, 3)), std::string("web/registry.ts:2"));  // r.add: Registry's
        QCOMPARE(definitionOf(at("pkg/app.py", 5, 14)), std::string("pkg/cache.py:2"));   // c.get: c = make() is unknown,
    }                                                                                     // but get exists once
    void prototypesLeadToTheirDefinition()
    {
        QCOMPARE(definitionOf(at("src/main.cpp", 8, 39)), std::string("src/shape.cpp:4"));  // geo::scale
        app::CodeStore store(workspace);
        code::CodeNavigator nav(store);
        const auto all = nav.definitions(at("src/main.cpp", 8, 39));
        QCOMPARE(all.size(), std::size_t(2));
        QVERIFY(!all[0].location.symbol.declaration);
        QVERIFY(all[1].location.symbol.declaration);
    }
    void importsRankAboveTheSameName()
    {
        QCOMPARE(definitionOf(at("tools/script.py", 3, 5)), std::string("other/cache.py:1"));  // from other.cache
        QCOMPARE(definitionOf(at("pkg/app.py", 4, 9)), std::string("pkg/cache.py:5"));        // from .cache
        QCOMPARE(definitionOf(at("pkg/util.py", 2, 12)), std::string("pkg/one.py:1"));        // same folder
        app::CodeStore store(workspace);
        code::CodeNavigator nav(store);
        const auto defs = nav.definitions(at("tools/script.py", 3, 5));
        QCOMPARE(defs.front().tier, code::Tier::Imported);
    }
    void referencesAreThoseOfTheSameSymbol()
    {
        app::CodeStore store(workspace);
        code::CodeNavigator nav(store);
        std::vector<std::string> found;
        for (const auto& r : nav.references(at("src/shape.cpp", 3, 15)))
            found.push_back(r.path + ":" + std::to_string(r.reference.range.begin.line + 1));
        // The prototype, the definition and s.area(); not the free area() nor its call.
        QCOMPARE(found, (std::vector<std::string>{"include/geometry/shape.h:6", "src/main.cpp:7", "src/shape.cpp:3"}));

        found.clear();
        for (const auto& r : nav.references(at("src/main.cpp", 6, 9)))
            found.push_back(r.path + ":" + std::to_string(r.reference.range.begin.line + 1));
        QCOMPARE(found, (std::vector<std::string>{"src/main.cpp:6", "src/main.cpp:8"}));  // the local count only

        found.clear();
        for (const auto& r : nav.references(at("other/cache.py", 1, 5)))
            found.push_back(r.path + ":" + std::to_string(r.reference.range.begin.line + 1));
        QCOMPARE(found, (std::vector<std::string>{"other/cache.py:1", "tools/script.py:1", "tools/script.py:3"}));
    }
    void completionRanksByScope()
    {
        app::CodeStore store(workspace);
        code::CodeNavigator nav(store);
        const auto words = nav.complete(at("src/main.cpp", 8, 14));  // "return co" ... in main: `count`
        QVERIFY(!words.empty());
        QCOMPARE(words.front().name, std::string("count"));
        QCOMPARE(words.front().tier, code::Tier::Local);

        const auto members = nav.complete(at("src/main.cpp", 7, 18));  // "s.a": members of Shape
        QVERIFY(!members.empty());
        QCOMPARE(members.front().name, std::string("area"));
        QCOMPARE(members.front().kind, std::string("method"));
        const auto none = std::find_if(members.begin(), members.end(), [](const code::Completion& c) { return c.name == "main"; });
        QVERIFY(none == members.end());
    }
    // The completion provider reads the editor's buffer, not the stored file: a local typed a moment ago is
    // offered first.
    void completionReadsTheEditorsBuffer()
    {
        app::CodeStore store(workspace);
        code::IdentifierCompletion provider(store);
        const std::string buffer = "#include \"geometry/shape.h\"\nint main() {\n    int counted = 1;\n    return cou\n}\n";
        const auto words = provider.complete({"src/main.cpp", {3, 14}, buffer}, 10);
        QVERIFY(!words.empty());
        QCOMPARE(words.front().name, std::string("counted"));
        QCOMPARE(words.front().tier, code::Tier::Local);
        const auto stored = code::CodeNavigator(store).complete(at("src/main.cpp", 8, 14));
        QVERIFY(std::none_of(stored.begin(), stored.end(), [](const code::Completion& c) { return c.name == "counted"; }));
    }
    // A name this file keeps using (a library call no file defines) comes before names merely defined
    // elsewhere; the case typed counts.
    void completionPrefersWhatTheFileUses()
    {
        app::CodeStore store(workspace);
        code::IdentifierCompletion provider(store);
        const std::string buffer = "mapValues(1);\nmapValues(2);\nma";
        const auto words = provider.complete({"web/main.ts", {2, 2}, buffer}, 10);
        QVERIFY(words.size() >= 3);
        QCOMPARE(words.front().name, std::string("mapValues"));
        const auto has = [&](const char* name) {
            return std::any_of(words.begin(), words.end(), [&](const code::Completion& c) { return c.name == name; });
        };
        QVERIFY(has("make") && has("main"));
    }
    void changesAreIndexedIncrementally()
    {
        repo->setFile("include/geometry/shape.h", std::string(kShapeHeader).replace(std::string(kShapeHeader).find("scale"), 5, "rescale"));
        repo->setFile("src/shape.cpp", std::string(kShapeSource).replace(std::string(kShapeSource).find("scale"), 5, "rescale"));
        repo->removeFile("other/cache.py");
        repo->setFile("tools/report.py", repo->dir().empty() ? "" : "def report():\n    return 0\n");  // a new file
        repo->commit("rename scale, drop other/cache.py");
        const auto report = ingest();
        QCOMPARE(report.updated, std::uint64_t(2));
        QCOMPARE(report.added, std::uint64_t(1));
        QCOMPARE(report.removed, std::uint64_t(1));
        QCOMPARE(report.unchanged, std::uint64_t(10));
        QCOMPARE(report.blobsRead, std::uint64_t(3));  // a tree diff reads only what changed
        app::CodeStore store(workspace);
        QVERIFY(store.symbolsNamed("scale").empty());
        QCOMPARE(store.symbolsNamed("rescale").size(), std::size_t(2));
        QCOMPARE(store.symbolsNamed("make").size(), std::size_t(1));
        QCOMPARE(store.symbolsNamed("report").size(), std::size_t(1));
        QCOMPARE(definitionOf(at("tools/script.py", 3, 5)), std::string("pkg/cache.py:5"));  // its import is gone
    }
    // A name imported from a barrel (index.ts re-exporting a module) resolves into the module it re-exports,
    // before a same-named class the importing file never reaches.
    void importsAreFollowedThroughReExports()
    {
        test::RepoBuilder barrel(tmp.filePath("barrel").toStdString());
        barrel.setFile("web/registry.ts", "export class Registry {}\n");
        barrel.setFile("web/index.ts", "export { Registry } from \"./registry\";\n");
        barrel.setFile("aaa/registry.ts", "export class Registry {}\n");  // sorts first by path
        barrel.setFile("app/use.ts", "import { Registry } from \"../web\";\nconst r = new Registry();\n");
        barrel.commit("barrel");
        const std::filesystem::path ws = tmp.filePath("barrel-ws").toStdString();
        {
            app::WorkspaceStore store(ws);
            QCOMPARE(app::IngestService(store).ingest({barrel.dir()}, {}).added, std::uint64_t(4));
        }
        app::CodeStore store(ws);
        code::CodeNavigator nav(store);
        const auto defs = nav.definitions(at("app/use.ts", 2, 15));
        QVERIFY(!defs.empty());
        QCOMPARE(where(defs.front().location), std::string("web/registry.ts:1"));
        QCOMPARE(defs.front().tier, code::Tier::Imported);
    }
    // a.b.c(): the receiver's type followed through the declared types of its fields.
    void memberChainsFollowDeclaredTypes()
    {
        test::RepoBuilder chain(tmp.filePath("chain").toStdString());
        chain.setFile("car.ts", "export class Motor {\n  start() { return 2; }\n}\nexport class Engine {\n  start() { return 1; }\n}\n"
                                "export class Car {\n  engine: Engine = new Engine();\n}\n");
        chain.setFile("drive.ts", "import { Car } from \"./car\";\nconst c: Car = new Car();\nc.engine.start();\n");
        chain.setFile("untyped.ts", "import { Engine } from \"./car\";\nexport function go(e) {\n  return e.start();\n}\n");
        chain.commit("chain");
        const std::filesystem::path ws = tmp.filePath("chain-ws").toStdString();
        {
            app::WorkspaceStore store(ws);
            app::IngestService(store).ingest({chain.dir()}, {});
        }
        app::CodeStore store(ws);
        code::CodeNavigator nav(store);
        const auto defs = nav.definitions(at("drive.ts", 3, 10));
        QVERIFY(!defs.empty());
        QCOMPARE(where(defs.front().location), std::string("car.ts:5"));  // Engine's start, not Motor's before it
        QVERIFY(defs.front().receiverTypeMatched);
        // e has no declared type, but the file names Engine, not Motor.
        const auto untyped = nav.definitions(at("untyped.ts", 3, 12));
        QVERIFY(!untyped.empty());
        QCOMPARE(where(untyped.front().location), std::string("car.ts:5"));
        QVERIFY(!untyped.front().receiverTypeMatched);
    }
    // A workspace made before code intelligence has documents but no code tables: the next ingest indexes
    // every code file although none changed.
    void schemaThreeWorkspaceIsIndexedOnItsNextIngest()
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open((workspace / "workspace.sqlite").string().c_str(), &db), SQLITE_OK);
        const char* downgrade = "DROP TABLE questions; DROP TABLE code_imports; DROP TABLE code_references; DROP TABLE code_symbols; "
                                "DROP TABLE code_files; ALTER TABLE pages DROP COLUMN text_source; ALTER TABLE pages DROP COLUMN ocr_confidence; "
                                "PRAGMA user_version = 3;";
        QCOMPARE(sqlite3_exec(db, downgrade, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        const auto report = ingest();
        QCOMPARE(report.updated, std::uint64_t(13));
        app::CodeStore store(workspace);
        QCOMPARE(store.stats().files, std::int64_t(13));
        QCOMPARE(store.symbolsNamed("Shape").size(), std::size_t(1));
        const auto again = ingest();  // and then nothing is read again
        QCOMPARE(again.blobsRead, std::uint64_t(0));
        QCOMPARE(again.updated + again.added, std::uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestCodeNavigator)
#include "tst_codenavigator.moc"
