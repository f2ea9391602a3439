// The statistical clause model: training learns a signal, serialisation keeps predictions, a damaged model is
// refused with a reason, and candidates cover sentences, paragraphs, titles and dates.

#include "contract_fixtures.h"

#include "folio/analysis/clauses.h"

#include <QTest>

#include <random>

using namespace folio;

class TestClauseModel : public QObject {
    Q_OBJECT

    // Two categories: "Law" fires on feature 7, "Term" on feature 9; the rest is noise.
    static std::vector<analysis::TrainingExample> examples()
    {
        std::mt19937 rng(3);
        std::vector<analysis::TrainingExample> out;
        for (int i = 0; i < 4000; ++i) {
            analysis::TrainingExample e;
            for (int k = 0; k < 5; ++k)
                e.features.push_back(100 + rng() % 5000);
            bool law = rng() % 5 == 0, term = rng() % 7 == 0;
            if (law)
                e.features.push_back(7);
            if (term)
                e.features.push_back(9);
            e.labels = {std::uint8_t(law), std::uint8_t(term)};
            out.push_back(e);
        }
        return out;
    }

private slots:
    void learnsAndRoundTrips()
    {
        auto model = analysis::trainClauseModel({"Law", "Term"}, examples(), 4);
        auto p = model.predict({7, 1234});
        QVERIFY2(p[0] > 0.9 && p[1] < 0.1, QByteArray::number(p[0]) + " " + QByteArray::number(p[1]));
        p = model.predict({9, 4321});
        QVERIFY(p[0] < 0.1 && p[1] > 0.9);
        auto again = analysis::ClauseModel::fromBytes(model.toBytes());
        QCOMPARE(again.categories(), model.categories());
        for (std::vector<std::uint32_t> f : {std::vector<std::uint32_t>{7}, {9, 200}, {300, 301, 302}})
            for (size_t c = 0; c < 2; ++c)
                QVERIFY(std::abs(again.predict(f)[c] - model.predict(f)[c]) < 0.01);
    }
    void damagedModelsAreRefused()
    {
        std::string bytes = analysis::trainClauseModel({"Law"}, examples(), 1).toBytes();
        for (std::string bad : {std::string(), bytes.substr(0, bytes.size() / 2), std::string("not a model at all")}) {
            try {
                analysis::ClauseModel::fromBytes(bad);
                QFAIL("a damaged model was accepted");
            } catch (const std::runtime_error& e) {
                QVERIFY(std::string(e.what()).find("clause model") != std::string::npos);
            }
        }
    }
    void candidatesCoverSentencesTitlesAndDates()
    {
        auto text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
        auto outline = analysis::Outline::build(text);
        auto candidates = analysis::clauseCandidates(text, outline);
        auto has = [&](analysis::ClauseCandidate::Kind kind, std::string_view s) {
            for (const auto& c : candidates)
                if (c.kind == kind && text.slice(c.range) == s)
                    return true;
            return false;
        };
        using K = analysis::ClauseCandidate::Kind;
        QVERIFY(has(K::Title, "SUPPLY AGREEMENT"));
        QVERIFY(has(K::Date, "1 April 2024"));
        QVERIFY(has(K::Sentence, "This Agreement runs for two (2) years from 1 April 2024."));
        QVERIFY(has(K::Sentence, "Either Party may terminate under this Section on ninety (90) days' notice."));
        // The whole of Section 3.3 is a candidate too: labelled clauses are often a numbered paragraph.
        bool section = false;
        for (const auto& c : candidates)
            section = section || (c.kind == K::Paragraph && text.slice(c.range).substr(0, 16) == "3.3 Termination.");
        QVERIFY(section);
        // Features are stable: the same candidate gives the same sorted features.
        QCOMPARE(analysis::clauseFeatures(text, outline, candidates[3]), analysis::clauseFeatures(text, outline, candidates[3]));
    }
    void extractorKeepsTheBestOfOverlappingPassages()
    {
        // A model that likes every passage with "terminate": overlapping candidates collapse to the best one.
        auto text = analysis::ContractText::fromPlainText(test::supplyAgreementText());
        auto outline = analysis::Outline::build(text);
        std::vector<analysis::TrainingExample> ex;
        for (const auto& c : analysis::clauseCandidates(text, outline)) {
            std::string flat = text.flat(c.range);
            bool positive = flat.rfind("Either Party may terminate", 0) == 0 && c.kind == analysis::ClauseCandidate::Kind::Sentence;
            for (int copy = 0; copy < 20; ++copy)
                ex.push_back({analysis::clauseFeatures(text, outline, c), {std::uint8_t(positive)}});
        }
        auto model = std::make_shared<analysis::ClauseModel>(analysis::trainClauseModel({"Termination"}, ex, 6));
        analysis::StatisticalClauseExtractor extractor(model, 0.05);
        auto clauses = extractor.extract(text, outline);
        QVERIFY(!clauses.empty());
        QCOMPARE(clauses[0].text, std::string("Either Party may terminate under this Section on ninety (90) days' notice."));
        QVERIFY(clauses[0].confidence > 0.5);
        for (size_t i = 1; i < clauses.size(); ++i) {
            QVERIFY(!clauses[i].range.overlaps(clauses[0].range));
            QVERIFY(clauses[i].confidence <= clauses[0].confidence);
        }
    }
};

QTEST_MAIN(TestClauseModel)
#include "tst_clausemodel.moc"
