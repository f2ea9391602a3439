#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

bool isValidUtf8(std::string_view bytes);

// Text for the store: valid UTF-8 as it is; anything else read as Latin-1, the most common legacy encoding in
// source trees and the one that never fails. `converted` says whether the fallback was used.
std::string toUtf8Text(std::string_view bytes, bool* converted = nullptr);

// A name for display and lookup: valid UTF-8 as it is, each invalid byte written as \xNN so distinct raw
// names stay distinct.
std::string escapeInvalidUtf8(std::string_view bytes);

// Git's own heuristic: a NUL byte in the first 8000 bytes means binary.
bool looksBinary(std::string_view bytes);

}  // namespace folio::ingest
