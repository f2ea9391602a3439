#pragma once

#include <string>
#include <vector>

namespace folio::app {

// A contract to lay out as a PDF: Folio's sample data and the test suite's fixtures are written with it.
struct ContractParagraph {
    enum class Style { Title, Heading, Body, Centered };
    Style style = Style::Body;
    std::string text;
    int indent = 0;  // levels of 24 pt
};

struct ContractPdfSpec {
    std::string runningHeader;  // printed at the top of every page when not empty
    bool pageNumbers = true;    // "Page N of M" at the bottom of every page
    bool asImage = false;       // paint each page as a picture: a PDF without a text layer, like a scan
    std::vector<ContractParagraph> paragraphs;
};

// Lays the paragraphs out on US Letter pages (1-inch margins, DejaVu Serif) and writes the PDF.
// Needs a QGuiApplication (fonts). Throws std::runtime_error naming the file when it cannot be written.
// Returns the number of pages.
int writeContractPdf(const ContractPdfSpec& spec, const std::string& file);

}  // namespace folio::app
