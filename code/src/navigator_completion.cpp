// Completion at a cursor: the word typed so far and what stands before it (a receiver after `.`, `->` or `::`),
// candidates from the scopes that can see the cursor, ranked by scope, by use in this file and in the repository.

#include "code_languages.h"
#include "navigator_impl.h"
#include "token_context.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

namespace folio::code {

namespace {
// The most text of nearby files read for one completion: a folder of thousands of headers must not make the
// popup wait.
constexpr std::size_t kNearbyTextBytes = 4 << 20;
}  // namespace

std::vector<Completion> CodeNavigator::complete(const CodePosition& at, int limit)
{
    const SourceFile* f = d->file(at.path);
    if (!f) return {};
    // The byte offset of the position, the word typed so far and what stands before it.
    std::size_t offset = 0;
    for (int line = 0; line < at.position.line && offset != std::string::npos; ++line) {
        offset = f->text.find('\n', offset);
        if (offset != std::string::npos) ++offset;
    }
    if (offset == std::string::npos) return {};
    offset = std::min(f->text.size(), offset + std::size_t(at.position.column));
    std::size_t start = offset;
    while (start > 0 && isIdentifierChar(f->text[start - 1])) --start;
    const std::string prefix = f->text.substr(start, offset - start);
    std::string receiver;
    for (const char* op : {".", "->", "::"}) {
        const std::string o = op;
        if (start >= o.size() && f->text.compare(start - o.size(), o.size(), o) == 0) {
            std::size_t rEnd = start - o.size(), rBegin = rEnd;
            while (rBegin > 0 && isIdentifierChar(f->text[rBegin - 1])) --rBegin;
            receiver = f->text.substr(rBegin, rEnd - rBegin);
            if (receiver.empty()) receiver = o;  // `).` and the like: a member of something unknown
            break;
        }
    }
    const auto startsWith = [&](const std::string& name) {
        if (name.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
        return true;
    };
    const FileIndex* idx = d->index(at.path);
    const Position wordStart{at.position.line, at.position.column - int(offset - start)};

    std::map<std::string, Completion> best;
    const auto offer = [&](const Symbol& s, Tier tier) {
        if (!startsWith(s.name) || s.name == prefix) return;
        auto [it, added] = best.emplace(s.name, Completion{s.name, s.kind, s.signature, tier, 0});
        if (!added && tier < it->second.tier) it->second = Completion{s.name, s.kind, s.signature, tier, 0};
    };
    const auto tierOf = [&](const std::string& path) {
        return path == at.path ? Tier::SameFile
            : d->importedFiles(at.path).count(path) ? Tier::Imported
            : folderOf(path) == folderOf(at.path) ? Tier::SameDirectory
                                                   : Tier::Repository;
    };
    // Repository-wide use counts only narrow a typed prefix; with none they would count every name there is.
    const std::map<std::string, int> uses = prefix.empty() ? std::map<std::string, int>() : d->source.useCounts(prefix);
    std::string type;  // of the receiver, where the file shows it
    if (!receiver.empty() && receiver != "." && receiver != "->" && receiver != "::") {
        Occurrence occ{prefix, ReferenceKind::Member, receiver, wordStart, -1, nullptr};
        if (idx)
            for (int i = 0; i < int(idx->symbols.size()); ++i) {
                const Symbol& s = idx->symbols[std::size_t(i)];
                if (!s.local && s.range.contains(wordStart) && (occ.enclosing < 0 || idx->symbols[std::size_t(occ.enclosing)].range.begin < s.range.begin))
                    occ.enclosing = i;
            }
        type = d->receiverType(at.path, occ);
        if (!type.empty())
            for (const auto& s : d->source.membersOf(type)) offer(s.symbol, tierOf(s.path));
        for (const auto& file : d->filesImportedAs(at.path, receiver))
            for (const auto& s : d->source.symbolsIn(file))
                if (s.symbol.container.empty()) offer(s.symbol, Tier::Imported);
    }
    if (best.empty() && !receiver.empty()) {
        // An unknown receiver: members of any type, by how often they are used.
        for (const auto& s : d->source.symbolsStartingWith(prefix, 500))
            if (!s.symbol.container.empty()) offer(s.symbol, Tier::Repository);
    }
    if (receiver.empty()) {
        if (idx) {
            for (const Symbol& s : idx->symbols)
                if (s.local && s.scope.contains(wordStart) && (s.kind == "parameter" || s.nameRange.begin < wordStart)) offer(s, Tier::Local);
                else if (!s.local) offer(s, Tier::SameFile);
        }
        for (const auto& file : d->importedFiles(at.path))
            for (const auto& s : d->source.symbolsIn(file)) offer(s.symbol, Tier::Imported);
        // The file itself counts as indexed afresh above (an editor's buffer may differ from what is stored).
        for (const auto& s : d->source.symbolsStartingWith(prefix, 500))
            if (s.path != at.path) offer(s.symbol, tierOf(s.path));
        // Names used in the repository but defined outside it (library calls) complete too.
        for (const auto& [name, count] : uses)
            if (!best.count(name) && name != prefix && startsWith(name)) best.emplace(name, Completion{name, "", "", Tier::Repository, 0});
    }
    // How much this file uses each name, before the cursor and after it (the word being typed is not a use):
    // a use weighs more the nearer it stands, and less where it is of the other kind (a member after `.` or
    // `->` against a plain name). Definitions in the file count as uses of their name. Uses that follow the same
    // token as the cursor, or the same two, count apart: what precedes a name predicts it (`uv_loop_t* loop`,
    // `return UV_`, `->data`) far better than its frequency does.
    std::map<std::string, double> fileUses;
    std::map<std::string, double> afterSameToken, afterSameTwo;
    std::vector<std::size_t> lineStarts{0};
    for (std::size_t i = f->text.find('\n'); i != std::string::npos; i = f->text.find('\n', i + 1)) lineStarts.push_back(i + 1);
    const TokenContext tokens(f->text, f->grammar);
    const TokenContext::Before cursorContext = tokens.before(start);
    const auto count = [&](const std::string& name, Position where, bool asMember) {
        if (where == wordStart || !startsWith(name) || name == prefix) return;
        const int distance = std::abs(where.line - at.position.line);
        fileUses[name] += (1.0 + 4.0 / (1.0 + distance / 10.0)) * (asMember == !receiver.empty() ? 1.0 : 0.3);
        if (where.line < 0 || std::size_t(where.line) >= lineStarts.size()) return;
        const TokenContext::Before context = tokens.before(lineStarts[std::size_t(where.line)] + std::size_t(where.column));
        if (context.first != cursorContext.first) return;
        afterSameToken[name] += 1.0;
        if (context.second == cursorContext.second) afterSameTwo[name] += 1.0;
    };
    if (idx) {
        for (const Reference& r : idx->references) {
            count(r.name, r.range.begin, !r.receiver.empty());
            // After `.` on a receiver of unknown type, names this file used as members.
            if (r.range.begin != wordStart && startsWith(r.name) && r.name != prefix
                && (receiver.empty() || (type.empty() && !r.receiver.empty())))
                best.emplace(r.name, Completion{r.name, "", "", Tier::SameFile, 0});
        }
        for (const Symbol& s : idx->symbols) count(s.name, s.nameRange.begin, !s.container.empty() && !s.local);
    }
    // Names the file writes that its syntax tree has no identifier for (C's NULL and size_t are a literal and a
    // primitive type to tree-sitter) complete from the file's words, the grammar's reserved words left out.
    if (receiver.empty() && !prefix.empty()) {
        std::set<std::string, std::less<>> indexed;
        if (idx) {
            for (const Reference& r : idx->references) indexed.insert(r.name);
            for (const Symbol& s : idx->symbols) indexed.insert(s.name);
        }
        const auto& reserved = reservedWords(f->grammar);
        tokens.forEachName([&](std::string_view word, std::size_t offset, const TokenContext::Before&) {
            if (offset == start || indexed.count(word) || reserved.count(word)) return;
            const std::string name(word);
            if (!startsWith(name) || name == prefix) return;
            const std::size_t line = std::size_t(std::upper_bound(lineStarts.begin(), lineStarts.end(), offset) - lineStarts.begin()) - 1;
            count(name, Position{int(line), int(offset - lineStarts[line])}, false);
            best.emplace(name, Completion{name, "", "", Tier::SameFile, 0});
        });
    }
    // The same in the files nearest to this one (those it imports, then its folder's), up to a bound on the text
    // read: code next to this file follows its patterns more than code elsewhere.
    std::map<std::string, double> nearbyAfterSameToken, nearbyAfterSameTwo;
    if (!prefix.empty()) {
        std::vector<std::string> nearby(d->importedFiles(at.path).begin(), d->importedFiles(at.path).end());
        for (const auto& path : d->allPaths())
            if (path != at.path && folderOf(path) == folderOf(at.path) && !d->importedFiles(at.path).count(path)) nearby.push_back(path);
        std::size_t read = 0;
        for (const auto& path : nearby) {
            if (read > kNearbyTextBytes) break;
            const auto file = d->source.file(path);
            if (!file) continue;
            read += file->text.size();  // files of other languages too: each was read to know its language
            if (file->grammar != f->grammar) continue;
            TokenContext(file->text, file->grammar).forEachName([&](std::string_view name, std::size_t, const TokenContext::Before& context) {
                if (context.first != cursorContext.first || name.size() <= prefix.size() || !startsWith(std::string(name))) return;
                nearbyAfterSameToken[std::string(name)] += 1.0;
                if (context.second == cursorContext.second) nearbyAfterSameTwo[std::string(name)] += 1.0;
            });
        }
        // A name that followed the same two tokens there is offered here too, unless it is a reserved word; after
        // a receiver of unknown type, any name that followed the same operator there (a member used nearby).
        const bool unknownType = !receiver.empty() && type.empty();
        if (receiver.empty() || unknownType)
            for (const auto& [name, n] : unknownType ? nearbyAfterSameToken : nearbyAfterSameTwo)
                if (!reservedWords(f->grammar).count(name)) best.emplace(name, Completion{name, "", "", Tier::Repository, 0});
    }
    std::vector<Completion> out;
    for (auto& [name, c] : best) {
        c.uses = uses.count(name) ? uses.at(name) : 0;
        out.push_back(std::move(c));
    }
    const auto total = [&](const std::map<std::string, double>& m) {
        double sum = 0;
        for (const auto& c : out) sum += m.count(c.name) ? m.at(c.name) : 0.0;
        return sum > 0 ? sum : 1.0;
    };
    double allUses = 0;
    for (const auto& c : out) allUses += c.uses;
    const double nearTotal = total(fileUses), sameTokenTotal = total(afterSameToken), sameTwoTotal = total(afterSameTwo);
    const double nearbyTokenTotal = total(nearbyAfterSameToken), nearbyTwoTotal = total(nearbyAfterSameTwo);
    const auto share = [](const std::map<std::string, double>& m, const std::string& name, double sum) {
        const auto it = m.find(name);
        return it == m.end() ? 0.0 : it->second / sum;
    };
    // Names that match the case typed first; then locals in scope; then a score mixing each signal as the
    // candidate's share of it among all candidates (weights chosen on libuv and hono, tests/bench/code/RESULTS.md:
    // what followed the same two tokens counts most, in this file and nearby); then nearest by scope (file,
    // imports, folder, repository) and most used in the repository.
    const auto key = [&](const Completion& c) {
        const bool caseMatches = c.name.compare(0, prefix.size(), prefix) == 0;
        const double score = 0.25 * share(fileUses, c.name, nearTotal) + 0.15 * share(afterSameToken, c.name, sameTokenTotal)
            + 0.25 * share(afterSameTwo, c.name, sameTwoTotal) + 0.1 * share(nearbyAfterSameToken, c.name, nearbyTokenTotal)
            + 0.2 * share(nearbyAfterSameTwo, c.name, nearbyTwoTotal) + 0.05 * (allUses > 0 ? c.uses / allUses : 0.0);
        return std::make_tuple(caseMatches ? 0 : 1, c.tier == Tier::Local ? 0 : 1, -score, int(c.tier), -c.uses);
    };
    std::sort(out.begin(), out.end(), [&](const Completion& a, const Completion& b) {
        const auto ka = key(a), kb = key(b);
        return ka != kb ? ka < kb : a.name < b.name;
    });
    if (int(out.size()) > limit) out.resize(std::size_t(limit));
    return out;
}

}  // namespace folio::code
