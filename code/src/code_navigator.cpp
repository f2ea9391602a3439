#include "navigator_impl.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <tuple>
#include <utility>

namespace folio::code {
namespace {

bool isClassLike(std::string_view kind)
{
    return kind == "class" || kind == "struct" || kind == "union" || kind == "interface" || kind == "trait"
        || kind == "enum" || kind == "type";
}

bool isFunctionLike(std::string_view kind)
{
    return kind == "function" || kind == "method" || kind == "constructor" || kind == "macro";
}

bool isModuleLike(std::string_view kind)
{
    return kind == "namespace" || kind == "module";
}

// The last name in a receiver expression: `a.b->c` -> c, `ns::Foo` -> Foo.
std::string lastName(const std::string& expression)
{
    std::size_t end = expression.size();
    while (end > 0 && !isIdentifierChar(expression[end - 1])) --end;
    std::size_t begin = end;
    while (begin > 0 && isIdentifierChar(expression[begin - 1])) --begin;
    return expression.substr(begin, end - begin);
}

bool isSingleName(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), isIdentifierChar);
}

bool sameSymbol(const SymbolLocation& a, const SymbolLocation& b)
{
    return a.path == b.path && a.symbol.nameRange.begin == b.symbol.nameRange.begin && a.symbol.name == b.symbol.name;
}

}  // namespace

const char* toString(Tier tier)
{
    switch (tier) {
    case Tier::Local: return "local";
    case Tier::SameFile: return "same file";
    case Tier::Imported: return "imported";
    case Tier::SameDirectory: return "same directory";
    case Tier::Repository: return "repository";
    }
    return "repository";
}

const SourceFile* CodeNavigator::Impl::file(const std::string& path)
{
    auto it = files.find(path);
    if (it == files.end()) it = files.emplace(path, source.file(path)).first;
    return it->second ? &*it->second : nullptr;
}

const FileIndex* CodeNavigator::Impl::index(const std::string& path)
{
    if (auto it = indexes.find(path); it != indexes.end()) return &it->second;
    const SourceFile* f = file(path);
    if (!f || f->grammar.empty()) return nullptr;
    return &indexes.emplace(path, indexFile(f->grammar, f->text)).first->second;
}

const std::vector<SymbolLocation>& CodeNavigator::Impl::named(const std::string& name)
{
    auto it = byName.find(name);
    if (it == byName.end()) it = byName.emplace(name, source.symbolsNamed(name)).first;
    return it->second;
}

const std::vector<std::string>& CodeNavigator::Impl::allPaths()
{
    if (!paths) paths = source.indexedPaths();
    return *paths;
}

const std::set<std::string>& CodeNavigator::Impl::importedFiles(const std::string& path)
{
    auto it = imported.find(path);
    if (it != imported.end()) return it->second;
    std::set<std::string> out;
    if (const FileIndex* idx = index(path))
        for (const Import& imp : idx->imports)
            for (auto& p : resolveImport(path, imp, allPaths())) out.insert(std::move(p));
    return imported.emplace(path, std::move(out)).first->second;
}

const std::map<std::string, int>& CodeNavigator::Impl::indirectlyImported(const std::string& path)
{
    auto it = indirect.find(path);
    if (it != indirect.end()) return it->second;
    const std::set<std::string>& direct = importedFiles(path);
    std::map<std::string, int> out;
    std::set<std::string> frontier = direct;
    for (int depth = 1; depth < 3 && !frontier.empty() && out.size() < 200; ++depth) {
        std::set<std::string> next;
        for (const auto& f : frontier)
            for (const auto& g : importedFiles(f))
                if (g != path && !direct.count(g) && out.emplace(g, depth + 1).second) next.insert(g);
        frontier = std::move(next);
    }
    return indirect.emplace(path, std::move(out)).first->second;
}

std::set<std::string> CodeNavigator::Impl::filesImportedAs(const std::string& path, const std::string& alias)
{
    std::set<std::string> out;
    if (const FileIndex* idx = index(path))
        for (const Import& imp : idx->imports) {
            const std::string last = lastName(imp.path.ends_with(".h") ? imp.path.substr(0, imp.path.size() - 2) : imp.path);
            if (last == alias)
                for (auto& p : resolveImport(path, imp, allPaths())) out.insert(std::move(p));
        }
    return out;
}

std::optional<Occurrence> CodeNavigator::Impl::occurrenceAt(const std::string& path, Position at)
{
    const FileIndex* idx = index(path);
    if (!idx) return std::nullopt;
    // A cursor just after a word still means that word.
    const auto covers = [&](const Range& r) { return r.begin <= at && (at < r.end || at == r.end); };
    for (const Reference& r : idx->references)
        if (covers(r.range)) return Occurrence{r.name, r.kind, r.receiver, r.range.begin, r.enclosing, nullptr};
    for (const Symbol& s : idx->symbols)
        if (covers(s.nameRange)) return Occurrence{s.name, ReferenceKind::Identifier, {}, s.nameRange.begin, -1, &s};
    return std::nullopt;
}

const Symbol* CodeNavigator::Impl::localFor(const FileIndex& idx, const std::string& name, Position at)
{
    const Symbol* best = nullptr;
    for (const Symbol& s : idx.symbols) {
        if (!s.local || s.name != name || !s.scope.contains(at)) continue;
        if (s.kind != "parameter" && at < s.nameRange.begin) continue;
        if (!best || (best->scope.begin <= s.scope.begin && s.scope.end <= best->scope.end && !(best->scope.begin == s.scope.begin && best->scope.end == s.scope.end))
            || (best->scope.begin == s.scope.begin && best->scope.end == s.scope.end && best->nameRange.begin < s.nameRange.begin))
            best = &s;
    }
    return best;
}

std::string CodeNavigator::Impl::lineOf(const std::string& path, int line)
{
    const SourceFile* f = file(path);
    if (!f) return {};
    std::size_t pos = 0;
    for (int i = 0; i < line && pos != std::string::npos; ++i) {
        pos = f->text.find('\n', pos);
        if (pos != std::string::npos) ++pos;
    }
    if (pos == std::string::npos) return {};
    return f->text.substr(pos, f->text.find('\n', pos) - pos);
}

std::string CodeNavigator::Impl::typeNamedIn(const std::string& declaration, const std::string& except)
{
    std::size_t pos = 0;
    while (pos < declaration.size()) {
        while (pos < declaration.size() && !isIdentifierChar(declaration[pos])) ++pos;
        const std::size_t start = pos;
        while (pos < declaration.size() && isIdentifierChar(declaration[pos])) ++pos;
        const std::string word = declaration.substr(start, pos - start);
        if (word.empty() || word == except) continue;
        for (const auto& s : named(word))
            if (isClassLike(s.symbol.kind)) return word;
    }
    return {};
}

std::string CodeNavigator::Impl::receiverType(const std::string& path, const Occurrence& occ)
{
    const FileIndex* idx = index(path);
    if (!idx || occ.receiver.empty()) return {};
    const std::string r = occ.receiver;
    if (r == "this" || r == "self" || r == "@" || r == "$this" || r == "static" || r == "Self") {
        if (occ.enclosing < 0) return {};
        const Symbol& s = idx->symbols[std::size_t(occ.enclosing)];
        return isClassLike(s.kind) ? s.name : s.container;
    }
    if (!isSingleName(r)) {
        // a.b.c: the type of a, then of its field b, and so on, as far as the declarations spell them; a call's
        // result is not known.
        std::string chain;  // with `?.`, `->` and `::` written as `.`
        for (std::size_t i = 0; i < r.size(); ++i) {
            const std::string_view two = std::string_view(r).substr(i, 2);
            if (two == "?." || two == "->" || two == "::") ++i;
            chain += two == "?." || two == "->" || two == "::" ? '.' : r[i];
        }
        std::vector<std::string> parts;
        for (std::size_t pos = 0; pos <= chain.size();) {
            const std::size_t dot = std::min(chain.find('.', pos), chain.size());
            parts.push_back(chain.substr(pos, dot - pos));
            if (!isSingleName(parts.back())) return {};
            pos = dot + 1;
        }
        Occurrence head = occ;
        head.receiver = parts.front();
        std::string type = receiverType(path, head);
        for (std::size_t i = 1; i < parts.size() && !type.empty(); ++i) {
            std::string next;
            for (const auto& member : source.membersOf(type))
                if (member.symbol.name == parts[i] && (next = typeNamedIn(member.symbol.signature, parts[i])) != "") break;
            type = next;
        }
        return type;
    }
    if (const Symbol* local = localFor(*idx, r, occ.position))
        return typeNamedIn(lineOf(path, local->nameRange.begin.line), r);
    for (const Symbol& s : idx->symbols)
        if (!s.local && s.name == r && (s.kind == "variable" || s.kind == "field" || s.kind == "constant"))
            return typeNamedIn(s.signature, r);
    for (const auto& s : named(r))
        if (isClassLike(s.symbol.kind) || isModuleLike(s.symbol.kind)) return r;
    return {};
}

std::optional<Range> CodeNavigator::Impl::bodyInText(const std::string& path, const std::string& tag)
{
    const SourceFile* f = file(path);
    if (!f) return std::nullopt;
    const std::string& t = f->text;
    for (const char* keyword : {"struct ", "union "})
        for (std::size_t at = t.find(keyword + tag); at != std::string::npos; at = t.find(keyword + tag, at + 1)) {
            std::size_t open = at + std::string(keyword).size() + tag.size();
            if (open < t.size() && isIdentifierChar(t[open])) continue;
            while (open < t.size() && std::isspace(static_cast<unsigned char>(t[open]))) ++open;
            if (open >= t.size() || t[open] != '{') continue;
            std::size_t close = open;
            for (int depth = 0; close < t.size(); ++close)
                if (t[close] == '{') ++depth;
                else if (t[close] == '}' && --depth == 0) break;
            const auto position = [&](std::size_t offset) {
                const std::size_t lineStart = t.rfind('\n', offset == 0 ? 0 : offset - 1);
                const int line = int(std::count(t.begin(), t.begin() + std::ptrdiff_t(offset), '\n'));
                return Position{line, int(offset - (lineStart == std::string::npos || offset == 0 ? 0 : lineStart + 1))};
            };
            return Range{position(open), position(close)};
        }
    return std::nullopt;
}

const std::set<std::string>& CodeNavigator::Impl::ownersOf(const std::string& type)
{
    auto it = owners.find(type);
    if (it != owners.end()) return it->second;
    std::set<std::string> out{type};
    std::vector<std::pair<std::string, Range>> bodies;
    for (const auto& t : named(type)) {
        if (!isClassLike(t.symbol.kind)) continue;
        bodies.emplace_back(t.path, t.symbol.range);
        const std::string& signature = t.symbol.signature;
        std::string tag = typeNamedIn(signature, type);
        for (const std::string keyword : {"struct ", "union "}) {  // a tag the index may not know (see bodyInText)
            const std::size_t k = signature.find(keyword);
            if (!tag.empty() || k == std::string::npos) continue;
            std::size_t end = k + keyword.size();
            while (end < signature.size() && isIdentifierChar(signature[end])) ++end;
            tag = signature.substr(k + keyword.size(), end - k - keyword.size());
        }
        if (tag.empty()) continue;
        out.insert(tag);
        if (const auto body = bodyInText(t.path, tag)) bodies.emplace_back(t.path, *body);
        if (tag != type)
            for (const auto& u : named(tag))
                if (isClassLike(u.symbol.kind)) bodies.emplace_back(u.path, u.symbol.range);
    }
    const auto isMacro = [&](const std::string& name) {
        const auto& defs = named(name);
        return std::any_of(defs.begin(), defs.end(), [](const SymbolLocation& m) { return m.symbol.kind == "macro"; });
    };
    for (const auto& [path, range] : bodies)
        if (const FileIndex* idx = index(path))
            for (const Reference& r : idx->references)
                if (range.contains(r.range.begin) && !out.count(r.name) && isMacro(r.name)) out.insert(r.name);
    return owners.emplace(type, std::move(out)).first->second;
}

std::vector<Definition> CodeNavigator::Impl::resolve(const std::string& path, const Occurrence& occ)
{
    const FileIndex* idx = index(path);
    if (!idx) return {};
    if (occ.definition) {
        Symbol s = *occ.definition;
        return {Definition{{path, s}, s.local ? Tier::Local : Tier::SameFile, false}};
    }
    const bool member = !occ.receiver.empty();
    if (!member)
        if (const Symbol* local = localFor(*idx, occ.name, occ.position))
            return {Definition{{path, *local}, Tier::Local, false}};

    const std::string type = member ? receiverType(path, occ) : std::string();
    const std::set<std::string> moduleFiles = member && isSingleName(occ.receiver) ? filesImportedAs(path, occ.receiver)
                                                                                   : std::set<std::string>();
    const std::set<std::string>& importedHere = importedFiles(path);
    const std::map<std::string, int>& importedThrough = indirectlyImported(path);
    const std::string folder = folderOf(path);
    // Names this file spells (types it annotates with, imports): after `.` on a receiver of unknown type, a
    // member of one of them is likelier than a member of a type the file never mentions.
    std::set<std::string> mentioned;
    if (member && type.empty())
        for (const Reference& r : idx->references) mentioned.insert(r.name);
    struct Ranked {
        Definition d;
        std::tuple<int, int, int, int, int, int, int> key;
    };
    std::vector<Ranked> ranked;
    for (const auto& candidate : named(occ.name)) {
        const Symbol& s = candidate.symbol;
        const auto through = importedThrough.find(candidate.path);
        const int importSteps = through == importedThrough.end() ? 1 : through->second;
        Tier tier = candidate.path == path ? Tier::SameFile
            : importedHere.count(candidate.path) || through != importedThrough.end() ? Tier::Imported
            : folderOf(candidate.path) == folder ? Tier::SameDirectory
                                                  : Tier::Repository;
        const bool typeMatch = !type.empty() && (s.container == type || lastName(s.container) == type || ownersOf(type).count(s.container));
        const bool viaModule = moduleFiles.count(candidate.path) > 0;
        // After `.`, `->` or `::` a top-level function is unlikely unless the receiver is a module.
        const bool memberMismatch = member && !typeMatch && !viaModule && s.container.empty() && !isModuleLike(s.kind);
        bool kindFits = true;
        if (occ.kind == ReferenceKind::Call) kindFits = isFunctionLike(s.kind) || isClassLike(s.kind);
        else if (occ.kind == ReferenceKind::Type) kindFits = isClassLike(s.kind) || isModuleLike(s.kind);
        const bool ownerMentioned = !s.container.empty() && mentioned.count(lastName(s.container)) > 0;
        ranked.push_back({{candidate, tier, typeMatch},
                          {typeMatch || viaModule ? 0 : 1, memberMismatch ? 1 : 0, ownerMentioned ? 0 : 1, int(tier),
                           importSteps, kindFits ? 0 : 1, s.declaration ? 1 : 0}});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
        if (a.key != b.key) return a.key < b.key;
        if (a.d.location.path != b.d.location.path) return a.d.location.path < b.d.location.path;
        return a.d.location.symbol.nameRange.begin < b.d.location.symbol.nameRange.begin;
    });
    // A prototype found first stands for its definition: the definition of the same name and owner is what
    // go-to-definition shows, wherever it is.
    if (!ranked.empty() && ranked.front().d.location.symbol.declaration) {
        const Symbol& decl = ranked.front().d.location.symbol;
        for (std::size_t i = 1; i < ranked.size(); ++i) {
            const Symbol& s = ranked[i].d.location.symbol;
            if (!s.declaration && s.container == decl.container
                && (isFunctionLike(s.kind) == isFunctionLike(decl.kind))) {
                Ranked promoted = ranked[i];
                promoted.d.tier = ranked.front().d.tier;
                ranked.erase(ranked.begin() + std::ptrdiff_t(i));
                ranked.insert(ranked.begin(), promoted);
                break;
            }
        }
    }
    std::vector<Definition> out;
    for (auto& r : ranked) out.push_back(std::move(r.d));
    return out;
}

bool CodeNavigator::Impl::sameEntity(const SymbolLocation& target, const SymbolLocation& other)
{
    if (sameSymbol(target, other)) return true;
    const Symbol& a = target.symbol;
    const Symbol& b = other.symbol;
    return a.name == b.name && a.container == b.container && a.declaration != b.declaration && !a.local && !b.local
        && isFunctionLike(a.kind) == isFunctionLike(b.kind);
}

CodeNavigator::CodeNavigator(const SymbolSource& source) : d(std::make_unique<Impl>(source)) {}
CodeNavigator::~CodeNavigator() = default;

std::optional<std::string> CodeNavigator::identifierAt(const CodePosition& at)
{
    const auto occ = d->occurrenceAt(at.path, at.position);
    if (!occ) return std::nullopt;
    return occ->name;
}

std::vector<Definition> CodeNavigator::definitions(const CodePosition& at)
{
    const auto occ = d->occurrenceAt(at.path, at.position);
    if (!occ) return {};
    return d->resolve(at.path, *occ);
}

std::vector<ReferenceLocation> CodeNavigator::references(const CodePosition& at)
{
    const auto occ = d->occurrenceAt(at.path, at.position);
    if (!occ) return {};
    const auto defs = d->resolve(at.path, *occ);
    if (defs.empty()) return {};
    const SymbolLocation target = defs.front().location;
    std::vector<ReferenceLocation> out;
    const auto addDefinition = [&](const SymbolLocation& s) {
        out.push_back({s.path, Reference{s.symbol.name, ReferenceKind::Identifier, s.symbol.nameRange, {}, -1}});
    };
    const auto resolvesToTarget = [&](const std::string& path, const Reference& r) {
        const auto found = d->resolve(path, Occurrence{r.name, r.kind, r.receiver, r.range.begin, r.enclosing, nullptr});
        return !found.empty() && Impl::sameEntity(target, found.front().location);
    };
    if (target.symbol.local) {
        addDefinition(target);
        if (const FileIndex* idx = d->index(target.path))
            for (const Reference& r : idx->references)
                if (r.name == target.symbol.name && target.symbol.scope.contains(r.range.begin) && resolvesToTarget(target.path, r))
                    out.push_back({target.path, r});
    } else {
        for (const auto& s : d->named(target.symbol.name))
            if (Impl::sameEntity(target, s)) addDefinition(s);
        std::set<std::string> paths;
        for (const auto& r : d->source.referencesNamed(target.symbol.name)) paths.insert(r.path);
        for (const auto& path : paths)
            if (const FileIndex* idx = d->index(path))
                for (const Reference& r : idx->references)
                    if (r.name == target.symbol.name && resolvesToTarget(path, r)) out.push_back({path, r});
    }
    std::sort(out.begin(), out.end(), [](const ReferenceLocation& a, const ReferenceLocation& b) {
        return std::tie(a.path, a.reference.range.begin.line, a.reference.range.begin.column)
            < std::tie(b.path, b.reference.range.begin.line, b.reference.range.begin.column);
    });
    out.erase(std::unique(out.begin(), out.end(), [](const ReferenceLocation& a, const ReferenceLocation& b) {
                  return a.path == b.path && a.reference.range.begin == b.reference.range.begin;
              }), out.end());
    return out;
}

}  // namespace folio::code
