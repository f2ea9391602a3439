#include "workspace_schema.h"

namespace folio::app {

const std::vector<std::string>& workspaceMigrations()
{
    static const std::vector<std::string> migrations = {
        // 0 -> 1: sources, documents, PDF pages and lines, search blocks with their FTS5 index.
        R"sql(
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('repository', 'worktree', 'pdf')),
    location    TEXT NOT NULL,
    ref         TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'ingesting' CHECK (state IN ('ingesting', 'complete')),
    commit_id   TEXT NOT NULL DEFAULT '',
    tree_id     TEXT NOT NULL DEFAULT '',  -- tree of the last complete ingest: the base of the next tree diff
    added_at    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (kind, location)
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    path          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('file', 'pdf')),
    language      TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    content_hash  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'skipped', 'error')),
    reason        TEXT NOT NULL DEFAULT '',
    page_count    INTEGER NOT NULL DEFAULT 0,
    line_count    INTEGER NOT NULL DEFAULT 0,
    metadata      TEXT NOT NULL DEFAULT '{}',
    UNIQUE (source_id, path)
);

CREATE TABLE pages (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    width        REAL NOT NULL,
    height       REAL NOT NULL,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID;

-- PDF text lines in reading order; word_boxes holds four little-endian float32 per word.
CREATE TABLE lines (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    block        INTEGER NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('body', 'header', 'footer')),
    text         TEXT NOT NULL,
    x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
    font_size    REAL NOT NULL,
    bold         INTEGER NOT NULL,
    word_boxes   BLOB NOT NULL,
    PRIMARY KEY (document_id, page, seq)
) WITHOUT ROWID;

-- Units of search: paragraphs of PDF body text (headers/footers stay out), chunks of lines of files.
-- Files are stored only here: their chunks in seq order are the file's text.
CREATE TABLE blocks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    page         INTEGER NOT NULL DEFAULT 0,
    line_start   INTEGER NOT NULL,
    line_end     INTEGER NOT NULL,
    x0 REAL NOT NULL DEFAULT 0, y0 REAL NOT NULL DEFAULT 0, x1 REAL NOT NULL DEFAULT 0, y1 REAL NOT NULL DEFAULT 0,
    text         TEXT NOT NULL
);
CREATE INDEX blocks_by_document ON blocks (document_id, seq);

CREATE VIRTUAL TABLE blocks_fts USING fts5 (
    text, content = 'blocks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER blocks_fts_insert AFTER INSERT ON blocks BEGIN
    INSERT INTO blocks_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER blocks_fts_delete AFTER DELETE ON blocks BEGIN
    INSERT INTO blocks_fts (blocks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
)sql",
        // 1 -> 2: which version of its reader produced each document, so reader improvements reach old workspaces.
        R"sql(
ALTER TABLE documents ADD COLUMN reader_version INTEGER NOT NULL DEFAULT 0;
)sql",
        // 2 -> 3: contract analysis. Ranges are byte offsets into the document's analysed body text; regions are
        // JSON arrays of [page, x0, y0, x1, y1] in points, so every result can be shown on its PDF page.
        R"sql(
CREATE TABLE analyses (
    document_id       INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    content_hash      TEXT NOT NULL,     -- the document content analysed: a re-ingested change is analysed again
    analyzer_version  INTEGER NOT NULL,
    extractor         TEXT NOT NULL,     -- clause extractor and model identity
    analysed_at       TEXT NOT NULL
);

CREATE TABLE outline_nodes (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    node         INTEGER NOT NULL,
    parent       INTEGER NOT NULL,  -- -1 at the top level
    depth        INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    label        TEXT NOT NULL,
    citation     TEXT NOT NULL,
    title        TEXT NOT NULL,
    page         INTEGER NOT NULL,
    range_start  INTEGER NOT NULL,
    range_end    INTEGER NOT NULL,
    regions      TEXT NOT NULL,
    PRIMARY KEY (document_id, node)
) WITHOUT ROWID;

CREATE TABLE defined_terms (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term          TEXT NOT NULL,
    form          TEXT NOT NULL,
    defined_in    TEXT NOT NULL,
    scope_node    INTEGER NOT NULL,
    defined_twice INTEGER NOT NULL,
    page          INTEGER NOT NULL,
    range_start   INTEGER NOT NULL,  -- the definition
    range_end     INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    regions       TEXT NOT NULL,     -- of the term where it is defined
    uses          TEXT NOT NULL      -- JSON [[start, end, page], ...]
);
CREATE INDEX defined_terms_by_document ON defined_terms (document_id);

CREATE TABLE undefined_terms (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term         TEXT NOT NULL,
    uses         TEXT NOT NULL
);
CREATE INDEX undefined_terms_by_document ON undefined_terms (document_id);

CREATE TABLE cross_references (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    target       TEXT NOT NULL,
    target_node  INTEGER NOT NULL,  -- outline_nodes.node, -1 when unresolved
    reason       TEXT NOT NULL,
    page         INTEGER NOT NULL,
    range_start  INTEGER NOT NULL,
    range_end    INTEGER NOT NULL,
    regions      TEXT NOT NULL
);
CREATE INDEX cross_references_by_document ON cross_references (document_id);

CREATE TABLE clauses (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    confidence   REAL NOT NULL,
    text         TEXT NOT NULL,
    page         INTEGER NOT NULL,
    range_start  INTEGER NOT NULL,
    range_end    INTEGER NOT NULL,
    regions      TEXT NOT NULL
);
CREATE INDEX clauses_by_document ON clauses (document_id, category);

CREATE TABLE clause_answers (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    PRIMARY KEY (document_id, category)
) WITHOUT ROWID;
)sql",
        // 3 -> 4: code intelligence. Symbols and references of source files (positions 0-based lines and byte
        // columns); locals are not stored (navigation indexes the open file afresh). name_folded is the
        // lower-cased name, for prefix and fuzzy search through an index. code_files has a row per indexed
        // file, so files of an older indexer version, or from before this migration, are indexed again.
        R"sql(
CREATE TABLE code_files (
    document_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    indexer_version  INTEGER NOT NULL,
    grammar          TEXT NOT NULL,
    syntax_errors    INTEGER NOT NULL,
    skipped          TEXT NOT NULL
);

CREATE TABLE code_symbols (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    container    TEXT NOT NULL,
    declaration  INTEGER NOT NULL,
    line INTEGER NOT NULL, col INTEGER NOT NULL, end_line INTEGER NOT NULL, end_col INTEGER NOT NULL,
    name_line INTEGER NOT NULL, name_col INTEGER NOT NULL, name_end_line INTEGER NOT NULL, name_end_col INTEGER NOT NULL,
    signature    TEXT NOT NULL,
    doc          TEXT NOT NULL
);
CREATE INDEX code_symbols_by_name ON code_symbols (name);
CREATE INDEX code_symbols_by_folded ON code_symbols (name_folded);
CREATE INDEX code_symbols_by_container ON code_symbols (container);
CREATE INDEX code_symbols_by_document ON code_symbols (document_id);

CREATE TABLE code_references (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    receiver     TEXT NOT NULL,
    line INTEGER NOT NULL, col INTEGER NOT NULL, end_line INTEGER NOT NULL, end_col INTEGER NOT NULL,
    enclosing    TEXT NOT NULL  -- the name of the innermost definition around it
);
CREATE INDEX code_references_by_name ON code_references (name);
CREATE INDEX code_references_by_folded ON code_references (name_folded);
CREATE INDEX code_references_by_document ON code_references (document_id);

CREATE TABLE code_imports (
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    line         INTEGER NOT NULL
);
CREATE INDEX code_imports_by_document ON code_imports (document_id);
)sql",
        // 4 -> 5: the questions asked about the workspace and their answers, for the Ask dock's history. Citations
        // are kept as resolved when the answer was given (a JSON array), since the corpus may change later.
        R"sql(
CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    asked_at_ms  INTEGER NOT NULL,
    scope        TEXT NOT NULL,
    question     TEXT NOT NULL,
    answer       TEXT NOT NULL,
    thinking     TEXT NOT NULL,
    citations    TEXT NOT NULL,
    model        TEXT NOT NULL,
    stop_reason  TEXT NOT NULL
);
)sql",
        // 5 -> 6: names are looked up through the folded-name index (name_folded = ? AND name = ?): an index on
        // the exact name as well cost ingest a B-tree insert per symbol and per reference.
        R"sql(
DROP INDEX code_symbols_by_name;
DROP INDEX code_references_by_name;
)sql",
        // 6 -> 7: where each PDF page's text came from: its text layer, OCR of the rendered page (with the mean
        // confidence of its words, 0..100), or nowhere (a scanned page OCR could not read).
        R"sql(
ALTER TABLE pages ADD COLUMN text_source TEXT NOT NULL DEFAULT 'text' CHECK (text_source IN ('text', 'ocr', 'unread'));
ALTER TABLE pages ADD COLUMN ocr_confidence REAL NOT NULL DEFAULT 0;
)sql",
    };
    return migrations;
}

}  // namespace folio::app
