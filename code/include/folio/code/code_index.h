#pragma once

// What code intelligence knows about one source file: the symbols it defines or declares, the identifiers it
// uses, and what it imports or includes. Positions are 0-based lines and byte columns (the CLI shows them
// 1-based). Made by indexFile() with tree-sitter and Folio's queries (code/queries/<language>.scm).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace folio::code {

// Bumped when what indexFile() produces changes, so that stored indexes of older versions are rebuilt.
constexpr int kIndexerVersion = 4;

struct Position {
    int line = 0, column = 0;
    bool operator<(const Position& o) const { return line != o.line ? line < o.line : column < o.column; }
    bool operator<=(const Position& o) const { return !(o < *this); }
    bool operator==(const Position& o) const = default;
};

struct Range {
    Position begin, end;
    bool contains(Position p) const { return begin <= p && p < end; }
};

struct Symbol {
    std::string name;
    std::string kind;       // function, method, class, struct, interface, enum, enumerator, type, field, variable, ...
    std::string container;  // the enclosing class, namespace, module or impl type ("" at the top)
    Range range;            // the whole definition
    Range nameRange;
    std::string signature;  // the definition's first line, trimmed
    std::string doc;        // the comment just above it (or the docstring), without comment markers
    bool declaration = false;  // a prototype or forward declaration, not the definition
    bool local = false;        // a parameter or local variable: visible only inside `scope`
    Range scope;               // locals: the function or block they live in
};

enum class ReferenceKind { Identifier, Call, Type, Member, Import };
const char* toString(ReferenceKind kind);
ReferenceKind referenceKindFromString(std::string_view s);

struct Reference {
    std::string name;
    ReferenceKind kind = ReferenceKind::Identifier;
    Range range;
    std::string receiver;  // Member: the expression before `.`, `->` or `::` as written
    int enclosing = -1;    // index into FileIndex::symbols of the innermost non-local definition around it
};

struct Import {
    std::string path;  // as written: "foo/bar.h", "os.path", "./util", "github.com/x/y"
    int line = 0;
};

struct FileIndex {
    std::string language;  // the grammar: c, cpp, python, ... ("" when none applies)
    std::vector<Symbol> symbols;
    std::vector<Reference> references;
    std::vector<Import> imports;
    int syntaxErrors = 0;  // ERROR or MISSING nodes: what parses is still indexed
    std::string skipped;   // why nothing was indexed ("" when it was)
};

// Limits under which a file is indexed: larger or minified files are skipped with the reason.
struct IndexLimits {
    std::size_t maxBytes = 1 << 20;
    std::size_t maxAverageLineLength = 400;  // minified or generated
};

// The grammar Folio uses for a file, from the language ingest detected ("C++", "Python", ...) and the path
// ("" when none: such files are searchable but have no symbols).
std::string grammarFor(std::string_view ingestLanguage, std::string_view path);
std::vector<std::string> supportedGrammars();

// Indexes one file. Thread-safe: each thread parses with its own parser, the compiled queries are shared.
FileIndex indexFile(std::string_view grammar, std::string_view text, const IndexLimits& limits = {});

// Languages no grammar of Folio's reads but universal-ctags does (Perl, Lua, Kotlin, Haskell, SQL, CMake, ...):
// their definitions only. "" when ctags is not used for the language.
std::string ctagsLanguageFor(std::string_view ingestLanguage);

struct CtagsFile {
    std::string path;  // relative, as in the repository
    std::string_view text;
};
struct CtagsRun {
    std::vector<FileIndex> files;  // one per input, in order; language "ctags/<Language>"
    std::string error;             // why nothing was indexed ("" when ctags ran)
};
// Runs `ctags` (universal-ctags, from PATH) once over the files, written to a temporary folder.
CtagsRun indexWithCtags(const std::vector<CtagsFile>& files);

}  // namespace folio::code
