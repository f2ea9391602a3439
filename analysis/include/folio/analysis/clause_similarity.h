#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace folio::analysis {

// How alike two passages are worded: the Jaccard index of their word 3-shingles (lower-case letters and
// digits; punctuation and spacing do not count), in [0, 1]. Passages shorter than three words compare as word
// sets. Two empty passages are alike (1).
double wordingSimilarity(std::string_view a, std::string_view b);

// The passage most like all the others (the medoid by wordingSimilarity): the most typical wording of a set.
// Ties go to the earliest. `texts` must not be empty.
std::size_t mostTypical(const std::vector<std::string>& texts);

// One run of a word-level diff: words kept, deleted from the first passage or inserted by the second.
struct WordEdit {
    enum class Op { Same, Deleted, Inserted };
    Op op = Op::Same;
    std::string text;  // the run's words as written, joined by single spaces
};
const char* toString(WordEdit::Op op);

// The edits that turn `from` into `to`, word by word (words split at white space, compared without case), a
// longest common subsequence; deletions come before insertions where both replace the same words.
std::vector<WordEdit> wordDiff(std::string_view from, std::string_view to);
// The diff as plain text, in the markup of `git diff --word-diff`: "[-deleted-]", "{+inserted+}".
std::string markedDiff(const std::vector<WordEdit>& diff);

}  // namespace folio::analysis
