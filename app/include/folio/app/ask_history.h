#pragma once

// The questions asked about a workspace and their answers, kept in the workspace (table `questions`), newest
// first: the Ask dock's history, and what `folio ask` records.

#include "folio/app/citations.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace folio::app {

struct AskRecord {
    std::int64_t id = 0;
    std::int64_t askedAtMs = 0;  // Unix time
    std::string scope;           // "the whole workspace", "lease.pdf", ...
    std::string question, answer, thinking;
    std::vector<Citation> citations;
    std::string model;
    std::string stopReason;
};

class AskHistory {
public:
    explicit AskHistory(const std::filesystem::path& workspaceDir);
    ~AskHistory();

    std::int64_t add(const AskRecord& record);
    std::vector<AskRecord> recent(int limit = 200) const;
    void remove(std::int64_t id);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Citations as `folio ask --json` and the history write them, and back.
std::string citationsToJson(const std::vector<Citation>& citations);
std::vector<Citation> citationsFromJson(const std::string& json);

}  // namespace folio::app
