#include "analysis_commands.h"

#include "cli_support.h"
#include "terminal_progress.h"

#include "folio/app/analysis_service.h"
#include "folio/app/analysis_store.h"
#include "folio/app/workspace_store.h"

#include <QString>

#include <nlohmann/json.hpp>
#include <xlsxwriter.h>

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

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

json regionsJson(const std::vector<analysis::PageRegion>& regions)
{
    json j = json::array();
    for (const auto& r : regions)
        j.push_back({{"page", r.page}, {"x0", r.box.x0}, {"y0", r.box.y0}, {"x1", r.box.x1}, {"y1", r.box.y1}});
    return j;
}

// Analysis results exist only after `folio analyze`: say so instead of printing an empty list.
void requireAnalysis(const app::AnalysisStore& store, const std::filesystem::path& dir)
{
    if (store.analysedDocumentCount() == 0)
        throw std::runtime_error("no contract in " + dir.string() + " has been analysed yet: run 'folio analyze' first");
}

std::string csvField(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string shorten(const std::string& s, size_t width)
{
    if (s.size() <= width)
        return s;
    size_t cut = width - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;  // never split a UTF-8 character
    return s.substr(0, cut) + "...";
}

// One row per contract, one column per category: the best clause of each pair.
struct Matrix {
    std::vector<std::string> documents;
    std::vector<std::string> categories;
    std::map<std::pair<std::string, std::string>, const app::StoredClause*> best;
};

Matrix matrixOf(const std::vector<app::StoredClause>& clauses, const std::vector<std::string>& categories,
                const std::vector<app::DocumentRecord>& analysed)
{
    Matrix m;
    m.categories = categories;
    for (const auto& d : analysed)
        m.documents.push_back(d.path);
    for (const auto& c : clauses) {
        auto& b = m.best[{c.documentPath, c.category}];
        if (!b || c.confidence > b->confidence)
            b = &c;
    }
    return m;
}

void writeXlsx(const std::string& file, const Matrix& m, const std::vector<app::StoredClause>& clauses,
               const std::vector<app::StoredAnswer>& answers)
{
    lxw_workbook* book = workbook_new(file.c_str());
    if (!book)
        throw std::runtime_error(file + ": cannot create the workbook");
    lxw_format* wrap = workbook_add_format(book);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    // Excel keeps at most 32,767 characters in a cell.
    auto cell = [](const std::string& s) { return shorten(s, 32000); };

    lxw_worksheet* matrix = workbook_add_worksheet(book, "Clause matrix");
    worksheet_write_string(matrix, 0, 0, "Contract", bold);
    worksheet_set_column(matrix, 0, 0, 40, nullptr);
    worksheet_set_column(matrix, 1, static_cast<lxw_col_t>(m.categories.size()), 30, wrap);
    for (size_t c = 0; c < m.categories.size(); ++c)
        worksheet_write_string(matrix, 0, static_cast<lxw_col_t>(c + 1), m.categories[c].c_str(), bold);
    for (size_t r = 0; r < m.documents.size(); ++r) {
        worksheet_write_string(matrix, static_cast<lxw_row_t>(r + 1), 0, fileName(m.documents[r]).c_str(), nullptr);
        for (size_t c = 0; c < m.categories.size(); ++c) {
            auto it = m.best.find({m.documents[r], m.categories[c]});
            if (it == m.best.end())
                continue;
            std::ostringstream v;
            v << "[" << static_cast<int>(it->second->confidence * 100 + 0.5) << "%, p. " << it->second->page << "] "
              << it->second->text;
            worksheet_write_string(matrix, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c + 1),
                                   cell(v.str()).c_str(), wrap);
        }
    }
    worksheet_freeze_panes(matrix, 1, 1);

    lxw_worksheet* all = workbook_add_worksheet(book, "Clauses");
    const char* headers[] = {"Contract", "Category", "Confidence", "Page", "Text"};
    for (int c = 0; c < 5; ++c)
        worksheet_write_string(all, 0, static_cast<lxw_col_t>(c), headers[c], bold);
    worksheet_set_column(all, 4, 4, 100, wrap);
    lxw_row_t row = 1;
    for (const auto& c : clauses) {
        worksheet_write_string(all, row, 0, fileName(c.documentPath).c_str(), nullptr);
        worksheet_write_string(all, row, 1, c.category.c_str(), nullptr);
        worksheet_write_number(all, row, 2, c.confidence, nullptr);
        worksheet_write_number(all, row, 3, c.page, nullptr);
        worksheet_write_string(all, row, 4, cell(c.text).c_str(), wrap);
        ++row;
    }
    worksheet_autofilter(all, 0, 0, row > 1 ? row - 1 : 0, 4);

    lxw_worksheet* summary = workbook_add_worksheet(book, "Answers");
    worksheet_write_string(summary, 0, 0, "Contract", bold);
    worksheet_write_string(summary, 0, 1, "Category", bold);
    worksheet_write_string(summary, 0, 2, "Answer", bold);
    row = 1;
    for (const auto& a : answers) {
        worksheet_write_string(summary, row, 0, fileName(a.documentPath).c_str(), nullptr);
        worksheet_write_string(summary, row, 1, a.category.c_str(), nullptr);
        worksheet_write_string(summary, row, 2, cell(a.answer).c_str(), nullptr);
        ++row;
    }
    lxw_error err = workbook_close(book);
    if (err != LXW_NO_ERROR)
        throw std::runtime_error(file + ": cannot write the workbook: " + lxw_strerror(err));
}

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

std::vector<app::DocumentRecord> analysedDocuments(const app::WorkspaceStore& store)
{
    std::vector<app::DocumentRecord> out;
    for (const auto& d : store.documents())
        if (d.kind == "pdf" && d.status != "error" && d.status != "skipped")
            out.push_back(d);
    return out;
}

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
        std::printf("Analysed %d contracts (%d unchanged, %d problems)%s.\n", summary.analysed, summary.unchanged,
                    static_cast<int>(summary.problems.size()), summary.cancelled ? ", cancelled" : "");
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
    std::vector<app::StoredClause> clauses;
    for (auto& c : store.clauses(only))
        if (c.confidence >= a.minConfidence)
            clauses.push_back(std::move(c));
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
        *o.out << "document,category,confidence,page,text\n";
        for (const auto& c : clauses)
            *o.out << csvField(fileName(c.documentPath)) << "," << csvField(c.category) << "," << c.confidence << ","
                   << c.page << "," << csvField(c.text) << "\n";
        return 0;
    }
    const Matrix m = matrixOf(clauses, categories, analysedDocuments(docs));
    if (format == "xlsx") {
        if (a.output.empty())
            throw std::runtime_error("--format xlsx needs --output FILE.xlsx");
        writeXlsx(a.output, m, clauses, store.answers());
        std::printf("Wrote %s: %zu contracts x %zu categories, %zu clauses.\n", a.output.c_str(), m.documents.size(),
                    m.categories.size(), clauses.size());
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
    for (const auto& d : m.documents) {
        std::printf("%-36s", shorten(fileName(d), 35).c_str());
        for (const auto& category : m.categories) {
            auto it = m.best.find({d, category});
            if (it == m.best.end())
                std::printf("  .");
            else
                std::printf("%3d", std::min(99, static_cast<int>(it->second->confidence * 100 + 0.5)));
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
