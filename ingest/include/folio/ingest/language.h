#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

// The language of a file from its name, or from a #! line when the name says nothing. "" when unknown.
std::string detectLanguage(std::string_view path, std::string_view firstBytes);

}  // namespace folio::ingest
