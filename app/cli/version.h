#pragma once

namespace folio::cli {

// "folio VERSION (commit HASH)": what `folio --version` prints; the commit is the one the binary was built from
// ("-modified" when tracked files differed from it), "unknown" outside a git checkout.
const char* versionText();

}  // namespace folio::cli
