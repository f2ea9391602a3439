#include "code_index_lines.h"

namespace folio::test {

std::vector<std::string> codeIndexLines(const code::FileIndex& index)
{
    const auto at = [](const code::Range& r) { return std::to_string(r.begin.line + 1) + ":" + std::to_string(r.begin.column + 1); };
    std::vector<std::string> lines;
    for (const auto& s : index.symbols)
        lines.push_back(std::string(s.declaration ? "declaration " : s.local ? "local " : "definition ") + s.kind + " " + s.name
                        + " " + at(s.nameRange) + (s.container.empty() ? "" : " in " + s.container));
    for (const auto& r : index.references)
        lines.push_back("reference " + std::string(code::toString(r.kind)) + " " + r.name + " " + at(r.range)
                        + (r.receiver.empty() ? "" : " on " + r.receiver));
    for (const auto& i : index.imports) lines.push_back("import " + i.path + " " + std::to_string(i.line + 1));
    return lines;
}

}  // namespace folio::test
