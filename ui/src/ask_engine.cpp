#include "folio/ui/ask_engine.h"

#include "folio/app/corpus_session.h"

#include <QSettings>
#include <QThread>

#include <chrono>
#include <memory>

namespace folio::ui {

AskEngine::AskEngine(const QString& workspaceDir, QObject* parent) : QObject(parent), workspaceDir_(workspaceDir) {}

AskEngine::~AskEngine()
{
    // The job's last signals are still queued: delivering them now would reach receivers that may be half
    // destroyed (the dock that owns this engine). They are dropped with this object instead.
    disconnect(this, nullptr, nullptr, nullptr);
    stop();
    if (job_) {
        job_->wait();
        delete job_;
    }
}

void AskEngine::stop()
{
    cancel_ = true;
}

void AskEngine::run(std::function<void()> job)
{
    if (job_) return;
    cancel_ = false;
    job_ = QThread::create([this, job] {
        try {
            job();
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            QMetaObject::invokeMethod(this, [this, message] { emit failed(message); }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(this, [this] {
            job_->wait();
            job_->deleteLater();
            job_ = nullptr;
            completing_ = false;
            emit idle();
        }, Qt::QueuedConnection);
    });
    job_->start();
}

namespace {

// Reports prefill progress with the rate of this run (restored tokens excluded) and the time left at it.
struct RateMeter {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::int64_t first = -1;

    std::pair<double, double> at(std::int64_t done, std::int64_t total)
    {
        if (first < 0) first = done;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = seconds > 0 && done > first ? double(done - first) / seconds : 0;
        return {rate, rate > 0 ? double(total - done) / rate : -1};
    }
};

}  // namespace

std::function<void(std::int64_t, std::int64_t)> AskEngine::progressReporter(std::int64_t first)
{
    auto meter = std::make_shared<RateMeter>();
    meter->first = first;
    return [this, meter](std::int64_t done, std::int64_t total) {
        const auto [rate, left] = meter->at(done, total);
        QMetaObject::invokeMethod(this, [=, this] { emit progress(done, total, rate, left); }, Qt::QueuedConnection);
    };
}

app::CorpusSession& AskEngine::session(const QString& model, const AskScope& scope, engine::Thinking thinking)
{
    app::CorpusSessionOptions o;
    o.thinking = thinking;
    o.documents = scope.documents;
    return openSession(questions_, model, o);
}

app::CorpusSession& AskEngine::openSession(Slot& slot, const QString& model, app::CorpusSessionOptions o)
{
    // Settings' attention mode; the other selected-attention settings keep the engine's defaults.
    const QString attention = QSettings().value("engine/attention", "exact").toString();
    QString key = model + "|" + QString::number(int(o.thinking)) + "|" + QString::fromStdString(o.repositoryName) + "|"
        + attention + "|";
    for (auto id : o.documents) key += QString::number(id) + ",";
    if (!slot.session || key != slot.key) {
        slot.session.reset();
        o.model = model.toStdString();
        o.attention.mode = engine::parseAttentionMode(attention.toStdString());
        o.weights = engine::preferredWeightMemory(o.model);
        o.threads = QSettings().value("jobs/threads", 0).toInt();
        o.budgets.diskBytes = QSettings().value("cache/diskBudgetMiB", 20480).toULongLong() << 20;
        o.warn = [](const std::string& w) { qWarning("%s", w.c_str()); };
        slot.session = std::make_unique<app::CorpusSession>(app::WorkspaceStore(workspaceDir_.toStdString()), o);
        slot.key = key;
        slot.attention = o.attention.mode;
    }
    return *slot.session;
}

namespace {

// The question as the model gets it: with the selected passage quoted first when the scope is a selection.
std::string questionAbout(const AskScope& scope, const QString& question)
{
    if (scope.passage.isEmpty()) return question.toStdString();
    return "About this passage:\n\"\"\"\n" + scope.passage.toStdString() + "\n\"\"\"\n\n" + question.toStdString();
}

}  // namespace

std::function<void(std::string_view)> AskEngine::textSink(void (AskEngine::*signal)(const QString&))
{
    return [this, signal](std::string_view t) {
        const QString piece = QString::fromUtf8(t.data(), qsizetype(t.size()));
        QMetaObject::invokeMethod(this, [this, signal, piece] { emit (this->*signal)(piece); }, Qt::QueuedConnection);
    };
}

RemoteEngineSettings RemoteEngineSettings::fromSettings()
{
    QSettings s;
    return {s.value("remote/url").toString(), s.value("remote/model").toString(), s.value("remote/apiKeyFile").toString(),
            s.value("remote/connectTimeout", 10).toInt(), s.value("remote/readTimeout", 600).toInt()};
}

app::RemoteSession& AskEngine::openRemote(RemoteSlot& slot, const RemoteEngineSettings& remote, app::RemoteSessionOptions o)
{
    QString key = remote.url + "|" + remote.model + "|" + remote.apiKeyFile + "|" + QString::number(remote.connectTimeout) + "|" +
                  QString::number(remote.readTimeout) + "|" + QString::number(int(o.thinking)) + "|" +
                  QString::fromStdString(o.repositoryName) + "|";
    for (auto id : o.documents) key += QString::number(id) + ",";
    if (!slot.session || key != slot.key) {
        slot.session.reset();
        o.remote = {remote.url.toStdString(), remote::readApiKey(remote.apiKeyFile.toStdString()), remote.connectTimeout,
                    remote.readTimeout};
        o.model = remote.model.toStdString();
        o.warn = [](const std::string& w) { qWarning("%s", w.c_str()); };
        slot.session = std::make_unique<app::RemoteSession>(app::WorkspaceStore(workspaceDir_.toStdString()), o);
        slot.key = key;
    }
    return *slot.session;
}

void AskEngine::askRemote(const RemoteEngineSettings& remote, const AskScope& scope, const QString& question,
                          engine::Thinking thinking, int maxTokens)
{
    run([=, this] {
        app::RemoteSessionOptions o;
        o.documents = scope.documents;
        o.thinking = thinking;
        auto& session = openRemote(remoteQuestions_, remote, o);
        const std::string text = questionAbout(scope, question);
        remote::RemoteRequest request;
        request.maxTokens = maxTokens;
        const auto answer = session.ask(text, request, textSink(&AskEngine::thinkingText), textSink(&AskEngine::answerText), &cancel_);
        const std::string engineName = session.model().id + " at " + session.url();
        app::AskRecord record{0, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count(),
                              scope.name.toStdString(), question.toStdString(), answer.answer, answer.thinking, answer.citations,
                              engineName, answer.result.cancelled ? "cancelled" : answer.result.finishReason};
        record.id = app::AskHistory(workspaceDir_.toStdString()).add(record);
        QString usage = QString::fromStdString(engineName);
        if (const auto& u = answer.result.usage)
            usage += u->cachedTokens ? tr(": %1 prompt tokens, %2 from the server's cache").arg(u->promptTokens).arg(*u->cachedTokens)
                                     : tr(": %1 prompt tokens; the server reports no cached tokens").arg(u->promptTokens);
        QMetaObject::invokeMethod(this, [this, record, usage] {
            last_ = record;
            emit answered();
            emit remoteUsage(usage);
        }, Qt::QueuedConnection);
    });
}

void AskEngine::reportMeasurements(app::CorpusSession& s)
{
    std::optional<app::CacheStats> stats;
    if (s.cache()) stats = s.cache()->stats();
    QMetaObject::invokeMethod(this, [this, run = s.lastRun(), stats] {
        lastRun_ = run;
        cacheStats_ = stats;
        emit measured();
    }, Qt::QueuedConnection);
}

void AskEngine::complete(const QString& model, const CompletionRequest& request)
{
    if (job_) return;  // a question or corpus build is running: no completion now
    completing_ = true;
    run([this, model, request] {
        app::CorpusSessionOptions o;
        o.purpose = app::CorpusPurpose::CodeCompletion;
        o.documents = request.documents;
        o.repositoryName = request.repositoryName.toStdString();
        auto& s = openSession(completions_, model, o);
        s.prefill(progressReporter(), &cancel_);
        engine::GenerationOptions options;
        options.maxTokens = request.maxTokens;
        const auto c = s.complete(request.path.toStdString(), request.prefix.toStdString(), request.suffix.toStdString(), options,
                                  {}, &cancel_);
        const QString text = c.generation.stopReason == "cancelled" ? QString() : QString::fromStdString(c.text);
        const quint64 id = request.id;
        QMetaObject::invokeMethod(this, [this, id, text] { emit completionReady(id, text); }, Qt::QueuedConnection);
    });
}

void AskEngine::completeRemote(const RemoteEngineSettings& remote, const CompletionRequest& request)
{
    if (job_) return;
    completing_ = true;
    run([this, remote, request] {
        app::RemoteSessionOptions o;
        o.purpose = app::CorpusPurpose::CodeCompletion;
        o.documents = request.documents;
        o.repositoryName = request.repositoryName.toStdString();
        auto& session = openRemote(remoteCompletions_, remote, o);
        remote::RemoteRequest options;
        options.maxTokens = request.maxTokens;
        const auto c = session.complete(request.path.toStdString(), request.prefix.toStdString(), request.suffix.toStdString(),
                                        options, {}, &cancel_);
        const QString text = c.cancelled ? QString() : QString::fromStdString(c.text);
        const quint64 id = request.id;
        QMetaObject::invokeMethod(this, [this, id, text] { emit completionReady(id, text); }, Qt::QueuedConnection);
    });
}

void AskEngine::cancelCompletion()
{
    if (completing_) cancel_ = true;
}

void AskEngine::buildCorpus(const QString& model, const AskScope& scope)
{
    run([this, model, scope] {
        auto& s = session(model, scope, engine::Thinking::Default);
        const auto report = s.prefill(progressReporter(s.session().position()), &cancel_);
        const QString summary = report.cancelled
            ? tr("Stopped at token %1 of %2; building again continues from the last snapshot.")
                  .arg(s.session().position()).arg(s.corpus().tokens().size())
            : tr("Corpus ready: %1 documents, %2 tokens (%3 from the cache, %4 computed in %5 s)")
                  .arg(s.corpus().documents().size()).arg(s.corpus().tokens().size()).arg(report.resumedAt)
                  .arg(report.computedTokens).arg(report.prefillSeconds, 0, 'f', 1)
                + (questions_.attention == engine::AttentionMode::Selected ? tr(", selected attention") : QString());
        reportMeasurements(s);
        QMetaObject::invokeMethod(this, [this, summary] { emit corpusReady(summary); }, Qt::QueuedConnection);
    });
}

void AskEngine::ask(const QString& model, const AskScope& scope, const QString& question, engine::Thinking thinking, int maxTokens)
{
    run([=, this] {
        auto& s = session(model, scope, thinking);
        const auto report = s.prefill(progressReporter(), &cancel_);
        if (report.cancelled) {
            QMetaObject::invokeMethod(this, [this] { emit failed(tr("Stopped while reading the corpus.")); }, Qt::QueuedConnection);
            return;
        }
        const std::string text = questionAbout(scope, question);
        engine::GenerationOptions options;
        options.maxTokens = maxTokens;
        const auto answer = s.ask(text, options, textSink(&AskEngine::thinkingText), textSink(&AskEngine::answerText), &cancel_);
        app::AskRecord record{0, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count(),
                              scope.name.toStdString(), question.toStdString(), answer.answer, answer.thinking, answer.citations,
                              model.toStdString(), answer.generation.stopReason};
        record.id = app::AskHistory(workspaceDir_.toStdString()).add(record);
        reportMeasurements(s);
        QMetaObject::invokeMethod(this, [this, record] {
            last_ = record;
            emit answered();
        }, Qt::QueuedConnection);
    });
}

}  // namespace folio::ui
