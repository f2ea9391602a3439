#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace folio::cli {

// A one-line progress bar on stderr, redrawn at most ten times a second, only when stderr is a terminal:
// logs and pipes get no control characters.
class TerminalProgress {
public:
    TerminalProgress();
    ~TerminalProgress();
    void update(const std::string& label, std::uint64_t done, std::uint64_t total, const std::string& current);
    void finish();

private:
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace folio::cli
