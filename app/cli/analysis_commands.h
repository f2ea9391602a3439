#pragma once

#include "commands.h"

#include <optional>
#include <string>

namespace folio::cli {

struct AnalyzeArgs {
    bool force = false;
    int threads = 0;
};

struct ClausesArgs {
    std::string category;
    std::string format = "table";  // table, csv, json, xlsx
    std::string output;            // xlsx (required) or csv/json file; "" = stdout
    double minConfidence = 0.5;
};

struct XrefsArgs {
    bool unresolved = false;
};

int analyzeCommand(const GlobalOptions& g, const AnalyzeArgs& a);
int clausesCommand(const GlobalOptions& g, const ClausesArgs& a);
int termsCommand(const GlobalOptions& g, const std::string& document, bool undefinedOnly);
int xrefsCommand(const GlobalOptions& g, const XrefsArgs& a);
int outlineCommand(const GlobalOptions& g, const std::string& document);

}  // namespace folio::cli
