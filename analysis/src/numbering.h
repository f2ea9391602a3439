#pragma once

#include <optional>
#include <string_view>

namespace folio::analysis {

// I = 1 ... MMM = 3000; nullopt for anything that is not a well-formed Roman numeral.
std::optional<int> romanValue(std::string_view text);
// a = 1 ... z = 26, aa = 27 (the doubled letters lawyers use after z); nullopt otherwise.
std::optional<int> alphaValue(std::string_view text);
std::string romanNumeral(int value, bool upper);

}  // namespace folio::analysis
