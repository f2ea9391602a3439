// The Ask dock in the workbench with a tiny random model (the plumbing, not the answers): no model set, an
// answer streamed and kept in the history, Stop, corpus build with progress and its resume from the cache, and
// citations as links that open the cited page or lines.

#include "folio/app/ask_history.h"
#include "folio/app/ingest_service.h"
#include "folio/app/sample_contracts.h"
#include "folio/ui/ask_dock.h"
#include "folio/ui/code_view.h"
#include "folio/ui/main_window.h"
#include "folio/ui/pdf_page_view.h"
#include "repo_builder.h"
#include "serve_process.h"
#include "tiny_model.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextBlock>
#include <QUrl>

using namespace folio;

class TestAskDock : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace, model;
    qint64 pdfId = 0, fileId = 0;

    static void saveScreenshot(QWidget& widget, const char* name)
    {
        const QString dir = qEnvironmentVariable("FOLIO_SCREENSHOT_DIR");
        if (!dir.isEmpty()) QVERIFY(widget.grab().save(dir + '/' + name));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        workspace = tmp.filePath("ws");
        app::writeSampleContracts(tmp.filePath("contracts").toStdString());
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        std::string fees;
        for (int i = 1; i <= 12; ++i) fees += "fee line " + std::to_string(i) + "\n";
        repo.setFile("fees.txt", fees);
        repo.commit("fees");
        app::WorkspaceStore store(workspace.toStdString());
        app::IngestService(store).ingest({tmp.filePath("contracts").toStdString(), tmp.filePath("repo").toStdString()}, {});
        for (const auto& d : store.documents()) {
            if (d.kind == "pdf" && !pdfId) pdfId = d.id;
            if (d.path == "fees.txt") fileId = d.id;
        }
        QVERIFY(pdfId && fileId);
        model = tmp.filePath("tiny.gguf");
        test::TinyModelSpec spec;
        spec.layers = 2;
        test::writeTinyModel(model.toStdString(), spec);
    }

    void saysHowToSetAModel()
    {
        QSettings().remove("engine/model");
        ui::MainWindow window(workspace);
        auto* dock = window.askDock();
        QVERIFY(dock->statusLabel()->text().contains("No model file is set"));
        QVERIFY(!dock->askButton()->isEnabled());
        dock->ask("Who pays?");  // nothing happens, nothing breaks
        QVERIFY(!dock->engine()->busy());
        // The scopes: the workspace and each source.
        QCOMPARE(dock->scopeBox()->itemText(0), QString("The whole workspace"));
        QCOMPARE(dock->scopeBox()->count(), 3);
    }

    void streamsAnAnswerAndKeepsIt()
    {
        QSettings().setValue("engine/model", model);
        ui::MainWindow window(workspace);
        auto* dock = window.askDock();
        QVERIFY(dock->askButton()->isEnabled());
        QSignalSpy streamed(dock->engine(), &ui::AskEngine::answerText);
        QSignalSpy answered(dock->engine(), &ui::AskEngine::answered);
        QSignalSpy failed(dock->engine(), &ui::AskEngine::failed);
        dock->ask("Who pays the fees?");
        QVERIFY(dock->engine()->busy());
        QVERIFY(answered.wait(240000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(streamed.count() >= 1);
        const auto& record = dock->engine()->lastAnswer();
        QCOMPARE(record.question, std::string("Who pays the fees?"));
        QCOMPARE(record.scope, std::string("The whole workspace"));
        QVERIFY(record.id > 0);
        QCOMPARE(dock->historyList()->count(), 1);
        QTRY_VERIFY(dock->askButton()->isEnabled());  // ready for the next question
        QCOMPARE(dock->historyList()->item(0)->text(), QString("Who pays the fees?"));
        QVERIFY(dock->answerView()->toPlainText().contains("Who pays the fees?"));
        const auto stored = app::AskHistory(workspace.toStdString()).recent();
        QCOMPARE(stored.size(), std::size_t(1));
        QCOMPARE(stored[0].answer, record.answer);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        if (auto* frame = qobject_cast<QDockWidget*>(dock->parentWidget())) frame->raise();
        QTest::qWait(50);
        saveScreenshot(window, "ask-dock.png");
    }

    void stopEndsTheAnswer()
    {
        QSettings().setValue("engine/model", model);
        ui::MainWindow window(workspace);
        auto* dock = window.askDock();
        QSignalSpy streamed(dock->engine(), &ui::AskEngine::answerText);
        QSignalSpy answered(dock->engine(), &ui::AskEngine::answered);
        dock->ask("List every fee.");
        QVERIFY(streamed.wait(240000));
        dock->stop();
        QVERIFY(answered.wait(60000));
        QCOMPARE(dock->engine()->lastAnswer().stopReason, std::string("cancelled"));
        QVERIFY(dock->statusLabel()->text().contains("Stopped"));
    }

    void buildsTheCorpusWithProgressAndResumes()
    {
        QSettings().setValue("engine/model", model);
        ui::MainWindow window(workspace);
        auto* dock = window.askDock();
        dock->scopeBox()->setCurrentIndex(1);  // one source: a corpus of its own
        QSignalSpy progress(dock->engine(), &ui::AskEngine::progress);
        QSignalSpy ready(dock->engine(), &ui::AskEngine::corpusReady);
        dock->buildCorpus();
        QVERIFY(ready.wait(240000));
        QVERIFY(progress.count() >= 1);
        const qint64 total = progress.last().at(1).toLongLong();
        QCOMPARE(progress.last().at(0).toLongLong(), total);
        QVERIFY2(dock->statusLabel()->text().contains("Corpus ready"), qPrintable(dock->statusLabel()->text()));

        // A new window (a new engine) resumes all of it from the cache.
        ui::MainWindow again(workspace);
        again.askDock()->scopeBox()->setCurrentIndex(1);
        QSignalSpy readyAgain(again.askDock()->engine(), &ui::AskEngine::corpusReady);
        again.askDock()->buildCorpus();
        QVERIFY(readyAgain.wait(240000));
        QVERIFY2(readyAgain.first().first().toString().contains(QString("(%1 from the cache, 0 computed").arg(total)),
                 qPrintable(readyAgain.first().first().toString()));

        // Selected attention (Settings) computes states of its own: the exact corpus's snapshots are not served.
        QSettings().setValue("engine/attention", "selected");
        ui::MainWindow selected(workspace);
        selected.askDock()->scopeBox()->setCurrentIndex(1);
        QSignalSpy readySelected(selected.askDock()->engine(), &ui::AskEngine::corpusReady);
        selected.askDock()->buildCorpus();
        QVERIFY(readySelected.wait(240000));
        QSettings().remove("engine/attention");
        const QString summary = readySelected.first().first().toString();
        QVERIFY2(summary.contains(QString("(0 from the cache, %1 computed").arg(total)), qPrintable(summary));
        QVERIFY2(summary.endsWith(", selected attention"), qPrintable(summary));
    }

    // Ghost text: the model's completion at the caret when typing pauses, Tab accepts it, Esc dismisses it, and
    // typing drops a completion still on its way.
    void ghostTextFromTheModel()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        spec.fimTokens = true;
        const QString fimModel = tmp.filePath("tiny-fim.gguf");
        test::writeTinyModel(fimModel.toStdString(), spec);
        QSettings().setValue("engine/model", fimModel);
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openDocument(fileId);
        auto* view = window.textView();
        view->setFocus();
        QTextCursor caret(view->document()->findBlockByNumber(1));
        caret.movePosition(QTextCursor::EndOfBlock);
        view->setTextCursor(caret);
        QSignalSpy ready(window.askDock(), &ui::AskDock::completionReady);

        // Typing, then a pause: the view asks by itself.
        QTest::keyClick(view, Qt::Key_Space);
        QVERIFY(ready.wait(240000));
        const QString ghost = view->ghostText();
        QVERIFY2(!ghost.isEmpty(), "the tiny model's completion was empty");
        QCOMPARE(ghost, ready.last().at(1).toString());
        const QString before = view->toPlainText();
        const int at = view->textCursor().position();
        QTest::keyClick(view, Qt::Key_Tab);
        QCOMPARE(view->toPlainText(), before.left(at) + ghost + before.mid(at));
        QVERIFY(view->ghostText().isEmpty());

        view->setGhostText("unwanted()");
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(view->ghostText().isEmpty());
        QCOMPARE(view->toPlainText(), before.left(at) + ghost + before.mid(at));

        // A key pressed while the model is still writing drops that completion.
        const int answers = ready.count();
        window.requestModelCompletion();
        QTest::keyClick(view, Qt::Key_Left);
        QVERIFY(ready.count() > answers || ready.wait(240000));
        QVERIFY(view->ghostText().isEmpty());
        QSettings().remove("engine/model");
    }

    void citationsOpenThePageOrLines()
    {
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* dock = window.askDock();
        app::AskRecord record;
        record.question = "Where are the fees?";
        record.answer = "On page two [D1 p.2] and in lines 3-4 [D2 L3-4], not in [D9 p.1].";
        app::Citation page{"D1 p.2", 12, "D1", pdfId, "contract.pdf", "pdf", 2, 2, 0, 0, ""};
        app::Citation lines{"D2 L3-4", 38, "D2", fileId, "fees.txt", "file", 0, 0, 3, 4, ""};
        app::Citation unknown{"D9 p.1", 56, "D9", 0, "", "", 0, 0, 0, 0, "there is no document D9 in the corpus"};
        record.citations = {page, lines, unknown};
        dock->showRecord(record);
        const QString html = dock->answerView()->toHtml();
        QVERIFY(html.contains("cite:0") && html.contains("cite:1"));
        QVERIFY(!html.contains("cite:2"));  // an unresolved citation is no link
        QVERIFY(dock->answerView()->toPlainText().contains("not found: there is no document D9"));

        emit dock->answerView()->anchorClicked(QUrl("cite:0"));
        QCOMPARE(window.currentDocumentId(), pdfId);
        QCOMPARE(window.pdfView()->currentPage(), 2);
        QVERIFY(!window.pdfView()->highlights().isEmpty());
        if (auto* frame = qobject_cast<QDockWidget*>(dock->parentWidget())) frame->raise();
        saveScreenshot(window, "ask-citations.png");

        emit dock->answerView()->anchorClicked(QUrl("cite:1"));
        QCOMPARE(window.currentDocumentId(), fileId);
        QCOMPARE(window.textView()->textCursor().selectedText(), QString("fee line 3") + QChar(0x2029) + "fee line 4");
        window.goBack();
        QCOMPARE(window.currentDocumentId(), pdfId);
    }

    void asksARemoteEngine()
    {
        // folio serve with the same tiny model stands in for vLLM; the second question finds the corpus in its cache.
        test::ServeProcess server({"--workspace", tmp.filePath("ws-serve"), "serve", "--model", model, "--model-name", "tiny",
                                   "--threads", "1"});
        QVERIFY2(server.started(), server.startupOutput().constData());
        QSettings().setValue("remote/url", QString("http://127.0.0.1:%1/v1").arg(server.port()));
        ui::MainWindow window(workspace);
        auto* dock = window.askDock();
        QVERIFY(dock->statusLabel()->text().startsWith("Remote engine: http://127.0.0.1:"));
        QVERIFY(dock->askButton()->isEnabled());
        QVERIFY(!dock->buildButton()->isEnabled());  // the server caches the corpus itself
        // The repository alone: the whole workspace is beyond the tiny model's 4,096 tokens (the dock says so).
        const int repository = dock->scopeBox()->findText("Source: repo", Qt::MatchStartsWith);
        QVERIFY(repository > 0);
        dock->scopeBox()->setCurrentIndex(repository);
        QSignalSpy usage(dock->engine(), &ui::AskEngine::remoteUsage);
        QSignalSpy failed(dock->engine(), &ui::AskEngine::failed);
        int asked = 0;
        for (const char* question : {"Who pays?", "Who invoices?"}) {
            QTRY_VERIFY(dock->askButton()->isEnabled());
            dock->ask(question);
            ++asked;
            QTRY_VERIFY_WITH_TIMEOUT(usage.count() == asked || !failed.isEmpty(), 240000);
            QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        }
        QVERIFY2(dock->statusLabel()->text().contains("from the server's cache"), qPrintable(dock->statusLabel()->text()));
        QVERIFY2(!dock->statusLabel()->text().contains(", 0 from the server's cache"), qPrintable(dock->statusLabel()->text()));
        const auto& record = dock->engine()->lastAnswer();
        QCOMPARE(record.question, std::string("Who invoices?"));
        QVERIFY(record.model.rfind("tiny at http://127.0.0.1:", 0) == 0);
        QSettings().remove("remote/url");
    }

    // With a remote engine set, the ghost text comes from its /v1/completions (folio serve with a FIM model here),
    // even with no local model file.
    void ghostTextFromARemoteEngine()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        spec.fimTokens = true;
        const QString fimModel = tmp.filePath("tiny-fim-remote.gguf");
        test::writeTinyModel(fimModel.toStdString(), spec);
        test::ServeProcess server({"--workspace", tmp.filePath("ws-serve-fim"), "serve", "--model", fimModel, "--model-name",
                                   "tiny-fim", "--threads", "1"});
        QVERIFY2(server.started(), server.startupOutput().constData());
        QSettings().remove("engine/model");
        QSettings().setValue("remote/url", QString("http://127.0.0.1:%1").arg(server.port()));
        ui::MainWindow window(workspace);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.askDock()->hasEngine());
        window.openDocument(fileId);
        auto* view = window.textView();
        view->setFocus();
        QTextCursor caret(view->document()->findBlockByNumber(2));
        caret.movePosition(QTextCursor::EndOfBlock);
        view->setTextCursor(caret);
        QSignalSpy ready(window.askDock(), &ui::AskDock::completionReady);
        QSignalSpy failed(window.askDock()->engine(), &ui::AskEngine::failed);
        QTest::keyClick(view, Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 240000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const QString ghost = view->ghostText();
        QVERIFY2(!ghost.isEmpty(), "the remote completion was empty");
        QCOMPARE(ghost, ready.first().at(1).toString());
        QTest::keyClick(view, Qt::Key_Tab);
        QVERIFY(view->toPlainText().contains(ghost));
        QSettings().remove("remote/url");
    }
};

QTEST_MAIN(TestAskDock)
#include "tst_askdock.moc"
