#pragma once

#include "cuad.h"

#include "folio/analysis/clauses.h"
#include "folio/ingest/document.h"

#include <vector>

namespace folio::cuad {

// The candidates of one contract as training examples: features, and per category whether the candidate
// matches a labelled clause the way the CUAD metric counts a match.
std::vector<analysis::TrainingExample> trainingExamples(const ingest::Document& document,
                                                        const LabelledContract& labels,
                                                        const std::vector<std::string>& categories);

}  // namespace folio::cuad
