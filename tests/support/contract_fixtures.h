#pragma once

#include "folio/app/contract_pdf.h"

#include <string>

namespace folio::test {

// A supply agreement with a known structure for the analysis tests: articles in Roman numerals with titles on
// the next line, decimal sections, (a)/(b) items with (i)/(ii) under (b), recitals, a signature block, an
// exhibit and a schedule; definitions in every usual form (one term defined twice, one scoped to a section,
// one by reference); references of every kind, including ones that cannot resolve and statutes that are not
// references. Paragraphs are separated by blank lines.
std::string supplyAgreementText();

// The same contract laid out as a PDF: capitalised lines as headings, items indented.
app::ContractPdfSpec supplyAgreementPdf();

}  // namespace folio::test
