// The "Engine and cache" dock after the Ask dock ran a tiny random model: the model's shape, the tokens/s of the
// last prefill and decode, the session's cache tiers, and for a MoE model the routing table with its balance.

#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/ui/ask_dock.h"
#include "folio/ui/ask_engine.h"
#include "folio/ui/engine_status_view.h"
#include "folio/ui/main_window.h"
#include "tiny_model.h"

#include <QDockWidget>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;

class TestEngineDock : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    QString writeModel(test::TinyVariant variant, const QString& name)
    {
        test::TinyModelSpec spec;
        spec.variant = variant;
        spec.layers = 2;
        const QString path = tmp.filePath(name);
        test::writeTinyModel(path.toStdString(), spec);
        return path;
    }

    // The number a line of the dock's text gives after `prefix`, e.g. "prefill: 12 tokens in 0.01 s, 1200.0 tokens/s".
    static QRegularExpressionMatch rate(const QString& text, const QString& what)
    {
        return QRegularExpression(what + R"(: (\d+) tokens in ([\d.]+) s, ([\d.]+) tokens/s)").match(text);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        const std::string contracts = tmp.filePath("contracts").toStdString();
        app::writeSampleContracts(contracts);
        workspace = tmp.filePath("ws");
        app::WorkspaceStore store(workspace.toStdString());
        app::IngestService(store).ingest({contracts}, {});
    }

    void showsTheLastQuestionOfAMoeModel()
    {
        QSettings().setValue("engine/model", writeModel(test::TinyVariant::Qwen35Moe, "moe.gguf"));
        ui::MainWindow window(workspace);
        auto* view = window.engineStatus();
        QVERIFY(view->text().contains("architecture qwen35moe"));
        QVERIFY(view->text().contains("2 used of 4"));
        QVERIFY(view->text().contains("F32: "));
        QSignalSpy answered(window.askDock()->engine(), &ui::AskEngine::answered);
        QSignalSpy failed(window.askDock()->engine(), &ui::AskEngine::failed);
        window.askDock()->ask("Who pays the fees?");
        QVERIFY(answered.wait(240000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        const QString text = view->text();
        QVERIFY2(text.contains("(question)"), qPrintable(text));
        const auto prefill = rate(text, "prefill"), decode = rate(text, "decode");
        QVERIFY2(prefill.hasMatch() && decode.hasMatch(), qPrintable(text));
        QVERIFY(prefill.captured(1).toLongLong() > 0 && prefill.captured(3).toDouble() > 0);
        QVERIFY(decode.captured(1).toLongLong() > 0 && decode.captured(3).toDouble() > 0);
        for (const char* tier : {"hot: ", "warm: ", "disk: "}) QVERIFY2(text.contains(tier), qPrintable(text));
        QVERIFY(text.contains(QRegularExpression(R"(\d+ hits, \d+ misses)")));

        // The question's tokens and the answer's (the last generated token is never fed back) went through every
        // layer, each to two experts: the table's rows add up to that.
        const auto routed = QRegularExpression(R"(\((\d+) tokens, 2 experts each\))").match(text);
        QVERIFY2(routed.hasMatch(), qPrintable(text));
        const qint64 tokens = routed.captured(1).toLongLong();
        const qint64 fed = prefill.captured(1).toLongLong() + decode.captured(1).toLongLong();
        QVERIFY(tokens == fed || tokens == fed - 1);
        auto* table = view->routingTable();
        QVERIFY(table->isVisibleTo(view));
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->columnCount(), 5);  // the balance, then 4 experts
        for (int l = 0; l < table->rowCount(); ++l) {
            qint64 sum = 0;
            for (int e = 1; e < table->columnCount(); ++e) sum += table->item(l, e)->text().toLongLong();
            QCOMPARE(sum, 2 * tokens);
            QVERIFY(table->item(l, 0)->text().toDouble() >= 0);
        }
        QCOMPARE(table->horizontalHeaderItem(0)->text(), QString("CV"));

        const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            window.resize(1500, 950);
            auto* dock = window.findChild<QDockWidget*>("engineDock");
            dock->raise();
            window.resizeDocks({dock}, {520}, Qt::Vertical);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.grab().save(dir + "/engine-dock.png"));
        }
    }

    void denseModelsSayThereIsNoRouting()
    {
        QSettings().setValue("engine/model", writeModel(test::TinyVariant::Qwen35, "dense.gguf"));
        ui::MainWindow window(workspace);
        QSignalSpy ready(window.askDock()->engine(), &ui::AskEngine::corpusReady);
        window.askDock()->buildCorpus();
        QVERIFY(ready.wait(240000));
        const QString text = window.engineStatus()->text();
        QVERIFY2(text.contains("(corpus build)") && text.contains("dense: no routing"), qPrintable(text));
        QVERIFY(rate(text, "prefill").captured(3).toDouble() > 0);
        QVERIFY(!window.engineStatus()->routingTable()->isVisibleTo(window.engineStatus()));
    }
};

QTEST_MAIN(TestEngineDock)
#include "tst_enginedock.moc"
