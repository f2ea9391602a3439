#pragma once

#include <map>
#include <string>
#include <vector>

// How well Folio's normalised answers (analysis::normalisedAnswers) agree with CUAD's answer columns.
namespace folio::cuad {

// The fields CUAD answers and Folio normalises, in the order the benchmark prints them.
const std::vector<std::string>& answerFields();

// Whether Folio's answer for `field` says what CUAD's answer says. The rule per field:
// - dates: the same day, month and year (CUAD writes "5/8/14", Folio "05/08/2014"; two-digit years are 19xx from
//   50 up, else 20xx); a part CUAD leaves blank ("[]/[]/2000") matches any value;
// - Renewal Term and the notice period: the same duration ("1 year" = "12 months", "2 weeks" = "14 days",
//   "successive 1 year" = "1 year"); where CUAD lists several ("6 months; 12 months") any one counts;
// - Governing Law: the same jurisdiction, case and a leading "State of" aside; CUAD's "Ontario, Canada" or
//   "England; Wales" matches any one place it names;
// - Parties: every party CUAD names with a proper name is one of Folio's (names compared as lower-case words
//   without corporate suffixes or punctuation, word-set Jaccard >= 0.5).
bool sameAnswer(const std::string& field, const std::string& folio, const std::string& cuad);

struct FieldAccuracy {
    int labelled = 0;  // contracts where CUAD has an answer
    int answered = 0;  // of those, contracts where Folio answered
    int correct = 0;   // of those, answers that agree
};

}  // namespace folio::cuad
