// The MoE routing telemetry of Session: the tokens each layer sends to each expert, checked against the float64
// reference model's own top-k choice, and the sums and lifetimes of the counts.

#include "folio/engine/session.h"
#include "reference_model.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace folio;
using test::TinyVariant;

Q_DECLARE_METATYPE(TinyVariant)

namespace {

std::vector<std::int32_t> someTokens(int n)
{
    std::vector<std::int32_t> t;
    for (int i = 0; i < n; ++i) t.push_back(std::int32_t((i * 53 + 7 + i * i) % 251));
    return t;
}

}  // namespace

class TestRouting : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    std::string writeModel(TinyVariant variant)
    {
        test::TinyModelSpec spec;
        spec.variant = variant;
        spec.layers = 4;
        const std::string path = tmp.filePath(QString("routing-%1.gguf").arg(int(variant))).toStdString();
        test::writeTinyModel(path, spec);
        return path;
    }

    static void moeVariants()
    {
        QTest::addColumn<TinyVariant>("variant");
        QTest::newRow("qwen35moe") << TinyVariant::Qwen35Moe;
        QTest::newRow("qwen3next") << TinyVariant::Qwen3Next;
        QTest::newRow("qwen3next-legacy") << TinyVariant::Qwen3NextLegacy;
    }

private slots:
    void countsSumToTokensTimesExpertsUsed_data() { moeVariants(); }
    void countsSumToTokensTimesExpertsUsed()
    {
        QFETCH(TinyVariant, variant);
        const auto model = engine::Model::load(writeModel(variant));
        const auto& c = model->config();
        engine::Session session(*model);
        const auto tokens = someTokens(300);  // more than one batch of 256
        session.prefill(tokens);
        session.decode(5);
        const auto& r = session.routingCounts();
        QCOMPARE(r.layers, c.nLayer);
        QCOMPARE(r.experts, c.nExpert);
        QCOMPARE(r.expertsUsed, c.nExpertUsed);
        QCOMPARE(r.tokens, std::int64_t(tokens.size() + 1));
        for (std::int64_t l = 0; l < r.layers; ++l) {
            QCOMPARE(r.layerTotal(l), std::uint64_t(r.tokens * c.nExpertUsed));
            // A token picks k distinct experts, so no expert can get more than one slot per token.
            for (std::int64_t e = 0; e < r.experts; ++e) QVERIFY(r.at(l, e) <= std::uint64_t(r.tokens));
        }
    }

    // The reference model routes in float64 with its own softmax and sort: the engine must choose the same
    // experts for every token, so the counts agree exactly.
    void countsMatchTheReferenceRouting_data() { moeVariants(); }
    void countsMatchTheReferenceRouting()
    {
        QFETCH(TinyVariant, variant);
        const std::string path = writeModel(variant);
        const auto model = engine::Model::load(path);
        engine::Session session(*model);
        test::ReferenceModel reference(path);
        const auto tokens = someTokens(12);
        session.prefill(std::span(tokens).first(11));
        session.decode(tokens.back());
        for (auto t : tokens) reference.step(t);
        const auto& r = session.routingCounts();
        QCOMPARE(reference.routed.size(), std::size_t(r.layers));
        bool uneven = false;
        for (std::int64_t l = 0; l < r.layers; ++l)
            for (std::int64_t e = 0; e < r.experts; ++e) {
                QCOMPARE(r.at(l, e), std::uint64_t(reference.routed[std::size_t(l)][std::size_t(e)]));
                uneven = uneven || r.at(l, e) != r.at(l, 0);
            }
        QVERIFY2(uneven, "every expert got as many tokens: the comparison would not tell experts apart");
    }

    void countsAreTheSameInAnyCallSplit()
    {
        const auto model = engine::Model::load(writeModel(TinyVariant::Qwen35Moe));
        const auto tokens = someTokens(150);
        engine::Session whole(*model), pieces(*model);
        whole.prefill(tokens);
        pieces.prefill(std::span(tokens).first(64));
        for (std::size_t i = 64; i < tokens.size(); ++i) pieces.decode(tokens[i]);
        QCOMPARE(pieces.routingCounts().counts, whole.routingCounts().counts);
    }

    void lifetimes()
    {
        const auto model = engine::Model::load(writeModel(TinyVariant::Qwen35Moe));
        engine::Session session(*model);
        const auto tokens = someTokens(40);
        // A cancelled prefill counts nothing, as it leaves nothing else behind.
        std::atomic<bool> cancel{true};
        session.prefill(tokens, &cancel);
        QCOMPARE(session.routingCounts().tokens, std::int64_t(0));
        QCOMPARE(session.routingCounts().layerTotal(0), std::uint64_t(0));
        session.prefill(tokens);
        QCOMPARE(session.routingCounts().tokens, std::int64_t(40));
        // A fork counts only what it adds.
        engine::Session fork(*model, session.share());
        fork.decode(9);
        QCOMPARE(fork.routingCounts().tokens, std::int64_t(1));
        QCOMPARE(fork.routingCounts().layerTotal(1), std::uint64_t(model->config().nExpertUsed));
        session.resetRoutingCounts();
        QCOMPARE(session.routingCounts().tokens, std::int64_t(0));
        QCOMPARE(session.routingCounts().layerTotal(0), std::uint64_t(0));
        // Counts of several sessions add up.
        engine::RoutingCounts sum;
        sum.add(fork.routingCounts());
        sum.add(fork.routingCounts());
        QCOMPARE(sum.tokens, std::int64_t(2));
        QCOMPARE(sum.layerTotal(0), 2 * fork.routingCounts().layerTotal(0));
    }

    void denseModelsHaveNoRouting()
    {
        const auto model = engine::Model::load(writeModel(TinyVariant::Qwen35));
        engine::Session session(*model);
        session.prefill(someTokens(8));
        QVERIFY(session.routingCounts().empty());
    }

    void imbalanceIsTheCoefficientOfVariation()
    {
        engine::RoutingCounts r{3, 4, 2, 4, {2, 2, 2, 2, 8, 0, 0, 0, 0, 0, 0, 0}};
        QCOMPARE(r.imbalance(0), 0.0);
        QVERIFY(std::fabs(r.imbalance(1) - std::sqrt(3.0)) < 1e-12);
        QCOMPARE(r.imbalance(2), 0.0);
        QCOMPARE(r.layerTotal(1), std::uint64_t(8));
    }
};

QTEST_APPLESS_MAIN(TestRouting)
#include "tst_routing.moc"
