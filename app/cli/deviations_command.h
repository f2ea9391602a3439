#pragma once

#include "commands.h"

#include <string>

namespace folio::cli {

struct DeviationsArgs {
    std::string reference;  // document id or path; "" = the set's norm
    std::string xlsx;       // also write the report to this workbook
    double minConfidence = 0.5;
    double wordingBelow = 0.75;
};

// `folio deviations`: how each analysed contract departs from the reference contract or from the set's norm.
int deviationsCommand(const GlobalOptions& g, const DeviationsArgs& a);

}  // namespace folio::cli
