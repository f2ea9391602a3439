#include "folio/app/analysis_store.h"

#include "folio/app/workspace_store.h"
#include "sqlite.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

namespace folio::app {

namespace {

std::string encodeRegions(const std::vector<analysis::PageRegion>& regions)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : regions)
        j.push_back({r.page, r.box.x0, r.box.y0, r.box.x1, r.box.y1});
    return j.dump();
}

std::vector<analysis::PageRegion> decodeRegions(const std::string& text)
{
    std::vector<analysis::PageRegion> out;
    for (const auto& r : nlohmann::json::parse(text))
        out.push_back({r[0].get<int>(), {r[1].get<float>(), r[2].get<float>(), r[3].get<float>(), r[4].get<float>()}});
    return out;
}

std::string encodeUses(const analysis::ContractText& text, const std::vector<analysis::TextRange>& uses)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& u : uses)
        j.push_back({u.start, u.end, text.pageAt(u.start)});
    return j.dump();
}

}  // namespace

struct AnalysisStore::Impl {
    explicit Impl(const std::string& file) : db(file) {}
    sqlite::Database db;
};

namespace {

// Opening the workspace store first creates or migrates the schema the analysis tables belong to.
std::string migratedDatabase(const std::filesystem::path& workspaceDir)
{
    return WorkspaceStore(workspaceDir).databaseFile().string();
}

}  // namespace

AnalysisStore::AnalysisStore(const std::filesystem::path& workspaceDir)
    : d(std::make_unique<Impl>(migratedDatabase(workspaceDir)))
{
    d->db.exec("PRAGMA foreign_keys = ON");
}

AnalysisStore::~AnalysisStore() = default;

bool AnalysisStore::isCurrent(std::int64_t documentId, const std::string& contentHash, const std::string& extractor) const
{
    auto q = d->db.prepare("SELECT 1 FROM analyses WHERE document_id = ? AND content_hash = ? AND "
                           "analyzer_version = ? AND extractor = ?");
    q.bind(1, documentId).bind(2, contentHash).bind(3, analysis::kAnalyzerVersion).bind(4, extractor);
    return q.step();
}

void AnalysisStore::write(std::int64_t documentId, const std::string& contentHash, const std::string& extractor,
                          const analysis::ContractAnalysis& a)
{
    sqlite::Transaction tx(d->db);
    for (const char* table : {"analyses", "outline_nodes", "defined_terms", "undefined_terms", "cross_references",
                              "clauses", "clause_answers"})
        d->db.prepare(std::string("DELETE FROM ") + table + " WHERE document_id = ?").bind(1, documentId).run();
    d->db.prepare("INSERT INTO analyses (document_id, content_hash, analyzer_version, extractor, analysed_at) "
                  "VALUES (?, ?, ?, ?, ?)")
        .bind(1, documentId).bind(2, contentHash).bind(3, analysis::kAnalyzerVersion).bind(4, extractor)
        .bind(5, QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()).run();
    auto node = d->db.prepare("INSERT INTO outline_nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& n : a.outline.nodes())
        node.bind(1, documentId).bind(2, n.id).bind(3, n.parent).bind(4, n.depth).bind(5, analysis::toString(n.kind))
            .bind(6, n.label).bind(7, n.citation).bind(8, n.title).bind(9, n.page).bind(10, n.range.start)
            .bind(11, n.range.end).bind(12, encodeRegions(n.regions)).run();
    auto term = d->db.prepare("INSERT INTO defined_terms (document_id, term, form, defined_in, scope_node, "
                              "defined_twice, page, range_start, range_end, definition, regions, uses) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& t : a.terms.terms)
        term.bind(1, documentId).bind(2, t.term).bind(3, analysis::toString(t.form)).bind(4, t.definedIn)
            .bind(5, t.scopeNode).bind(6, t.definedTwice ? 1 : 0).bind(7, a.text.pageAt(t.termRange.start))
            .bind(8, t.definition.start).bind(9, t.definition.end).bind(10, a.text.flat(t.definition))
            .bind(11, encodeRegions(a.text.regions(t.termRange))).bind(12, encodeUses(a.text, t.uses)).run();
    auto undefinedTerm = d->db.prepare("INSERT INTO undefined_terms VALUES (?, ?, ?)");
    for (const auto& t : a.terms.undefined)
        undefinedTerm.bind(1, documentId).bind(2, t.term).bind(3, encodeUses(a.text, t.uses)).run();
    auto ref = d->db.prepare("INSERT INTO cross_references (document_id, text, kind, target, target_node, reason, "
                             "page, range_start, range_end, regions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& r : a.references)
        ref.bind(1, documentId).bind(2, r.text).bind(3, r.kind).bind(4, r.target).bind(5, r.targetNode)
            .bind(6, r.reason).bind(7, a.text.pageAt(r.range.start)).bind(8, r.range.start).bind(9, r.range.end)
            .bind(10, encodeRegions(a.text.regions(r.range))).run();
    auto clause = d->db.prepare("INSERT INTO clauses (document_id, category, confidence, text, page, range_start, "
                                "range_end, regions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& c : a.clauses)
        clause.bind(1, documentId).bind(2, c.category).bind(3, c.confidence).bind(4, c.text).bind(5, c.page)
            .bind(6, c.range.start).bind(7, c.range.end).bind(8, encodeRegions(c.regions)).run();
    auto answer = d->db.prepare("INSERT INTO clause_answers VALUES (?, ?, ?)");
    for (const auto& x : a.answers)
        answer.bind(1, documentId).bind(2, x.category).bind(3, x.answer).run();
    tx.commit();
}

std::vector<StoredClause> AnalysisStore::clauses(std::optional<std::string> category,
                                                 std::optional<std::int64_t> documentId) const
{
    auto q = d->db.prepare("SELECT c.document_id, d.path, c.category, c.text, c.confidence, c.page, c.range_start, "
                           "c.range_end, c.regions FROM clauses c JOIN documents d ON d.id = c.document_id "
                           "WHERE (?1 IS NULL OR c.category = ?1 COLLATE NOCASE) AND (?2 IS NULL OR c.document_id = ?2) "
                           "ORDER BY d.path, c.category, c.confidence DESC");
    q.bind(1, category).bind(2, documentId);
    std::vector<StoredClause> out;
    while (q.step())
        out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.real(4), int(q.integer(5)),
                       {int(q.integer(6)), int(q.integer(7))}, decodeRegions(q.text(8))});
    return out;
}

std::vector<StoredTerm> AnalysisStore::terms(std::optional<std::int64_t> documentId) const
{
    std::vector<StoredTerm> out;
    auto q = d->db.prepare("SELECT t.document_id, d.path, t.term, t.form, t.defined_in, t.definition, "
                           "t.defined_twice, t.page, t.uses, t.regions FROM defined_terms t "
                           "JOIN documents d ON d.id = t.document_id WHERE ?1 IS NULL OR t.document_id = ?1 "
                           "ORDER BY d.path, t.id");
    auto u = d->db.prepare("SELECT t.document_id, d.path, t.term, t.uses FROM undefined_terms t "
                           "JOIN documents d ON d.id = t.document_id WHERE ?1 IS NULL OR t.document_id = ?1 "
                           "ORDER BY d.path, t.term");
    q.bind(1, documentId);
    u.bind(1, documentId);
    while (q.step()) {
        StoredTerm t;
        t.documentId = q.integer(0);
        t.documentPath = q.text(1);
        t.term = q.text(2);
        t.form = q.text(3);
        t.definedIn = q.text(4);
        t.definition = q.text(5);
        t.definedTwice = q.integer(6) != 0;
        t.page = int(q.integer(7));
        for (const auto& u : nlohmann::json::parse(q.text(8)))
            t.uses.push_back({u[0].get<int>(), u[1].get<int>()});
        t.useCount = int(t.uses.size());
        t.regions = decodeRegions(q.text(9));
        out.push_back(std::move(t));
    }
    while (u.step()) {
        StoredTerm t;
        t.documentId = u.integer(0);
        t.documentPath = u.text(1);
        t.term = u.text(2);
        t.undefined = true;
        auto uses = nlohmann::json::parse(u.text(3));
        for (const auto& r : uses)
            t.uses.push_back({r[0].get<int>(), r[1].get<int>()});
        t.useCount = int(uses.size());
        t.page = uses.empty() ? 0 : uses[0][2].get<int>();
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<StoredReference> AnalysisStore::references(bool unresolvedOnly, std::optional<std::int64_t> documentId) const
{
    auto q = d->db.prepare("SELECT r.document_id, d.path, r.text, r.kind, r.target, r.reason, r.target_node, "
                           "coalesce(n.citation, ''), coalesce(n.title, ''), coalesce(n.page, 0), r.page, r.regions "
                           "FROM cross_references r JOIN documents d ON d.id = r.document_id "
                           "LEFT JOIN outline_nodes n ON n.document_id = r.document_id AND n.node = r.target_node "
                           "WHERE (?1 = 0 OR r.target_node < 0) AND (?2 IS NULL OR r.document_id = ?2) "
                           "ORDER BY d.path, r.range_start");
    q.bind(1, unresolvedOnly ? 1 : 0).bind(2, documentId);
    std::vector<StoredReference> out;
    while (q.step())
        out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), int(q.integer(6)),
                       q.text(7), q.text(8), int(q.integer(9)), int(q.integer(10)), decodeRegions(q.text(11))});
    return out;
}

std::vector<StoredNode> AnalysisStore::outline(std::int64_t documentId) const
{
    auto q = d->db.prepare("SELECT node, parent, depth, page, kind, label, citation, title, range_start, range_end, "
                           "regions FROM outline_nodes WHERE document_id = ? ORDER BY node");
    q.bind(1, documentId);
    std::vector<StoredNode> out;
    while (q.step())
        out.push_back({int(q.integer(0)), int(q.integer(1)), int(q.integer(2)), int(q.integer(3)), q.text(4),
                       q.text(5), q.text(6), q.text(7), {int(q.integer(8)), int(q.integer(9))},
                       decodeRegions(q.text(10))});
    return out;
}

std::vector<StoredAnswer> AnalysisStore::answers() const
{
    auto q = d->db.prepare("SELECT a.document_id, d.path, a.category, a.answer FROM clause_answers a "
                           "JOIN documents d ON d.id = a.document_id ORDER BY d.path, a.category");
    std::vector<StoredAnswer> out;
    while (q.step())
        out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3)});
    return out;
}

int AnalysisStore::analysedDocumentCount() const
{
    auto q = d->db.prepare("SELECT count(*) FROM analyses");
    q.step();
    return int(q.integer(0));
}

}  // namespace folio::app
