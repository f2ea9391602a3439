// Defined terms: every usual form of definition, scope, uses, and the problems a reviewer wants flagged.

#include "contract_fixtures.h"

#include "folio/analysis/defined_terms.h"

#include <QTest>

using namespace folio;
using analysis::DefinitionForm;

class TestDefinedTerms : public QObject {
    Q_OBJECT

    analysis::ContractText text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
    analysis::Outline outline = analysis::Outline::build(text);
    analysis::DefinedTerms terms = analysis::findDefinedTerms(text, outline);

    std::vector<const analysis::DefinedTerm*> named(const std::string& term) const
    {
        std::vector<const analysis::DefinedTerm*> out;
        for (const auto& t : terms.terms)
            if (t.term == term)
                out.push_back(&t);
        return out;
    }

private slots:
    void everyFormIsFound()
    {
        QStringList got;
        for (const auto& t : terms.terms)
            got << QString("%1 (%2)").arg(QString::fromStdString(t.term), analysis::toString(t.form));
        QCOMPARE(got, QStringList({"Agreement (parenthetical)", "Supplier (parenthetical)", "Buyer (parenthetical)",
                                   "Party (hereinafter)", "Products (means)", "Confidential Information (by reference)",
                                   "Delivery Point (means)", "Notice (means)", "Products (means)"}));
        QCOMPARE(named("Confidential Information")[0]->definedIn, std::string("Section 7.1"));
        QCOMPARE(text.flat(named("Delivery Point")[0]->definition),
                 std::string("\"Delivery Point\" shall mean the Buyer warehouse named in Exhibit A."));
    }
    void usesCountPluralsAndNeverTheDefinitionItself()
    {
        // "Either Party", "the Parties agree", "the Parties have signed"; not the quoted "Party".
        QCOMPARE(named("Party")[0]->uses.size(), std::size_t(3));
        // Buyer: 6 uses, including "Buyer's"; the quoted definition is not one of them.
        const auto* buyer = named("Buyer")[0];
        QCOMPARE(buyer->uses.size(), std::size_t(6));
        for (const auto& u : buyer->uses)
            QVERIFY(!u.overlaps(buyer->termRange));
        // "Delivery Point" is used once in 2.2(b); the exhibit heading in capitals is not a use.
        QCOMPARE(named("Delivery Point")[0]->uses.size(), std::size_t(1));
        QCOMPARE(text.slice(named("Delivery Point")[0]->uses[0]), std::string_view("Delivery Point"));
    }
    void scopeLimitsUses()
    {
        const auto* notice = named("Notice")[0];
        QVERIFY(notice->scopeNode >= 0);
        QCOMPARE(outline.nodes()[notice->scopeNode].citation, std::string("Section 4.2"));
        // "A Notice is given when delivered." in 4.2 counts; its heading "Notices" does not.
        QCOMPARE(notice->uses.size(), std::size_t(1));
    }
    void definedTwiceAndUndefinedAreFlagged()
    {
        auto products = named("Products");
        QCOMPARE(products.size(), std::size_t(2));
        QVERIFY(products[0]->definedTwice && products[1]->definedTwice);
        QVERIFY(!named("Buyer")[0]->definedTwice);
        QCOMPARE(terms.undefined.size(), std::size_t(1));
        QCOMPARE(terms.undefined[0].term, std::string("Quality Manual"));
        QCOMPARE(terms.undefined[0].uses.size(), std::size_t(2));
    }
    void curlyQuotesAndHereinafterWithoutParentheses()
    {
        auto t = analysis::ContractText::fromPlainText(
            "This Lease is made between Riverside Holdings LLC, hereinafter called “Landlord”, and Copperleaf Inc. "
            "(each, a “Party”).\n\nThe “Premises” shall have the meaning set forth in Exhibit A.\n\n"
            "Landlord leases the Premises to each Party.\n");
        auto o = analysis::Outline::build(t);
        auto found = analysis::findDefinedTerms(t, o);
        QStringList got;
        for (const auto& d : found.terms)
            got << QString("%1 (%2) %3").arg(QString::fromStdString(d.term), analysis::toString(d.form)).arg(d.uses.size());
        QCOMPARE(got, QStringList({"Landlord (hereinafter) 1", "Party (parenthetical) 1", "Premises (by reference) 1"}));
    }
    void quotesThatDefineNothing()
    {
        // Quoted phrases in ordinary parentheses or sentences are not definitions.
        auto t = analysis::ContractText::fromPlainText(
            "The label shall read \"Handle with care\" in red. Returns (marked \"RMA\" on the box) are accepted.\n");
        auto found = analysis::findDefinedTerms(t, analysis::Outline::build(t));
        QVERIFY(found.terms.empty());
    }
};

QTEST_MAIN(TestDefinedTerms)
#include "tst_definedterms.moc"
