#include "folio/engine/session.h"
#include "planted_model.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace folio;
using engine::AttentionMode;
using engine::BlockSummaryKind;
using engine::TensorType;

Q_DECLARE_METATYPE(BlockSummaryKind)

namespace {

std::vector<std::int32_t> someTokens(int n, int seed = 3)
{
    std::vector<std::int32_t> t;
    for (int i = 0; i < n; ++i) t.push_back(std::int32_t((i * 37 + seed * 11 + i * i) % 96));
    return t;
}

double relativeError(const std::vector<float>& a, const std::vector<float>& b)
{
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        err = std::max(err, std::fabs(double(a[i]) - double(b[i])));
        scale = std::max(scale, std::fabs(double(b[i])));
    }
    return err / scale;
}

std::int32_t greedy(const std::vector<float>& logits)
{
    return std::int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

// Small blocks and a short window, so that a few thousand tokens make tens of cold blocks.
engine::SessionOptions selected(std::int64_t topBlocks, BlockSummaryKind kind = BlockSummaryKind::MinMax)
{
    engine::SessionOptions o{1};
    o.attention = {AttentionMode::Selected, 128, 256, 64, topBlocks, kind, 4};
    return o;
}

constexpr int kCorpus = 3000;  // 21 cold blocks of 128 before the last token's window

}  // namespace

class TestLongContext : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string model_;

    // Qwen3.5 MoE: attention at layers 1 and 3, so the second attention layer reads keys the first one's
    // selection already shaped.
    const std::string& modelPath()
    {
        if (model_.empty()) {
            model_ = tmp.filePath("moe.gguf").toStdString();
            test::writeTinyModel(model_, {test::TinyVariant::Qwen35Moe, TensorType::Q8_0});
        }
        return model_;
    }

    std::vector<float> exactLogits()
    {
        static std::vector<float> logits;
        if (logits.empty()) {
            const auto model = engine::Model::load(modelPath());
            engine::Session s(*model, {1});
            s.prefill(someTokens(kCorpus));
            logits = s.logits();
        }
        return logits;
    }

private slots:
    // Exact mode is the engine as it was: its other settings change neither a number nor the cache key.
    void exactModeKeepsTodaysNumbersAndSignature()
    {
        const auto model = engine::Model::load(modelPath());
        engine::SessionOptions exact = selected(2);
        exact.attention.mode = AttentionMode::Exact;
        QCOMPARE(engine::numericsSignature(exact), engine::numericsSignature(engine::SessionOptions{1}));
        engine::Session s(*model, exact);
        s.prefill(someTokens(kCorpus));
        QCOMPARE(s.logits(), exactLogits());
        QCOMPARE(s.attentionStats().queries, std::uint64_t(0));
        QCOMPARE(s.summaryBytes(), std::uint64_t(0));
    }
    // A token with no more cold blocks than it may read reads every key, in today's order: bitwise exact.
    void selectedReadingEveryBlockEqualsExact()
    {
        const auto model = engine::Model::load(modelPath());
        engine::Session s(*model, selected(64));
        s.prefill(someTokens(kCorpus));
        QCOMPARE(s.logits(), exactLogits());
        QVERIFY(s.attentionStats().queries > 0);
        QCOMPARE(s.attentionStats().selectingQueries, std::uint64_t(0));
        // Its summaries cover every whole block of both attention layers: min and max of 64 channels, 2 KV heads.
        QCOMPARE(s.summaryBytes(), std::uint64_t(2 * (kCorpus / 128) * 2 * 2 * 64 * 4));
        QVERIFY(engine::numericsSignature(selected(64)) != engine::numericsSignature(engine::SessionOptions{1}));
        QVERIFY(engine::numericsSignature(selected(64)) != engine::numericsSignature(selected(4)));
        QVERIFY(engine::numericsSignature(selected(4)) != engine::numericsSignature(selected(4, BlockSummaryKind::VqCode)));
    }
    void selectedLeavesBlocksOut_data()
    {
        QTest::addColumn<BlockSummaryKind>("kind");
        QTest::newRow("minmax") << BlockSummaryKind::MinMax;
        QTest::newRow("vq") << BlockSummaryKind::VqCode;
    }
    // With 4 of 21 blocks, the tokens past the first 4 blocks and the window leave blocks out; measuring the
    // attention mass they keep costs a pass over every key and changes nothing.
    void selectedLeavesBlocksOut()
    {
        QFETCH(BlockSummaryKind, kind);
        const auto model = engine::Model::load(modelPath());
        engine::Session s(*model, selected(4, kind)), measured(*model, selected(4, kind));
        measured.measureAttentionMass(true);
        s.prefill(someTokens(kCorpus));
        measured.prefill(someTokens(kCorpus));
        QCOMPARE(measured.logits(), s.logits());
        QVERIFY(s.logits() != exactLogits());
        const auto& stats = measured.attentionStats();
        // Token p selects once (p + 1 - 256) / 128 * 128 holds more than 4 blocks: from p = 895 on, per KV head
        // (2) and attention layer (2).
        QCOMPARE(stats.selectingQueries, std::uint64_t((kCorpus - 895) * 2 * 2));
        QCOMPARE(stats.selectedBlocks, 4 * stats.selectingQueries);
        QVERIFY(stats.coldBlocks > stats.selectedBlocks);
        QCOMPARE(stats.massHeads, 2 * stats.selectingQueries);  // two query heads per KV head
        QVERIFY(stats.massMin > 0 && stats.massMin <= stats.meanMass() && stats.meanMass() < 1);
        QCOMPARE(s.attentionStats().massHeads, std::uint64_t(0));
        qInfo("%s: mean attention mass kept %.4f (least %.4f), logits' relative error %.3g", qPrintable(engine::toString(kind).c_str()),
              stats.meanMass(), stats.massMin, relativeError(s.logits(), exactLogits()));
    }
    void selectedIsIndependentOfSplitsRestoresAndForks_data() { selectedLeavesBlocksOut_data(); }
    // Selection depends only on positions and keys: calls split at DeltaNet chunk boundaries, a state restored
    // from its parts (summaries rebuilt from the keys) and a fork of a selected snapshot (summaries copied) all go
    // on bitwise like the uninterrupted session; a fork of an exact snapshot (summaries built) like that state
    // restored.
    void selectedIsIndependentOfSplitsRestoresAndForks()
    {
        QFETCH(BlockSummaryKind, kind);
        const auto model = engine::Model::load(modelPath());
        const auto tokens = someTokens(kCorpus);
        const auto options = selected(4, kind);
        const auto goOn = [&](engine::Session& s) {
            std::vector<std::vector<float>> out{s.logits()};
            for (int i = 0; i < 3; ++i) {
                s.decode(greedy(s.logits()));
                out.push_back(s.logits());
            }
            return out;
        };
        engine::Session whole(*model, options);
        whole.prefill(tokens);
        const auto expected = goOn(whole);

        const auto head = std::span(tokens).first(1600), rest = std::span(tokens).subspan(1600);
        engine::Session parts(*model, options);
        parts.prefill(head.first(1024));
        parts.prefill(head.subspan(1024));
        engine::Session restored(*model, options);
        restored.restoreParts(parts.saveRecurrentState(), {parts.saveKv(0, 700), parts.saveKv(700, 1600)}, head);
        const auto snapshot = parts.share();
        engine::Session fork(*model, snapshot, options);
        parts.prefill(rest);
        QVERIFY(goOn(parts) == expected);
        restored.prefill(rest);
        QVERIFY(goOn(restored) == expected);
        fork.prefill(rest);
        QVERIFY(goOn(fork) == expected);

        // A prefix prefilled exactly has other keys past the first selecting token, so it goes on to other
        // numbers; but forked or restored, it goes on alike.
        engine::Session exact(*model, {1});
        exact.prefill(head);
        engine::Session exactRestored(*model, options);
        exactRestored.restoreParts(exact.saveRecurrentState(), {exact.saveKv(0, 1600)}, head);
        engine::Session exactFork(*model, exact.share(), options);
        exactRestored.prefill(rest);
        exactFork.prefill(rest);
        const auto fromExact = goOn(exactFork);
        QVERIFY(goOn(exactRestored) == fromExact);
        QVERIFY(fromExact != expected);
    }
    void plantedNeedleIsFound_data() { selectedLeavesBlocksOut_data(); }
    // A needle anywhere in a 20,000-token haystack draws the planted head's attention: selected mode reads 4 of
    // the 74 cold blocks of 256, and they hold the needle, so the answer keeps nearly all the exact attention
    // mass and the exact logits. The attention layer is the last, so both modes write the same KV: the exact
    // answer comes from the selected session's state restored into an exact one.
    void plantedNeedleIsFound()
    {
        QFETCH(BlockSummaryKind, kind);
        const std::string path = tmp.filePath("planted.gguf").toStdString();
        const test::PlantedRetrievalSpec plant;
        if (!QFile::exists(QString::fromStdString(path))) test::writePlantedRetrievalModel(path, plant);
        const auto model = engine::Model::load(path);
        engine::SessionOptions options{1};
        options.attention = {AttentionMode::Selected, 256, 1024, 64, 4, kind, 4};
        constexpr int kHaystack = 20000;
        std::mt19937 random(7);
        std::uniform_int_distribution<int> word(0, 95), where(0, kHaystack - 1);
        // Three needles for the bound Quest scores with; one for the codebook (the test's time goes to the haystacks).
        const int needles = kind == BlockSummaryKind::MinMax ? 3 : 1;
        for (int needle = 0; needle < needles; ++needle) {
            std::vector<std::int32_t> tokens;
            for (int i = 0; i < kHaystack; ++i) tokens.push_back(word(random));
            const int at = needle == 0 && kind == BlockSummaryKind::MinMax ? 5000 : where(random);
            tokens[std::size_t(at)] = plant.marker;
            engine::Session s(*model, options);
            s.prefill(tokens);
            engine::Session exact(*model, {1});
            exact.restoreParts(s.saveRecurrentState(), {s.saveKv(0, s.position())}, s.tokens());
            s.resetAttentionStats();
            s.measureAttentionMass(true);
            s.decode(7);
            exact.decode(7);
            const auto& stats = s.attentionStats();
            QCOMPARE(stats.selectingQueries, std::uint64_t(2));  // one token, two KV heads
            const double error = relativeError(s.logits(), exact.logits());
            qInfo("needle at %d: attention mass kept %.6f (least of 4 heads), logits' relative error %.3g", at, stats.massMin, error);
            QVERIFY2(stats.massMin > 0.99, qPrintable(QString("needle at %1: mass %2").arg(at).arg(stats.massMin)));
            QVERIFY2(error < 1e-3, qPrintable(QString("needle at %1: relative error %2").arg(at).arg(error)));
        }
    }
    void rejectsBadOptions()
    {
        const auto model = engine::Model::load(modelPath());
        for (auto change : {+[](engine::AttentionOptions& a) { a.blockSize = 100; }, +[](engine::AttentionOptions& a) { a.sinkTokens = 10; },
                            +[](engine::AttentionOptions& a) { a.hotWindow = 0; }, +[](engine::AttentionOptions& a) { a.topBlocks = -1; }}) {
            auto o = selected(4);
            change(o.attention);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::Session(*model, o));
        }
        QVERIFY(engine::parseAttentionMode("selected") == AttentionMode::Selected);
        QVERIFY(engine::parseBlockSummaryKind("vq") == BlockSummaryKind::VqCode);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::parseAttentionMode("fast"));
    }
};

QTEST_APPLESS_MAIN(TestLongContext)
#include "tst_longcontext.moc"
