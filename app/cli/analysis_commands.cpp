#include "analysis_commands.h"

#include "analysis_output.h"
#include "cli_support.h"
#include "code_commands.h"
#include "terminal_progress.h"

#include "folio/app/analysis_service.h"
#include "folio/app/analysis_store.h"
#include "folio/app/clause_matrix.h"
#include "folio/app/workspace_store.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace folio::cli {
namespace {

using nlohmann::json;

// Output to a file when asked, else stdout.
struct Output {
    std::ofstream file;
    std::ostream* out = &std::cout;
    explicit Output(const std::string& path)
    {
        if (path.empty())
            return;
        file.open(path, std::ios::binary | std::ios::trunc);
        if (!file)
            throw std::runtime_error(path + ": cannot write");
        out = &file;
    }
};

}  // namespace

int analyzeCommand(const GlobalOptions& g, const AnalyzeArgs& a)
{
    const auto dir = workspaceDir(g);
    TerminalProgress bar;
    const auto summary = app::analyseWorkspace(
        dir, a.force, [&](const app::AnalysisProgress& p) { bar.update("analyse", p.done, p.total, fileName(p.path)); },
        interruptFlag(), a.threads);
    bar.finish();
    app::AnalysisStore store(dir);
    if (g.json) {
        json problems = json::array();
        for (const auto& p : summary.problems)
            problems.push_back({{"path", p.path}, {"reason", p.reason}});
        printJson({{"analysed", summary.analysed}, {"unchanged", summary.unchanged}, {"problems", problems},
                   {"cancelled", summary.cancelled}, {"extractor", app::embeddedExtractorId()}});
    } else {
        for (const auto& p : summary.problems)
            std::cerr << "error: " << p.path << ": " << p.reason << "\n";
        const auto clauses = store.clauses();
        const auto refs = store.references();
        int unresolved = 0;
        for (const auto& r : refs)
            unresolved += r.targetNode < 0;
        int confident = 0;
        for (const auto& c : clauses)
            confident += c.confidence >= 0.5;
        const auto s = [](std::size_t n) { return n == 1 ? "" : "s"; };
        std::printf("Analysed %d contract%s (%d unchanged, %zu problem%s)%s.\n", summary.analysed, s(summary.analysed),
                    summary.unchanged, summary.problems.size(), s(summary.problems.size()), summary.cancelled ? ", cancelled" : "");
        std::printf("Workspace: %d contracts, %d clauses with confidence >= 50%%, %zu defined terms, "
                    "%zu cross-references (%d unresolved).\n",
                    store.analysedDocumentCount(), confident, store.terms().size(), refs.size(), unresolved);
        std::printf("Next: folio clauses, folio terms, folio xrefs --unresolved, folio outline DOCUMENT\n");
    }
    return summary.problems.empty() && !summary.cancelled ? 0 : 1;
}

int clausesCommand(const GlobalOptions& g, const ClausesArgs& a)
{
    const auto dir = workspaceDir(g);
    app::WorkspaceStore docs(dir);
    app::AnalysisStore store(dir);
    requireAnalysis(store, dir);
    std::vector<std::string> categories = app::embeddedClauseModel()->categories();
    std::optional<std::string> only;
    if (!a.category.empty()) {
        for (const auto& c : categories)
            if (QString::fromStdString(c).compare(QString::fromStdString(a.category), Qt::CaseInsensitive) == 0)
                only = c;
        if (!only)
            throw std::runtime_error("unknown clause category '" + a.category + "' (see 'folio clauses --help')");
        categories = {*only};
    }
    // One matrix for every format: its clauses are those of the chosen categories at the threshold.
    const app::ClauseMatrix m = app::ClauseMatrix::build(docs, store, categories, a.minConfidence);
    const std::vector<app::StoredClause>& clauses = m.clauses;
    const std::string format = g.json ? "json" : a.format;
    if (format == "json") {
        json out = json::array();
        for (const auto& c : clauses)
            out.push_back({{"document", fileName(c.documentPath)}, {"path", c.documentPath}, {"category", c.category},
                           {"text", c.text}, {"confidence", c.confidence}, {"page", c.page},
                           {"start", c.range.start}, {"end", c.range.end}, {"regions", regionsJson(c.regions)}});
        Output o(a.output);
        *o.out << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
        return 0;
    }
    if (format == "csv") {
        Output o(a.output);
        app::writeClausesCsv(*o.out, clauses);
        return 0;
    }
    if (format == "xlsx") {
        if (a.output.empty())
            throw std::runtime_error("--format xlsx needs --output FILE.xlsx");
        app::writeClausesXlsx(a.output, m);
        std::printf("Wrote %s: %zu contracts x %zu categories, %zu clauses.\n", a.output.c_str(), m.rows.size(),
                    m.categories.size(), m.clauses.size());
        return 0;
    }
    if (format != "table")
        throw std::runtime_error("unknown format '" + format + "': use table, csv, json or xlsx");
    if (only) {
        for (const auto& c : clauses)
            std::printf("%3d%%  p.%-3d %-34s %s\n", static_cast<int>(c.confidence * 100 + 0.5), c.page,
                        shorten(fileName(c.documentPath), 34).c_str(), shorten(c.text, 110).c_str());
        return 0;
    }
    // The matrix: a number is the best clause's confidence in percent, "." none at or above --min-confidence.
    std::printf("%-36s", "contract \\ category");
    for (size_t c = 0; c < m.categories.size(); ++c)
        std::printf("%3zu", c + 1);
    std::printf("\n");
    for (const auto& row : m.rows) {
        std::printf("%-36s", shorten(fileName(row.path), 35).c_str());
        for (const auto& category : m.categories) {
            const app::StoredClause* best = m.at(row.documentId, category);
            if (!best)
                std::printf("  .");
            else
                std::printf("%3d", std::min(99, static_cast<int>(best->confidence * 100 + 0.5)));
        }
        std::printf("\n");
    }
    std::printf("\nCategories:\n");
    for (size_t c = 0; c < m.categories.size(); ++c)
        std::printf("%3zu %-38s%s", c + 1, m.categories[c].c_str(), c % 2 ? "\n" : "");
    std::printf("\nNumbers are the best clause's confidence in %%; '.' = none at or above %.0f%%. "
                "Details: folio clauses --category NAME; export: --format xlsx --output FILE.\n",
                a.minConfidence * 100);
    return 0;
}

int termsCommand(const GlobalOptions& g, const std::string& document, bool undefinedOnly)
{
    const auto dir = workspaceDir(g);
    app::WorkspaceStore docs(dir);
    app::AnalysisStore store(dir);
    requireAnalysis(store, dir);
    std::optional<std::int64_t> id;
    if (!document.empty()) {
        auto d = docs.findDocument(document);
        if (!d)
            throw std::runtime_error("no document '" + document + "' in " + dir.string());
        id = d->id;
    }
    json out = json::array();
    std::string lastPath;
    for (const auto& t : store.terms(id)) {
        if (undefinedOnly && !t.undefined)
            continue;
        if (g.json) {
            out.push_back({{"document", fileName(t.documentPath)}, {"term", t.term},
                           {"status", t.undefined ? "used but not defined" : t.definedTwice ? "defined twice" : "defined"},
                           {"form", t.form}, {"defined_in", t.definedIn}, {"definition", t.definition},
                           {"page", t.page}, {"uses", t.useCount}, {"regions", regionsJson(t.regions)}});
            continue;
        }
        if (t.documentPath != lastPath) {
            std::printf("%s\n", fileName(t.documentPath).c_str());
            lastPath = t.documentPath;
        }
        std::string flag = t.undefined ? "  [used but never defined]" : t.definedTwice ? "  [defined twice]" : "";
        std::string where = t.undefined ? "" : t.definedIn.empty() ? " (" + t.form + ")" : " (defined in " + t.definedIn + ")";
        std::printf("  p.%-3d %-40s %3d uses%s%s\n", t.page, shorten(t.term, 40).c_str(), t.useCount, where.c_str(),
                    flag.c_str());
    }
    if (g.json)
        printJson(out);
    else if (lastPath.empty())  // on stderr: a script reading the listing still gets an empty one
        std::fprintf(stderr, "%s\n", undefinedOnly ? "No term is used without a definition." : "No defined terms.");
    return 0;
}

int xrefsCommand(const GlobalOptions& g, const XrefsArgs& a)
{
    const auto dir = workspaceDir(g);
    app::AnalysisStore store(dir);
    requireAnalysis(store, dir);
    json out = json::array();
    std::string lastPath;
    for (const auto& r : store.references(a.unresolved)) {
        if (g.json) {
            json j = {{"document", fileName(r.documentPath)}, {"text", r.text}, {"kind", r.kind}, {"page", r.page},
                      {"resolved", r.targetNode >= 0}, {"regions", regionsJson(r.regions)}};
            if (r.targetNode >= 0)
                j["target"] = {{"citation", r.targetCitation}, {"title", r.targetTitle}, {"page", r.targetPage}};
            else
                j["reason"] = r.reason;
            out.push_back(j);
            continue;
        }
        if (r.documentPath != lastPath) {
            std::printf("%s\n", fileName(r.documentPath).c_str());
            lastPath = r.documentPath;
        }
        std::string target = r.targetNode >= 0
                                 ? "-> " + (r.targetCitation.empty() ? r.targetTitle : r.targetCitation) +
                                       (r.targetTitle.empty() || r.targetCitation.empty() ? "" : " " + r.targetTitle) +
                                       " (p." + std::to_string(r.targetPage) + ")"
                                 : "unresolved: " + r.reason;
        std::printf("  p.%-3d %-28s %s\n", r.page, shorten(r.text, 28).c_str(), shorten(target, 90).c_str());
    }
    if (g.json)
        printJson(out);
    else if (lastPath.empty())
        std::fprintf(stderr, "%s\n", a.unresolved ? "Every cross-reference resolves." : "No cross-references.");
    return 0;
}

int outlineCommand(const GlobalOptions& g, const std::string& document)
{
    const auto dir = workspaceDir(g);
    app::WorkspaceStore docs(dir);
    app::AnalysisStore store(dir);
    auto d = docs.findDocument(document);
    if (!d)
        throw std::runtime_error("no document '" + document + "' in " + dir.string());
    if (d->kind == "file") return codeOutlineCommand(g, *d);
    auto nodes = store.outline(d->id);
    if (nodes.empty())
        throw std::runtime_error(d->path + " has no outline: run 'folio analyze' first (PDF contracts only)");
    if (g.json) {
        json out = json::array();
        for (const auto& n : nodes)
            out.push_back({{"node", n.node}, {"parent", n.parent}, {"depth", n.depth}, {"kind", n.kind},
                           {"label", n.label}, {"citation", n.citation}, {"title", n.title}, {"page", n.page},
                           {"regions", regionsJson(n.regions)}});
        printJson(out);
        return 0;
    }
    for (const auto& n : nodes) {
        std::string head = n.citation.empty() ? "" : n.citation + "  ";
        std::printf("p.%-3d %s%s%s%s\n", n.page, std::string(2 * n.depth, ' ').c_str(), head.c_str(),
                    shorten(n.title, 80).c_str(), n.title.empty() && head.empty() ? n.kind.c_str() : "");
    }
    return 0;
}

}  // namespace folio::cli
