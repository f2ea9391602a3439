// Deviations over stored analyses: a set made of the sample services agreement, each copy with one clause
// changed or replaced, is analysed and compared; exactly the changed clause is flagged, in norm mode and against
// a reference, and the report exports to XLSX.

#include "folio/app/analysis_service.h"
#include "folio/app/analysis_store.h"
#include "folio/app/deviation_report.h"
#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/app/workspace_store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <set>

using namespace folio;
using Kind = analysis::Deviation::Kind;

namespace {

const std::string kNotice = "at least ninety (90) days before";
const std::string kLaw = "laws of the State of New York, and the courts of New York County";
// The assignment clause, replaced by one of about its length: the statistical extractor weighs a passage's place
// on its page, so a page layout kept as it was keeps its choices elsewhere.
const std::string kAssignment =
    "9.2 Assignment. Neither Party may assign this Agreement without the other Party's prior written consent, "
    "except to a successor in a merger or a sale of substantially all of its assets.";
const std::string kCounterparts =
    "9.2 Counterparts. This Agreement may be signed in any number of counterparts, each of which is an original, "
    "and all of which together are one and the same instrument.";

// The services agreement with `from` replaced by `to` in the paragraph holding it.
app::ContractPdfSpec changed(const std::string& from, const std::string& to)
{
    app::ContractPdfSpec spec = app::sampleContracts().front().spec;
    for (auto& p : spec.paragraphs) {
        const auto at = p.text.find(from);
        if (at == std::string::npos) continue;
        p.text.replace(at, from.size(), to);
        return spec;
    }
    throw std::logic_error("no paragraph holds '" + from + "'");
}

}  // namespace

class TestDeviationReport : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string workspace;
    std::map<std::string, std::int64_t> ids;  // file name -> document

    std::vector<analysis::Deviation> of(const app::DeviationReport& r, const std::string& file)
    {
        std::vector<analysis::Deviation> out;
        for (const auto& d : r.deviations)
            if (r.contracts[d.contract].documentId == ids.at(file)) out.push_back(d);
        return out;
    }
    // The categories whose clause in the unchanged agreement holds `text`: what changing that text may touch.
    std::set<std::string> categoriesHolding(const std::string& text)
    {
        std::set<std::string> out;
        for (const auto& c : app::AnalysisStore(workspace).clauses(std::nullopt, ids.at("MSA 1.pdf")))
            if (c.confidence >= 0.5 && c.text.find(text) != std::string::npos) out.insert(c.category);
        return out;
    }

private slots:
    void initTestCase()
    {
        const std::string pdfs = tmp.filePath("pdfs").toStdString();
        std::filesystem::create_directories(pdfs);
        const app::ContractPdfSpec base = app::sampleContracts().front().spec;
        const std::vector<std::pair<std::string, app::ContractPdfSpec>> set = {
            {"MSA 1.pdf", base},
            {"MSA 2.pdf", base},
            {"MSA 3.pdf", base},
            {"MSA notice.pdf", changed(kNotice, "at least thirty (30) days before")},
            {"MSA law.pdf", changed(kLaw, "laws of the State of Delaware, and the courts of New Castle County")},
            {"MSA no assignment.pdf", changed(kAssignment, kCounterparts)},
        };
        for (const auto& [name, spec] : set) app::writeContractPdf(spec, pdfs + "/" + name);
        workspace = tmp.filePath("ws").toStdString();
        app::WorkspaceStore store(workspace);
        app::IngestService(store).ingest({pdfs}, {});
        const auto summary = app::analyseWorkspace(workspace, false, {});
        QCOMPARE(summary.analysed, 6);
        for (const auto& d : store.documents()) ids[std::filesystem::path(d.path).filename().string()] = d.id;
    }
    void normFlagsExactlyTheChangedClauses()
    {
        app::WorkspaceStore store(workspace);
        const auto r = app::DeviationReport::build(store, app::AnalysisStore(workspace), 0.5, std::nullopt);
        QCOMPARE(r.contracts.size(), std::size_t(6));
        QVERIFY(!r.reference);
        QCOMPARE(r.baselineName(), std::string("norm of 6 contracts"));
        for (const char* same : {"MSA 1.pdf", "MSA 2.pdf", "MSA 3.pdf"}) QVERIFY2(of(r, same).empty(), same);

        // The notice period: its value stands out against the median, and nothing but that clause is flagged.
        const auto notice = of(r, "MSA notice.pdf");
        int values = 0;
        for (const auto& d : notice) {
            QVERIFY(d.clause);
            QVERIFY2(d.clause->text.find("thirty (30) days before") != std::string::npos, d.category.c_str());
            if (d.kind == Kind::UnusualValue) {
                ++values;
                QCOMPARE(d.category, std::string("Notice Period To Terminate Renewal"));
                QCOMPARE(d.value, std::string("30 days"));
                QCOMPARE(d.expected, std::string("90 days"));
            }
        }
        QCOMPARE(values, 1);

        // Governing law: Delaware against New York, on its page.
        const auto law = of(r, "MSA law.pdf");
        QVERIFY(!law.empty());
        QVERIFY(law[0].kind == Kind::UnusualValue);
        QCOMPARE(law[0].category, std::string("Governing Law"));
        QCOMPARE(law[0].value, std::string("Delaware"));
        QCOMPARE(law[0].expected, std::string("New York"));
        QCOMPARE(law[0].clause->page, 3);
        QVERIFY(!law[0].clause->regions.empty());
        for (const auto& d : law) QVERIFY(d.clause && d.clause->text.find("Delaware") != std::string::npos);

        // The assignment clause gone: missing, and only what that paragraph was the clause of.
        const std::set<std::string> assignment = categoriesHolding("Neither Party may assign");
        QVERIFY(assignment.count("Anti-Assignment"));
        std::set<std::string> missing;
        for (const auto& d : of(r, "MSA no assignment.pdf")) {
            QVERIFY2(d.kind == Kind::MissingClause, (std::string(analysis::toString(d.kind)) + ": " + d.category + ": " +
                                                     (d.clause ? d.clause->text : std::string())).c_str());
            QCOMPARE(d.expected, std::string("in 5 of 6 contracts"));
            missing.insert(d.category);
        }
        QCOMPARE(missing, assignment);
    }
    void referenceModeComparesWithThePlaybook()
    {
        app::WorkspaceStore store(workspace);
        const auto r = app::DeviationReport::build(store, app::AnalysisStore(workspace), 0.5, ids.at("MSA law.pdf"));
        QVERIFY(r.reference);
        QCOMPARE(r.contracts[*r.reference].documentId, ids.at("MSA law.pdf"));
        QCOMPARE(r.baselineName(), std::string("reference MSA law.pdf"));
        QVERIFY(of(r, "MSA law.pdf").empty());
        // Every other contract has New York where the reference has Delaware, and the same clause worded
        // differently: the diff names exactly the changed words.
        for (const char* file : {"MSA 1.pdf", "MSA 2.pdf", "MSA 3.pdf"}) {
            const auto ds = of(r, file);
            QVERIFY2(!ds.empty(), file);
            QVERIFY(ds[0].kind == Kind::UnusualValue);
            QCOMPARE(ds[0].value, std::string("New York"));
            QCOMPARE(ds[0].expected, std::string("Delaware"));
            for (const auto& d : ds) {
                QVERIFY(d.clause && d.clause->text.find("New York County") != std::string::npos);
                if (d.kind != Kind::DifferentWording) continue;
                const std::string marked = analysis::markedDiff(d.diff);
                QVERIFY2(marked.find("State of [-Delaware,-] {+New York,+} and the courts of New [-Castle-] {+York+} "
                                     "County") != std::string::npos, marked.c_str());
            }
        }
        // The assignment clause is missing against the reference too.
        bool missing = false;
        for (const auto& d : of(r, "MSA no assignment.pdf"))
            missing = missing || (d.kind == Kind::MissingClause && d.category == "Anti-Assignment" &&
                                  d.expected == "in the reference");
        QVERIFY(missing);
    }
    void aReferenceOutsideTheSetIsNamed()
    {
        app::WorkspaceStore store(workspace);
        try {
            app::DeviationReport::build(store, app::AnalysisStore(workspace), 0.5, 999);
            QFAIL("no error for a reference that is not in the set");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("document 999: cannot be the reference") == 0, e.what());
        }
    }
    void exportsToXlsx()
    {
        app::WorkspaceStore store(workspace);
        const auto r = app::DeviationReport::build(store, app::AnalysisStore(workspace), 0.5, ids.at("MSA 1.pdf"));
        const QString file = tmp.filePath("deviations.xlsx");
        app::writeDeviationsXlsx(file.toStdString(), r);
        QFile xlsx(file);
        QVERIFY(xlsx.open(QIODevice::ReadOnly));
        QCOMPARE(xlsx.read(2), QByteArray("PK"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 app::writeDeviationsXlsx(tmp.filePath("no/such/folder/d.xlsx").toStdString(), r));
    }
};

QTEST_MAIN(TestDeviationReport)
#include "tst_deviationreport.moc"
