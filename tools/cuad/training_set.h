#pragma once

#include "cuad.h"

#include "folio/analysis/clauses.h"
#include "folio/ingest/document.h"

#include <vector>

namespace folio::cuad {

// The candidates of one contract as training examples: features, and per category whether the candidate
// matches a labelled clause the way the CUAD metric counts a match.
// `reachable` (when given) counts the labelled clauses some candidate matches: the recall no ranking can exceed.
std::vector<analysis::TrainingExample> trainingExamples(const ingest::Document& document,
                                                        const LabelledContract& labels,
                                                        const std::vector<std::string>& categories,
                                                        int* labelled = nullptr, int* reachable = nullptr);

}  // namespace folio::cuad
