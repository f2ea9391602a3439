#pragma once

#include "folio/ui/analysis_views.h"

#include <QMainWindow>
#include <QMenu>
#include <QPointer>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTextCursor;
class QThread;
class QTreeView;

namespace folio::app {
class AnalysisStore;
class WorkspaceStore;
struct Citation;
}

namespace folio::ui {

class AskDock;
class ClauseMatrixView;
class DeviationsView;
class CodeIntelligence;
class CodeOutlineTree;
class CodeView;
class SymbolSearchDialog;
struct CodeSpot;
class EngineStatusView;
class DocumentTreeModel;
class PdfPageView;

// The workbench: workspace sources and their document tree on the left, the open document in the centre (text
// with line numbers in the gutter, or a rendered PDF page), the open contract's outline, clauses, defined terms
// and cross-references on the right, search box in the tool bar and results below. Every jump (a clause, a
// reference followed, a search hit, a definition) goes into a back/forward history. Layout is remembered between
// runs. In a code file: F12 or Ctrl+click goes to the definition (a chooser when several are as likely),
// Shift+F12 lists the references below, hovering shows the definition's signature and comment, Ctrl+T searches
// the workspace's symbols and the Outline dock shows the file's definitions; the index is asked on a worker.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& workspaceDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a document; for PDFs at `page` with `highlight` (points), for files scrolled to `line`.
    void openDocument(qint64 documentId, int page = 0, int line = 0, const QRectF& highlight = {});
    void runSearch(const QString& query);
    // Starts ingesting on a worker thread, then analyses the new contracts; ingestFinished() follows.
    void ingestPaths(const QStringList& paths);
    // Analyses the workspace's contracts on a worker thread (only what changed); analysisFinished() follows.
    void analyseContracts();
    // Shows a place (document, page, highlights) and records it in the history.
    void navigateTo(const Location& location);
    void goBack();
    void goForward();
    bool canGoBack() const { return historyIndex_ > 0; }
    bool canGoForward() const { return historyIndex_ + 1 < history_.size(); }
    // The contracts x categories window over the current workspace (made on first use, refreshed each time).
    ClauseMatrixView* showClauseMatrix();
    // How each contract departs from the reference contract (a document id) or, with 0, from the set's norm
    // (deviations_window.cpp; made on first use, refreshed each time).
    DeviationsView* showDeviations(qint64 referenceDocument = 0);
    // Code navigation at the code view's caret (code_navigation.cpp); answers arrive asynchronously.
    void goToDefinition();
    void findReferences();
    SymbolSearchDialog* showSymbolSearch();
    // Shows a place in a code file, after recording where the caret was so that Back returns there.
    void jumpTo(const CodeSpot& spot);
    // Opens the document and page that were open when the window last closed on this workspace.
    void restoreSession();
    // Removes a source and its documents (and their analysis) from the workspace.
    void removeSource(qint64 sourceId);
    // The settings dialog: worker threads, clause confidence shown, workspace at start, model file. Returns its
    // result.
    int editSettings();
    // Switches the window to another workspace folder (created when new) and remembers it in the recent list.
    void openWorkspace(const QString& workspaceDir);
    QString workspaceDir() const { return workspaceDir_; }
    bool isIngesting() const;

    qint64 currentDocumentId() const { return currentDocument_; }
    QTreeView* documentTree() const { return tree_; }
    DocumentTreeModel* documentModel() const { return model_; }
    QListWidget* searchResults() const { return results_; }
    CodeView* textView() const { return text_; }
    PdfPageView* pdfView() const { return pdf_; }
    QLineEdit* searchBox() const { return search_; }
    OutlineTree* outlineTree() const { return outline_; }
    ClauseTree* clauseTree() const { return clauses_; }
    TermTree* termTree() const { return terms_; }
    ReferenceTree* referenceTree() const { return references_; }
    EngineStatusView* engineStatus() const { return engineStatus_; }
    CodeOutlineTree* codeOutline() const { return codeOutline_; }
    AskDock* askDock() const { return ask_; }
    // Opens a citation of an answer: the page with its text highlighted, or the cited lines selected.
    void showCitation(const app::Citation& citation);
    // Asks the model set in Settings for a completion at the code view's caret, shown there as ghost text (the
    // view asks by itself when typing pauses).
    void requestModelCompletion();
    // The go-to-definition chooser while it is open (null otherwise).
    QMenu* definitionChooser() const { return chooser_; }

signals:
    void ingestFinished(const QString& summary);
    void analysisFinished(const QString& summary);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void reload();
    void showMessage(const QString& text);
    void loadAnalysis(qint64 documentId);
    void showLocation(const Location& location);
    // Runs `work` on the worker thread with the progress bar and Cancel button; `done` gets its summary.
    void startJob(std::function<QString()> work, std::function<void(const QString&)> done);
    void reportProgress(int done, int total, const QString& what);
    // Code navigation (code_navigation.cpp).
    void setUpCodeNavigation(QMenu* go);
    bool codeFileShown() const;
    void showDefinitions(const QTextCursor& at);
    void showHover(const QTextCursor& at, const QPoint& globalPos);
    void loadCodeOutline();
    // The Ask dock (ask_navigation.cpp).
    void setUpAsk();
    void updateAskScopes();
    void updateModelCompletion();  // on when a model is set
    // Puts the caret's place in the history unless it is already the current entry.
    void rememberCaret();

    std::unique_ptr<app::WorkspaceStore> store_;
    std::unique_ptr<app::AnalysisStore> analysis_;
    QString workspaceDir_;
    DocumentTreeModel* model_;
    QTreeView* tree_;
    QStackedWidget* stack_;
    QWidget* codePage_;  // the code view under its scratch-buffer note
    CodeView* text_;
    QString currentPath_;  // the open document's workspace path
    PdfPageView* pdf_;
    QLabel* message_;
    QMenu* recentMenu_ = nullptr;
    QLineEdit* search_;
    QListWidget* results_;
    QDockWidget* resultsDock_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QThread* worker_ = nullptr;
    std::atomic<bool> cancelFlag_{false};
    qint64 currentDocument_ = 0;
    OutlineTree* outline_;
    CodeOutlineTree* codeOutline_;
    QStackedWidget* outlineStack_;  // the contract's outline or the code file's
    QDockWidget* outlineDock_ = nullptr;
    CodeIntelligence* code_;
    SymbolSearchDialog* symbolSearch_ = nullptr;
    QPointer<QMenu> chooser_;
    ClauseTree* clauses_;
    TermTree* terms_;
    ReferenceTree* references_;
    QAction* back_ = nullptr;
    QAction* forward_ = nullptr;
    ClauseMatrixView* matrix_ = nullptr;
    DeviationsView* deviations_ = nullptr;
    EngineStatusView* engineStatus_;
    AskDock* ask_ = nullptr;
    quint64 completionRequest_ = 0;  // the latest model completion asked for; older answers are dropped
    QVector<Location> history_;
    int historyIndex_ = -1;
};

}  // namespace folio::ui
