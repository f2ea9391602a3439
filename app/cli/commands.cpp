#include "commands.h"

#include "cli_support.h"
#include "terminal_progress.h"

#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/app/workspace_store.h"
#include "folio/engine/gpu.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace folio::cli {
namespace {

using nlohmann::json;

std::string humanSize(std::uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 3) { v /= 1024; ++u; }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

json toJson(const app::DocumentRecord& d)
{
    return {{"id", d.id}, {"source", d.sourceId}, {"path", d.path}, {"kind", d.kind}, {"language", d.language},
            {"size", d.size}, {"hash", d.contentHash}, {"status", d.status}, {"reason", d.reason},
            {"pages", d.pageCount}, {"lines", d.lineCount}, {"metadata", d.metadata}};
}

json toJson(const app::SourceRecord& s)
{
    return {{"id", s.id}, {"kind", s.kind}, {"location", s.location}, {"ref", s.ref}, {"state", s.state},
            {"commit", s.commitId}, {"tree", s.treeId}, {"documents", s.documentCount}, {"updated", s.updatedAt}};
}

}  // namespace

int ingestCommand(const GlobalOptions& g, const IngestArgs& a)
{
    app::WorkspaceStore store(workspaceDir(g));
    app::IngestService service(store);
    TerminalProgress bar;
    const auto report = service.ingest(
        a.paths, {a.ref, a.workingTree, a.maxFileSize, a.threads, !a.noCodeIndex},
        [&](const app::IngestProgress& p) { bar.update("ingest", p.done, p.total, p.current); }, interruptFlag());
    bar.finish();

    if (g.json) {
        json problems = json::array();
        for (const auto& p : report.problems) problems.push_back({{"path", p.path}, {"status", p.status}, {"reason", p.reason}});
        printJson({{"workspace", store.directory().string()}, {"sources", report.sources}, {"added", report.added},
               {"updated", report.updated}, {"unchanged", report.unchanged}, {"removed", report.removed},
               {"pages", report.pages}, {"ocr_pages", report.ocrPages}, {"unread_pages", report.unreadPages},
               {"bytes_read", report.bytesRead}, {"blobs_read", report.blobsRead},
               {"cancelled", report.cancelled}, {"problems", problems}});
    } else {
        for (const auto& p : report.problems) std::cerr << p.status << ": " << p.path << ": " << p.reason << "\n";
        std::cout << "Ingested into " << store.directory().string() << ": " << report.added << " added, "
                  << report.updated << " updated, " << report.unchanged << " unchanged, " << report.removed
                  << " removed";
        if (report.pages) std::cout << ", " << report.pages << " PDF pages read";
        if (report.ocrPages) std::cout << " (" << report.ocrPages << " by OCR)";
        if (report.unreadPages) std::cout << ", " << report.unreadPages << " scanned pages not read";
        std::cout << " (" << report.problems.size() << " problem" << (report.problems.size() == 1 ? "" : "s")
                  << ", " << report.errorCount() << " error" << (report.errorCount() == 1 ? "" : "s") << ")\n";
        if (report.cancelled) std::cout << "Stopped early: run the same command again to finish.\n";
    }
    return report.errorCount() > 0 || report.cancelled ? 1 : 0;
}

int lsCommand(const GlobalOptions& g, const LsArgs& a)
{
    app::WorkspaceStore store(workspaceDir(g));
    const auto sources = store.sources();
    json out = json::array();
    for (const auto& s : sources) {
        if (a.source && s.id != a.source) continue;
        json docs = json::array();
        if (!g.json) {
            std::cout << "source " << s.id << "  " << s.kind << "  " << s.location;
            if (!s.commitId.empty()) std::cout << " @ " << s.ref << " (" << s.commitId.substr(0, 12) << ")";
            std::cout << "  " << s.documentCount << " documents" << (s.state == "complete" ? "" : "  [incomplete: run ingest again]")
                      << "\n";
        }
        for (const auto& d : store.documents(s.id)) {
            if (a.problemsOnly && d.status == "ok") continue;
            if (g.json) { docs.push_back(toJson(d)); continue; }
            std::printf("  %6lld  %-7s %-10s %9s  %5d %s  %s", static_cast<long long>(d.id), d.status.c_str(),
                        d.language.empty() ? "-" : d.language.c_str(), humanSize(d.size).c_str(),
                        d.kind == "pdf" ? d.pageCount : d.lineCount, d.kind == "pdf" ? "pages" : "lines",
                        d.path.c_str());
            if (!d.reason.empty()) std::printf("  (%s)", d.reason.c_str());
            std::printf("\n");
        }
        if (g.json) {
            json sj = toJson(s);
            sj["items"] = docs;
            out.push_back(sj);
        }
    }
    if (g.json) printJson(out);
    else if (sources.empty()) std::cout << "The workspace " << store.directory().string() << " is empty: run 'folio ingest PATH'.\n";
    return 0;
}

int searchCommand(const GlobalOptions& g, const SearchArgs& a)
{
    app::WorkspaceStore store(workspaceDir(g));
    std::string query;
    for (const auto& w : a.words) query += (query.empty() ? "" : " ") + w;
    const auto hits = store.search(query, a.limit);
    if (g.json) {
        json out = json::array();
        for (const auto& h : hits) {
            json j = {{"document", h.documentId}, {"path", h.path}, {"snippet", h.snippet}, {"score", h.score}};
            if (h.page) {
                j["page"] = h.page;
                j["rect"] = {h.box.x0, h.box.y0, h.box.x1, h.box.y1};
            } else {
                j["line"] = h.line;
            }
            out.push_back(j);
        }
        printJson(out);
        return 0;
    }
    if (hits.empty()) std::cout << "No matches for \"" << query << "\".\n";
    for (const auto& h : hits) {
        std::string snippet = h.snippet;
        for (char& c : snippet) if (c == '\n') c = ' ';
        std::cout << h.path << (h.page ? ":page " + std::to_string(h.page) : ":" + std::to_string(h.line)) << "\n    "
                  << snippet << "\n";
    }
    return 0;
}

int showCommand(const GlobalOptions& g, const ShowArgs& a)
{
    app::WorkspaceStore store(workspaceDir(g));
    const auto record = store.findDocument(a.document);
    if (!record) {
        std::cerr << "folio show: no document matches '" << a.document << "' (see 'folio ls')\n";
        return 1;
    }
    const ingest::Document doc = store.loadDocument(record->id);
    if (g.json) {
        json j = toJson(*record);
        if (doc.kind == ingest::DocumentKind::File) {
            j["text"] = doc.text;
        } else {
            json pages = json::array();
            for (const auto& p : doc.pages) {
                if (a.page && p.number != a.page) continue;
                json lines = json::array();
                for (const auto& l : p.lines)
                    lines.push_back({{"text", l.text}, {"role", ingest::toString(l.role)}, {"block", l.block},
                                     {"rect", {l.box.x0, l.box.y0, l.box.x1, l.box.y1}}, {"font_size", l.fontSize},
                                     {"bold", l.bold}});
                json page = {{"number", p.number}, {"width", p.width}, {"height", p.height},
                             {"text_source", ingest::toString(p.source)}, {"lines", lines}};
                if (p.source == ingest::TextSource::Ocr) page["ocr_confidence"] = p.ocrConfidence;
                pages.push_back(page);
            }
            j["pages"] = pages;
        }
        printJson(j);
        return 0;
    }
    std::cout << record->path << "\n  " << record->kind << ", " << record->status
              << (record->reason.empty() ? "" : " (" + record->reason + ")") << ", " << humanSize(record->size);
    if (!record->language.empty()) std::cout << ", " << record->language;
    std::cout << "\n";
    for (const auto& [k, v] : record->metadata) std::cout << "  " << k << ": " << v << "\n";
    std::cout << "\n";
    if (doc.kind == ingest::DocumentKind::File) {
        std::cout << doc.text;
        if (!doc.text.empty() && doc.text.back() != '\n') std::cout << "\n";
        return 0;
    }
    for (const auto& p : doc.pages) {
        if (a.page && p.number != a.page) continue;
        std::cout << "--- page " << p.number;
        if (p.source == ingest::TextSource::Ocr) std::cout << " (read by OCR, mean word confidence " << std::lround(p.ocrConfidence) << "%)";
        if (p.source == ingest::TextSource::Unread) std::cout << " (scanned, not read)";
        std::cout << " ---\n";
        int block = -1;
        for (const auto& l : p.lines) {
            if (l.role != ingest::LineRole::Body) {
                if (a.withRunningHeads) std::cout << "[" << ingest::toString(l.role) << "] " << l.text << "\n";
                continue;
            }
            if (block >= 0 && l.block != block) std::cout << "\n";
            block = l.block;
            std::cout << l.text << "\n";
        }
    }
    return 0;
}

int sampleCommand(const GlobalOptions& g, const std::string& folder)
{
    const auto files = app::writeSampleContracts(folder);
    if (g.json) {
        printJson(json(files));
    } else {
        for (const auto& f : files) std::cout << f << "\n";
    }
    return 0;
}

int infoCommand(const GlobalOptions& g)
{
    app::WorkspaceStore store(workspaceDir(g));
    const engine::gpu::Status gpu = engine::gpu::probe();
    const auto sources = store.sources();
    std::size_t documents = 0;
    for (const auto& s : sources) documents += std::size_t(s.documentCount);
    json devices = json::array();
    for (const auto& d : gpu.devices)
        devices.push_back({{"index", d.index}, {"name", d.name}, {"memory", d.memoryBytes},
                           {"compute_capability", std::to_string(d.computeMajor) + "." + std::to_string(d.computeMinor)}});
    if (g.json) {
        printJson({{"workspace", store.directory().string()}, {"schema_version", store.schemaVersion()},
               {"sources", sources.size()}, {"documents", documents},
               {"gpu", {{"cuda_build", gpu.compiledWithCuda}, {"cuda_runtime", gpu.runtimeVersion},
                        {"nccl", gpu.ncclVersion}, {"devices", devices}, {"unavailable", gpu.unavailableReason}}}});
        return 0;
    }
    std::cout << "workspace: " << store.directory().string() << " (schema " << store.schemaVersion() << ", "
              << sources.size() << " sources, " << documents << " documents)\n";
    std::cout << "CUDA: " << (gpu.compiledWithCuda ? "built with runtime " + gpu.runtimeVersion + ", NCCL " + gpu.ncclVersion : "not built") << "\n";
    if (gpu.available())
        for (const auto& d : gpu.devices)
            std::cout << "GPU " << d.index << ": " << d.name << ", " << humanSize(d.memoryBytes) << ", compute "
                      << d.computeMajor << "." << d.computeMinor << "\n";
    else
        std::cout << "GPU: " << gpu.unavailableReason << "\n";
    return 0;
}

}  // namespace folio::cli
