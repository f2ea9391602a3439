#include "folio/ui/ask_dock.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace folio::ui {
namespace {

constexpr int kMaxAnswerTokens = 512;

QString escapedParagraphs(const QString& text)
{
    return text.toHtmlEscaped().replace("\n", "<br>");
}

QString duration(double seconds)
{
    if (seconds < 0) return QObject::tr("unknown");
    const int s = int(seconds + 0.5);
    return s >= 3600 ? QString("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'))
                     : QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace

AskDock::AskDock(QWidget* parent) : QWidget(parent)
{
    scope_ = new QComboBox;
    scope_->setToolTip(tr("What the question is about"));
    question_ = new QLineEdit;
    question_->setPlaceholderText(tr("Ask about the documents..."));
    thinking_ = new QComboBox;
    thinking_->addItem(tr("Thinking as the model does"), int(engine::Thinking::Default));
    thinking_->addItem(tr("Thinking on"), int(engine::Thinking::On));
    thinking_->addItem(tr("Thinking off"), int(engine::Thinking::Off));
    askButton_ = new QPushButton(tr("Ask"));
    buildButton_ = new QPushButton(tr("Build corpus"));
    buildButton_->setToolTip(tr("Reads the scope into the model once and saves its state, so questions start at once"));
    stopButton_ = new QPushButton(tr("Stop"));
    stopButton_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->hide();
    status_ = new QLabel;
    status_->setWordWrap(true);
    answer_ = new QTextBrowser;
    answer_->setOpenLinks(false);
    history_ = new QListWidget;

    auto* row = new QHBoxLayout;
    row->addWidget(question_, 1);
    row->addWidget(askButton_);
    row->addWidget(stopButton_);
    auto* options = new QHBoxLayout;
    options->addWidget(scope_, 1);
    options->addWidget(thinking_);
    options->addWidget(buildButton_);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(answer_);
    split->addWidget(history_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(options);
    layout->addLayout(row);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(split, 1);

    connect(askButton_, &QPushButton::clicked, this, [this] { ask(question_->text()); });
    connect(question_, &QLineEdit::returnPressed, this, [this] { ask(question_->text()); });
    connect(buildButton_, &QPushButton::clicked, this, &AskDock::buildCorpus);
    connect(stopButton_, &QPushButton::clicked, this, &AskDock::stop);
    connect(answer_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == "cite") openCitation(url.path().toInt());
    });
    connect(history_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && std::size_t(row) < records_.size() && engine_ && !engine_->busy()) showRecord(records_[std::size_t(row)]);
    });
}

void AskDock::setWorkspace(const QString& workspaceDir)
{
    delete engine_;  // stops and waits for its job
    workspaceDir_ = workspaceDir;
    engine_ = new AskEngine(workspaceDir, this);
    connectEngine();
    setBusy(false);
    refresh();
}

bool AskDock::hasEngine() const
{
    return !modelFile().isEmpty() || RemoteEngineSettings::fromSettings().configured();
}

void AskDock::requestCompletion(const CompletionRequest& request)
{
    if (!engine_) return;
    if (const auto remote = RemoteEngineSettings::fromSettings(); remote.configured())
        engine_->completeRemote(remote, request);
    else if (!modelFile().isEmpty())
        engine_->complete(modelFile(), request);
}

void AskDock::cancelCompletion()
{
    if (engine_) engine_->cancelCompletion();
}

void AskDock::connectEngine()
{
    connect(engine_, &AskEngine::completionReady, this, &AskDock::completionReady);
    connect(engine_, &AskEngine::idle, this, [this] { setBusy(false); });
    connect(engine_, &AskEngine::measured, this, &AskDock::engineMeasured);
    connect(engine_, &AskEngine::progress, this, [this](qint64 done, qint64 total, double rate, double left) {
        progress_->show();
        progress_->setRange(0, 1000);
        progress_->setValue(total > 0 ? int(1000 * done / total) : 0);
        status_->setText(tr("Reading the corpus: %L1 of %L2 tokens, %3 tokens/s, %4 left")
                             .arg(done).arg(total).arg(rate, 0, 'f', 1).arg(duration(left)));
    });
    connect(engine_, &AskEngine::corpusReady, this, [this](const QString& summary) {
        setBusy(false);
        status_->setText(summary);
    });
    connect(engine_, &AskEngine::thinkingText, this, [this](const QString& t) {
        streamedThinking_ += t;
        renderAnswer();
    });
    connect(engine_, &AskEngine::answerText, this, [this](const QString& t) {
        streamedAnswer_ += t;
        renderAnswer();
    });
    connect(engine_, &AskEngine::answered, this, [this] {
        setBusy(false);
        const auto& r = engine_->lastAnswer();
        status_->setText(r.stopReason == "cancelled" ? tr("Stopped.") : tr("Answered (%1).").arg(QString::fromStdString(r.stopReason)));
        refresh();
        showRecord(r);
    });
    connect(engine_, &AskEngine::remoteUsage, this, [this](const QString& summary) {
        status_->setText(tr("Answered by %1.").arg(summary));
    });
    connect(engine_, &AskEngine::failed, this, [this](const QString& message) {
        setBusy(false);
        status_->setText(tr("Failed: %1").arg(message));
    });
}

QString AskDock::modelFile() const
{
    return QSettings().value("engine/model").toString();
}

void AskDock::setSources(const QVector<QPair<QString, std::set<std::int64_t>>>& sources)
{
    const QString chosen = scope_->currentText();
    scope_->clear();
    scope_->addItem(tr("The whole workspace"));
    for (const auto& [name, ids] : sources) {
        QVariantList list;
        for (auto id : ids) list << qint64(id);
        scope_->addItem(tr("Source: %1").arg(name), list);
    }
    if (currentDocument_) scope_->addItem(tr("This document: %1").arg(currentName_), QVariantList{currentDocument_});
    if (!selection_.isEmpty()) scope_->addItem(tr("The selection"), QVariantList{selectionDocument_});
    const int again = scope_->findText(chosen);
    scope_->setCurrentIndex(again >= 0 ? again : 0);
}

void AskDock::setCurrentDocument(qint64 documentId, const QString& name)
{
    currentDocument_ = documentId;
    currentName_ = name;
    const int at = scope_->findText(tr("This document: "), Qt::MatchStartsWith);
    if (at >= 0) scope_->removeItem(at);
    if (documentId) scope_->insertItem(scope_->count() - (selection_.isEmpty() ? 0 : 1), tr("This document: %1").arg(name),
                                       QVariantList{documentId});
}

void AskDock::setSelection(qint64 documentId, const QString& text)
{
    selectionDocument_ = documentId;
    selection_ = text.trimmed();
    const int at = scope_->findText(tr("The selection"));
    if (at >= 0 && selection_.isEmpty()) scope_->removeItem(at);
    if (at < 0 && !selection_.isEmpty()) scope_->addItem(tr("The selection"), QVariantList{documentId});
    if (at >= 0 && !selection_.isEmpty()) scope_->setItemData(at, QVariantList{documentId});
}

AskScope AskDock::currentScope() const
{
    AskScope scope{scope_->currentText(), {}, {}};
    for (const auto& id : scope_->currentData().toList()) scope.documents.insert(id.toLongLong());
    if (scope_->currentText() == tr("The selection")) scope.passage = selection_;
    return scope;
}

void AskDock::refresh()
{
    const auto remote = RemoteEngineSettings::fromSettings();
    const bool hasModel = !modelFile().isEmpty() || remote.configured();
    const bool busy = engine_ && engine_->busy();
    setBusy(busy);
    question_->setEnabled(hasModel);
    if (!hasModel)
        status_->setText(tr("No model file is set: choose a GGUF file of the Qwen3-Next or Qwen3.5 family under File > "
                            "Settings > Model file, or a remote engine's URL, to ask questions. Search, contract "
                            "analysis and code navigation work without one."));
    else if (!busy && remote.configured())
        status_->setText(tr("Remote engine: %1").arg(remote.url));
    else if (!busy)
        status_->setText(tr("Model: %1").arg(modelFile()));
    records_ = workspaceDir_.isEmpty() ? std::vector<app::AskRecord>() : app::AskHistory(workspaceDir_.toStdString()).recent();
    history_->blockSignals(true);
    history_->clear();
    for (const auto& r : records_) {
        auto* item = new QListWidgetItem(QString::fromStdString(r.question), history_);
        item->setToolTip(tr("%1, about %2").arg(QDateTime::fromMSecsSinceEpoch(r.askedAtMs).toString(Qt::ISODate),
                                                 QString::fromStdString(r.scope)));
    }
    history_->blockSignals(false);
}

void AskDock::setBusy(bool busy)
{
    // A remote engine's server keeps the corpus in its own prefix cache: there is nothing to build here.
    const bool remote = RemoteEngineSettings::fromSettings().configured();
    askButton_->setEnabled(engine_ && !busy && (remote || !modelFile().isEmpty()));
    buildButton_->setEnabled(engine_ && !busy && !remote && !modelFile().isEmpty());
    stopButton_->setEnabled(busy);
    if (!busy) progress_->hide();
}

void AskDock::ask(const QString& question)
{
    if (question.trimmed().isEmpty() || !engine_ || engine_->busy()) return;
    const auto remote = RemoteEngineSettings::fromSettings();
    if (modelFile().isEmpty() && !remote.configured()) {
        refresh();
        return;
    }
    pendingQuestion_ = question.trimmed();
    streamedThinking_.clear();
    streamedAnswer_.clear();
    shown_ = {};
    renderAnswer();
    setBusy(true);
    status_->setText(tr("Reading the corpus..."));
    const auto thinking = engine::Thinking(thinking_->currentData().toInt());
    if (remote.configured()) {
        status_->setText(tr("Asking %1...").arg(remote.url));
        engine_->askRemote(remote, currentScope(), pendingQuestion_, thinking, kMaxAnswerTokens);
        return;
    }
    engine_->ask(modelFile(), currentScope(), pendingQuestion_, thinking, kMaxAnswerTokens);
}

void AskDock::buildCorpus()
{
    if (!engine_ || engine_->busy() || modelFile().isEmpty() || RemoteEngineSettings::fromSettings().configured()) return;
    setBusy(true);
    status_->setText(tr("Reading the corpus..."));
    engine_->buildCorpus(modelFile(), currentScope());
}

void AskDock::stop()
{
    if (engine_) engine_->stop();
}

void AskDock::showRecord(const app::AskRecord& record)
{
    shown_ = record;
    pendingQuestion_ = QString::fromStdString(record.question);
    streamedThinking_ = QString::fromStdString(record.thinking);
    streamedAnswer_ = QString::fromStdString(record.answer);
    renderAnswer();
}

void AskDock::renderAnswer()
{
    QString html = "<p><b>" + pendingQuestion_.toHtmlEscaped() + "</b></p>";
    if (!streamedThinking_.isEmpty())
        html += "<p style='color:gray'>" + escapedParagraphs(streamedThinking_) + "</p>";
    const auto& cites = shown_.citations;
    if (cites.empty() || QString::fromStdString(shown_.answer) != streamedAnswer_) {
        html += "<p>" + escapedParagraphs(streamedAnswer_) + "</p>";
        answer_->setHtml(html);
        return;
    }
    // Each bracket of citations links to its first citation; the list below links every one.
    const std::string& text = shown_.answer;
    QString body;
    std::size_t at = 0;
    for (std::size_t i = 0; i < cites.size(); ++i) {
        if (i > 0 && cites[i].offset == cites[i - 1].offset) continue;
        const std::size_t open = cites[i].offset, close = text.find(']', open);
        if (open < at || close == std::string::npos) continue;
        body += escapedParagraphs(QString::fromStdString(text.substr(at, open - at)));
        const QString bracket = QString::fromStdString(text.substr(open, close + 1 - open)).toHtmlEscaped();
        body += cites[i].resolved() ? QString("<a href='cite:%1'>%2</a>").arg(i).arg(bracket)
                                    : QString("<span style='color:#b00020'>%1</span>").arg(bracket);
        at = close + 1;
    }
    body += escapedParagraphs(QString::fromStdString(text.substr(at)));
    html += "<p>" + body + "</p><p><b>" + tr("Sources") + "</b><br>";
    for (std::size_t i = 0; i < cites.size(); ++i) {
        const QString where = QString::fromStdString(app::describe(cites[i])).toHtmlEscaped();
        const QString label = QString::fromStdString("[" + cites[i].text + "]").toHtmlEscaped();
        html += cites[i].resolved() ? QString("<a href='cite:%1'>%2</a> %3<br>").arg(i).arg(label, where)
                                    : QString("<span style='color:#b00020'>%1 %2</span><br>").arg(label, where);
    }
    answer_->setHtml(html + "</p>");
}

void AskDock::openCitation(int index)
{
    if (index < 0 || std::size_t(index) >= shown_.citations.size()) return;
    const auto& c = shown_.citations[std::size_t(index)];
    if (c.resolved()) emit citationActivated(c);
}

}  // namespace folio::ui
