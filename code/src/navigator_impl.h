#pragma once

// CodeNavigator's state, shared by its two parts: resolution (definitions and references, code_navigator.cpp)
// and completion (navigator_completion.cpp). Files, their fresh indexes, names and imports are looked up once
// per navigator and kept: a navigator lives as long as the repository's view does not change.

#include "folio/code/code_navigator.h"

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace folio::code {

inline std::string folderOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

inline bool isIdentifierChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// A use or a definition's name in a file.
struct Occurrence {
    std::string name;
    ReferenceKind kind = ReferenceKind::Identifier;
    std::string receiver;
    Position position;
    int enclosing = -1;
    const Symbol* definition = nullptr;  // when the position is on a definition's name
};

struct CodeNavigator::Impl {
    const SymbolSource& source;
    std::map<std::string, std::optional<SourceFile>> files;
    std::map<std::string, FileIndex> indexes;
    std::map<std::string, std::vector<SymbolLocation>> byName;
    std::map<std::string, std::set<std::string>> imported;
    std::map<std::string, std::map<std::string, int>> indirect;
    std::map<std::string, std::set<std::string>> owners;
    std::optional<std::vector<std::string>> paths;

    explicit Impl(const SymbolSource& s) : source(s) {}

    const SourceFile* file(const std::string& path);

    // The file indexed afresh: locals and scopes are not stored, and a file being edited may be newer than the
    // stored index.
    const FileIndex* index(const std::string& path);

    const std::vector<SymbolLocation>& named(const std::string& name);

    const std::vector<std::string>& allPaths();

    const std::set<std::string>& importedFiles(const std::string& path);

    // Files reached through the imports of imported files, up to three steps (a barrel index.ts re-exporting a
    // module, a header including the platform header that declares a struct), without the direct ones; each
    // with the number of steps it takes (2 or 3): a name re-exported by a barrel is defined in the module the
    // barrel names, not in a module that one imports in turn.
    const std::map<std::string, int>& indirectlyImported(const std::string& path);

    // The files one import of `path` names, for a receiver that is a module or package (`util.helper()`).
    std::set<std::string> filesImportedAs(const std::string& path, const std::string& alias);

    std::optional<Occurrence> occurrenceAt(const std::string& path, Position at);

    // The local or parameter a name means at a position: the innermost scope that holds it, the latest binding
    // before the position (a parameter anywhere in its function).
    static const Symbol* localFor(const FileIndex& idx, const std::string& name, Position at);

    std::string lineOf(const std::string& path, int line);

    // The first word of a declaration that names a class-like symbol of the workspace (`Cache c;`,
    // `c := NewCache()` does not tell, `cache = Cache()`, `let c: Cache`, `Cache* c = ...`).
    std::string typeNamedIn(const std::string& declaration, const std::string& except);

    // The type of a member access's receiver where the file shows it: this/self in a method, a variable or
    // parameter declared with a type, or a type (or namespace) named directly.
    std::string receiverType(const std::string& path, const Occurrence& occ);

    // Where `struct tag {...}` (or union) stands in a file, read from the text: a struct whose body is the
    // names of field macros alone (`struct uv_tcp_s { UV_HANDLE_FIELDS UV_STREAM_FIELDS };`) is an error to
    // the grammar and has no symbol.
    std::optional<Range> bodyInText(const std::string& path, const std::string& tag);

    // The containers whose members are members of `type`: the type itself, the struct a typedef names
    // (`typedef struct uv_loop_s uv_loop_t`) or the type a class extends, and the macros the struct's body
    // expands that declare fields (`struct uv_tcp_s { UV_HANDLE_FIELDS UV_STREAM_FIELDS ... }`).
    const std::set<std::string>& ownersOf(const std::string& type);

    std::vector<Definition> resolve(const std::string& path, const Occurrence& occ);

    // Whether `other` is the same program entity as `target`: itself, or its prototype or definition.
    static bool sameEntity(const SymbolLocation& target, const SymbolLocation& other);
};

}  // namespace folio::code
