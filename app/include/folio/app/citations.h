#pragma once

// Citations in an answer, in the form the corpus marks its documents: [D1 p.3], [D1 pp.3-4], [D2 L25],
// [D2 L21-30], [D3], several in one bracket separated by ';' or ',' ([D1 p.3; D2 L5], [D1 p.3, 5]). Each is
// resolved against the corpus to a document and a page or line range, or kept with the reason it could not be
// (no such document, a page the PDF does not have, a malformed reference). Brackets that do not begin with a
// document label ("[1]", "[sic]") are not citations.

#include "folio/app/corpus.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace folio::app {

struct Citation {
    std::string text;         // the item as written, e.g. "D2 L21-30"
    std::size_t offset = 0;   // where its bracket starts in the answer, in bytes
    std::string label;        // "D2"; empty when malformed
    std::int64_t documentId = 0;
    std::string path;
    std::string kind;         // "pdf" or "file"
    int page = 0, pageEnd = 0;  // PDFs; 0 when the whole document is cited
    int line = 0, lineEnd = 0;  // files
    std::string problem;      // empty when resolved

    bool resolved() const { return problem.empty(); }
};

std::vector<Citation> findCitations(std::string_view answer, const Corpus& corpus);

// "contracts/acme.pdf, page 3", "src/main.cpp, lines 21-30", or the problem.
std::string describe(const Citation& citation);

}  // namespace folio::app
