#include "folio/app/code_store.h"

#include "folio/app/workspace_store.h"

#include "code_index_rows.h"
#include "sqlite.h"

#include <algorithm>
#include <cctype>

namespace folio::app {
namespace {

constexpr const char* kSymbolColumns =
    "SELECT d.path, s.name, s.kind, s.container, s.declaration, s.line, s.col, s.end_line, s.end_col, s.name_line, "
    "s.name_col, s.name_end_line, s.name_end_col, s.signature, s.doc, f.grammar "
    "FROM code_symbols s JOIN documents d ON d.id = s.document_id JOIN code_files f ON f.document_id = s.document_id ";

code::SymbolLocation symbolFrom(const sqlite::Statement& s)
{
    code::SymbolLocation out;
    out.path = s.text(0);
    code::Symbol& y = out.symbol;
    y.name = s.text(1);
    y.kind = s.text(2);
    y.container = s.text(3);
    y.declaration = s.integer(4) != 0;
    y.range = {{int(s.integer(5)), int(s.integer(6))}, {int(s.integer(7)), int(s.integer(8))}};
    y.nameRange = {{int(s.integer(9)), int(s.integer(10))}, {int(s.integer(11)), int(s.integer(12))}};
    y.signature = s.text(13);
    y.doc = s.text(14);
    return out;
}

// The end of the range of names that start with `prefix` in byte order.
std::string prefixEnd(const std::string& prefix)
{
    return prefix + "\xff";
}

// How well `query` matches `name` as a subsequence (ASCII case-insensitive): 0 when it does not.
double fuzzyScore(const std::string& query, const std::string& name)
{
    const std::string q = foldName(query), n = foldName(name);
    if (q.empty()) return 1;
    if (n == q) return name == query ? 1000 : 900;
    if (n.starts_with(q)) return 800 - double(n.size() - q.size());
    double score = 0;
    std::size_t at = 0;
    for (char c : q) {
        const std::size_t found = n.find(c, at);
        if (found == std::string::npos) return 0;
        // A match at a word start (after _ or -, or an upper-case letter) counts more than one inside a word.
        const bool wordStart = found == 0 || name[found - 1] == '_' || name[found - 1] == '-'
            || (std::isupper(static_cast<unsigned char>(name[found])) && !std::isupper(static_cast<unsigned char>(name[found - 1])));
        score += wordStart ? 10 : found == at ? 5 : 1;
        at = found + 1;
    }
    return score + 100 - double(std::min<std::size_t>(n.size(), 100)) / 10;
}

}  // namespace

struct CodeStore::Impl {
    // The workspace store first: it creates or migrates the schema the code tables belong to, and reads files.
    explicit Impl(const std::filesystem::path& dir) : documents(dir), db((dir / "workspace.sqlite").string()) {}
    WorkspaceStore documents;
    sqlite::Database db;
};

CodeStore::CodeStore(const std::filesystem::path& workspaceDir) : d(std::make_unique<Impl>(workspaceDir)) {}

CodeStore::~CodeStore() = default;

std::vector<SymbolHit> CodeStore::searchSymbols(const std::string& query, const std::string& kind, const std::string& grammar,
                                                int limit) const
{
    // The first character narrows the rows through the index; the rest is scored here.
    std::string sql = std::string(kSymbolColumns) + "WHERE 1";
    const std::string folded = foldName(query);
    std::string pattern = "%";
    for (char c : folded) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
        pattern += '%';
    }
    if (!folded.empty()) sql += " AND s.name_folded LIKE ? ESCAPE '\\'";
    if (!kind.empty()) sql += " AND s.kind = ?";
    if (!grammar.empty()) sql += " AND f.grammar = ?";
    auto s = d->db.prepare(sql);
    int i = 1;
    if (!folded.empty()) s.bind(i++, pattern);
    if (!kind.empty()) s.bind(i++, kind);
    if (!grammar.empty()) s.bind(i++, grammar);
    std::vector<SymbolHit> hits;
    while (s.step()) {
        SymbolHit h{symbolFrom(s), s.text(15), 0};
        h.score = fuzzyScore(query, h.location.symbol.name) - (h.location.symbol.declaration ? 2 : 0);
        if (h.score > 0) hits.push_back(std::move(h));
    }
    std::sort(hits.begin(), hits.end(), [](const SymbolHit& a, const SymbolHit& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.location.path != b.location.path) return a.location.path < b.location.path;
        return a.location.symbol.nameRange.begin < b.location.symbol.nameRange.begin;
    });
    if (int(hits.size()) > limit) hits.resize(std::size_t(limit));
    return hits;
}

CodeIndexStats CodeStore::stats() const
{
    CodeIndexStats out;
    auto s = d->db.prepare("SELECT count(*), sum(skipped != ''), sum(syntax_errors > 0) FROM code_files");
    s.step();
    out.files = s.integer(0);
    out.skippedFiles = s.integer(1);
    out.filesWithSyntaxErrors = s.integer(2);
    for (auto [table, field] : {std::pair{"code_symbols", &out.symbols}, {"code_references", &out.references}, {"code_imports", &out.imports}}) {
        auto c = d->db.prepare(std::string("SELECT count(*) FROM ") + table);
        c.step();
        *field = c.integer(0);
    }
    return out;
}

std::optional<code::SourceFile> CodeStore::file(const std::string& path) const
{
    auto s = d->db.prepare("SELECT d.id, d.language, coalesce(f.grammar, '') FROM documents d "
                           "LEFT JOIN code_files f ON f.document_id = d.id WHERE d.path = ? AND d.kind = 'file' "
                           "ORDER BY d.id LIMIT 1");
    s.bind(1, path);
    if (!s.step()) return std::nullopt;
    code::SourceFile f;
    f.path = path;
    f.grammar = s.text(2).empty() ? code::grammarFor(s.text(1), path) : s.text(2);
    f.text = d->documents.loadDocument(s.integer(0)).text;
    return f;
}

std::vector<std::string> CodeStore::indexedPaths() const
{
    std::vector<std::string> out;
    auto s = d->db.prepare("SELECT d.path FROM code_files f JOIN documents d ON d.id = f.document_id ORDER BY d.path");
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::vector<code::Import> CodeStore::importsOf(const std::string& path) const
{
    std::vector<code::Import> out;
    auto s = d->db.prepare("SELECT i.path, i.line FROM code_imports i JOIN documents d ON d.id = i.document_id WHERE d.path = ?");
    s.bind(1, path);
    while (s.step()) out.push_back({s.text(0), int(s.integer(1))});
    return out;
}

std::vector<code::SymbolLocation> CodeStore::symbolsWhere(const std::string& condition, const std::vector<std::string>& values) const
{
    std::vector<code::SymbolLocation> out;
    auto s = d->db.prepare(std::string(kSymbolColumns) + condition);
    for (std::size_t i = 0; i < values.size(); ++i) s.bind(int(i) + 1, values[i]);
    while (s.step()) out.push_back(symbolFrom(s));
    return out;
}

std::vector<code::SymbolLocation> CodeStore::symbolsNamed(const std::string& name) const
{
    return symbolsWhere("WHERE s.name_folded = ? AND s.name = ?", {foldName(name), name});
}

std::vector<code::SymbolLocation> CodeStore::symbolsIn(const std::string& path) const
{
    return symbolsWhere("WHERE d.path = ? ORDER BY s.line, s.col", {path});
}

std::vector<code::SymbolLocation> CodeStore::membersOf(const std::string& container) const
{
    return symbolsWhere("WHERE s.container = ?", {container});
}

std::vector<code::SymbolLocation> CodeStore::symbolsStartingWith(const std::string& prefix, int limit) const
{
    return symbolsWhere("WHERE s.name_folded >= ? AND s.name_folded < ? LIMIT " + std::to_string(std::max(0, limit)),
                        {foldName(prefix), prefixEnd(foldName(prefix))});
}

std::vector<code::ReferenceLocation> CodeStore::referencesNamed(const std::string& name) const
{
    std::vector<code::ReferenceLocation> out;
    auto s = d->db.prepare("SELECT d.path, r.kind, r.receiver, r.line, r.col, r.end_line, r.end_col FROM code_references r "
                           "JOIN documents d ON d.id = r.document_id WHERE r.name_folded = ? AND r.name = ?");
    s.bind(1, foldName(name)).bind(2, name);
    while (s.step()) {
        code::Reference r;
        r.name = name;
        r.kind = code::referenceKindFromString(s.text(1));
        r.receiver = s.text(2);
        r.range = {{int(s.integer(3)), int(s.integer(4))}, {int(s.integer(5)), int(s.integer(6))}};
        out.push_back({s.text(0), std::move(r)});
    }
    return out;
}

std::map<std::string, int> CodeStore::useCounts(const std::string& prefix) const
{
    std::map<std::string, int> out;
    auto s = d->db.prepare("SELECT name, count(*) FROM code_references WHERE name_folded >= ? AND name_folded < ? GROUP BY name");
    s.bind(1, foldName(prefix)).bind(2, prefixEnd(foldName(prefix)));
    while (s.step()) out[s.text(0)] = int(s.integer(1));
    return out;
}

}  // namespace folio::app
