// Normalised answers read from extracted clauses: the parties a preamble defines, even when the model cut the
// preamble into several passages.

#include "folio/analysis/clauses.h"

#include <QTest>

using namespace folio::analysis;

class TestClauseAnswers : public QObject {
    Q_OBJECT

    static Clause clause(const std::string& category, const std::string& text, int start, double confidence = 0.9)
    {
        Clause c;
        c.category = category;
        c.text = text;
        c.range = {start, start + static_cast<int>(text.size())};
        c.confidence = confidence;
        return c;
    }
    static std::string answer(const std::vector<Clause>& clauses, const std::string& category)
    {
        for (const ClauseAnswer& a : normalisedAnswers(clauses))
            if (a.category == category)
                return a.answer;
        return {};
    }

private slots:
    void partiesAreTheNamesBeforeTheirDefinitions()
    {
        const std::string preamble =
            "This Supply Agreement (the \"Agreement\") is entered into as of May 8, 2014 (the \"Effective Date\") by "
            "and between The Babcock and Wilcox Company, a Delaware corporation with offices at 1 Main Street, "
            "Springfield, USA (\"B&W\"), and Stratton, Cheeseman & Walsh-Nevada, Inc. (hereinafter referred to as "
            "\"Agency\").";
        QCOMPARE(answer({clause("Parties", preamble, 0)}, "Parties"),
                 std::string("The Babcock and Wilcox Company (\"B&W\"); Stratton, Cheeseman & Walsh-Nevada, Inc. "
                             "(\"Agency\")"));
    }
    void aPreambleCutIntoPassagesIsReadTogether()
    {
        // The model liked the second sentence best; the first one names the other party.
        const std::vector<Clause> clauses = {
            clause("Parties", "This Agreement is made by Aduro Biotech, Inc., a Delaware corporation (\"Aduro\").", 40, 0.3),
            clause("Parties", "and IREYA B.V, a Dutch company (\"Consultant\").", 130, 0.95),
            clause("Parties", "Aduro shall pay the Consultant (the \"Fee\") monthly.", 9000, 0.6)};
        QCOMPARE(answer(clauses, "Parties"), std::string("Aduro Biotech, Inc. (\"Aduro\"); IREYA B.V (\"Consultant\")"));
        // Unlikely passages are no answer.
        QCOMPARE(answer({clause("Parties", "Acme Corp. (\"Acme\")", 0, 0.05)}, "Parties"), std::string());
    }
    void datesAndDefinedTermsAreNoParties()
    {
        const std::string text = "dated June 30, 2015 (\"Effective Date\") between Beta LLC (\"Beta\") and the "
                                 "parties (each a \"Party\")";
        QCOMPARE(answer({clause("Parties", text, 0)}, "Parties"), std::string("Beta LLC (\"Beta\")"));
    }
};

QTEST_GUILESS_MAIN(TestClauseAnswers)
#include "tst_clauseanswers.moc"
