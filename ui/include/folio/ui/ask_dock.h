#pragma once

#include "folio/app/ask_history.h"
#include "folio/ui/ask_engine.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace folio::ui {

// The Ask dock: a question about the workspace, a source, the open document or the selection, answered by the
// model chosen in Settings, or the remote engine set there, with the answer streamed as it is generated (Stop ends it), its citations as links
// that open the page or lines, and the history of questions kept in the workspace. It also builds the corpus
// ahead of the first question, with tokens/s and the time left; a stopped build continues from its last
// snapshot. Without a model it says how to set one; the rest of the workbench does not need one.
class AskDock : public QWidget {
    Q_OBJECT
public:
    explicit AskDock(QWidget* parent = nullptr);

    // The workspace questions are about (a new engine: the previous one's job is stopped).
    void setWorkspace(const QString& workspaceDir);
    // The scopes offered besides the whole workspace: the workspace's sources, the open document, the selection.
    void setSources(const QVector<QPair<QString, std::set<std::int64_t>>>& sources);
    void setCurrentDocument(qint64 documentId, const QString& name);
    void setSelection(qint64 documentId, const QString& text);
    // Reads the model from Settings and the history from the workspace again.
    void refresh();

    void ask(const QString& question);
    void buildCorpus();
    void stop();
    // Shows a stored answer with its citations as links.
    void showRecord(const app::AskRecord& record);
    void openCitation(int index);
    // Code completion by the same engine, for the code view's ghost text: the remote engine when Settings names one
    // (AskEngine::completeRemote), else the model file (AskEngine::complete).
    bool hasEngine() const;
    void requestCompletion(const CompletionRequest& request);
    void cancelCompletion();

    AskEngine* engine() const { return engine_; }
    QTextBrowser* answerView() const { return answer_; }
    QListWidget* historyList() const { return history_; }
    QComboBox* scopeBox() const { return scope_; }
    QLabel* statusLabel() const { return status_; }
    QPushButton* askButton() const { return askButton_; }
    QPushButton* buildButton() const { return buildButton_; }
    const app::AskRecord& shownRecord() const { return shown_; }

signals:
    void citationActivated(const app::Citation& citation);
    void completionReady(quint64 id, const QString& text);
    // The engine measured a corpus build or a question (AskEngine::measured).
    void engineMeasured();

private:
    void connectEngine();
    AskScope currentScope() const;
    QString modelFile() const;
    void setBusy(bool busy);
    void renderAnswer();

    QString workspaceDir_;
    AskEngine* engine_ = nullptr;
    QComboBox* scope_;
    QLineEdit* question_;
    QComboBox* thinking_;
    QPushButton* askButton_;
    QPushButton* buildButton_;
    QPushButton* stopButton_;
    QProgressBar* progress_;
    QLabel* status_;
    QTextBrowser* answer_;
    QListWidget* history_;
    QString streamedThinking_, streamedAnswer_, pendingQuestion_;
    app::AskRecord shown_;
    std::vector<app::AskRecord> records_;  // the history, newest first
    qint64 currentDocument_ = 0, selectionDocument_ = 0;
    QString currentName_, selection_;
};

}  // namespace folio::ui
