#include "regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

namespace folio::analysis {

struct Regex::Impl {
    pcre2_code* code = nullptr;
    int groupCount = 0;
    ~Impl() { pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern, bool caseless) : d(std::make_unique<Impl>())
{
    int error = 0;
    PCRE2_SIZE errorOffset = 0;
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | (caseless ? PCRE2_CASELESS : 0);
    d->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error,
                            &errorOffset, nullptr);
    if (!d->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(error, message, sizeof message);
        throw std::logic_error("bad pattern at " + std::to_string(errorOffset) + ": " +
                               reinterpret_cast<const char*>(message) + ": " + pattern);
    }
    pcre2_jit_compile(d->code, PCRE2_JIT_COMPLETE);  // an interpreter fallback when JIT is unavailable
    uint32_t count = 0;
    pcre2_pattern_info(d->code, PCRE2_INFO_CAPTURECOUNT, &count);
    d->groupCount = static_cast<int>(count);
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;

namespace {

Regex::Match run(pcre2_code* code, int groupCount, std::string_view subject, int from, uint32_t options)
{
    Regex::Match m;
    if (from > static_cast<int>(subject.size()))
        return m;
    pcre2_match_data* data = pcre2_match_data_create_from_pattern(code, nullptr);
    int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(),
                         static_cast<PCRE2_SIZE>(from), options | PCRE2_NO_UTF_CHECK, data, nullptr);
    if (rc > 0) {
        PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
        m.start = static_cast<int>(ov[0]);
        m.end = static_cast<int>(ov[1]);
        for (int g = 1; g <= groupCount; ++g) {
            if (g < rc && ov[2 * g] != PCRE2_UNSET)
                m.groups.emplace_back(static_cast<int>(ov[2 * g]), static_cast<int>(ov[2 * g + 1]));
            else
                m.groups.emplace_back(-1, -1);
        }
    }
    pcre2_match_data_free(data);
    return m;
}

}  // namespace

Regex::Match Regex::find(std::string_view subject, int from) const
{
    return run(d->code, d->groupCount, subject, from, 0);
}

Regex::Match Regex::matchAt(std::string_view subject, int at) const
{
    return run(d->code, d->groupCount, subject, at, PCRE2_ANCHORED);
}

std::vector<Regex::Match> Regex::findAll(std::string_view subject) const
{
    std::vector<Match> all;
    int from = 0;
    while (true) {
        Match m = find(subject, from);
        if (m.start < 0)
            break;
        all.push_back(m);
        from = m.end > m.start ? m.end : m.end + 1;
    }
    return all;
}

}  // namespace folio::analysis
