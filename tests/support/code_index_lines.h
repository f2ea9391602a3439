#pragma once

// A FileIndex as lines of text, one per symbol, reference and import, 1-based positions:
//   definition function add 11:5 in Math
//   local parameter a 11:13
//   declaration function add 9:5
//   reference call helper 16:12 on p
//   import util.h 2
// The fixture tests (tests/code/fixtures/*.expected) list lines that must appear, and code_index_dump prints them.

#include "folio/code/code_index.h"

#include <string>
#include <vector>

namespace folio::test {

std::vector<std::string> codeIndexLines(const code::FileIndex& index);

}  // namespace folio::test
