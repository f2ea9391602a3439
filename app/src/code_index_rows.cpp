#include "code_index_rows.h"

#include <cctype>

namespace folio::app {

std::string foldName(std::string_view name)
{
    std::string out(name);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void writeCodeIndex(const StatementFor& statement, std::int64_t documentId, const code::FileIndex& index)
{
    statement("INSERT INTO code_files (document_id, indexer_version, grammar, syntax_errors, skipped) VALUES (?, ?, ?, ?, ?)")
        .bind(1, documentId).bind(2, code::kIndexerVersion).bind(3, index.language).bind(4, index.syntaxErrors)
        .bind(5, index.skipped).run();
    auto& symbol = statement(
        "INSERT INTO code_symbols (document_id, name, name_folded, kind, container, declaration, line, col, end_line, "
        "end_col, name_line, name_col, name_end_line, name_end_col, signature, doc) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const code::Symbol& s : index.symbols) {
        if (s.local) continue;
        symbol.bind(1, documentId).bind(2, s.name).bind(3, foldName(s.name)).bind(4, s.kind).bind(5, s.container)
            .bind(6, s.declaration ? 1 : 0).bind(7, s.range.begin.line).bind(8, s.range.begin.column)
            .bind(9, s.range.end.line).bind(10, s.range.end.column).bind(11, s.nameRange.begin.line)
            .bind(12, s.nameRange.begin.column).bind(13, s.nameRange.end.line).bind(14, s.nameRange.end.column)
            .bind(15, s.signature).bind(16, s.doc).run();
    }
    auto& reference = statement(
        "INSERT INTO code_references (document_id, name, name_folded, kind, receiver, line, col, end_line, end_col, "
        "enclosing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const code::Reference& r : index.references)
        reference.bind(1, documentId).bind(2, r.name).bind(3, foldName(r.name)).bind(4, code::toString(r.kind))
            .bind(5, r.receiver).bind(6, r.range.begin.line).bind(7, r.range.begin.column).bind(8, r.range.end.line)
            .bind(9, r.range.end.column)
            .bind(10, r.enclosing >= 0 ? index.symbols[std::size_t(r.enclosing)].name : std::string()).run();
    auto& import = statement("INSERT INTO code_imports (document_id, path, line) VALUES (?, ?, ?)");
    for (const code::Import& i : index.imports) import.bind(1, documentId).bind(2, i.path).bind(3, i.line).run();
}

}  // namespace folio::app
