#pragma once

// The code intelligence tables of a workspace (schema 5; ingest writes them through WorkspaceStore), read as
// the navigator's SymbolSource, and searched for symbols by name.

#include "folio/code/code_navigator.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace folio::app {

struct SymbolHit {
    code::SymbolLocation location;
    std::string language;  // the grammar
    double score = 0;      // higher is better
};

struct CodeIndexStats {
    std::int64_t files = 0, skippedFiles = 0, filesWithSyntaxErrors = 0, symbols = 0, references = 0, imports = 0;
};

class CodeStore : public code::SymbolSource {
public:
    explicit CodeStore(const std::filesystem::path& workspaceDir);
    ~CodeStore() override;

    // Fuzzy workspace symbol search: the query's characters in order in the name (ASCII case-insensitive),
    // ranked exact, then prefix, then word starts (camelCase, snake_case), then shorter names and definitions.
    std::vector<SymbolHit> searchSymbols(const std::string& query, const std::string& kind = {},
                                         const std::string& grammar = {}, int limit = 50) const;
    CodeIndexStats stats() const;

    std::optional<code::SourceFile> file(const std::string& path) const override;
    std::vector<std::string> indexedPaths() const override;
    std::vector<code::Import> importsOf(const std::string& path) const override;
    std::vector<code::SymbolLocation> symbolsNamed(const std::string& name) const override;
    std::vector<code::SymbolLocation> symbolsIn(const std::string& path) const override;
    std::vector<code::SymbolLocation> membersOf(const std::string& container) const override;
    std::vector<code::SymbolLocation> symbolsStartingWith(const std::string& prefix, int limit) const override;
    std::vector<code::ReferenceLocation> referencesNamed(const std::string& name) const override;
    std::map<std::string, int> useCounts(const std::string& prefix) const override;

private:
    // Symbols with their file, WHERE `condition` (placeholders bound to `values` in order).
    std::vector<code::SymbolLocation> symbolsWhere(const std::string& condition, const std::vector<std::string>& values) const;

    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::app
