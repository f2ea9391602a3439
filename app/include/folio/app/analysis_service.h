#pragma once

#include "folio/analysis/clauses.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace folio::app {

// The clause model built into Folio (resources/clauses/cuad-clause-model.bin, trained on CUAD's training part by
// scripts/train-clauses.sh). Loaded once per process.
std::shared_ptr<const analysis::ClauseModel> embeddedClauseModel();
// Identity of the embedded extractor and model, stored with every analysis so a new model redoes old results.
std::string embeddedExtractorId();

struct AnalysisProblem {
    std::string path;
    std::string reason;
};

struct AnalysisSummary {
    int analysed = 0;
    int unchanged = 0;
    std::vector<AnalysisProblem> problems;
    bool cancelled = false;
};

struct AnalysisProgress {
    int done = 0, total = 0;
    std::string path;
};

// Analyses every PDF of the workspace that has no current analysis, in parallel, and stores the results.
// A document that cannot be analysed is reported and skipped; the others go on.
AnalysisSummary analyseWorkspace(const std::filesystem::path& workspaceDir, bool force,
                                 const std::function<void(const AnalysisProgress&)>& progress,
                                 const std::atomic<bool>* cancel = nullptr, int threads = 0);

}  // namespace folio::app
