#pragma once

// The code tables' rows of one document (schema 4), written inside the store's transaction for the document.

#include "sqlite.h"

#include "folio/code/code_index.h"

#include <functional>

namespace folio::app {

using StatementFor = std::function<sqlite::Statement&(const char* sql)>;

void writeCodeIndex(const StatementFor& statement, std::int64_t documentId, const code::FileIndex& index);

// Lower case, ASCII only: the key of prefix and fuzzy symbol search (name_folded).
std::string foldName(std::string_view name);

}  // namespace folio::app
