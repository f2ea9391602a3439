// Resolution rules of CodeNavigator on small repositories held in memory (no workspace, no ingest): each
// test is a fixture with the definition or references a compiler would give, for one rule of the ranking.

#include "folio/code/code_navigator.h"

#include <QTest>

#include <algorithm>
#include <map>

using namespace folio;

namespace {

// The workspace's index, kept in memory: every file indexed with indexFile(), symbols and references found
// by scanning them all.
class MemorySource : public code::SymbolSource {
public:
    void add(const std::string& path, const std::string& text)
    {
        const std::string ext = path.substr(path.rfind('.') + 1);
        const std::string grammar = ext == "ts" ? "typescript" : ext == "tsx" ? "tsx" : ext == "py" ? "python" : "c";
        files_[path] = {path, grammar, text};
        indexes_[path] = code::indexFile(grammar, text);
    }
    std::optional<code::SourceFile> file(const std::string& path) const override
    {
        const auto it = files_.find(path);
        return it == files_.end() ? std::nullopt : std::optional(it->second);
    }
    std::vector<std::string> indexedPaths() const override
    {
        std::vector<std::string> out;
        for (const auto& [path, f] : files_) out.push_back(path);
        return out;
    }
    std::vector<code::Import> importsOf(const std::string& path) const override { return indexes_.at(path).imports; }
    std::vector<code::SymbolLocation> symbolsNamed(const std::string& name) const override
    {
        return symbolsWhere([&](const code::Symbol& s) { return s.name == name; });
    }
    std::vector<code::SymbolLocation> symbolsIn(const std::string& path) const override
    {
        std::vector<code::SymbolLocation> out;
        for (const auto& s : indexes_.at(path).symbols)
            if (!s.local) out.push_back({path, s});
        return out;
    }
    std::vector<code::SymbolLocation> membersOf(const std::string& container) const override
    {
        return symbolsWhere([&](const code::Symbol& s) { return s.container == container; });
    }
    std::vector<code::SymbolLocation> symbolsStartingWith(const std::string& prefix, int limit) const override
    {
        auto out = symbolsWhere([&](const code::Symbol& s) { return startsWithFolded(s.name, prefix); });
        if (int(out.size()) > limit) out.resize(std::size_t(limit));
        return out;
    }
    std::vector<code::ReferenceLocation> referencesNamed(const std::string& name) const override
    {
        std::vector<code::ReferenceLocation> out;
        for (const auto& [path, idx] : indexes_)
            for (const auto& r : idx.references)
                if (r.name == name) out.push_back({path, r});
        return out;
    }
    std::map<std::string, int> useCounts(const std::string& prefix) const override
    {
        std::map<std::string, int> out;
        for (const auto& [path, idx] : indexes_)
            for (const auto& r : idx.references)
                if (startsWithFolded(r.name, prefix)) ++out[r.name];
        return out;
    }

private:
    static bool startsWithFolded(const std::string& name, const std::string& prefix)
    {
        return name.size() >= prefix.size()
            && std::equal(prefix.begin(), prefix.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    }
    template <class Pred>
    std::vector<code::SymbolLocation> symbolsWhere(Pred pred) const
    {
        std::vector<code::SymbolLocation> out;
        for (const auto& [path, idx] : indexes_)
            for (const auto& s : idx.symbols)
                if (!s.local && pred(s)) out.push_back({path, s});
        return out;
    }
    std::map<std::string, code::SourceFile> files_;
    std::map<std::string, code::FileIndex> indexes_;
};

// The position of the `occurrence`-th (1-based) `word` on line `line` (1-based) of a file.
code::CodePosition at(const MemorySource& source, const std::string& path, int line, const std::string& word, int occurrence = 1)
{
    const std::string text = source.file(path)->text;
    std::size_t begin = 0;
    for (int i = 1; i < line; ++i) begin = text.find('\n', begin) + 1;
    const std::string lineText = text.substr(begin, text.find('\n', begin) - begin);
    const auto wordChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
    std::size_t column = std::string::npos;
    int seen = 0;
    for (std::size_t pos = lineText.find(word); pos != std::string::npos; pos = lineText.find(word, pos + 1)) {
        const bool inLongerWord = (pos > 0 && wordChar(lineText[pos - 1]))
            || (pos + word.size() < lineText.size() && wordChar(lineText[pos + word.size()]));
        if (!inLongerWord && ++seen == occurrence) {
            column = pos;
            break;
        }
    }
    if (column == std::string::npos) qFatal("%s:%d has no %s", path.c_str(), line, word.c_str());
    return {path, {line - 1, int(column)}};
}

std::string definitionOf(const MemorySource& source, const code::CodePosition& p)
{
    code::CodeNavigator nav(source);
    const auto defs = nav.definitions(p);
    return defs.empty() ? std::string("none") : defs.front().location.path + ":" + std::to_string(defs.front().location.symbol.nameRange.begin.line + 1);
}

}  // namespace

class TestCodeResolution : public QObject {
    Q_OBJECT

private slots:
    // An interface of overloads, each on its own line with no `;` between: the grammar alone reads the next
    // `<T>` as type arguments of the line before and loses the rest of the file.
    void typescriptOverloadsOnTheirOwnLines()
    {
        MemorySource src;
        src.add("types.ts", "export interface Respond {\n"
                            "  <T extends string>(text: T): Response\n"
                            "  // with a status\n"
                            "  <T extends string, U extends number>(text: T, status: U): Response\n"
                            "}\n"
                            "export type Later = { a: number }\n");
        QCOMPARE(src.symbolsNamed("Later").size(), std::size_t(1));
        QCOMPARE(definitionOf(src, at(src, "types.ts", 4, "T", 2)), std::string("types.ts:4"));  // its own overload's T
        QCOMPARE(definitionOf(src, at(src, "types.ts", 4, "U", 2)), std::string("types.ts:4"));
        // A generic arrow function after `=>` or `=` is left as it is.
        src.add("arrow.ts", "export const id =\n  <T>(x: T): T => x\n");
        QCOMPARE(code::indexFile("typescript", src.file("arrow.ts")->text).syntaxErrors, 0);
    }
    // `infer R` is a type parameter of its conditional type; `[K in keyof T]` of its mapped type.
    void typescriptInferAndMappedTypeParameters()
    {
        MemorySource src;
        src.add("infer.ts", "type R = string\n"
                            "export type Out<S> = {\n"
                            "  [K in keyof S]: S[K] extends { input: infer R }\n"
                            "    ? R\n"
                            "    : K\n"
                            "}\n"
                            "export type Other<T> = T extends Array<infer R> ? R : never\n");
        QCOMPARE(definitionOf(src, at(src, "infer.ts", 4, "R")), std::string("infer.ts:3"));
        QCOMPARE(definitionOf(src, at(src, "infer.ts", 5, "K")), std::string("infer.ts:3"));
        QCOMPARE(definitionOf(src, at(src, "infer.ts", 7, "R", 2)), std::string("infer.ts:7"));
    }
    // A name imported from a barrel is the one the barrel re-exports, not a same-named one a step further
    // down the imports (hono: `Hono` from '../..' is hono.ts's, which extends hono-base.ts's `Hono`).
    void barrelReExportsBeforeImportsOfImports()
    {
        MemorySource src;
        src.add("src/hono-base.ts", "export class Hono {}\n");
        src.add("src/hono.ts", "import { Hono as HonoBase } from './hono-base'\nexport class Hono extends HonoBase {}\n");
        src.add("src/index.ts", "export { Hono } from './hono'\n");
        src.add("src/adapter/ws.ts", "import { Hono } from '..'\nconst app = new Hono()\n");
        QCOMPARE(definitionOf(src, at(src, "src/adapter/ws.ts", 2, "Hono")), std::string("src/hono.ts:2"));
    }
    // <button> is JSX.IntrinsicElements' member, not a function that happens to be called button; <Button>
    // is the component.
    void jsxIntrinsicElementsAreMembersOfTheirInterface()
    {
        MemorySource src;
        src.add("jsx/components.ts", "export function button() {}\nexport function Button() {}\n");
        src.add("jsx/intrinsic-elements.ts", "export namespace JSX {\n  export interface IntrinsicElements {\n"
                                             "    button: { type?: string }\n  }\n}\n");
        src.add("jsx/page.tsx", "import { Button } from './components'\n"
                                "export const Page = () => <div><button>Hi</button><Button /></div>\n");
        QCOMPARE(definitionOf(src, at(src, "jsx/page.tsx", 2, "button")), std::string("jsx/intrinsic-elements.ts:3"));
        QCOMPARE(definitionOf(src, at(src, "jsx/page.tsx", 2, "button", 2)), std::string("jsx/intrinsic-elements.ts:3"));
        QCOMPARE(definitionOf(src, at(src, "jsx/page.tsx", 2, "Button")), std::string("jsx/components.ts:2"));
    }
    // Completion weighs the file's uses of a name on both sides of the cursor, the nearest most; the word being
    // typed is not one of them.
    void completionWeighsNearbyUsesOnBothSides()
    {
        MemorySource src;
        src.add("lib.ts", "export function renderAll() {}\nexport function renderOne() {}\nexport function request() {}\n");
        src.add("page.ts", "import { renderAll, renderOne, request } from './lib'\n"
                           "renderAll(); renderAll(); renderAll()\n"
                           "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
                           "function page() {\n"
                           "  const r = re\n"
                           "  renderOne(); renderOne()\n"
                           "  request()\n"
                           "}\n");
        code::CodeNavigator nav(src);
        const auto words = nav.complete({"page.ts", {43, 14}});
        QVERIFY(words.size() >= 3);
        // renderOne: used twice right below; renderAll three times but forty lines up; request once below.
        QCOMPARE(words[0].name, std::string("renderOne"));
        QCOMPARE(words[1].name, std::string("renderAll"));
        QCOMPARE(words[2].name, std::string("request"));
        // After `.`, names used as members weigh more than the same names used plainly.
        src.add("member.ts", "const a = { render: 1, reset: 2 }\nrender(); render()\na.reset\na.re\n");
        const auto members = nav.complete({"member.ts", {3, 4}});
        QVERIFY(!members.empty());
        QCOMPARE(members.front().name, std::string("reset"));
    }
    // What stood before a name elsewhere predicts it: after `draw(` the name that followed `draw(` in this file
    // comes first, though another is used more and nearer.
    void completionFollowsWhatPrecededTheName()
    {
        MemorySource src;
        src.add("lib.ts", "export const texture = 1\nexport const textual = { go() {} }\n");
        src.add("page.ts", "import { texture, textual } from './lib'\n"
                           "draw(texture); draw(texture)\n"
                           "textual.go(); textual.go(); textual.go(); textual.go()\n"
                           "draw(te\n");
        code::CodeNavigator nav(src);
        const auto words = nav.complete({"page.ts", {3, 7}});
        QVERIFY(words.size() >= 2);
        QCOMPARE(words[0].name, std::string("texture"));
        QCOMPARE(words[1].name, std::string("textual"));
        // Where nothing precedes it the same way, the uses decide.
        src.add("plain.ts", "import { texture, textual } from './lib'\ntexture\ntextual; textual; textual\nte\n");
        QCOMPARE(nav.complete({"plain.ts", {3, 2}}).front().name, std::string("textual"));
    }
    // The files beside this one count too: a sibling that calls `emit(eventName)` ranks `eventName` first after
    // `emit(`, over a name used more in the repository; what the sibling says in comments and strings does not count.
    void completionLearnsFromTheFilesBesideIt()
    {
        MemorySource src;
        src.add("src/lib.ts", "export const eventName = 'x'\nexport function evaluate() {}\n");
        src.add("src/sibling.ts", "import { eventName, evaluate } from './lib'\n"
                                  "emit(eventName)\n"
                                  "evaluate(); evaluate(); evaluate()\n"
                                  "// emit(evaluate) emit(evaluate) emit(evaluate)\n"
                                  "const s = \"emit(evaluate) emit(evaluate)\"\n");
        src.add("src/page.ts", "import { eventName, evaluate } from './lib'\nemit(ev\n");
        code::CodeNavigator nav(src);
        const auto words = nav.complete({"src/page.ts", {1, 7}});
        QVERIFY(words.size() >= 2);
        QCOMPARE(words[0].name, std::string("eventName"));
        QCOMPARE(words[1].name, std::string("evaluate"));
        // In another folder the sibling is not beside it: the repository's counts decide.
        src.add("other/page.ts", "import { eventName, evaluate } from '../src/lib'\nemit(ev\n");
        QCOMPARE(code::CodeNavigator(src).complete({"other/page.ts", {1, 7}}).front().name, std::string("evaluate"));
    }
    // Words the syntax tree has no identifier for complete from the file's text (C's NULL is a literal and size_t a
    // primitive type to tree-sitter); the grammar's reserved words do not.
    void completionOffersWordsTheTreeDoesNotName()
    {
        MemorySource src;
        src.add("lib.c", "#include <stddef.h>\nint resize(int *p) { size_t n = 0; if (p == NULL) return 0; return *p; }\n"
                         "int reset(int *q) { q = NU\n");
        code::CodeNavigator nav(src);
        const auto nulls = nav.complete({"lib.c", {2, 25}});
        QVERIFY(!nulls.empty());
        QCOMPARE(nulls.front().name, std::string("NULL"));
        src.add("more.c", "int more(void) { si\n}\nint sizes(void) { size_t a; size_t b; return 0; }\n");
        QCOMPARE(code::CodeNavigator(src).complete({"more.c", {0, 19}}).front().name, std::string("size_t"));
        src.add("ret.c", "int f(int *q) { return 0; }\nint g(void) { re\n");
        const auto words = code::CodeNavigator(src).complete({"ret.c", {1, 16}});
        QVERIFY(std::none_of(words.begin(), words.end(), [](const code::Completion& c) { return c.name == "return"; }));
        QVERIFY(std::any_of(words.begin(), words.end(), [](const code::Completion& c) { return c.name == "resize"; }));
    }
    // Fields declared by a macro that several structs expand (libuv's UV_HANDLE_FIELDS) are fields of that
    // macro, and members of every struct whose body expands it, through a typedef too.
    void cFieldsDeclaredInMacroBodies()
    {
        MemorySource src;
        src.add("include/handle.h", "#ifndef HANDLE_H\n#define HANDLE_H\n"
                                    "#define REQ_FIELDS \\\n"
                                    "  /* public */          \\\n"
                                    "  void* data;            \\\n"
                                    "\n"
                                    "#define HANDLE_FIELDS \\\n"
                                    "  /* public */          \\\n"
                                    "  void* data;            \\\n"
                                    "  /* private */         \\\n"
                                    "  struct sockaddr_storage storage; \\\n"
                                    "\n"
                                    "typedef struct handle_s handle_t;\n"
                                    "struct req_s {\n  REQ_FIELDS\n};\n"
                                    "struct handle_s {\n  HANDLE_FIELDS\n};\n"
                                    "#endif\n");
        src.add("src/handle.c", "#include \"handle.h\"\n"
                                "int closed(handle_t* h) {\n"
                                "  return h->data != 0 && h->storage.ss_family;\n"
                                "}\n");
        // The comment in the body does not end the directive: `storage` is no top-level variable.
        QCOMPARE(src.symbolsNamed("storage").size(), std::size_t(1));
        QCOMPARE(src.symbolsNamed("storage").front().symbol.container, std::string("HANDLE_FIELDS"));
        QCOMPARE(definitionOf(src, at(src, "src/handle.c", 3, "data")), std::string("include/handle.h:9"));
        QCOMPARE(definitionOf(src, at(src, "src/handle.c", 3, "storage")), std::string("include/handle.h:11"));
    }
};

QTEST_GUILESS_MAIN(TestCodeResolution)
#include "tst_coderesolution.moc"
