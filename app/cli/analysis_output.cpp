#include "analysis_output.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace folio::cli {

std::string fileName(const std::string& path)
{
    return std::filesystem::path(path).filename().string();
}

nlohmann::json regionsJson(const std::vector<analysis::PageRegion>& regions)
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : regions)
        j.push_back({{"page", r.page}, {"x0", r.box.x0}, {"y0", r.box.y0}, {"x1", r.box.x1}, {"y1", r.box.y1}});
    return j;
}

void requireAnalysis(const app::AnalysisStore& store, const std::filesystem::path& dir)
{
    if (store.analysedDocumentCount() == 0)
        throw std::runtime_error("no contract in " + dir.string() + " has been analysed yet: run 'folio analyze' first");
}

std::string shorten(const std::string& s, size_t width)
{
    if (s.size() <= width)
        return s;
    size_t cut = width - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    return s.substr(0, cut) + "...";
}

}  // namespace folio::cli
