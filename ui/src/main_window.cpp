#include "folio/ui/main_window.h"

#include "folio/app/analysis_service.h"
#include "folio/app/analysis_store.h"
#include "folio/app/ingest_service.h"
#include "folio/app/workspace_store.h"
#include "folio/app/clause_matrix.h"
#include "folio/ui/ask_dock.h"
#include "folio/ui/clause_matrix_view.h"
#include "folio/ui/code_intelligence.h"
#include "folio/ui/code_outline_tree.h"
#include "folio/ui/code_view.h"
#include "folio/ui/engine_status_view.h"
#include "folio/ui/page_overlays.h"
#include "folio/ui/settings_dialog.h"
#include "folio/ui/document_tree_model.h"
#include "folio/ui/pdf_page_view.h"
#include "result_roles.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTextBlock>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace folio::ui {

MainWindow::MainWindow(const QString& workspaceDir, QWidget* parent)
    : QMainWindow(parent)
{
    resize(1280, 820);

    model_ = new DocumentTreeModel(this);
    tree_ = new QTreeView;
    tree_->setModel(model_);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setStretchLastSection(false);
    auto* treeDock = new QDockWidget(tr("Workspace"), this);
    treeDock->setObjectName("workspaceDock");
    treeDock->setWidget(tree_);
    addDockWidget(Qt::LeftDockWidgetArea, treeDock);

    text_ = new CodeView;
    // Typing is allowed for completion's sake; the note keeps anyone from believing it edits the repository.
    auto* scratchNote = new QLabel(tr("Scratch buffer: edits here are not saved to the repository. F12 goes to a definition, "
                                      "Shift+F12 lists references, Ctrl+T finds a symbol, Ctrl+Space completes."));
    scratchNote->setWordWrap(true);
    scratchNote->setContentsMargins(8, 3, 8, 3);
    scratchNote->setStyleSheet("background: #fff4c2; color: #5a4500;");
    codePage_ = new QWidget;
    auto* codeLayout = new QVBoxLayout(codePage_);
    codeLayout->setContentsMargins(0, 0, 0, 0);
    codeLayout->setSpacing(0);
    codeLayout->addWidget(scratchNote);
    codeLayout->addWidget(text_);
    pdf_ = new PdfPageView;
    message_ = new QLabel(tr("Pick a document on the left, or add a repository or PDFs with the File menu."));
    message_->setAlignment(Qt::AlignCenter);
    message_->setWordWrap(true);
    stack_ = new QStackedWidget;
    stack_->addWidget(message_);
    stack_->addWidget(codePage_);
    stack_->addWidget(pdf_);
    setCentralWidget(stack_);

    results_ = new QListWidget;
    auto* resultsDock = resultsDock_ = new QDockWidget(tr("Search results"), this);
    resultsDock->setObjectName("searchDock");
    resultsDock->setWidget(results_);
    addDockWidget(Qt::BottomDockWidgetArea, resultsDock);

    // The open contract's analysis, tabbed on the right.
    outline_ = new OutlineTree;
    codeOutline_ = new CodeOutlineTree;
    outlineStack_ = new QStackedWidget;
    outlineStack_->addWidget(outline_);
    outlineStack_->addWidget(codeOutline_);
    clauses_ = new ClauseTree;
    terms_ = new TermTree;
    references_ = new ReferenceTree;
    clauses_->setMinimumConfidence(QSettings().value("analysis/minConfidence", 50).toInt() / 100.0);
    QDockWidget* previous = nullptr;
    const std::pair<AnalysisTree*, const char*> panels[] = {
        {outline_, "Outline"}, {clauses_, "Clauses"}, {terms_, "Defined terms"}, {references_, "Cross-references"}};
    for (auto [tree, title] : panels) {
        auto* dock = new QDockWidget(tr(title), this);
        dock->setObjectName(QString(title).remove(' ').toLower() + "Dock");
        dock->setWidget(tree == outline_ ? static_cast<QWidget*>(outlineStack_) : tree);
        if (tree == outline_) outlineDock_ = dock;
        addDockWidget(Qt::RightDockWidgetArea, dock);
        if (previous) tabifyDockWidget(previous, dock);
        previous = dock;
        connect(tree, &AnalysisTree::locationRequested, this, &MainWindow::navigateTo);
    }
    // The outline is the tab a reader starts from.
    QTimer::singleShot(0, this, [this] { outlineDock_->raise(); });

    engineStatus_ = new EngineStatusView;
    auto* engineDock = new QDockWidget(tr("Engine and cache"), this);
    engineDock->setObjectName("engineDock");
    engineDock->setWidget(engineStatus_);
    addDockWidget(Qt::BottomDockWidgetArea, engineDock);
    tabifyDockWidget(resultsDock, engineDock);
    resultsDock->raise();

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(280);
    progress_->hide();
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->hide();
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    connect(cancel_, &QPushButton::clicked, this, [this] { cancelFlag_ = true; });

    code_ = new CodeIntelligence(this);
    setUpAsk();
    buildActions();
    // Dock sizes apply once the window has its size, on the first pass of the event loop; a layout the user
    // arranged before wins over the defaults.
    QSettings settings;
    const bool remembered = restoreGeometry(settings.value("window/geometry").toByteArray()) &&
                            restoreState(settings.value("window/state").toByteArray());
    if (!remembered)
        QTimer::singleShot(0, this, [this, treeDock, resultsDock] {
            resizeDocks({treeDock, outlineDock_}, {340, 420}, Qt::Horizontal);
            resizeDocks({resultsDock}, {160}, Qt::Vertical);
        });

    connect(tree_, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const QVariant id = index.siblingAtColumn(0).data(DocumentTreeModel::DocumentIdRole);
        if (id.isValid()) openDocument(id.toLongLong());
    });
    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& index) {
        const QVariant id = index.siblingAtColumn(0).data(DocumentTreeModel::DocumentIdRole);
        if (id.isValid()) openDocument(id.toLongLong());
    });
    connect(pdf_, &PdfPageView::hotSpotActivated, this, &MainWindow::navigateTo);
    connect(results_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (!item) return;
        if (item->data(HitColumn).isValid()) {  // a reference: the identifier on its line
            rememberCaret();
            navigateTo({item->data(HitDocument).toLongLong(), 0, {}, {}, item->data(HitLine).toInt(),
                        item->data(HitColumn).toInt(), item->data(HitLength).toInt()});
            return;
        }
        const int page = item->data(HitPage).toInt();
        if (page > 0) {
            const QRectF box = item->data(HitRect).toRectF();
            navigateTo({item->data(HitDocument).toLongLong(), page, {box}, QColor(255, 214, 0)});
            return;
        }
        openDocument(item->data(HitDocument).toLongLong(), page, item->data(HitLine).toInt());
    });
    openWorkspace(workspaceDir);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("session/workspace", workspaceDir_);
    settings.setValue("session/document", currentDocument_);
    settings.setValue("session/page", stack_->currentWidget() == pdf_ ? pdf_->currentPage() : 0);
    QMainWindow::closeEvent(event);
}

MainWindow::~MainWindow()
{
    if (worker_) {
        cancelFlag_ = true;
        worker_->wait();
    }
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName("mainToolbar");
    auto add = [&](const QString& text, const QKeySequence& key, auto&& slot) {
        QAction* action = file->addAction(text, this, slot);
        action->setShortcut(key);
        toolbar->addAction(action);
    };
    add(tr("Add &repository..."), QKeySequence(tr("Ctrl+Shift+R")), [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Git repository"));
        if (!dir.isEmpty()) ingestPaths({dir});
    });
    add(tr("Add &PDFs..."), QKeySequence::Open, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("PDF files"), {}, tr("PDF files (*.pdf *.PDF)"));
        if (!files.isEmpty()) ingestPaths(files);
    });
    add(tr("Add &folder of PDFs..."), QKeySequence(tr("Ctrl+Shift+O")), [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of PDF files"));
        if (!dir.isEmpty()) ingestPaths({dir});
    });
    add(tr("&Analyse contracts"), QKeySequence(tr("Ctrl+Shift+A")), [this] { analyseContracts(); });
    file->addSeparator();
    file->addAction(tr("Open &workspace..."), QKeySequence(tr("Ctrl+Shift+W")), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Workspace folder (an empty folder makes a new one)"));
        if (!dir.isEmpty()) openWorkspace(dir);
    });
    recentMenu_ = file->addMenu(tr("&Recent workspaces"));
    file->addAction(tr("Remove &source"), QKeySequence(tr("Ctrl+Shift+Del")), this, [this] {
        const QVariant id = tree_->currentIndex().siblingAtColumn(0).data(DocumentTreeModel::SourceIdRole);
        if (!id.isValid()) {
            QMessageBox::information(this, tr("Remove source"), tr("Select a source (a top-level row) first."));
            return;
        }
        if (QMessageBox::question(this, tr("Remove source"), tr("Remove %1 and its documents from the workspace?")
                                      .arg(tree_->currentIndex().siblingAtColumn(0).data().toString())) == QMessageBox::Yes)
            removeSource(id.toLongLong());
    });
    file->addAction(tr("Se&ttings..."), QKeySequence::Preferences, this, [this] { editSettings(); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Clause &matrix"), QKeySequence(tr("Ctrl+Shift+M")), this, [this] { showClauseMatrix(); });
    view->addAction(tr("&Deviations"), QKeySequence(tr("Ctrl+Shift+D")), this, [this] { showDeviations(); });
    QMenu* go = menuBar()->addMenu(tr("&Go"));
    back_ = go->addAction(tr("&Back"), QKeySequence::Back, this, &MainWindow::goBack);
    forward_ = go->addAction(tr("&Forward"), QKeySequence::Forward, this, &MainWindow::goForward);
    back_->setEnabled(false);
    forward_->setEnabled(false);
    toolbar->addSeparator();
    toolbar->addAction(back_);
    toolbar->addAction(forward_);
    setUpCodeNavigation(go);

    toolbar->addSeparator();
    search_ = new QLineEdit;
    search_->setPlaceholderText(tr("Search the workspace (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(420);
    toolbar->addWidget(search_);
    auto* focusSearch = new QAction(this);
    focusSearch->setShortcut(QKeySequence::Find);
    connect(focusSearch, &QAction::triggered, search_, [this] { search_->setFocus(); search_->selectAll(); });
    addAction(focusSearch);
    connect(search_, &QLineEdit::returnPressed, this, [this] { runSearch(search_->text()); });
}

void MainWindow::openWorkspace(const QString& dir)
{
    if (worker_) return;  // an ingest is writing the current one
    try {
        store_ = std::make_unique<app::WorkspaceStore>(dir.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Folio"), QString::fromStdString(e.what()));
        if (store_) return;
        throw;  // no workspace at all: nothing to show
    }
    analysis_ = std::make_unique<app::AnalysisStore>(dir.toStdString());
    code_->setWorkspace(dir);
    workspaceDir_ = dir;
    currentDocument_ = 0;
    currentPath_.clear();
    history_.clear();
    historyIndex_ = -1;
    setWindowTitle(tr("Folio - %1").arg(dir));
    results_->clear();
    showMessage(tr("Pick a document on the left, or add a repository or PDFs with the File menu."));
    reload();
    engineStatus_->refresh(dir);
    ask_->setWorkspace(dir);
    updateModelCompletion();

    QSettings settings;
    QStringList recent = settings.value("recentWorkspaces").toStringList();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > 8) recent.removeLast();
    settings.setValue("recentWorkspaces", recent);
    recentMenu_->clear();
    for (const QString& r : recent) recentMenu_->addAction(r, this, [this, r] { openWorkspace(r); });
}

void MainWindow::reload()
{
    model_->reload(*store_);
    tree_->expandToDepth(0);
    updateAskScopes();
}

void MainWindow::showMessage(const QString& text)
{
    message_->setText(text);
    stack_->setCurrentWidget(message_);
}

void MainWindow::openDocument(qint64 documentId, int page, int line, const QRectF& highlight)
{
    const auto record = store_->document(documentId);
    if (!record) return;
    currentDocument_ = documentId;
    const QString path = currentPath_ = QString::fromStdString(record->path);
    ask_->setCurrentDocument(documentId, path);
    outlineStack_->setCurrentWidget(record->kind == "pdf" ? static_cast<QWidget*>(outline_) : codeOutline_);
    statusBar()->showMessage(path);
    if (record->status == "error" || record->status == "skipped") {
        showMessage(tr("%1\n\n%2: %3").arg(path, QString::fromStdString(record->status),
                                          QString::fromStdString(record->reason)));
        return;
    }
    if (record->kind == "pdf") {
        if (!pdf_->openFile(path)) {
            showMessage(pdf_->errorString());
            return;
        }
        pdf_->showPage(page > 0 ? page : 1, highlight);
        stack_->setCurrentWidget(pdf_);
        loadAnalysis(documentId);
        return;
    }
    loadAnalysis(0);
    text_->setSource(QString::fromStdString(store_->loadDocument(documentId).text), QString::fromStdString(record->language));
    stack_->setCurrentWidget(codePage_);
    loadCodeOutline();
    if (line > 0) {
        const QTextBlock block = text_->document()->findBlockByNumber(line - 1);
        QTextCursor cursor(block);
        cursor.select(QTextCursor::LineUnderCursor);
        text_->setTextCursor(cursor);
        text_->centerCursor();
    }
}

void MainWindow::runSearch(const QString& query)
{
    results_->clear();
    resultsDock_->setWindowTitle(tr("Search results"));
    const auto hits = store_->search(query.toStdString(), 100);
    for (const auto& hit : hits) {
        QString snippet = QString::fromStdString(hit.snippet).simplified();
        const QString where = hit.page ? tr("page %1").arg(hit.page) : tr("line %1").arg(hit.line);
        auto* item = new QListWidgetItem(QString("%1 (%2): %3")
                                             .arg(QFileInfo(QString::fromStdString(hit.path)).fileName(), where, snippet));
        item->setToolTip(QString::fromStdString(hit.path));
        item->setData(HitDocument, qint64(hit.documentId));
        item->setData(HitPage, hit.page);
        item->setData(HitLine, hit.line);
        item->setData(HitRect, QRectF(QPointF(hit.box.x0, hit.box.y0), QPointF(hit.box.x1, hit.box.y1)));
        results_->addItem(item);
    }
    statusBar()->showMessage(tr("%n match(es) for \"%1\"", nullptr, int(hits.size())).arg(query));
}

bool MainWindow::isIngesting() const
{
    return worker_ != nullptr;
}

void MainWindow::restoreSession()
{
    QSettings settings;
    if (settings.value("session/workspace").toString() != workspaceDir_) return;
    const qint64 document = settings.value("session/document").toLongLong();
    if (document && store_->document(document)) openDocument(document, settings.value("session/page").toInt());
}

void MainWindow::removeSource(qint64 sourceId)
{
    if (worker_) return;  // a job is writing the workspace
    store_->removeSource(sourceId);
    if (currentDocument_ && !store_->document(currentDocument_)) {
        currentDocument_ = 0;
        loadAnalysis(0);
        showMessage(tr("The source was removed."));
    }
    history_.clear();
    historyIndex_ = -1;
    reload();
}

int MainWindow::editSettings()
{
    SettingsDialog dialog(workspaceDir_, this);
    const int result = dialog.exec();
    if (result == QDialog::Accepted) {
        dialog.save();
        engineStatus_->refresh(workspaceDir_);
        ask_->refresh();
        updateModelCompletion();
        clauses_->setMinimumConfidence(QSettings().value("analysis/minConfidence", 50).toInt() / 100.0);
        if (currentDocument_ && stack_->currentWidget() == pdf_) loadAnalysis(currentDocument_);
    }
    return result;
}

ClauseMatrixView* MainWindow::showClauseMatrix()
{
    if (!matrix_) {
        matrix_ = new ClauseMatrixView(this);
        connect(matrix_, &ClauseMatrixView::locationRequested, this, [this](const Location& l) {
            navigateTo(l);
            activateWindow();
        });
    }
    matrix_->setMatrix(app::ClauseMatrix::build(*store_, *analysis_, app::embeddedClauseModel()->categories(), 0.5));
    matrix_->show();
    matrix_->raise();
    return matrix_;
}

void MainWindow::loadAnalysis(qint64 documentId)
{
    if (documentId) {
        const ingest::Document doc = store_->loadDocument(documentId);
        pdf_->setWords(wordsOf(doc));
        pdf_->setHotSpots(hotSpotsOf(doc, documentId, *analysis_));
    } else {
        pdf_->setWords({});
        pdf_->setHotSpots({});
    }
    for (AnalysisTree* tree : {static_cast<AnalysisTree*>(outline_), static_cast<AnalysisTree*>(clauses_),
                               static_cast<AnalysisTree*>(terms_), static_cast<AnalysisTree*>(references_)}) {
        if (documentId)
            tree->load(*analysis_, documentId);
        else
            tree->clear();
    }
}

void MainWindow::showLocation(const Location& l)
{
    if (l.line > 0) {  // a place in a file: the open buffer stays as it is when the jump stays in it
        if (l.document != currentDocument_ || stack_->currentWidget() != codePage_) openDocument(l.document);
        if (stack_->currentWidget() == codePage_) text_->showSpot(l.line - 1, l.column, l.length);
        back_->setEnabled(canGoBack());
        forward_->setEnabled(canGoForward());
        return;
    }
    if (l.document != currentDocument_ || stack_->currentWidget() != pdf_) openDocument(l.document, l.page);
    if (stack_->currentWidget() == pdf_) pdf_->showPage(l.page, l.boxes, l.color.isValid() ? l.color : QColor(255, 214, 0));
    back_->setEnabled(canGoBack());
    forward_->setEnabled(canGoForward());
}

void MainWindow::navigateTo(const Location& location)
{
    if (historyIndex_ >= 0 && history_[historyIndex_] == location) {
        showLocation(location);
        return;
    }
    history_.resize(historyIndex_ + 1);
    history_.push_back(location);
    historyIndex_ = int(history_.size()) - 1;
    showLocation(location);
}

void MainWindow::goBack()
{
    if (!canGoBack()) return;
    showLocation(history_[--historyIndex_]);
}

void MainWindow::goForward()
{
    if (!canGoForward()) return;
    showLocation(history_[++historyIndex_]);
}

void MainWindow::reportProgress(int done, int total, const QString& what)
{
    QMetaObject::invokeMethod(this, [this, done, total, what] {
        progress_->setRange(0, total);
        progress_->setValue(done);
        statusBar()->showMessage(what);
    }, Qt::QueuedConnection);
}

void MainWindow::startJob(std::function<QString()> work, std::function<void(const QString&)> done)
{
    if (worker_) return;
    cancelFlag_ = false;
    progress_->setRange(0, 0);
    progress_->show();
    cancel_->show();
    worker_ = QThread::create([this, work, done] {
        QString summary;
        try {
            summary = work();
        } catch (const std::exception& e) {
            summary = tr("Failed: %1").arg(e.what());
        }
        QMetaObject::invokeMethod(this, [this, summary, done] {
            worker_->wait();
            worker_->deleteLater();
            worker_ = nullptr;
            progress_->hide();
            cancel_->hide();
            statusBar()->showMessage(summary.section('\n', 0, 0));
            done(summary);
        }, Qt::QueuedConnection);
    });
    worker_->start();
}

namespace {

// Contract analysis after ingest or on request; the text for the status bar and the job's signal.
QString analyse(const std::string& dir, const std::atomic<bool>& cancel,
                const std::function<void(int, int, const QString&)>& progress)
{
    const int threads = QSettings().value("jobs/threads", 0).toInt();
    const auto summary = app::analyseWorkspace(dir, false, [&](const app::AnalysisProgress& p) {
        progress(p.done, p.total, QObject::tr("Analysing %1").arg(QString::fromStdString(p.path)));
    }, &cancel, threads);
    QString text = QObject::tr("%1 contracts analysed, %2 unchanged, %3 problems")
                       .arg(summary.analysed).arg(summary.unchanged).arg(summary.problems.size());
    for (const auto& p : summary.problems)
        text += QString("\nerror: %1: %2").arg(QString::fromStdString(p.path), QString::fromStdString(p.reason));
    return text;
}

}  // namespace

void MainWindow::analyseContracts()
{
    const std::string dir = workspaceDir_.toStdString();
    startJob([this, dir] { return analyse(dir, cancelFlag_, [this](int d, int t, const QString& w) { reportProgress(d, t, w); }); },
             [this](const QString& summary) {
                 if (currentDocument_) loadAnalysis(stack_->currentWidget() == pdf_ ? currentDocument_ : 0);
                 emit analysisFinished(summary);
             });
}

void MainWindow::ingestPaths(const QStringList& paths)
{
    std::vector<std::string> list;
    for (const QString& p : paths) list.push_back(p.toStdString());
    const std::string dir = workspaceDir_.toStdString();
    app::IngestOptions options;
    options.threads = QSettings().value("jobs/threads", 0).toInt();
    // The worker has its own stores: SQLite connections stay on the thread that opened them.
    startJob([this, list, dir, options] {
        app::WorkspaceStore store(dir);
        app::IngestService service(store);
        const auto report = service.ingest(list, options, [this](const app::IngestProgress& p) {
            reportProgress(int(p.done), int(p.total), QString::fromStdString(p.current));
        }, &cancelFlag_);
        QString summary = tr("%1 added, %2 updated, %3 unchanged, %4 problems")
                              .arg(report.added).arg(report.updated).arg(report.unchanged).arg(report.problems.size());
        for (const auto& p : report.problems)
            summary += QString("\n%1: %2: %3").arg(QString::fromStdString(p.status), QString::fromStdString(p.path),
                                                   QString::fromStdString(p.reason));
        if (!cancelFlag_)
            summary += "\n" + analyse(dir, cancelFlag_, [this](int d, int t, const QString& w) { reportProgress(d, t, w); });
        return summary;
    }, [this](const QString& summary) {
        reload();
        emit ingestFinished(summary);
    });
}

}  // namespace folio::ui
