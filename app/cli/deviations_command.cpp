#include "deviations_command.h"

#include "analysis_output.h"
#include "cli_support.h"

#include "folio/app/analysis_store.h"
#include "folio/app/deviation_report.h"
#include "folio/app/workspace_store.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace folio::cli {
namespace {

using nlohmann::json;
using analysis::WordEdit;

// The diff for a terminal: every change with at most four unchanged words around it.
std::string compactDiff(const std::vector<WordEdit>& diff)
{
    std::vector<WordEdit> out;
    for (std::size_t i = 0; i < diff.size(); ++i) {
        WordEdit e = diff[i];
        if (e.op == WordEdit::Op::Same) {
            std::vector<std::string> w;
            for (std::size_t at = 0, next; at < e.text.size(); at = next + 1) {
                next = e.text.find(' ', at);
                if (next == std::string::npos)
                    next = e.text.size();
                w.push_back(e.text.substr(at, next - at));
            }
            const std::size_t keepBefore = i > 0 ? 4 : 0, keepAfter = i + 1 < diff.size() ? 4 : 0;
            if (w.size() > keepBefore + keepAfter) {
                std::string cut;
                for (std::size_t k = 0; k < keepBefore; ++k)
                    cut += w[k] + ' ';
                cut += "...";
                for (std::size_t k = w.size() - keepAfter; k < w.size(); ++k)
                    cut += ' ' + w[k];
                e.text = cut;
            }
        }
        out.push_back(std::move(e));
    }
    return analysis::markedDiff(out);
}

json deviationJson(const app::DeviationReport& r, const analysis::Deviation& d)
{
    const auto& contract = r.contracts[d.contract];
    json j = {{"document", fileName(contract.path)}, {"path", contract.path}, {"document_id", contract.documentId},
              {"kind", analysis::toString(d.kind)}, {"category", d.category}};
    if (d.kind != analysis::Deviation::Kind::DifferentWording)
        j["expected"] = d.expected;
    if (d.kind == analysis::Deviation::Kind::UnusualValue)
        j["value"] = d.value;
    if (d.clause) {
        j["page"] = d.clause->page;
        j["text"] = d.clause->text;
        j["regions"] = regionsJson(d.clause->regions);
    }
    if (d.baselineContract) {
        j["similarity"] = d.similarity;
        j["compared_with"] = {{"document", fileName(r.contracts[*d.baselineContract].path)},
                              {"page", d.baselineClause->page}, {"text", d.baselineClause->text}};
        json diff = json::array();
        for (const WordEdit& e : d.diff)
            diff.push_back({{"op", analysis::toString(e.op)}, {"text", e.text}});
        j["diff"] = diff;
        j["marked_diff"] = analysis::markedDiff(d.diff);
    }
    return j;
}

void printTable(const app::DeviationReport& r, const DeviationsArgs& a)
{
    std::printf("Deviations from the %s (wording flagged below %.0f%% alike).\n", r.baselineName().c_str(),
                a.wordingBelow * 100);
    for (std::size_t i = 0; i < r.contracts.size(); ++i) {
        std::printf("\n%s%s\n", fileName(r.contracts[i].path).c_str(), r.reference == i ? "  [reference]" : "");
        int shown = 0;
        for (const analysis::Deviation& d : r.deviations) {
            if (d.contract != i)
                continue;
            ++shown;
            const std::string page = d.clause ? "p." + std::to_string(d.clause->page) : "";
            switch (d.kind) {
            case analysis::Deviation::Kind::MissingClause:
                std::printf("  missing clause     %-36s expected %s\n", shorten(d.category, 36).c_str(), d.expected.c_str());
                break;
            case analysis::Deviation::Kind::UnusualValue:
                std::printf("  unusual value      %-36s %-6s %s (expected %s)\n", shorten(d.category, 36).c_str(),
                            page.c_str(), d.value.c_str(), d.expected.c_str());
                break;
            case analysis::Deviation::Kind::DifferentWording:
                std::printf("  different wording  %-36s %-6s %3.0f%% alike to %s p.%d\n      %s\n",
                            shorten(d.category, 36).c_str(), page.c_str(), d.similarity * 100,
                            fileName(r.contracts[*d.baselineContract].path).c_str(), d.baselineClause->page,
                            shorten(compactDiff(d.diff), 400).c_str());
                break;
            }
        }
        if (!shown)
            std::printf("  %s\n", r.reference == i ? "(the contract the others are compared with)" : "no deviations");
    }
}

}  // namespace

int deviationsCommand(const GlobalOptions& g, const DeviationsArgs& a)
{
    const auto dir = workspaceDir(g);
    app::WorkspaceStore docs(dir);
    app::AnalysisStore store(dir);
    requireAnalysis(store, dir);
    std::optional<std::int64_t> reference;
    if (!a.reference.empty()) {
        const auto d = docs.findDocument(a.reference);
        if (!d)
            throw std::runtime_error("--reference '" + a.reference + "': no such document in " + dir.string() +
                                     " (give a document id or path, see 'folio ls')");
        reference = d->id;
    }
    analysis::DeviationOptions options;
    options.wordingBelow = a.wordingBelow;
    const app::DeviationReport r = app::DeviationReport::build(docs, store, a.minConfidence, reference, options);
    if (!a.xlsx.empty())
        app::writeDeviationsXlsx(a.xlsx, r);
    if (g.json) {
        json contracts = json::array();
        for (std::size_t i = 0; i < r.contracts.size(); ++i)
            contracts.push_back({{"document", fileName(r.contracts[i].path)}, {"path", r.contracts[i].path},
                                 {"document_id", r.contracts[i].documentId},
                                 {"role", r.reference == i ? "reference" : "compared"}});
        json deviations = json::array();
        for (const analysis::Deviation& d : r.deviations)
            deviations.push_back(deviationJson(r, d));
        printJson({{"baseline", r.reference ? "reference" : "norm"}, {"against", r.baselineName()},
                   {"contracts", contracts}, {"deviations", deviations}});
        return 0;
    }
    printTable(r, a);
    if (!a.xlsx.empty())
        std::printf("\nWrote %s: %zu deviations in %zu contracts.\n", a.xlsx.c_str(), r.deviations.size(),
                    r.contracts.size());
    return 0;
}

}  // namespace folio::cli
