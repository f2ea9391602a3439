#include "folio/app/ask_history.h"

#include "folio/app/workspace_store.h"
#include "sqlite.h"

#include <nlohmann/json.hpp>

namespace folio::app {

struct AskHistory::Impl {
    explicit Impl(const std::string& file) : db(file) {}
    sqlite::Database db;
};

// Opening the workspace store first creates or migrates the schema the table belongs to.
AskHistory::AskHistory(const std::filesystem::path& workspaceDir)
    : d(std::make_unique<Impl>(WorkspaceStore(workspaceDir).databaseFile().string()))
{
}

AskHistory::~AskHistory() = default;

std::int64_t AskHistory::add(const AskRecord& r)
{
    auto s = d->db.prepare("INSERT INTO questions (asked_at_ms, scope, question, answer, thinking, citations, model, stop_reason) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, r.askedAtMs).bind(2, r.scope).bind(3, r.question).bind(4, r.answer).bind(5, r.thinking);
    s.bind(6, citationsToJson(r.citations)).bind(7, r.model).bind(8, r.stopReason);
    s.run();
    return d->db.lastInsertId();
}

std::vector<AskRecord> AskHistory::recent(int limit) const
{
    auto s = d->db.prepare("SELECT id, asked_at_ms, scope, question, answer, thinking, citations, model, stop_reason "
                           "FROM questions ORDER BY id DESC LIMIT ?");
    s.bind(1, limit);
    std::vector<AskRecord> out;
    while (s.step())
        out.push_back({s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.text(5), citationsFromJson(s.text(6)),
                       s.text(7), s.text(8)});
    return out;
}

void AskHistory::remove(std::int64_t id)
{
    d->db.prepare("DELETE FROM questions WHERE id = ?").bind(1, id).run();
}

std::string citationsToJson(const std::vector<Citation>& citations)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : citations) {
        nlohmann::json item = {{"text", c.text}, {"offset", c.offset}, {"label", c.label}, {"resolved", c.resolved()}};
        if (c.resolved()) {
            item.update({{"document_id", c.documentId}, {"path", c.path}, {"kind", c.kind}});
            if (c.page > 0) item.update({{"page", c.page}, {"page_end", c.pageEnd}});
            if (c.line > 0) item.update({{"line", c.line}, {"line_end", c.lineEnd}});
        } else {
            item["problem"] = c.problem;
        }
        out.push_back(std::move(item));
    }
    return out.dump();
}

std::vector<Citation> citationsFromJson(const std::string& text)
{
    std::vector<Citation> out;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_array()) return out;
    for (const auto& item : json) {
        Citation c;
        c.text = item.value("text", "");
        c.offset = item.value("offset", std::size_t(0));
        c.label = item.value("label", "");
        c.documentId = item.value("document_id", std::int64_t(0));
        c.path = item.value("path", "");
        c.kind = item.value("kind", "");
        c.page = item.value("page", 0);
        c.pageEnd = item.value("page_end", 0);
        c.line = item.value("line", 0);
        c.lineEnd = item.value("line_end", 0);
        c.problem = item.value("problem", "");
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace folio::app
