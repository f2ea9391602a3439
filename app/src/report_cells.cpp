#include "report_cells.h"

#include <filesystem>

namespace folio::app {

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

std::string cellText(const std::string& s)
{
    const size_t limit = 32000;
    if (s.size() <= limit)
        return s;
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut) + "...";
}

}  // namespace folio::app
