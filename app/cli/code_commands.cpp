#include "code_commands.h"

#include "cli_support.h"

#include "folio/app/code_store.h"
#include "folio/code/code_navigator.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace folio::cli {
namespace {

using nlohmann::json;

// FILE:LINE:COLUMN (1-based) as a workspace path and a 0-based position.
code::CodePosition parseLocation(const GlobalOptions& g, const std::string& location)
{
    app::WorkspaceStore store(workspaceDir(g));
    const auto [doc, line, column] = findFileLocation(store, location);
    if (code::grammarFor(doc.language, doc.path).empty())
        throw std::runtime_error(doc.path + " is " + (doc.language.empty() ? "not in a language" : doc.language)
                                 + " that Folio's code index does not read (it reads C, C++, Python, JavaScript, TypeScript, "
                                   "Go, Rust, Java, C#, Ruby, PHP and shell scripts)");
    return {doc.path, {line - 1, column - 1}};
}

std::string at(const std::string& path, const code::Range& r)
{
    return path + ":" + std::to_string(r.begin.line + 1) + ":" + std::to_string(r.begin.column + 1);
}

json symbolJson(const code::SymbolLocation& s)
{
    return {{"path", s.path}, {"line", s.symbol.nameRange.begin.line + 1}, {"column", s.symbol.nameRange.begin.column + 1},
            {"end_line", s.symbol.range.end.line + 1}, {"name", s.symbol.name}, {"kind", s.symbol.kind},
            {"container", s.symbol.container}, {"declaration", s.symbol.declaration}, {"local", s.symbol.local},
            {"signature", s.symbol.signature}, {"doc", s.symbol.doc}};
}

std::string qualified(const code::Symbol& s)
{
    return s.container.empty() ? s.name : s.container + "::" + s.name;
}

}  // namespace

int symbolsCommand(const GlobalOptions& g, const SymbolsArgs& a)
{
    app::CodeStore store(workspaceDir(g));
    const auto hits = store.searchSymbols(a.query, a.kind, a.language, a.limit);
    if (g.json) {
        json out = json::array();
        for (const auto& h : hits) {
            json j = symbolJson(h.location);
            j["language"] = h.language;
            j["score"] = h.score;
            out.push_back(j);
        }
        printJson(out);
        return 0;
    }
    if (hits.empty()) {
        const auto stats = store.stats();
        if (stats.files == 0) std::printf("No code is indexed in this workspace: ingest a repository with 'folio ingest'.\n");
        else std::printf("No symbol matches '%s' among %lld symbols.\n", a.query.c_str(), static_cast<long long>(stats.symbols));
        return 0;
    }
    for (const auto& h : hits)
        std::printf("%-12s %-40s %s%s\n", h.location.symbol.kind.c_str(), qualified(h.location.symbol).c_str(),
                    at(h.location.path, h.location.symbol.nameRange).c_str(), h.location.symbol.declaration ? "  (declaration)" : "");
    return 0;
}

int definitionCommand(const GlobalOptions& g, const std::string& location, bool all)
{
    const auto position = parseLocation(g, location);
    app::CodeStore store(workspaceDir(g));
    code::CodeNavigator navigator(store);
    const auto name = navigator.identifierAt(position);
    if (!name) throw std::runtime_error(location + " is not on an identifier");
    auto defs = navigator.definitions(position);
    if (!all && defs.size() > 1) defs.resize(1);
    if (g.json) {
        json list = json::array();
        for (const auto& d : defs) {
            json j = symbolJson(d.location);
            j["tier"] = code::toString(d.tier);
            j["receiver_type_matched"] = d.receiverTypeMatched;
            list.push_back(j);
        }
        printJson({{"identifier", *name}, {"definitions", list}});
        return defs.empty() ? 1 : 0;
    }
    if (defs.empty()) {
        std::printf("No definition of '%s' is known in the workspace (it may come from a library).\n", name->c_str());
        return 1;
    }
    for (const auto& d : defs) {
        std::printf("%s  %s %s  (%s%s)\n", at(d.location.path, d.location.symbol.nameRange).c_str(), d.location.symbol.kind.c_str(),
                    qualified(d.location.symbol).c_str(), code::toString(d.tier), d.location.symbol.declaration ? ", declaration" : "");
        if (!d.location.symbol.signature.empty()) std::printf("    %s\n", d.location.symbol.signature.c_str());
    }
    return 0;
}

int referencesCommand(const GlobalOptions& g, const std::string& location)
{
    const auto position = parseLocation(g, location);
    app::CodeStore store(workspaceDir(g));
    code::CodeNavigator navigator(store);
    const auto name = navigator.identifierAt(position);
    if (!name) throw std::runtime_error(location + " is not on an identifier");
    const auto refs = navigator.references(position);
    if (g.json) {
        json list = json::array();
        for (const auto& r : refs)
            list.push_back({{"path", r.path}, {"line", r.reference.range.begin.line + 1}, {"column", r.reference.range.begin.column + 1},
                            {"kind", code::toString(r.reference.kind)}, {"receiver", r.reference.receiver}});
        printJson({{"identifier", *name}, {"references", list}});
        return 0;
    }
    if (refs.empty()) {
        std::printf("No definition of '%s' is known, so no references are either.\n", name->c_str());
        return 1;
    }
    std::string lastPath;
    std::optional<code::SourceFile> file;
    for (const auto& r : refs) {
        if (r.path != lastPath) {
            file = store.file(r.path);
            lastPath = r.path;
        }
        std::string text;
        if (file) {
            std::size_t pos = 0;
            for (int l = 0; l < r.reference.range.begin.line && pos != std::string::npos; ++l)
                if ((pos = file->text.find('\n', pos)) != std::string::npos) ++pos;
            if (pos != std::string::npos) text = file->text.substr(pos, file->text.find('\n', pos) - pos);
            text.erase(0, text.find_first_not_of(" \t"));
        }
        std::printf("%s: %s\n", at(r.path, r.reference.range).c_str(), text.c_str());
    }
    std::printf("%zu references to %s\n", refs.size(), name->c_str());
    return 0;
}

int completeCommand(const GlobalOptions& g, const std::string& location, int limit)
{
    const auto position = parseLocation(g, location);
    app::CodeStore store(workspaceDir(g));
    code::CodeNavigator navigator(store);
    const auto items = navigator.complete(position, limit);
    if (g.json) {
        json list = json::array();
        for (const auto& c : items)
            list.push_back({{"name", c.name}, {"kind", c.kind}, {"detail", c.detail}, {"tier", code::toString(c.tier)}, {"uses", c.uses}});
        printJson(list);
        return 0;
    }
    for (const auto& c : items)
        std::printf("%-32s %-10s %-14s %s\n", c.name.c_str(), c.kind.c_str(), code::toString(c.tier), c.detail.c_str());
    return 0;
}

int codeOutlineCommand(const GlobalOptions& g, const app::DocumentRecord& document)
{
    app::CodeStore store(workspaceDir(g));
    const auto symbols = store.symbolsIn(document.path);
    if (symbols.empty() && !store.file(document.path))
        throw std::runtime_error(document.path + " is not in the workspace");
    // Depth by nesting of the definitions' ranges.
    std::vector<int> depth(symbols.size(), 0);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const auto& r = symbols[i].symbol.range;
        while (!open.empty()) {
            const auto& o = symbols[open.back()].symbol.range;
            if (o.begin <= r.begin && r.end <= o.end) break;
            open.pop_back();
        }
        depth[i] = int(open.size());
        open.push_back(i);
    }
    if (g.json) {
        json out = json::array();
        for (std::size_t i = 0; i < symbols.size(); ++i) {
            json j = symbolJson(symbols[i]);
            j["depth"] = depth[i];
            out.push_back(j);
        }
        printJson(out);
        return 0;
    }
    if (symbols.empty()) std::printf("%s has no symbols Folio's code index knows (%s).\n", document.path.c_str(), document.language.c_str());
    for (std::size_t i = 0; i < symbols.size(); ++i)
        std::printf("%5d  %s%s %s\n", symbols[i].symbol.nameRange.begin.line + 1, std::string(2 * depth[i], ' ').c_str(),
                    symbols[i].symbol.kind.c_str(), symbols[i].symbol.name.c_str());
    return 0;
}

}  // namespace folio::cli
