#pragma once

// What the analysis subcommands share in their output: names, page regions, shortened text.

#include "folio/analysis/contract_text.h"
#include "folio/app/analysis_store.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace folio::cli {

std::string fileName(const std::string& path);
nlohmann::json regionsJson(const std::vector<analysis::PageRegion>& regions);
// Analysis results exist only after `folio analyze`: say so instead of printing an empty list.
void requireAnalysis(const app::AnalysisStore& store, const std::filesystem::path& dir);
// At most `width` bytes, "..." at the end when cut; never splits a UTF-8 character.
std::string shorten(const std::string& s, size_t width);

}  // namespace folio::cli
