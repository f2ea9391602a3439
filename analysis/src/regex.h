#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace folio::analysis {

// A compiled PCRE2 pattern (UTF-8, Unicode properties) with a JIT when available. The analysers match on
// the contract's text in place, so every offset they report is a byte offset into that same text.
class Regex {
public:
    struct Match {
        int start = -1, end = -1;
        std::vector<std::pair<int, int>> groups;  // [start, end) per capture group; -1 when it did not take part
        bool has(int group) const { return groups[group - 1].first >= 0; }
        int groupStart(int group) const { return groups[group - 1].first; }
        int groupEnd(int group) const { return groups[group - 1].second; }
        std::string_view group(std::string_view subject, int g) const
        {
            return has(g) ? subject.substr(groupStart(g), groupEnd(g) - groupStart(g)) : std::string_view{};
        }
    };

    // Throws std::logic_error on a bad pattern: patterns are constants of the program.
    explicit Regex(const std::string& pattern, bool caseless = false);
    ~Regex();
    Regex(Regex&&) noexcept;
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // The first match starting at or after `from`, or nullopt-like Match with start == -1.
    Match find(std::string_view subject, int from = 0) const;
    // A match that starts exactly at `at` (anchored there).
    Match matchAt(std::string_view subject, int at) const;
    std::vector<Match> findAll(std::string_view subject) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace folio::analysis
