// Analysing a workspace end to end with the built-in clause model: results stored with provenance, incremental
// re-runs, and odd contracts (a scan read by OCR, a one-page letter, a German contract) that give sensible results.

#include "contract_fixtures.h"

#include "folio/app/analysis_service.h"
#include "folio/app/analysis_store.h"
#include "folio/app/contract_pdf.h"
#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/app/workspace_store.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace folio;
using Style = app::ContractParagraph::Style;

class TestAnalysisService : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    std::int64_t documentId(const std::string& suffix)
    {
        app::WorkspaceStore store(workspace.toStdString());
        return store.findDocument(suffix)->id;
    }

private slots:
    void initTestCase()
    {
        const QString pdfs = tmp.filePath("pdfs");
        app::writeSampleContracts(pdfs.toStdString());
        app::writeContractPdf(test::supplyAgreementPdf(), (pdfs + "/Supply.pdf").toStdString());
        app::ContractPdfSpec scan = test::supplyAgreementPdf();
        scan.asImage = true;
        app::writeContractPdf(scan, (pdfs + "/Scanned.pdf").toStdString());
        app::ContractPdfSpec letter;
        letter.pageNumbers = false;
        letter.paragraphs = {{Style::Body, "Dear Ms Smith,", 0},
                             {Style::Body, "Thank you for your order of 3 May 2025. We will deliver on 10 May 2025.", 0},
                             {Style::Body, "Yours sincerely, J. Doe", 0}};
        app::writeContractPdf(letter, (pdfs + "/Letter.pdf").toStdString());
        app::ContractPdfSpec german;
        german.paragraphs = {{Style::Title, "KAUFVERTRAG", 0},
                             {Style::Heading, "§ 1 Vertragsgegenstand", 0},
                             {Style::Body, "Der Verkäufer (der „Verkäufer“) verkauft dem Käufer das Fahrzeug.", 0},
                             {Style::Heading, "§ 2 Kaufpreis", 0},
                             {Style::Body, "Der Kaufpreis beträgt 10.000 Euro und ist gemäß § 1 fällig.", 0}};
        app::writeContractPdf(german, (pdfs + "/Kaufvertrag.pdf").toStdString());
        workspace = tmp.filePath("ws");
        app::WorkspaceStore store(workspace.toStdString());
        app::IngestService(store).ingest({pdfs.toStdString()}, {});
    }
    void analysesEveryContractAndStoresProvenance()
    {
        int calls = 0;
        auto summary = app::analyseWorkspace(workspace.toStdString(), false,
                                             [&](const app::AnalysisProgress& p) { ++calls; QVERIFY(p.done <= p.total); });
        QCOMPARE(summary.analysed, 7);
        QCOMPARE(calls, 7);
        QVERIFY(summary.problems.empty());
        app::AnalysisStore store(workspace.toStdString());
        QCOMPARE(store.analysedDocumentCount(), 7);

        // Governing Law in the services agreement: found with confidence, on its page, with rectangles.
        bool found = false;
        for (const auto& c : store.clauses(std::string("Governing Law")))
            if (c.documentPath.find("Master Services") != std::string::npos && c.confidence >= 0.5) {
                found = true;
                QVERIFY(c.text.find("governed by the laws of the State of New York") != std::string::npos);
                QCOMPARE(c.page, 3);
                QVERIFY(!c.regions.empty());
                QCOMPARE(c.regions.front().page, 3);
            }
        QVERIFY(found);
        bool answer = false, parties = false, notice = false;
        for (const auto& a : store.answers()) {
            // "renews ... for successive one (1) year terms unless ... notice ... at least ninety (90) days before"
            if (a.documentPath.find("Master Services") != std::string::npos &&
                a.category == "Notice Period To Terminate Renewal")
                notice = a.answer == "90 days";
            if (a.documentPath.find("Master Services") != std::string::npos && a.category == "Governing Law")
                answer = a.answer == "New York";
            if (a.documentPath.find("Software License") != std::string::npos && a.category == "Parties")
                parties = a.answer.find("(\"Licensor\")") != std::string::npos &&
                          a.answer.find("(\"Licensee\")") != std::string::npos;
        }
        QVERIFY(answer);
        QVERIFY(parties);
        QVERIFY(notice);

        // The supply agreement's structure, terms and references are stored as the analysers found them.
        auto outline = store.outline(documentId("Supply.pdf"));
        QCOMPARE(outline.size(), std::size_t(26));
        QCOMPARE(outline[9].citation, std::string("Section 2.2"));
        QCOMPARE(outline[9].parent, 7);
        bool unresolved = false;
        for (const auto& r : store.references(true))
            unresolved = unresolved || (r.documentPath.find("Supply.pdf") != std::string::npos && r.text == "Section 7.1" &&
                                        r.reason == "no Section 7.1 in this contract");
        QVERIFY(unresolved);
        bool twice = false;
        for (const auto& t : store.terms(documentId("Supply.pdf")))
            twice = twice || (t.term == "Products" && t.definedTwice);
        QVERIFY(twice);
    }
    void oddContractsGiveSensibleResults()
    {
        app::AnalysisStore store(workspace.toStdString());
        // The scan (a 144 dpi picture of the typed contract) is read by OCR and analysed: every article, section,
        // exhibit and schedule of the typed copy is found in it. Its (a)/(b) items are not held to that: OCR reads
        // some of their markers differently.
        std::set<std::string> scanned;
        for (const auto& n : store.outline(documentId("Scanned.pdf"))) scanned.insert(n.citation);
        int structure = 0;
        for (const auto& n : store.outline(documentId("Supply.pdf"))) {
            if (n.citation.empty() || n.citation.find('(') != std::string::npos) continue;
            QVERIFY2(scanned.count(n.citation), n.citation.c_str());
            ++structure;
        }
        QCOMPARE(structure, 18);
        // The letter has no sections and no defined terms.
        for (const auto& n : store.outline(documentId("Letter.pdf")))
            QVERIFY(n.kind != "section" && n.kind != "article");
        QVERIFY(store.terms(documentId("Letter.pdf")).empty());
        // The German contract: two sections, its § 1 reference resolved.
        auto outline = store.outline(documentId("Kaufvertrag.pdf"));
        QCOMPARE(outline.size(), std::size_t(3));
        QCOMPARE(outline[1].title, std::string("Vertragsgegenstand"));
        bool resolved = false;
        for (const auto& r : store.references())
            resolved = resolved || (r.documentPath.find("Kaufvertrag") != std::string::npos && r.targetNode == 1);
        QVERIFY(resolved);
    }
    void aContractWithoutTextIsReportedNotAnalysed()
    {
        // A blank page: no text layer and nothing for OCR to read.
        const QString pdfs = tmp.filePath("blank");
        app::ContractPdfSpec blank;
        blank.pageNumbers = false;
        QDir().mkpath(pdfs);
        app::writeContractPdf(blank, (pdfs + "/Blank.pdf").toStdString());
        const std::string ws = tmp.filePath("ws-blank").toStdString();
        {
            app::WorkspaceStore store(ws);
            app::IngestService(store).ingest({pdfs.toStdString()}, {});
        }
        const auto summary = app::analyseWorkspace(ws, false, {});
        QCOMPARE(summary.analysed, 0);
        QCOMPARE(summary.problems.size(), std::size_t(1));
        QVERIFY(summary.problems[0].path.ends_with("Blank.pdf"));
        QVERIFY2(summary.problems[0].reason.starts_with("no text to analyse"), summary.problems[0].reason.c_str());
    }
    void rerunsAreIncremental()
    {
        auto again = app::analyseWorkspace(workspace.toStdString(), false, {});
        QCOMPARE(again.analysed, 0);
        QCOMPARE(again.unchanged, 7);
        auto forced = app::analyseWorkspace(workspace.toStdString(), true, {}, nullptr, 1);
        QCOMPARE(forced.analysed, 7);
        app::AnalysisStore store(workspace.toStdString());
        QCOMPARE(store.analysedDocumentCount(), 7);
    }
    void cancelStopsEarly()
    {
        std::atomic<bool> cancel{true};
        auto summary = app::analyseWorkspace(workspace.toStdString(), true, {}, &cancel);
        QVERIFY(summary.cancelled);
        QCOMPARE(summary.analysed, 0);
    }
};

QTEST_MAIN(TestAnalysisService)
#include "tst_analysisservice.moc"
