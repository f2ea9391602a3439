#include "folio/analysis/clause_similarity.h"

#include "text_utils.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <stdexcept>

namespace folio::analysis {
namespace {

constexpr std::size_t kShingle = 3;

std::set<std::string> shingles(std::string_view s)
{
    const std::vector<std::string> w = words(s);
    std::set<std::string> out;
    if (w.size() < kShingle) {
        out.insert(w.begin(), w.end());
        return out;
    }
    for (std::size_t i = 0; i + kShingle <= w.size(); ++i)
        out.insert(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2]);
    return out;
}

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b)
{
    if (a.empty() && b.empty())
        return 1;
    std::size_t common = 0;
    for (const std::string& s : a)
        common += b.count(s);
    return double(common) / double(a.size() + b.size() - common);
}

std::vector<std::string> spaceSplit(std::string_view s)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        std::size_t start = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
            ++i;
        if (i > start)
            out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

void append(std::vector<WordEdit>& out, WordEdit::Op op, const std::string& word)
{
    if (!out.empty() && out.back().op == op)
        out.back().text += ' ' + word;
    else
        out.push_back({op, word});
}

}  // namespace

double wordingSimilarity(std::string_view a, std::string_view b)
{
    return jaccard(shingles(a), shingles(b));
}

std::size_t mostTypical(const std::vector<std::string>& texts)
{
    if (texts.empty())
        throw std::invalid_argument("mostTypical: no passages");
    std::vector<std::set<std::string>> sets;
    for (const std::string& t : texts)
        sets.push_back(shingles(t));
    std::size_t best = 0;
    double bestSum = -1;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        double sum = 0;
        for (std::size_t j = 0; j < sets.size(); ++j)
            if (i != j)
                sum += jaccard(sets[i], sets[j]);
        if (sum > bestSum) {
            best = i;
            bestSum = sum;
        }
    }
    return best;
}

const char* toString(WordEdit::Op op)
{
    switch (op) {
    case WordEdit::Op::Same: return "same";
    case WordEdit::Op::Deleted: return "deleted";
    case WordEdit::Op::Inserted: return "inserted";
    }
    return "same";
}

std::vector<WordEdit> wordDiff(std::string_view from, std::string_view to)
{
    const std::vector<std::string> a = spaceSplit(from), b = spaceSplit(to);
    std::vector<std::string> la, lb;
    for (const auto& w : a)
        la.push_back(lowerAscii(w));
    for (const auto& w : b)
        lb.push_back(lowerAscii(w));
    // The common head and tail need no table; what is left between them is a clause's changed middle.
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && la[head] == lb[head])
        ++head;
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && la[a.size() - 1 - tail] == lb[b.size() - 1 - tail])
        ++tail;
    const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
    // lcs[i][j]: the longest common subsequence of a's middle from i and b's middle from j.
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            lcs[i][j] = la[head + i] == lb[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);

    std::vector<WordEdit> out;
    for (std::size_t k = 0; k < head; ++k)
        append(out, WordEdit::Op::Same, b[k]);
    std::size_t i = 0, j = 0;
    std::vector<std::string> deleted, inserted;
    auto flush = [&] {
        for (const auto& w : deleted)
            append(out, WordEdit::Op::Deleted, w);
        for (const auto& w : inserted)
            append(out, WordEdit::Op::Inserted, w);
        deleted.clear();
        inserted.clear();
    };
    while (i < n || j < m) {
        if (i < n && j < m && la[head + i] == lb[head + j]) {
            flush();
            append(out, WordEdit::Op::Same, b[head + j]);
            ++i;
            ++j;
        } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
            deleted.push_back(a[head + i++]);
        } else {
            inserted.push_back(b[head + j++]);
        }
    }
    flush();
    for (std::size_t k = b.size() - tail; k < b.size(); ++k)
        append(out, WordEdit::Op::Same, b[k]);
    return out;
}

std::string markedDiff(const std::vector<WordEdit>& diff)
{
    std::string out;
    for (const WordEdit& e : diff) {
        if (!out.empty())
            out += ' ';
        out += e.op == WordEdit::Op::Deleted ? "[-" + e.text + "-]" : e.op == WordEdit::Op::Inserted ? "{+" + e.text + "+}" : e.text;
    }
    return out;
}

}  // namespace folio::analysis
