#include "folio/app/workspace_store.h"

#include "code_index_rows.h"
#include "sqlite.h"
#include "workspace_schema.h"

#include "folio/ingest/repository_reader.h"

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QDateTime>
#include <QStandardPaths>

#include <algorithm>
#include <cstring>
#include <regex>
#include <unordered_map>

namespace folio::app {
namespace {

constexpr int kFileLinesPerBlock = 50;

std::string now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
}

std::string encodeBoxes(const std::vector<ingest::Rect>& boxes)
{
    static_assert(sizeof(ingest::Rect) == 4 * sizeof(float));
    std::string out(boxes.size() * sizeof(ingest::Rect), '\0');
    if (!boxes.empty()) std::memcpy(out.data(), boxes.data(), out.size());
    return out;
}

std::vector<ingest::Rect> decodeBoxes(const std::string& bytes)
{
    std::vector<ingest::Rect> out(bytes.size() / sizeof(ingest::Rect));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(ingest::Rect));
    return out;
}

int countLines(const std::string& text)
{
    if (text.empty()) return 0;
    return int(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
}

// Plain words that FTS5 would read as syntax ("5.2(b)", "don't") are quoted one by one and ANDed.
std::string quoteTerms(const std::string& query)
{
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        std::string quoted = "\"";
        for (char c : word) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += (out.empty() ? "" : " ") + quoted + "\"";
        word.clear();
    };
    for (char c : query) {
        if (c == ' ' || c == '\t' || c == '\n') flush();
        else word += c;
    }
    flush();
    return out;
}

// The words of a query, lower case, for locating the first matching line inside a block of a file.
std::vector<std::string> queryWords(const std::string& query)
{
    std::vector<std::string> words;
    static const std::regex wordPattern(R"([A-Za-z0-9_\x80-\xff]+)");
    for (auto it = std::sregex_iterator(query.begin(), query.end(), wordPattern); it != std::sregex_iterator(); ++it) {
        std::string w = it->str();
        if (w == "AND" || w == "OR" || w == "NOT" || w == "NEAR") continue;
        std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        words.push_back(w);
    }
    return words;
}

SourceRecord readSource(const sqlite::Statement& s)
{
    SourceRecord r;
    r.id = s.integer(0);
    r.kind = s.text(1);
    r.location = s.text(2);
    r.ref = s.text(3);
    r.state = s.text(4);
    r.commitId = s.text(5);
    r.treeId = s.text(6);
    r.addedAt = s.text(7);
    r.updatedAt = s.text(8);
    r.documentCount = s.integer(9);
    return r;
}

constexpr const char* kSourceColumns =
    "SELECT s.id, s.kind, s.location, s.ref, s.state, s.commit_id, s.tree_id, s.added_at, s.updated_at, "
    "(SELECT count(*) FROM documents d WHERE d.source_id = s.id) FROM sources s ";

DocumentRecord readDocument(const sqlite::Statement& s)
{
    DocumentRecord r;
    r.id = s.integer(0);
    r.sourceId = s.integer(1);
    r.path = s.text(2);
    r.kind = s.text(3);
    r.language = s.text(4);
    r.size = std::uint64_t(s.integer(5));
    r.contentHash = s.text(6);
    r.status = s.text(7);
    r.reason = s.text(8);
    r.pageCount = int(s.integer(9));
    r.lineCount = int(s.integer(10));
    const nlohmann::json metadata = nlohmann::json::parse(s.text(11));
    for (const auto& [k, v] : metadata.items()) r.metadata[k] = v.get<std::string>();
    return r;
}

constexpr const char* kDocumentColumns =
    "SELECT id, source_id, path, kind, language, size, content_hash, status, reason, page_count, line_count, "
    "metadata FROM documents ";

}  // namespace

struct WorkspaceStore::Impl {
    std::filesystem::path dir;
    sqlite::Database db;
    bool inBatch = false;
    std::unordered_map<const char*, sqlite::Statement> statements;

    // Hot statements are prepared once per store: an ingest runs them hundreds of thousands of times.
    sqlite::Statement& cached(const char* sql)
    {
        auto it = statements.find(sql);
        if (it == statements.end()) it = statements.emplace(sql, db.prepare(sql)).first;
        return it->second;
    }

    explicit Impl(const std::filesystem::path& directory)
        : dir(directory), db((directory / "workspace.sqlite").string())
    {
        db.exec("PRAGMA journal_mode = WAL");
        db.exec("PRAGMA synchronous = NORMAL");  // WAL + NORMAL: a killed process never corrupts, only loses
        db.exec("PRAGMA foreign_keys = ON");     // the last uncommitted transaction.
        // 64 MiB of page cache (the default is 2 MiB): an ingest's batch of code rows outgrew the default, and
        // SQLite then spilled pages to the WAL in the middle of the transaction and read them back.
        db.exec("PRAGMA cache_size = -65536");
        migrate();
    }

    int userVersion()
    {
        auto s = db.prepare("PRAGMA user_version");
        s.step();
        return int(s.integer(0));
    }

    void migrate()
    {
        const auto& steps = workspaceMigrations();
        sqlite::Transaction tx(db);
        const int version = userVersion();
        if (version > int(steps.size()))
            throw sqlite::Error(db.file() + ": the workspace was written by a newer Folio (schema "
                                + std::to_string(version) + ", this one knows " + std::to_string(steps.size()) + ")");
        for (int v = version; v < int(steps.size()); ++v) {
            db.exec(steps[std::size_t(v)]);
            db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        }
        tx.commit();
    }

    void deleteDocumentRows(std::int64_t documentId)
    {
        // Explicit deletes rather than ON DELETE CASCADE alone: the FTS delete trigger needs each block row.
        static constexpr const char* deletes[] = {
            "DELETE FROM blocks WHERE document_id = ?", "DELETE FROM lines WHERE document_id = ?",
            "DELETE FROM pages WHERE document_id = ?", "DELETE FROM code_symbols WHERE document_id = ?",
            "DELETE FROM code_references WHERE document_id = ?", "DELETE FROM code_imports WHERE document_id = ?",
            "DELETE FROM code_files WHERE document_id = ?", "DELETE FROM documents WHERE id = ?"};
        for (const char* sql : deletes) cached(sql).bind(1, documentId).run();
    }

    void insertBlock(std::int64_t documentId, int seq, int page, int lineStart, int lineEnd, const ingest::Rect& box,
                     const std::string& text)
    {
        static constexpr const char* sql =
            "INSERT INTO blocks (document_id, seq, page, line_start, line_end, x0, y0, x1, y1, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        cached(sql).bind(1, documentId).bind(2, seq).bind(3, page).bind(4, lineStart).bind(5, lineEnd)
            .bind(6, double(box.x0)).bind(7, double(box.y0)).bind(8, double(box.x1)).bind(9, double(box.y1))
            .bind(10, text).run();
    }

    void writeDocument(std::int64_t sourceId, const ingest::Document& doc, const code::FileIndex* codeIndex)
    {
        {
            static constexpr const char* sql = "SELECT id FROM documents WHERE source_id = ? AND path = ?";
            auto& find = cached(sql);
            find.bind(1, sourceId).bind(2, doc.path);
            const bool found = find.step();
            const std::int64_t id = found ? find.integer(0) : 0;
            find.reset();
            if (found) deleteDocumentRows(id);
        }
        int lineCount = 0;
        if (doc.kind == ingest::DocumentKind::File) lineCount = countLines(doc.text);
        for (const auto& page : doc.pages) lineCount += int(page.lines.size());
        nlohmann::json metadata = nlohmann::json::object();
        for (const auto& [k, v] : doc.metadata) metadata[k] = v;

        static constexpr const char* insertDocument =
            "INSERT INTO documents (source_id, path, kind, language, size, content_hash, status, reason, "
            "page_count, line_count, metadata, reader_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        cached(insertDocument)
            .bind(1, sourceId).bind(2, doc.path).bind(3, ingest::toString(doc.kind)).bind(4, doc.language)
            .bind(5, std::int64_t(doc.size)).bind(6, doc.contentHash).bind(7, ingest::toString(doc.status))
            .bind(8, doc.reason).bind(9, int(doc.pages.size())).bind(10, lineCount)
            .bind(11, metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
            .bind(12, doc.readerVersion).run();
        const std::int64_t documentId = db.lastInsertId();

        if (doc.kind == ingest::DocumentKind::File) writeFileBlocks(documentId, doc.text);
        else writePdfPages(documentId, doc.pages);
        if (codeIndex) writeCodeIndex([this](const char* sql) -> sqlite::Statement& { return cached(sql); }, documentId, *codeIndex);
    }

    void writeFileBlocks(std::int64_t documentId, const std::string& text)
    {
        std::size_t pos = 0;
        int line = 1, seq = 0;
        while (pos < text.size()) {
            std::size_t end = pos;
            int lines = 0;
            while (end < text.size() && lines < kFileLinesPerBlock) {
                const std::size_t nl = text.find('\n', end);
                end = nl == std::string::npos ? text.size() : nl + 1;
                ++lines;
            }
            insertBlock(documentId, seq++, 0, line, line + lines - 1, {}, text.substr(pos, end - pos));
            line += lines;
            pos = end;
        }
    }

    void writePdfPages(std::int64_t documentId, const std::vector<ingest::Page>& pages)
    {
        static constexpr const char* pageSql =
            "INSERT INTO pages (document_id, number, width, height, text_source, ocr_confidence) VALUES (?, ?, ?, ?, ?, ?)";
        static constexpr const char* lineSql =
            "INSERT INTO lines (document_id, page, seq, block, role, text, x0, y0, x1, y1, font_size, bold, "
            "word_boxes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        auto& insertPage = cached(pageSql);
        auto& insertLine = cached(lineSql);
        int seq = 0;
        for (const ingest::Page& page : pages) {
            insertPage.bind(1, documentId).bind(2, page.number).bind(3, double(page.width))
                .bind(4, double(page.height)).bind(5, ingest::toString(page.source))
                .bind(6, double(page.ocrConfidence)).run();
            for (std::size_t i = 0; i < page.lines.size(); ++i) {
                const ingest::TextLine& l = page.lines[i];
                const std::string boxes = encodeBoxes(l.wordBoxes);
                insertLine.bind(1, documentId).bind(2, page.number).bind(3, int(i)).bind(4, l.block)
                    .bind(5, ingest::toString(l.role)).bind(6, l.text).bind(7, double(l.box.x0))
                    .bind(8, double(l.box.y0)).bind(9, double(l.box.x1)).bind(10, double(l.box.y1))
                    .bind(11, double(l.fontSize)).bind(12, int(l.bold)).bindBlob(13, boxes.data(), boxes.size())
                    .run();
            }
            // One search block per paragraph of body text.
            std::size_t i = 0;
            while (i < page.lines.size()) {
                if (page.lines[i].role != ingest::LineRole::Body) { ++i; continue; }
                const int block = page.lines[i].block;
                std::size_t j = i;
                std::string text;
                ingest::Rect box = page.lines[i].box;
                while (j < page.lines.size() && page.lines[j].block == block
                       && page.lines[j].role == ingest::LineRole::Body) {
                    text += (text.empty() ? "" : "\n") + page.lines[j].text;
                    box = box.united(page.lines[j].box);
                    ++j;
                }
                insertBlock(documentId, seq++, page.number, int(i), int(j - 1), box, text);
                i = j;
            }
        }
    }

    template <typename Fn>
    void inTransaction(Fn&& fn)
    {
        if (inBatch) { fn(); return; }
        sqlite::Transaction tx(db);
        fn();
        tx.commit();
    }
};

WorkspaceStore::WorkspaceStore(const std::filesystem::path& workspaceDir)
{
    std::error_code ec;
    std::filesystem::create_directories(workspaceDir, ec);
    if (ec) throw std::runtime_error(workspaceDir.string() + ": cannot create the workspace folder: " + ec.message());
    d = std::make_unique<Impl>(workspaceDir);
}

WorkspaceStore::~WorkspaceStore() = default;

std::filesystem::path WorkspaceStore::defaultWorkspaceDir()
{
    // $XDG_DATA_HOME/folio/workspaces/default, i.e. ~/.local/share/folio/... unless the user moved it.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return std::filesystem::path(base.toStdString()) / "folio" / "workspaces" / "default";
}

const std::filesystem::path& WorkspaceStore::directory() const { return d->dir; }
std::filesystem::path WorkspaceStore::databaseFile() const { return d->dir / "workspace.sqlite"; }
int WorkspaceStore::schemaVersion() const { return d->userVersion(); }

SourceRecord WorkspaceStore::beginSource(const std::string& kind, const std::string& location, const std::string& ref)
{
    // The record returned keeps the state the last run left (complete or not): whether a tree diff against its
    // tree can stand for reading every entry depends on it.
    std::string previousState = "ingesting";
    {
        auto s = d->db.prepare("SELECT state FROM sources WHERE kind = ? AND location = ?");
        s.bind(1, kind).bind(2, location);
        if (s.step()) previousState = s.text(0);
    }
    d->inTransaction([&] {
        const std::string t = now();
        d->db.prepare("INSERT INTO sources (kind, location, ref, added_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT (kind, location) DO UPDATE SET state = 'ingesting', updated_at = excluded.updated_at")
            .bind(1, kind).bind(2, location).bind(3, ref).bind(4, t).bind(5, t).run();
    });
    auto s = d->db.prepare(std::string(kSourceColumns) + "WHERE s.kind = ? AND s.location = ?");
    s.bind(1, kind).bind(2, location);
    s.step();
    SourceRecord record = readSource(s);
    record.state = previousState;
    return record;
}

void WorkspaceStore::completeSource(std::int64_t sourceId, const std::string& commitId, const std::string& treeId)
{
    d->inTransaction([&] {
        d->db.prepare("UPDATE sources SET state = 'complete', commit_id = ?, tree_id = ?, updated_at = ? WHERE id = ?")
            .bind(1, commitId).bind(2, treeId).bind(3, now()).bind(4, sourceId).run();
    });
}

std::vector<SourceRecord> WorkspaceStore::sources() const
{
    std::vector<SourceRecord> out;
    auto s = d->db.prepare(std::string(kSourceColumns) + "ORDER BY s.id");
    while (s.step()) out.push_back(readSource(s));
    return out;
}

std::optional<SourceRecord> WorkspaceStore::source(std::int64_t id) const
{
    auto s = d->db.prepare(std::string(kSourceColumns) + "WHERE s.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readSource(s);
}

void WorkspaceStore::removeSource(std::int64_t id)
{
    d->inTransaction([&] {
        std::vector<std::int64_t> ids;
        auto s = d->db.prepare("SELECT id FROM documents WHERE source_id = ?");
        s.bind(1, id);
        while (s.step()) ids.push_back(s.integer(0));
        for (std::int64_t docId : ids) d->deleteDocumentRows(docId);
        d->db.prepare("DELETE FROM sources WHERE id = ?").bind(1, id).run();
    });
}

std::map<std::string, KnownDocument> WorkspaceStore::knownDocuments(std::int64_t sourceId) const
{
    std::map<std::string, KnownDocument> out;
    auto s = d->db.prepare("SELECT path, content_hash, status, reader_version, language, "
                           "coalesce((SELECT indexer_version FROM code_files WHERE document_id = documents.id), 0), "
                           "size, status = 'skipped' AND substr(reason, 1, ?) = ? "
                           "FROM documents WHERE source_id = ?");
    const std::string_view sizeLimit = ingest::RepositoryReader::kSizeLimitReason;
    s.bind(1, std::int64_t(sizeLimit.size()));
    s.bind(2, sizeLimit);
    s.bind(3, sourceId);
    while (s.step())
        out[s.text(0)] = KnownDocument{s.text(1), s.text(2), int(s.integer(3)), s.text(4), int(s.integer(5)),
                                       std::uint64_t(s.integer(6)), s.integer(7) != 0};
    return out;
}

void WorkspaceStore::writeDocument(std::int64_t sourceId, const ingest::Document& doc, const code::FileIndex* codeIndex)
{
    d->inTransaction([&] { d->writeDocument(sourceId, doc, codeIndex); });
}

void WorkspaceStore::removeDocuments(std::int64_t sourceId, const std::vector<std::string>& paths)
{
    d->inTransaction([&] {
        auto find = d->db.prepare("SELECT id FROM documents WHERE source_id = ? AND path = ?");
        for (const std::string& path : paths) {
            find.bind(1, sourceId).bind(2, path);
            const bool found = find.step();
            const std::int64_t id = found ? find.integer(0) : 0;
            find.reset();
            if (found) d->deleteDocumentRows(id);
        }
    });
}

void WorkspaceStore::beginBatch()
{
    d->db.exec("BEGIN IMMEDIATE");
    d->inBatch = true;
}

void WorkspaceStore::commitBatch()
{
    d->inBatch = false;
    // SQLite rolls a transaction back by itself after some errors (a full disk: SQLITE_FULL). The statement that
    // failed has thrown that error; a COMMIT now would replace it with "no transaction is active".
    if (sqlite3_get_autocommit(d->db.handle())) return;
    d->db.exec("COMMIT");
}

std::vector<DocumentRecord> WorkspaceStore::documents(std::optional<std::int64_t> sourceId) const
{
    std::vector<DocumentRecord> out;
    auto s = d->db.prepare(std::string(kDocumentColumns)
                           + (sourceId ? "WHERE source_id = ? ORDER BY path" : "ORDER BY source_id, path"));
    if (sourceId) s.bind(1, *sourceId);
    while (s.step()) out.push_back(readDocument(s));
    return out;
}

std::optional<DocumentRecord> WorkspaceStore::document(std::int64_t id) const
{
    auto s = d->db.prepare(std::string(kDocumentColumns) + "WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readDocument(s);
}

std::optional<DocumentRecord> WorkspaceStore::findDocument(const std::string& idOrPath) const
{
    if (!idOrPath.empty() && std::all_of(idOrPath.begin(), idOrPath.end(), ::isdigit))
        if (auto doc = document(std::stoll(idOrPath))) return doc;
    auto exact = d->db.prepare(std::string(kDocumentColumns) + "WHERE path = ? ORDER BY id");
    exact.bind(1, idOrPath);
    if (exact.step()) return readDocument(exact);
    // Then the end of a path at a '/' boundary ("src/main.cpp" does not match "domain.cpp"), then any part of
    // the path, ignoring case. The first rule that finds anything decides; more than one match is an error.
    static constexpr const char* rules[] = {
        "WHERE substr(path, -length(?1) - 1) = '/' || ?1 ORDER BY id LIMIT 6",
        "WHERE instr(lower(path), lower(?1)) > 0 ORDER BY id LIMIT 6",
    };
    for (const char* rule : rules) {
        auto s = d->db.prepare(std::string(kDocumentColumns) + rule);
        s.bind(1, idOrPath);
        std::vector<DocumentRecord> found;
        while (s.step()) found.push_back(readDocument(s));
        if (found.size() == 1) return found.front();
        if (found.size() > 1) {
            std::string names;
            for (const auto& doc : found) names += "\n  " + std::to_string(doc.id) + "  " + doc.path;
            throw std::runtime_error("'" + idOrPath + "' matches several documents; give an id or more of the path:"
                                     + names);
        }
    }
    return std::nullopt;
}

ingest::Document WorkspaceStore::loadDocument(std::int64_t id) const
{
    const auto record = document(id);
    if (!record) throw std::runtime_error("no document with id " + std::to_string(id));
    ingest::Document doc;
    doc.path = record->path;
    doc.kind = ingest::documentKindFromString(record->kind);
    doc.language = record->language;
    doc.size = record->size;
    doc.contentHash = record->contentHash;
    doc.status = ingest::documentStatusFromString(record->status);
    doc.reason = record->reason;
    doc.metadata = record->metadata;
    if (doc.kind == ingest::DocumentKind::File) {
        auto s = d->db.prepare("SELECT text FROM blocks WHERE document_id = ? ORDER BY seq");
        s.bind(1, id);
        while (s.step()) doc.text += s.text(0);
        return doc;
    }
    auto pages = d->db.prepare("SELECT number, width, height, text_source, ocr_confidence FROM pages "
                               "WHERE document_id = ? ORDER BY number");
    pages.bind(1, id);
    while (pages.step())
        doc.pages.push_back(ingest::Page{int(pages.integer(0)), float(pages.real(1)), float(pages.real(2)), {},
                                         ingest::textSourceFromString(pages.text(3)), float(pages.real(4))});
    auto lines = d->db.prepare("SELECT page, block, role, text, x0, y0, x1, y1, font_size, bold, word_boxes "
                               "FROM lines WHERE document_id = ? ORDER BY page, seq");
    lines.bind(1, id);
    while (lines.step()) {
        const int pageNumber = int(lines.integer(0));
        auto page = std::find_if(doc.pages.begin(), doc.pages.end(), [&](auto& p) { return p.number == pageNumber; });
        if (page == doc.pages.end()) continue;
        ingest::TextLine l;
        l.block = int(lines.integer(1));
        l.role = ingest::lineRoleFromString(lines.text(2));
        l.text = lines.text(3);
        l.box = {float(lines.real(4)), float(lines.real(5)), float(lines.real(6)), float(lines.real(7))};
        l.fontSize = float(lines.real(8));
        l.bold = lines.integer(9) != 0;
        l.wordBoxes = decodeBoxes(lines.blob(10));
        page->lines.push_back(std::move(l));
    }
    return doc;
}

std::vector<SearchHit> WorkspaceStore::search(const std::string& query, int limit) const
{
    static constexpr const char* sql =
        "SELECT b.document_id, d.path, s.location, b.page, b.line_start, b.x0, b.y0, b.x1, b.y1, "
        "snippet(blocks_fts, 0, '[', ']', '...', 16), bm25(blocks_fts), b.text, d.kind "
        "FROM blocks_fts JOIN blocks b ON b.id = blocks_fts.rowid JOIN documents d ON d.id = b.document_id "
        "JOIN sources s ON s.id = d.source_id WHERE blocks_fts MATCH ? ORDER BY bm25(blocks_fts) LIMIT ?";
    auto run = [&](const std::string& match) {
        std::vector<SearchHit> hits;
        auto s = d->db.prepare(sql);
        s.bind(1, match).bind(2, limit);
        const auto words = queryWords(query);
        while (s.step()) {
            SearchHit h;
            h.documentId = s.integer(0);
            h.path = s.text(1);
            h.sourceLocation = s.text(2);
            h.page = int(s.integer(3));
            h.box = {float(s.real(5)), float(s.real(6)), float(s.real(7)), float(s.real(8))};
            h.snippet = s.text(9);
            h.score = s.real(10);
            if (s.text(12) == "file") {
                // Point at the first line of the chunk that holds a query word.
                std::string text = s.text(11);
                std::transform(text.begin(), text.end(), text.begin(),
                               [](unsigned char c) { return char(std::tolower(c)); });
                std::size_t at = std::string::npos;
                for (const auto& w : words) at = std::min(at, text.find(w));
                h.line = int(s.integer(4))
                    + (at == std::string::npos ? 0 : int(std::count(text.begin(), text.begin() + long(at), '\n')));
            }
            hits.push_back(std::move(h));
        }
        return hits;
    };
    if (query.find_first_not_of(" \t\n") == std::string::npos) return {};
    try {
        return run(query);
    } catch (const sqlite::Error&) {
        return run(quoteTerms(query));  // not valid FTS5 syntax: search the words as typed
    }
}

std::string WorkspaceStore::contentDigest() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto add = [&](const std::string& field) {
        hash.addData(QByteArrayView(field.data(), qsizetype(field.size())));
        hash.addData(QByteArrayView("\x1f", 1));
    };
    auto rows = [&](const char* sql, int columns, std::optional<std::int64_t> key) {
        auto s = d->db.prepare(sql);
        if (key) s.bind(1, *key);
        while (s.step())
            for (int c = 0; c < columns; ++c) add(s.text(c));
    };
    rows("SELECT kind, location, ref, state, commit_id, tree_id FROM sources ORDER BY kind, location", 6, {});
    auto docs = d->db.prepare("SELECT d.id, s.kind, s.location, d.path, d.kind, d.language, d.size, d.content_hash, "
                              "d.status, d.reason, d.page_count, d.line_count, d.metadata FROM documents d "
                              "JOIN sources s ON s.id = d.source_id ORDER BY s.kind, s.location, d.path");
    while (docs.step()) {
        for (int c = 1; c < 13; ++c) add(docs.text(c));
        const std::int64_t id = docs.integer(0);
        rows("SELECT number, width, height, text_source, ocr_confidence FROM pages WHERE document_id = ? ORDER BY number", 5, id);
        rows("SELECT page, seq, block, role, text, x0, y0, x1, y1, font_size, bold, hex(word_boxes) FROM lines "
             "WHERE document_id = ? ORDER BY page, seq", 12, id);
        rows("SELECT seq, page, line_start, line_end, x0, y0, x1, y1, text FROM blocks WHERE document_id = ? "
             "ORDER BY seq", 9, id);
    }
    return hash.result().toHex().toStdString();
}

}  // namespace folio::app
