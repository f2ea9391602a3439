#pragma once

#include <string>

namespace folio::app {

// What the CSV and XLSX reports write for contracts and passages.
std::string fileName(const std::string& path);
// Excel keeps at most 32,767 characters in a cell: longer text is cut (never inside a UTF-8 character).
std::string cellText(const std::string& s);

}  // namespace folio::app
