#pragma once

#include <string>
#include <vector>

namespace folio::app {

// Writes Folio's built-in sample contracts (several multi-page PDFs with numbered articles and sections,
// defined terms, cross-references, exhibits and running headers) into `folder`, creating it when needed.
// Returns the files written. Needs a QGuiApplication.
std::vector<std::string> writeSampleContracts(const std::string& folder);

}  // namespace folio::app
