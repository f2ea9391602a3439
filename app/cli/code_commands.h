#pragma once

// Code intelligence on the command line: symbol search, definitions, references, completion and the outline
// of a code file, over the code index `folio ingest` builds for repositories.

#include "commands.h"

#include "folio/app/workspace_store.h"

#include <string>

namespace folio::cli {

struct SymbolsArgs {
    std::string query, kind, language;
    int limit = 50;
};

int symbolsCommand(const GlobalOptions& g, const SymbolsArgs& a);
// `location` is FILE:LINE:COLUMN, 1-based; FILE a workspace path or its unique end.
int definitionCommand(const GlobalOptions& g, const std::string& location, bool all);
int referencesCommand(const GlobalOptions& g, const std::string& location);
int completeCommand(const GlobalOptions& g, const std::string& location, int limit);
// `folio outline` for a code file: its classes, functions and the rest as a tree.
int codeOutlineCommand(const GlobalOptions& g, const app::DocumentRecord& document);

}  // namespace folio::cli
