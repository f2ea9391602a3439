// Comparing a set of contracts: wording similarity, the most typical clause, the word diff, the normalised cap
// on liability, and the deviations of hand-made sets in reference and norm mode.

#include "folio/analysis/contract_deviations.h"

#include <QTest>

using namespace folio::analysis;

namespace {

Clause clause(const std::string& category, const std::string& text, int page = 1)
{
    return {category, {0, int(text.size())}, text, 0.9, page, {}};
}

// A contract from (category, text) clauses and (category, answer) values.
ContractClauses contract(const std::string& name, std::vector<std::pair<std::string, std::string>> clauses,
                         std::map<std::string, std::string> answers = {})
{
    ContractClauses c{name, {}, std::move(answers)};
    for (const auto& [category, text] : clauses)
        c.clauses.push_back(clause(category, text));
    return c;
}

const std::string kLaw = "This Agreement is governed by the laws of the State of New York.";
const std::string kAssign = "Neither Party may assign this Agreement without the prior written consent of the other Party.";
const std::string kCap = "Each Party's total liability shall not exceed the Fees paid in the twelve (12) months before the claim.";

std::vector<Deviation> of(const std::vector<Deviation>& all, std::size_t contract)
{
    std::vector<Deviation> out;
    for (const Deviation& d : all)
        if (d.contract == contract) out.push_back(d);
    return out;
}

}  // namespace

class TestContractDeviations : public QObject {
    Q_OBJECT
private slots:
    void similarityAndMostTypical()
    {
        QCOMPARE(wordingSimilarity(kLaw, kLaw), 1.0);
        QCOMPARE(wordingSimilarity("Alpha beta gamma delta.", "One two three four."), 0.0);
        // Case, punctuation and spacing do not count.
        QCOMPARE(wordingSimilarity("The laws of  New York", "the Laws of New-York"), 1.0);
        const double near = wordingSimilarity(kLaw, "This Agreement is governed by the laws of the State of Delaware.");
        QVERIFY(near > 0.7 && near < 1.0);
        QCOMPARE(mostTypical({"Alpha beta gamma delta.", kLaw, kLaw + " Also here.", kLaw}), std::size_t(1));
    }
    void wordDiffOfAKnownPair()
    {
        const auto diff = wordDiff("Customer may terminate on sixty (60) days' written notice.",
                                   "Customer may terminate this Agreement on thirty (30) days' notice.");
        QCOMPARE(markedDiff(diff), std::string("Customer may terminate {+this Agreement+} on [-sixty (60)-] "
                                               "{+thirty (30)+} days' [-written-] notice."));
        QCOMPARE(diff.size(), std::size_t(8));
        QVERIFY(diff[1].op == WordEdit::Op::Inserted);
        QCOMPARE(diff[1].text, std::string("this Agreement"));
        QVERIFY(diff[3].op == WordEdit::Op::Deleted);
        QCOMPARE(diff[3].text, std::string("sixty (60)"));
        QVERIFY(diff[4].op == WordEdit::Op::Inserted);
        QCOMPARE(markedDiff(wordDiff("Same words.", "same   WORDS.")), std::string("same WORDS."));
        QCOMPARE(markedDiff(wordDiff("", "New text")), std::string("{+New text+}"));
    }
    void capOnLiabilityIsNormalised()
    {
        auto cap = [](const std::string& text) {
            for (const ClauseAnswer& a : normalisedAnswers({clause("Cap On Liability", text)}))
                if (a.category == "Cap On Liability") return a.answer;
            return std::string();
        };
        QCOMPARE(cap(kCap), std::string("fees paid in 12 months"));
        QCOMPARE(cap("Liability is limited to $1,500,000 in the aggregate."), std::string("USD 1,500,000"));
        QCOMPARE(cap("shall not exceed EUR 2 million"), std::string("EUR 2,000,000"));
        QCOMPARE(cap("shall not exceed two (2) times the fees paid during the six (6) months before"),
                 std::string("2 x fees paid in 6 months"));
        QCOMPARE(cap("THE AGGREGATE LIABILITY SHALL NOT EXCEED THE LICENSE FEE PAID UNDER SECTION 3.1."),
                 std::string("fees paid"));
        QCOMPARE(cap("Neither Party is liable for indirect loss."), std::string());

        // The renewal term, not the initial term before it.
        const auto answers = normalisedAnswers({clause("Renewal Term", "It continues for an initial term of three (3) "
                                                                       "years. It then renews for successive one (1) year terms.")});
        QCOMPARE(answers.size(), std::size_t(1));
        QCOMPARE(answers[0].answer, std::string("1 year"));
    }
    void normFlagsExactlyTheChangedClause()
    {
        const std::map<std::string, std::string> base = {{"Governing Law", "New York"}, {"Cap On Liability", "USD 1,000,000"}};
        auto answers = base;
        answers["Governing Law"] = "Delaware";
        const std::vector<ContractClauses> set = {
            contract("a", {{"Governing Law", kLaw}, {"Anti-Assignment", kAssign}, {"Cap On Liability", kCap}}, base),
            contract("b", {{"Governing Law", kLaw}, {"Anti-Assignment", kAssign}, {"Cap On Liability", kCap}}, base),
            contract("c", {{"Governing Law", kLaw}, {"Cap On Liability", kCap}}, base),  // no assignment clause
            contract("d", {{"Governing Law", kLaw}, {"Anti-Assignment", kAssign}, {"Cap On Liability", kCap}}, answers),
            contract("e", {{"Governing Law", kLaw}, {"Anti-Assignment", kAssign},
                           {"Cap On Liability", "Liability is unlimited for wilful misconduct and fraud by either side."}},
                     base),
        };
        const auto all = findDeviations(set, {});
        QVERIFY(of(all, 0).empty());
        QVERIFY(of(all, 1).empty());
        const auto c = of(all, 2);
        QCOMPARE(c.size(), std::size_t(1));
        QVERIFY(c[0].kind == Deviation::Kind::MissingClause);
        QCOMPARE(c[0].category, std::string("Anti-Assignment"));
        QCOMPARE(c[0].expected, std::string("in 4 of 5 contracts"));
        const auto d = of(all, 3);
        QCOMPARE(d.size(), std::size_t(1));
        QVERIFY(d[0].kind == Deviation::Kind::UnusualValue);
        QCOMPARE(d[0].value, std::string("Delaware"));
        QCOMPARE(d[0].expected, std::string("New York"));
        QVERIFY(d[0].clause);
        const auto e = of(all, 4);
        QCOMPARE(e.size(), std::size_t(1));
        QVERIFY(e[0].kind == Deviation::Kind::DifferentWording);
        QCOMPARE(e[0].category, std::string("Cap On Liability"));
        QVERIFY(e[0].similarity < 0.2);
        QCOMPARE(e[0].baselineClause->text, kCap);
        QVERIFY(!e[0].diff.empty());

        // A category in fewer than 60% of the set is not standard: its absence is no deviation.
        DeviationOptions strict;
        strict.standardShare = 0.9;
        QVERIFY(of(findDeviations(set, strict), 2).empty());
    }
    void periodsStandOutAgainstTheMedian()
    {
        std::vector<ContractClauses> set;
        for (const char* notice : {"90 days", "3 months", "60 days", "30 days", "1 year"})
            set.push_back(contract(notice, {{"Notice Period To Terminate Renewal", "notice"}},
                                   {{"Notice Period To Terminate Renewal", notice}}));
        // In days 90, 90, 60, 30, 365: the median is 90, and 60, 30 and 365 are more than a quarter away from it.
        const auto all = findDeviations(set, {});
        QStringList flagged;
        for (const Deviation& d : all) {
            QVERIFY(d.kind == Deviation::Kind::UnusualValue);
            flagged << QString::fromStdString(d.value + " vs " + d.expected);
        }
        QCOMPARE(flagged, QStringList({"60 days vs 90 days", "30 days vs 90 days", "1 year vs 90 days"}));
        DeviationOptions loose;
        loose.valueTolerance = 0.5;
        QCOMPARE(findDeviations(set, loose).size(), std::size_t(2));  // 60 days is within half of 90
        // Two contracts make no norm: neither value is the odd one.
        set.resize(2);
        set[1].answers["Notice Period To Terminate Renewal"] = "1 year";
        QVERIFY(findDeviations(set, {}).empty());
    }
    void referenceModeComparesWithThePlaybook()
    {
        const std::vector<ContractClauses> set = {
            contract("playbook", {{"Governing Law", kLaw}, {"Insurance", "Supplier shall maintain insurance."}},
                     {{"Governing Law", "New York"}}),
            contract("x", {{"Governing Law", "This Agreement is governed by English law and the courts of London."}},
                     {{"Governing Law", "England"}}),
            contract("y", {{"Governing Law", kLaw}, {"Insurance", "Supplier shall maintain insurance."},
                           {"Audit Rights", "Buyer may audit."}},
                     {{"Governing Law", "new york"}}),
        };
        DeviationOptions o;
        o.reference = 0;
        const auto all = findDeviations(set, o);
        QVERIFY(of(all, 0).empty());  // the reference is not compared with itself
        QVERIFY(of(all, 2).empty());  // same values (case aside) and an extra clause are no deviation
        const auto x = of(all, 1);
        QCOMPARE(x.size(), std::size_t(3));
        QVERIFY(x[0].kind == Deviation::Kind::MissingClause);
        QCOMPARE(x[0].category, std::string("Insurance"));
        QCOMPARE(x[0].expected, std::string("in the reference"));
        QVERIFY(x[1].kind == Deviation::Kind::UnusualValue);
        QCOMPARE(x[1].expected, std::string("New York"));
        QVERIFY(x[2].kind == Deviation::Kind::DifferentWording);
        QCOMPARE(*x[2].baselineContract, std::size_t(0));

        // Norm mode on the same set: Insurance is in two of three contracts (67% >= 60%), so x lacks it; New York
        // is the majority's law and the most typical wording of it; y follows the norm.
        const auto norm = findDeviations(set, {});
        QVERIFY(of(norm, 2).empty());
        QCOMPARE(of(norm, 1).size(), std::size_t(3));
        QCOMPARE(of(norm, 1)[0].expected, std::string("in 2 of 3 contracts"));

        // The parties' passage names each contract: its wording is not compared.
        std::vector<ContractClauses> named = set;
        named[0].clauses.push_back(clause("Parties", "Acme Ltd and Beta GmbH agree as follows."));
        named[1].clauses.push_back(clause("Parties", "This lease is made by Gamma LLC with Delta Inc."));
        o.reference = 0;
        QCOMPARE(of(findDeviations(named, o), 1).size(), std::size_t(3));

        o.reference = 3;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, findDeviations(set, o));
    }
};

QTEST_APPLESS_MAIN(TestContractDeviations)
#include "tst_contractdeviations.moc"
