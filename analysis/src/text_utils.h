#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::analysis {

int wordCount(std::string_view s);
// Has at least two letters and no lower-case ASCII letter.
bool isUpperCaseText(std::string_view s);
std::string upperAscii(std::string_view s);
std::string lowerAscii(std::string_view s);
bool startsWith(std::string_view s, std::string_view prefix);
// The title part of a heading line: "Term. This Agreement starts..." -> "Term"; "DEFINITIONS" -> "DEFINITIONS";
// "" when the line is a sentence without a title.
std::string headingTitle(std::string_view rest);
// Lower-case ASCII words (letters and digits) in order; what the clause features and the CUAD metric count.
std::vector<std::string> words(std::string_view s);

}  // namespace folio::analysis

#include "folio/analysis/contract_text.h"

namespace folio::analysis {
// Every sentence of the text in order. A sentence ends at a full stop followed by a capital, or at a paragraph
// start; abbreviations (Inc., Co., No., U.S.), initials and section numbers ("5.2") do not end sentences.
std::vector<TextRange> sentences(const ContractText& text);
// The sentence of `all` (from sentences()) that holds `offset`.
TextRange sentenceAt(const std::vector<TextRange>& all, int offset);

}  // namespace folio::analysis
