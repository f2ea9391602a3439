// The rule the CUAD benchmark scores Folio's normalised answers with (tools/cuad/answer_accuracy.h).

#include "cuad/answer_accuracy.h"

#include <QTest>

using folio::cuad::sameAnswer;

class TestCuadAnswers : public QObject {
    Q_OBJECT

private slots:
    void dates()
    {
        QVERIFY(sameAnswer("Agreement Date", "05/08/2014", "5/8/14"));
        QVERIFY(sameAnswer("Effective Date", "12/31/1999", "12/31/99"));
        QVERIFY(!sameAnswer("Agreement Date", "05/09/2014", "5/8/14"));
        QVERIFY(sameAnswer("Agreement Date", "07/15/2000", "[]/[]/2000"));  // a blank CUAD part matches any
        QVERIFY(!sameAnswer("Agreement Date", "07/15/2001", "[]/[]/2000"));
        QVERIFY(!sameAnswer("Expiration Date", "01/01/2020", "[]/[]/[]"));
        QVERIFY(sameAnswer("Expiration Date", "09/05/2019", "09/05/2019; perpetual"));
        QVERIFY(!sameAnswer("Expiration Date", "", "12/31/14"));
    }
    void durations()
    {
        QVERIFY(sameAnswer("Renewal Term", "1 year", "successive 1 year"));
        QVERIFY(sameAnswer("Renewal Term", "12 months", "1 year"));
        QVERIFY(!sameAnswer("Renewal Term", "3 years", "successive 1 year"));
        QVERIFY(sameAnswer("Notice Period To Terminate Renewal", "12 months", "6 months; 12 months"));
        QVERIFY(sameAnswer("Notice Period To Terminate Renewal", "14 days", "2 weeks"));
        QVERIFY(!sameAnswer("Notice Period To Terminate Renewal", "60 days", "90 days"));
    }
    void jurisdictions()
    {
        QVERIFY(sameAnswer("Governing Law", "New York", "New York"));
        QVERIFY(sameAnswer("Governing Law", "State of Delaware", "delaware"));
        QVERIFY(sameAnswer("Governing Law", "Ontario", "Ontario, Canada"));
        QVERIFY(sameAnswer("Governing Law", "Wales", "England; Wales"));
        QVERIFY(!sameAnswer("Governing Law", "New Jersey", "New York"));
    }
    void parties()
    {
        const std::string cuad = "Birch First Global Investments Inc. (\"Company\"); Mount Kowledge Holdings Inc. "
                                 "(\"Marketing Affiliate\", \"MA\")";
        QVERIFY(sameAnswer("Parties", "BIRCH FIRST GLOBAL INVESTMENTS INC. (\"Company\"); Mount Kowledge Holdings, "
                                      "Inc. (\"MA\")", cuad));
        QVERIFY(!sameAnswer("Parties", "Birch First Global Investments Inc. (\"Company\")", cuad));  // one missing
        // CUAD's lower-case descriptions ("an individual") are no names to find.
        QVERIFY(sameAnswer("Parties", "El Pollo Loco, Inc. (\"Franchisor\")",
                           "EL POLLO LOCO, INC. (\"El Pollo Loco\" or \"Franchisor\"); an individual (\"Developer\")"));
        QVERIFY(sameAnswer("Parties", "Dragon Systems, Inc. (\"DS\"); Modus Media International (\"MMI\")",
                           "(Dragon Systems, Inc. (\"Dragon Systems\"); Modus Media International (\"MMI\")"));
    }
};

QTEST_GUILESS_MAIN(TestCuadAnswers)
#include "tst_cuadanswers.moc"
