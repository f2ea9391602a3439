#include "folio/engine/session.h"
#include "reference_model.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <thread>

using namespace folio;
using engine::TensorType;
using test::TinyVariant;

Q_DECLARE_METATYPE(TinyVariant)
Q_DECLARE_METATYPE(TensorType)

namespace {

std::vector<std::int32_t> someTokens(int n, int seed = 3)
{
    std::vector<std::int32_t> t;
    for (int i = 0; i < n; ++i) t.push_back(std::int32_t((i * 37 + seed * 11 + i * i) % 96));
    return t;
}

// max |a - b| / max |b|: logits of these models are O(1..10), so this is the relative error of the largest.
double relativeError(const std::vector<float>& a, const std::vector<double>& b)
{
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        err = std::max(err, std::fabs(double(a[i]) - b[i]));
        scale = std::max(scale, std::fabs(b[i]));
    }
    return err / scale;
}

double relativeError(const std::vector<float>& a, const std::vector<float>& b)
{
    return relativeError(a, std::vector<double>(b.begin(), b.end()));
}

}  // namespace

// Records the engine's activation roundings for as long as it lives.
struct ObservedRoundings {
    explicit ObservedRoundings(std::function<void(const engine::ActivationRounding&)> observer)
    {
        engine::observeActivationRoundings(std::move(observer));
    }
    ~ObservedRoundings() { engine::observeActivationRoundings(nullptr); }
    ObservedRoundings(const ObservedRoundings&) = delete;
    ObservedRoundings& operator=(const ObservedRoundings&) = delete;
};

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string modelPath(TinyVariant v, TensorType t, bool q4KMediumMix = false)
    {
        const std::string p = tmp.filePath(QString("m%1-%2%3.gguf").arg(int(v)).arg(int(t)).arg(q4KMediumMix ? "-mix" : "")).toStdString();
        if (!QFile::exists(QString::fromStdString(p))) test::writeTinyModel(p, {v, t, 1, 4, q4KMediumMix});
        return p;
    }

    // The tiny Qwen3.5 model with one metadata value replaced or added (or, with `skipTensor`, one tensor left out).
    std::string editedModel(const QString& name, const std::string& key, const engine::GgufValue* value,
                            const std::string& skipTensor = "")
    {
        engine::GgufFile good(modelPath(TinyVariant::Qwen35, TensorType::F32));
        engine::GgufWriter w;
        for (const auto& [k, v] : good.metadata()) w.set(k, k == key && value ? *value : v);
        if (value && !good.has(key)) w.set(key, *value);
        for (const auto& t : good.tensors()) {
            if (t.name == skipTensor) continue;
            const auto data = good.tensorData(t);
            w.addTensor(t.name, t.shape, t.type, std::vector<std::uint8_t>(data.begin(), data.end()));
        }
        const std::string path = tmp.filePath(name).toStdString();
        w.write(path);
        return path;
    }
    void expectLoadError(const std::string& path, const std::string& named)
    {
        try {
            engine::Model::load(path);
            QFAIL(qPrintable(QString::fromStdString("loaded " + path + ", expected an error naming " + named)));
        } catch (const engine::GgufError& e) {
            QVERIFY2(std::string(e.what()).find(named) != std::string::npos, e.what());
        }
    }

    void variants()
    {
        QTest::addColumn<TinyVariant>("variant");
        QTest::newRow("qwen3next") << TinyVariant::Qwen3Next;
        QTest::newRow("qwen3next-legacy") << TinyVariant::Qwen3NextLegacy;
        QTest::newRow("qwen35") << TinyVariant::Qwen35;
        QTest::newRow("qwen35moe") << TinyVariant::Qwen35Moe;
    }

private slots:
    void matchesFloat64Reference_data()
    {
        QTest::addColumn<TinyVariant>("variant");
        QTest::addColumn<TensorType>("type");
        QTest::addColumn<bool>("q4KMediumMix");
        for (auto [name, v] : {std::pair{"qwen3next", TinyVariant::Qwen3Next}, {"qwen3next-legacy", TinyVariant::Qwen3NextLegacy},
                               {"qwen35", TinyVariant::Qwen35}, {"qwen35moe", TinyVariant::Qwen35Moe}}) {
            for (auto t : {TensorType::F32, TensorType::F16, TensorType::BF16, TensorType::Q8_0, TensorType::Q4_K,
                           TensorType::Q5_K, TensorType::Q6_K})
                QTest::newRow((std::string(name) + " " + engine::toString(t)).c_str()) << v << t << false;
            // What a published Q4_K_M file holds: three quantised types, some side by side in one layer's
            // projections (a DeltaNet layer's Q5_K attn_qkv beside its Q4_K gate).
            QTest::newRow((std::string(name) + " Q4_K_M mix").c_str()) << v << TensorType::Q4_K << true;
        }
    }
    // The reference reads the same stored (possibly quantised) weights, so every type is held to the same bound:
    // what differs is float32 arithmetic in a different order (dots of 256 terms, 4 layers), about 1e-6
    // relative per operation; 2e-5 leaves room for the exp/softmax chains without hiding a wrong formula,
    // which shows up at 1e-2 and above.
    // Q8_0, Q4_K and Q6_K multiply 8-bit activations and the reference rounds its float64 activations the same
    // way, but now and then an activation lies so close to half a step that float32 and float64 round it to
    // neighbouring steps. One step of one activation moves these tiny models' logits by up to 1e-2, and it stays
    // in the recurrent state and the KV cache. So the reference sees the engine's roundings of each token and,
    // where a value of the same input lies within 0.05 of half a step and the engine took the other neighbour,
    // takes it too; every token must then meet 2e-5. Such ties are rare (at most 1 in 5,000 roundings is
    // allowed; at most 1 in 25,000 seen, on the AVX-512, AVX2 and portable paths): a rounding that is wrong, not
    // tied, is never taken, and a wrong kernel or a wrongly wired matrix misses by far more than a tie explains.
    // The 70-token prompt goes through the batched path (DeltaNet chunks, attention tiles), whose float32 sums
    // may take other ties the other way (up to 8e-3 seen; a tie that then changed a MoE layer's choice of
    // experts was seen 0.14 off), so for these types it is held to 0.25; its arithmetic apart from the matrix
    // products is held to 2e-5 by the float types, and the products to their one-token results by
    // tst_tensortype.
    void matchesFloat64Reference()
    {
        QFETCH(TinyVariant, variant);
        QFETCH(TensorType, type);
        QFETCH(bool, q4KMediumMix);
        const bool roundsActivations = engine::quantizesActivations(type);
        const std::string path = modelPath(variant, type, q4KMediumMix);
        const auto tokens = someTokens(70);  // crosses a 64-token DeltaNet chunk
        const auto model = engine::Model::load(path);
        test::ReferenceModel reference(path);
        engine::Session stepwise(*model, {2});
        std::vector<test::ReferenceModel::EngineRounding> roundings;
        std::int64_t rounded = 0;
        const ObservedRoundings observing([&](const engine::ActivationRounding& r) {
            roundings.push_back({{r.x, r.x + r.n}, r.block, {r.q, r.q + r.n}});
            rounded += r.n;
        });
        std::vector<double> logits;
        int adopted = 0;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            roundings.clear();
            stepwise.decode(tokens[i]);
            logits = reference.step(tokens[i], roundings);
            adopted += reference.adopted;
            const double error = relativeError(stepwise.logits(), logits);
            QVERIFY2(error < 2e-5, qPrintable(QString("token %1: relative error %2").arg(i).arg(error)));
        }
        QVERIFY(roundsActivations == (rounded > 0));
        QVERIFY2(adopted <= rounded / 5000, qPrintable(QString("%1 of %2 roundings taken from the engine").arg(adopted).arg(rounded)));
        qInfo("%d of %lld roundings taken from the engine", adopted, static_cast<long long>(rounded));
        engine::Session session(*model, {2});
        session.prefill(tokens);
        const double prefillError = relativeError(session.logits(), logits);
        QVERIFY2(prefillError < (roundsActivations ? 0.25 : 2e-5), qPrintable(QString("prefill: relative error %1").arg(prefillError)));
    }
    void chunkedEqualsRecurrent_data() { variants(); }
    void chunkedEqualsRecurrent()
    {
        QFETCH(TinyVariant, variant);
        const auto model = engine::Model::load(modelPath(variant, TensorType::F32));
        const auto tokens = someTokens(150);
        engine::Session chunked(*model, {2, 4096, 64}), recurrent(*model, {2, 4096, 1}), odd(*model, {2, 4096, 17});
        chunked.prefill(tokens);
        recurrent.prefill(tokens);
        odd.prefill(tokens);
        QVERIFY(relativeError(chunked.logits(), recurrent.logits()) < 1e-5);
        QVERIFY(relativeError(odd.logits(), recurrent.logits()) < 1e-5);
        // The states agree too: the next token after either is the same.
        chunked.decode(5);
        recurrent.decode(5);
        QVERIFY(relativeError(chunked.logits(), recurrent.logits()) < 1e-5);
    }
    void prefillThenDecodeEqualsOnePrefill_data() { variants(); }
    void prefillThenDecodeEqualsOnePrefill()
    {
        QFETCH(TinyVariant, variant);
        const auto model = engine::Model::load(modelPath(variant, TensorType::F32));
        const auto tokens = someTokens(40);
        engine::Session whole(*model, {2}), split(*model, {2}), batches(*model, {2});
        whole.prefill(tokens);
        split.prefill(std::span(tokens).first(39));
        split.decode(tokens.back());
        for (std::size_t i = 0; i < tokens.size(); i += 7)
            batches.prefill(std::span(tokens).subspan(i, std::min<std::size_t>(7, tokens.size() - i)));
        QVERIFY(relativeError(split.logits(), whole.logits()) < 1e-5);
        QVERIFY(relativeError(batches.logits(), whole.logits()) < 1e-5);
        QCOMPARE(batches.position(), std::int64_t(40));
    }
    // A long prompt runs in batches (Session::prefill); split at DeltaNet chunk boundaries, calls give exactly the
    // numbers of one call: what lets a context cache resume from any snapshot point without changing an answer.
    void callsAtChunkBoundariesEqualOneCallBitwise_data() { variants(); }
    void callsAtChunkBoundariesEqualOneCallBitwise()
    {
        QFETCH(TinyVariant, variant);
        const auto model = engine::Model::load(modelPath(variant, TensorType::Q8_0));
        // 577 tokens: internal batches of 256, 256, 65; the parts 192, 192, 192, 1 end in a lone token too.
        const auto tokens = someTokens(577);
        engine::Session whole(*model, {2}), parts(*model, {2});
        whole.prefill(tokens);
        for (std::size_t i = 0; i < tokens.size(); i += 192)
            parts.prefill(std::span(tokens).subspan(i, std::min<std::size_t>(192, tokens.size() - i)));
        QCOMPARE(parts.logits(), whole.logits());
        whole.decode(7);
        parts.decode(7);
        QCOMPARE(parts.logits(), whole.logits());

        // With the plain recurrence (no chunks) any split is exact: the attention tiles, the four-token groups of
        // the matrix products and odd last tokens all give each token the same sums.
        engine::Session plain(*model, {2, 4096, 1}), plainParts(*model, {2, 4096, 1});
        const auto some = std::span(tokens).first(100);
        plain.prefill(some);
        std::size_t at = 0;
        for (std::size_t n : {37, 1, 29, 33}) {
            plainParts.prefill(some.subspan(at, n));
            at += n;
        }
        QCOMPARE(plainParts.logits(), plain.logits());
    }
    void saveRestoreEqualsUninterrupted_data() { variants(); }
    void saveRestoreEqualsUninterrupted()
    {
        QFETCH(TinyVariant, variant);
        const auto model = engine::Model::load(modelPath(variant, TensorType::F32));
        const auto tokens = someTokens(50);
        engine::Session a(*model, {1});
        a.prefill(std::span(tokens).first(30));
        const auto state = a.saveState();
        a.prefill(std::span(tokens).subspan(30));

        engine::Session b(*model, {1});
        b.decode(1);  // something to overwrite
        b.restoreState(state);
        QCOMPARE(b.position(), std::int64_t(30));
        b.prefill(std::span(tokens).subspan(30));
        QCOMPARE(b.logits(), a.logits());  // bitwise: same kernels, same order

        // The same from the parts a context cache keeps: recurrent state + KV blocks of a shared prefix.
        engine::Session a2(*model, {1});
        a2.prefill(std::span(tokens).first(30));
        const auto recurrent = a2.saveRecurrentState();
        const auto kv1 = a2.saveKv(0, 16), kv2 = a2.saveKv(16, 30);
        engine::Session c(*model, {1});
        c.restoreParts(recurrent, {kv1, kv2}, std::span(tokens).first(30));
        c.prefill(std::span(tokens).subspan(30));
        QCOMPARE(c.logits(), a.logits());
        QCOMPARE(c.tokens(), a.tokens());
        // A refusal names the part at fault, so that a context cache drops that entry and no other.
        const auto refusedPart = [&](const std::vector<std::span<const std::uint8_t>>& kv, std::size_t nTokens,
                                     std::span<const std::uint8_t> state) -> int {
            const auto before = c.saveState();
            try {
                c.restoreParts(state, kv, std::span(tokens).first(nTokens));
            } catch (const engine::StateRestoreError& e) {
                return c.saveState() == before ? e.part() : -3;  // the session is left as it was
            }
            return -2;
        };
        constexpr int kRecurrent = engine::StateRestoreError::kRecurrentState;
        QCOMPARE(refusedPart({kv2, kv1}, 30, recurrent), 0);            // out of order
        QCOMPARE(refusedPart({kv1}, 30, recurrent), kRecurrent);        // the state lies past its KV
        QCOMPARE(refusedPart({kv1, kv2}, 29, recurrent), kRecurrent);   // not the tokens it was saved with
        auto shortKv = kv2;
        shortKv.pop_back();
        QCOMPARE(refusedPart({kv1, shortKv}, 30, recurrent), 1);        // truncated KV
        auto longRecurrent = recurrent;
        longRecurrent.push_back(0);
        QCOMPARE(refusedPart({kv1, kv2}, 30, longRecurrent), kRecurrent);
        const auto earlier = [&] {
            engine::Session e(*model, {1});
            e.prefill(std::span(tokens).first(16));
            return e.saveRecurrentState();
        }();
        QCOMPARE(refusedPart({kv1, kv2}, 30, earlier), kRecurrent);     // another point's state under this one
        c.restoreParts(recurrent, {kv1, kv2}, std::span(tokens).first(30));  // and the right parts still restore
        c.prefill(std::span(tokens).subspan(30));
        QCOMPARE(c.logits(), a.logits());

        auto bad = state;
        bad.resize(bad.size() - 3);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, b.restoreState(bad));
        bad = state;
        bad[0] = 'X';
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, b.restoreState(bad));
    }
    // Several questions after one corpus: sessions forked from a snapshot read its KV where it lies and own only
    // what they add. Each must compute exactly what a session that prefilled the corpus itself computes, also
    // where the snapshot ends inside an attention tile (150) and not only at a tile's edge (128), and while the
    // forks run on threads of their own at once.
    void forksFromASnapshotEqualAPlainSession_data()
    {
        QTest::addColumn<TinyVariant>("variant");
        QTest::addColumn<TensorType>("type");
        for (auto [name, v] : {std::pair{"qwen3next", TinyVariant::Qwen3Next}, {"qwen3next-legacy", TinyVariant::Qwen3NextLegacy},
                               {"qwen35", TinyVariant::Qwen35}, {"qwen35moe", TinyVariant::Qwen35Moe}})
            for (auto t : {TensorType::F32, TensorType::Q8_0})
                QTest::newRow((std::string(name) + " " + engine::toString(t)).c_str()) << v << t;
    }
    void forksFromASnapshotEqualAPlainSession()
    {
        QFETCH(TinyVariant, variant);
        QFETCH(TensorType, type);
        const auto model = engine::Model::load(modelPath(variant, type));
        const auto greedy = [](const std::vector<float>& logits) {
            return std::int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
        };
        // The logits after the question and after each of four greedy tokens.
        const auto answer = [&](engine::Session& s, const std::vector<std::int32_t>& question) {
            std::vector<std::vector<float>> out;
            s.prefill(question);
            out.push_back(s.logits());
            for (int i = 0; i < 4; ++i) {
                s.decode(greedy(s.logits()));
                out.push_back(s.logits());
            }
            return out;
        };
        for (int corpusTokens : {128, 150}) {
            const auto corpus = someTokens(corpusTokens);
            const std::vector<std::vector<std::int32_t>> questions{someTokens(37, 5), someTokens(3, 6), someTokens(80, 7)};
            std::vector<std::vector<std::vector<float>>> expected;
            for (const auto& q : questions) {
                engine::Session plain(*model, {1});
                plain.prefill(corpus);
                expected.push_back(answer(plain, q));
            }

            engine::Session base(*model, {1});
            base.prefill(corpus);
            const auto snapshot = base.share();
            QCOMPARE(base.sharedPosition(), std::int64_t(corpusTokens));
            QCOMPARE(base.stateBytes(), engine::Session(*model, {1}).stateBytes());  // recurrent states, no KV rows
            std::vector<std::unique_ptr<engine::Session>> forks;
            for (std::size_t i = 0; i < questions.size(); ++i)
                forks.push_back(std::make_unique<engine::Session>(*model, snapshot, engine::SessionOptions{1}));
            QCOMPARE(forks[0]->share(), snapshot);  // nothing added yet: the same snapshot
            std::vector<std::vector<std::vector<float>>> got(questions.size());
            std::vector<std::thread> threads;
            for (std::size_t i = 0; i < questions.size(); ++i)
                threads.emplace_back([&, i] { got[i] = answer(*forks[i], questions[i]); });
            for (auto& t : threads) t.join();
            for (std::size_t i = 0; i < questions.size(); ++i) QVERIFY2(got[i] == expected[i], qPrintable(QString("question %1").arg(i)));
            QCOMPARE(answer(base, questions[0]), expected[0]);  // the session that shared goes on like a fork

            // Its KV saved across the snapshot's end is the plain session's, and restores to the same numbers.
            engine::Session plain(*model, {1});
            plain.prefill(corpus);
            answer(plain, questions[2]);
            auto& fork = *forks[2];
            QCOMPARE(fork.tokens(), plain.tokens());
            QCOMPARE(fork.saveKv(100, fork.position()), plain.saveKv(100, plain.position()));
            QCOMPARE(fork.saveState(), plain.saveState());
            engine::Session restored(*model, {1});
            restored.restoreParts(fork.saveRecurrentState(), {fork.saveKv(0, 60), fork.saveKv(60, fork.position())}, fork.tokens());
            restored.decode(9);
            fork.decode(9);
            QCOMPARE(restored.logits(), fork.logits());
            QVERIFY_THROWS_EXCEPTION(std::logic_error, fork.share());  // it has gone on past its snapshot
        }
        const auto other = engine::Model::load(modelPath(variant, type));
        engine::Session base(*model, {1});
        base.prefill(someTokens(5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, [&] { engine::Session fork(*other, base.share(), {1}); }());
    }
    void cancelLeavesTheSessionUnchanged()
    {
        const auto model = engine::Model::load(modelPath(TinyVariant::Qwen35, TensorType::F32));
        engine::Session s(*model, {1});
        s.prefill(someTokens(10));
        const auto before = s.saveState();
        std::atomic<bool> cancel{true};
        s.prefill(someTokens(20, 9), &cancel);
        QCOMPARE(s.position(), std::int64_t(10));
        QCOMPARE(s.saveState(), before);
    }
    // Weights read into memory (WeightMemory::Copied) are the same values in another place, Q4_K ones in another
    // layout: the same logits to the bit. Qwen3NextLegacy ties its output to the embedding (widened once).
    void copiedWeightsGiveTheSameLogits_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("qwen35moe") << int(TinyVariant::Qwen35Moe);
        QTest::newRow("qwen3next-legacy") << int(TinyVariant::Qwen3NextLegacy);
    }
    void copiedWeightsGiveTheSameLogits()
    {
        QFETCH(int, variant);
        const std::string path = modelPath(TinyVariant(variant), TensorType::Q4_K);
        const auto mapped = engine::Model::load(path), copied = engine::Model::load(path, engine::WeightMemory::Copied);
        QCOMPARE(copied->file().memory(), engine::WeightMemory::Copied);
        // The copy holds its Q4_K weights in the wide layout, 148 bytes a block for 144, and has given the file's
        // copy of them back; a mapped file is used as it is.
        std::vector<std::pair<const engine::Weight*, const engine::Weight*>> weights{
            {&mapped->tokenEmbedding(), &copied->tokenEmbedding()}};
        if (mapped->output().data != mapped->tokenEmbedding().data) weights.emplace_back(&mapped->output(), &copied->output());
        std::vector<engine::LayerWeights> mappedLayers, copiedLayers;
        for (std::int64_t i = 0; i < mapped->config().nLayer; ++i) {
            mappedLayers.push_back(mapped->layer(i));
            copiedLayers.push_back(copied->layer(i));
        }
        for (std::size_t i = 0; i < mappedLayers.size(); ++i)
            for (std::size_t k = 0; k < mappedLayers[i].all().size(); ++k)
                weights.emplace_back(mappedLayers[i].all()[k], copiedLayers[i].all()[k]);
        std::uint64_t q4kBytes = 0;
        for (const auto& [m, c] : weights) {
            if (!*m || m->type != TensorType::Q4_K) continue;
            QVERIFY(c->type == TensorType::Q4_K_WIDE);
            QCOMPARE(c->rowBytes(), m->rowBytes() / 144 * 148);
            q4kBytes += m->rowBytes() * std::uint64_t(m->rows * m->experts);
            const auto& info = copied->file().tensor(m->name);
            QVERIFY_THROWS_EXCEPTION(engine::GgufError, copied->file().tensorData(info));
            QCOMPARE(mapped->file().tensorData(info).data(), m->data);
        }
        QVERIFY(q4kBytes > 0);
        QCOMPARE(copied->weightBytes(), mapped->weightBytes() + q4kBytes / 144 * 4);
        engine::Session a(*mapped, {2}), b(*copied, {2});
        a.prefill(someTokens(12));
        b.prefill(someTokens(12));
        QCOMPARE(b.logits(), a.logits());
        a.decode(3);
        b.decode(3);
        QCOMPARE(b.logits(), a.logits());
    }
    void rejectsBadInput()
    {
        const auto model = engine::Model::load(modelPath(TinyVariant::Qwen35, TensorType::F32));
        engine::Session s(*model);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, s.decode(test::kTinyVocab));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, s.decode(-1));
        QCOMPARE(s.position(), std::int64_t(0));
    }
    void missingTensorIsNamed()
    {
        // A model whose writer forgot a tensor: the error names it.
        expectLoadError(editedModel("broken.gguf", "", nullptr, "blk.1.ssm_out.weight"), "blk.1.ssm_out.weight");
    }
    // Qwen3.5 files carry multi-section RoPE; for text it is the plain rotation, which the reference checks
    // (matchesFloat64Reference). A fourth section, which would need a position text has not, is refused.
    void multiSectionRope()
    {
        const auto model = engine::Model::load(modelPath(TinyVariant::Qwen35, TensorType::F32));
        QCOMPARE(model->config().ropeSections, (std::vector<std::int64_t>{6, 5, 5, 0}));
        const std::string key = "qwen35.rope.dimension_sections";
        engine::GgufArray extra, negative;
        for (int n : {6, 5, 4, 1}) extra.push_back(engine::GgufValue::i32(n));
        for (int n : {6, -5, 5, 0}) negative.push_back(engine::GgufValue::i32(n));
        const auto extraAxis = engine::GgufValue::array(engine::GgufValueType::Int32, extra);
        const auto negativeCount = engine::GgufValue::array(engine::GgufValueType::Int32, negative);
        expectLoadError(editedModel("extra-axis.gguf", key, &extraAxis), "fourth position axis");
        expectLoadError(editedModel("negative-section.gguf", key, &negativeCount), "rope.dimension_sections");
    }
    // Files converted with their multi-token-prediction block (llama.cpp's default for Qwen3.5 and Qwen3-Next)
    // count it in block_count. It is a draft head, not a layer: the logits are those of the file without it.
    void predictionBlockIsNotALayer_data() { variants(); }
    void predictionBlockIsNotALayer()
    {
        QFETCH(TinyVariant, variant);
        const std::string with = tmp.filePath(QString("mtp%1.gguf").arg(int(variant))).toStdString();
        test::TinyModelSpec spec{variant, TensorType::Q8_0};
        spec.predictionBlock = true;
        test::writeTinyModel(with, spec);
        const auto model = engine::Model::load(with), plain = engine::Model::load(modelPath(variant, TensorType::Q8_0));
        QCOMPARE(model->config().nLayer, std::int64_t(4));
        QCOMPARE(model->config().nextnLayers, std::int64_t(1));
        QCOMPARE(model->config().layers, plain->config().layers);
        engine::Session a(*model, {2}), b(*plain, {2});
        a.prefill(someTokens(9));
        b.prefill(someTokens(9));
        QCOMPARE(a.logits(), b.logits());
        // Its tensors are no weights of the model: a copy of the file gives their bytes back.
        QCOMPARE(model->weightBytes(), plain->weightBytes());
        const auto copied = engine::Model::load(with, engine::WeightMemory::Copied);
        QCOMPARE(copied->weightBytes(), plain->weightBytes());
        const auto& eh = copied->file().tensor("blk.4.nextn.eh_proj.weight");
        QVERIFY_THROWS_EXCEPTION(engine::GgufError, copied->file().tensorData(eh));
    }
    void predictionBlocksLeaveLayers()
    {
        const auto all = engine::GgufValue::u32(4);
        expectLoadError(editedModel("all-prediction.gguf", "qwen35.nextn_predict_layers", &all), "nextn_predict_layers");
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
