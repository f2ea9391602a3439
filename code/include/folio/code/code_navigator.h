#pragma once

// Search-based navigation over a whole repository's index, as code search engines do it without a compiler:
// go-to-definition ranks the symbols of the name under the cursor by where they stand from it (locals and
// parameters of the enclosing function, the same file, files it imports or includes, the same directory, the
// rest), prefers definitions to prototypes and, after `.`, `->` or `::`, members of the receiver's type where
// the file shows it. Find-references keeps the uses that resolve to the same symbol, not every identifier of
// that name. Completion offers identifiers by the same scopes. The workspace's index is reached through
// SymbolSource, so the rules can be tested on files in memory.

#include "folio/code/code_index.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::code {

struct SymbolLocation {
    std::string path;
    Symbol symbol;
};

struct ReferenceLocation {
    std::string path;
    Reference reference;
};

// A file of the workspace as the navigator reads it.
struct SourceFile {
    std::string path;
    std::string grammar;  // "" when no grammar applies
    std::string text;
};

// The workspace's index as the navigator asks for it (app::CodeStore implements it over SQLite).
class SymbolSource {
public:
    virtual ~SymbolSource() = default;
    virtual std::optional<SourceFile> file(const std::string& path) const = 0;
    virtual std::vector<std::string> indexedPaths() const = 0;
    virtual std::vector<Import> importsOf(const std::string& path) const = 0;
    // Non-local symbols: by exact name, of a file, or whose container is `container`.
    virtual std::vector<SymbolLocation> symbolsNamed(const std::string& name) const = 0;
    virtual std::vector<SymbolLocation> symbolsIn(const std::string& path) const = 0;
    virtual std::vector<SymbolLocation> membersOf(const std::string& container) const = 0;
    // Up to `limit` non-local symbols whose name starts with `prefix` (ASCII case-insensitive).
    virtual std::vector<SymbolLocation> symbolsStartingWith(const std::string& prefix, int limit) const = 0;
    virtual std::vector<ReferenceLocation> referencesNamed(const std::string& name) const = 0;
    // How often each name is used in the workspace, for names starting with `prefix`.
    virtual std::map<std::string, int> useCounts(const std::string& prefix) const = 0;
};

// Where a resolution came from, best first: the order go-to-definition ranks in.
enum class Tier { Local = 1, SameFile, Imported, SameDirectory, Repository };
const char* toString(Tier tier);

struct Definition {
    SymbolLocation location;
    Tier tier = Tier::Repository;
    bool receiverTypeMatched = false;  // a member found through the receiver's type
};

struct Completion {
    std::string name, kind, detail;  // detail: the signature
    Tier tier = Tier::Repository;
    int uses = 0;
};

// One position in a file, 0-based.
struct CodePosition {
    std::string path;
    Position position;
};

class CodeNavigator {
public:
    explicit CodeNavigator(const SymbolSource& source);
    ~CodeNavigator();

    // The identifier at the position (a use or a definition's name), if any.
    std::optional<std::string> identifierAt(const CodePosition& at);
    // Candidates for the identifier at the position, best first (empty if none is known).
    std::vector<Definition> definitions(const CodePosition& at);
    // Every use of the symbol the position resolves to (its definition and declarations included), in path and
    // position order.
    std::vector<ReferenceLocation> references(const CodePosition& at);
    // Identifiers to complete the word that ends at the position with, best first.
    std::vector<Completion> complete(const CodePosition& at, int limit = 50);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// The files an import or include of `importingPath` names, among `paths` (a header, a module, a package's
// files): relative forms against the importing file's folder, the rest by path suffix.
std::vector<std::string> resolveImport(const std::string& importingPath, const Import& import,
                                       const std::vector<std::string>& paths);

}  // namespace folio::code
