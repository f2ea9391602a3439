// Cross-references: each form resolved to its target or reported with a reason; numbers, dates, amounts and
// statute citations are never references.

#include "contract_fixtures.h"

#include "folio/analysis/cross_references.h"

#include <QTest>

using namespace folio;

class TestCrossReferences : public QObject {
    Q_OBJECT

    static QStringList describe(const analysis::ContractText& text, const analysis::Outline& outline,
                                const std::vector<analysis::CrossReference>& refs)
    {
        QStringList out;
        for (const auto& r : refs) {
            QString target = r.targetNode >= 0 ? QString::fromStdString(outline.nodes()[r.targetNode].citation)
                                               : "unresolved: " + QString::fromStdString(r.reason);
            out << QString("%1 -> %2").arg(QString::fromStdString(std::string(text.slice(r.range))), target);
        }
        return out;
    }

    // Every reference in a plain-text contract, described as above.
    static QStringList referencesIn(const std::string& contract)
    {
        auto text = analysis::ContractText::fromPlainText(contract);
        auto outline = analysis::Outline::build(text);
        return describe(text, outline, analysis::findCrossReferences(text, outline));
    }

private slots:
    void everyFormResolvesOrSaysWhy()
    {
        auto text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
        auto outline = analysis::Outline::build(text);
        QCOMPARE(describe(text, outline, analysis::findCrossReferences(text, outline)),
                 QStringList({"Schedule 2 -> Schedule 2",
                              "Section 7.1 -> unresolved: no Section 7.1 in this contract",
                              "Exhibit A -> Exhibit A",
                              "this Article -> Article II",
                              "paragraph (a) -> Section 2.2(a)",
                              "Section 2.1 -> Section 2.1",
                              "Section 3.1 -> Section 3.1",
                              "this Section -> Section 3.3",
                              "Sections 3.1 -> Section 3.1",
                              "3.1 through 3.3 -> Section 3.2",
                              "3.3 -> Section 3.3",
                              "Article IV -> Article IV",
                              "Section 2.2(b)(ii) -> Section 2.2(b)(ii)",
                              "Article II -> Article II",
                              "Section 9.9 -> unresolved: no Section 9.9 in this contract",
                              "Exhibit C -> unresolved: Exhibit C is not in this document (attached or filed separately)",
                              "this Section -> Section 4.2"}));
    }
    void listsRangesAndBareItems()
    {
        auto text = analysis::ContractText::fromPlainText(
            "1. Scope.\n\n(a) First.\n\n(b) Second.\n\n(c) Third, subject to clause (a) above.\n\n"
            "2. Remedies. On a default under Section 1(a) or (b), or Sections 1 and 2, see this Section.\n\n"
            "3. Other. Section 5.2 of the Credit Agreement and Section 501(c)(3) of the Internal Revenue Code apply; "
            "11 U.S.C. § 365 too.\n");
        auto outline = analysis::Outline::build(text);
        QCOMPARE(describe(text, outline, analysis::findCrossReferences(text, outline)),
                 QStringList({"clause (a) -> Section 1(a)", "Section 1(a) -> Section 1(a)", "(b) -> Section 1(b)",
                              "Sections 1 -> Section 1", "2 -> Section 2", "this Section -> Section 2",
                              "Section 5.2 -> unresolved: refers to another document: the Credit Agreement"}));
    }
    void listsWhoseItemsCarryTitles()
    {
        QCOMPARE(referencesIn(
            "10. Term.\n\n10.1 Term. Five years.\n\n10.2 Survival. Some terms survive.\n\n10.3 Return. Return all.\n\n"
            "11. Remedies. As set out in Sections 10.1 (Term) or 10.2 (Survival), and Section 10.1 (Right to Term) through "
            "Section 10.3 (Return).\n"),
                 QStringList({"Sections 10.1 -> Section 10.1", "10.2 -> Section 10.2", "Section 10.1 -> Section 10.1",
                              "10.1 (Right to Term) through Section 10.3 -> Section 10.2",
                              "Section 10.3 -> Section 10.3"}));
    }
    void itemsOfANamedSection()
    {
        // Long enough lines that the numbered paragraphs do not read as a table of contents.
        const std::string agreed = " The parties agree to these terms as written and signed today.\n\n";
        QCOMPARE(referencesIn("1. Fees." + agreed + "(a) Late fees." + agreed + "(b) Interest." + agreed + "2. Other." +
                              agreed + "(a) Unrelated." + agreed +
                              "3. Remedies. Under subsections (a) and (b) of Section 1, and clause (b) of this Section 1.\n"),
                 QStringList({"subsections (a) -> Section 1(a)", "(b) -> Section 1(b)", "Section 1 -> Section 1",
                              "(b) -> Section 1(b)", "Section 1 -> Section 1"}));
    }
    void slipsInSectionNumbers()
    {
        // "4.l" with a letter l, "3.1.(A)" with a stray point, "Section 5" for the section numbered 5.0.
        const std::string agreed = " The parties agree to these terms as written and signed today.\n\n";
        QCOMPARE(referencesIn("3.0 Scope." + agreed + "3.1 Audit." + agreed + "(A) Records." + agreed + "4.0 Fees." +
                              agreed + "4.1 Price." + agreed + "5.0 Notices." + agreed +
                              "6.0 Other. See Section 4.l, Section 3.1.(A) and Section 5.\n"),
                 QStringList({"Section 4.l -> Section 4.1", "Section 3.1.(A) -> Section 3.1(A)",
                              "Section 5 -> Section 5.0"}));
    }
    void plainNumbersAreNotReferences()
    {
        auto text = analysis::ContractText::fromPlainText(
            "The fee is $5,000.00, due on 12/31/2024 or within 30 days, per 2.5% of 1,000 units (Form 10-K, "
            "Rule 10b-5, Item 7).\n");
        auto outline = analysis::Outline::build(text);
        QVERIFY(analysis::findCrossReferences(text, outline).empty());
    }
};

QTEST_MAIN(TestCrossReferences)
#include "tst_crossreferences.moc"
