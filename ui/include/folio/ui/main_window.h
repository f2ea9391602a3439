#pragma once

#include <QMainWindow>

#include <atomic>
#include <memory>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QThread;
class QTreeView;

namespace folio::app {
class WorkspaceStore;
}

namespace folio::ui {

class DocumentTreeModel;
class PdfPageView;

// The workbench: workspace sources and their document tree on the left, the open document in the centre (text
// with line numbers in the gutter, or a rendered PDF page), search box in the tool bar and results below.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& workspaceDir, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a document; for PDFs at `page` with `highlight` (points), for files scrolled to `line`.
    void openDocument(qint64 documentId, int page = 0, int line = 0, const QRectF& highlight = {});
    void runSearch(const QString& query);
    // Starts ingesting on a worker thread; ingestFinished() follows.
    void ingestPaths(const QStringList& paths);
    // Switches the window to another workspace folder (created when new) and remembers it in the recent list.
    void openWorkspace(const QString& workspaceDir);
    QString workspaceDir() const { return workspaceDir_; }
    bool isIngesting() const;

    qint64 currentDocumentId() const { return currentDocument_; }
    QTreeView* documentTree() const { return tree_; }
    DocumentTreeModel* documentModel() const { return model_; }
    QListWidget* searchResults() const { return results_; }
    QPlainTextEdit* textView() const { return text_; }
    PdfPageView* pdfView() const { return pdf_; }
    QLineEdit* searchBox() const { return search_; }

signals:
    void ingestFinished(const QString& summary);

private:
    void buildActions();
    void reload();
    void showMessage(const QString& text);

    std::unique_ptr<app::WorkspaceStore> store_;
    QString workspaceDir_;
    DocumentTreeModel* model_;
    QTreeView* tree_;
    QStackedWidget* stack_;
    QPlainTextEdit* text_;
    PdfPageView* pdf_;
    QLabel* message_;
    QMenu* recentMenu_ = nullptr;
    QLineEdit* search_;
    QListWidget* results_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QThread* worker_ = nullptr;
    std::atomic<bool> cancelFlag_{false};
    qint64 currentDocument_ = 0;
};

}  // namespace folio::ui
