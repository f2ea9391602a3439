#include "folio/ui/ask_engine.h"

#include <QCoreApplication>
#include <QSettings>
#include <QThread>

#include <chrono>

namespace folio::ui {

AskEngine::AskEngine(const QString& workspaceDir, QObject* parent) : QObject(parent), workspaceDir_(workspaceDir) {}

AskEngine::~AskEngine()
{
    stop();
    wait();
}

void AskEngine::stop()
{
    cancel_ = true;
}

void AskEngine::wait()
{
    if (job_) job_->wait();
    QCoreApplication::sendPostedEvents(this);
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
        }, Qt::QueuedConnection);
    });
    job_->start();
}

app::CorpusSession& AskEngine::session(const QString& model, const AskScope& scope, engine::Thinking thinking)
{
    QString key = model + "|" + QString::number(int(thinking)) + "|";
    for (auto id : scope.documents) key += QString::number(id) + ",";
    if (!session_ || key != sessionKey_) {
        session_.reset();
        app::CorpusSessionOptions o;
        o.model = model.toStdString();
        o.weights = engine::preferredWeightMemory(o.model);
        o.threads = QSettings().value("jobs/threads", 0).toInt();
        o.thinking = thinking;
        o.documents = scope.documents;
        o.budgets.diskBytes = QSettings().value("cache/diskBudgetMiB", 20480).toULongLong() << 20;
        o.warn = [](const std::string& w) { qWarning("%s", w.c_str()); };
        session_ = std::make_unique<app::CorpusSession>(app::WorkspaceStore(workspaceDir_.toStdString()), o);
        sessionKey_ = key;
    }
    return *session_;
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

void AskEngine::buildCorpus(const QString& model, const AskScope& scope)
{
    run([this, model, scope] {
        auto& s = session(model, scope, engine::Thinking::Default);
        RateMeter meter;
        meter.first = s.session().position();
        const auto report = s.prefill([&](std::int64_t done, std::int64_t total) {
            const auto [rate, left] = meter.at(done, total);
            QMetaObject::invokeMethod(this, [=, this] { emit progress(done, total, rate, left); }, Qt::QueuedConnection);
        }, &cancel_);
        const QString summary = report.cancelled
            ? tr("Stopped at token %1 of %2; building again continues from the last snapshot.")
                  .arg(s.session().position()).arg(s.corpus().tokens().size())
            : tr("Corpus ready: %1 documents, %2 tokens (%3 from the cache, %4 computed in %5 s)")
                  .arg(s.corpus().documents().size()).arg(s.corpus().tokens().size()).arg(report.resumedAt)
                  .arg(report.computedTokens).arg(report.prefillSeconds, 0, 'f', 1);
        reportMeasurements(s);
        QMetaObject::invokeMethod(this, [this, summary] { emit corpusReady(summary); }, Qt::QueuedConnection);
    });
}

void AskEngine::ask(const QString& model, const AskScope& scope, const QString& question, engine::Thinking thinking, int maxTokens)
{
    run([=, this] {
        auto& s = session(model, scope, thinking);
        RateMeter meter;
        const auto report = s.prefill([&](std::int64_t done, std::int64_t total) {
            const auto [rate, left] = meter.at(done, total);
            QMetaObject::invokeMethod(this, [=, this] { emit progress(done, total, rate, left); }, Qt::QueuedConnection);
        }, &cancel_);
        if (report.cancelled) {
            QMetaObject::invokeMethod(this, [this] { emit failed(tr("Stopped while reading the corpus.")); }, Qt::QueuedConnection);
            return;
        }
        std::string text = question.toStdString();
        if (!scope.passage.isEmpty())
            text = "About this passage:\n\"\"\"\n" + scope.passage.toStdString() + "\n\"\"\"\n\n" + text;
        engine::GenerationOptions options;
        options.maxTokens = maxTokens;
        auto emitText = [this](void (AskEngine::*signal)(const QString&)) {
            return [this, signal](std::string_view t) {
                const QString piece = QString::fromUtf8(t.data(), qsizetype(t.size()));
                QMetaObject::invokeMethod(this, [this, signal, piece] { emit (this->*signal)(piece); }, Qt::QueuedConnection);
            };
        };
        const auto answer = s.ask(text, options, emitText(&AskEngine::thinkingText), emitText(&AskEngine::answerText), &cancel_);
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
