#pragma once

#include "folio/app/contract_pdf.h"

#include <string>
#include <vector>

namespace folio::app {

// Writes Folio's built-in sample contracts (several multi-page PDFs with numbered articles and sections,
// defined terms, cross-references, exhibits and running headers) into `folder`, creating it when needed.
// Returns the files written. Needs a QGuiApplication.
std::vector<std::string> writeSampleContracts(const std::string& folder);

// The sample contracts before layout, by file name: for a set made from one of them with a clause changed.
struct SampleContract {
    std::string fileName;
    ContractPdfSpec spec;
};
std::vector<SampleContract> sampleContracts();

}  // namespace folio::app
