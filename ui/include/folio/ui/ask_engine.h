#pragma once

#include "folio/app/ask_history.h"
#include "folio/app/context_cache.h"
#include "folio/app/corpus_session.h"
#include "folio/app/remote_session.h"
#include "folio/engine/chat_format.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>

class QThread;

namespace folio::ui {

// What a question is about: the whole workspace, a source's documents, one document, or a passage selected in
// one document (then the corpus is that document and the passage goes with the question).
struct AskScope {
    QString name;                  // as the history shows it
    std::set<std::int64_t> documents;  // empty: the whole workspace
    QString passage;               // the selected text, when the scope is a selection
};

// A model completion wanted at a caret: the file's repository is the context, the editor's buffer around the caret
// the prefix and suffix.
struct CompletionRequest {
    quint64 id = 0;  // echoed back, so the caller can drop answers to requests it no longer wants
    std::set<std::int64_t> documents;  // the repository's files
    QString repositoryName, path, prefix, suffix;
    int maxTokens = 48;
};

// A remote OpenAI-compatible engine as File > Settings sets it (QSettings "remote/..."); none when the URL is empty.
struct RemoteEngineSettings {
    QString url, model, apiKeyFile;
    int connectTimeout = 10, readTimeout = 600;
    static RemoteEngineSettings fromSettings();
    bool configured() const { return !url.isEmpty(); }
};

// The workbench's side of the engine: corpus sessions (app::CorpusSession) kept between jobs on a worker thread,
// one job at a time, one session for questions and one for code completion. Signals arrive on the UI thread. A
// session is made again when the model, the scope or the thinking choice changes; otherwise every question or
// completion resumes from the corpus's end. A remote engine gets the same pair of sessions (app::RemoteSession),
// made again when the settings change.
class AskEngine : public QObject {
    Q_OBJECT
public:
    explicit AskEngine(const QString& workspaceDir, QObject* parent = nullptr);
    ~AskEngine() override;

    // Prefills the scope's corpus, resuming from the cache; corpusReady() or failed() follows.
    void buildCorpus(const QString& model, const AskScope& scope);
    // Answers; thinkingText()/answerText() stream, then answered() or failed().
    void ask(const QString& model, const AskScope& scope, const QString& question, engine::Thinking thinking, int maxTokens);
    // The same through a remote engine (app::RemoteSession): the corpus goes first in every request and the
    // server's prefix cache serves it; remoteUsage() follows the answer with the cached tokens.
    void askRemote(const RemoteEngineSettings& remote, const AskScope& scope, const QString& question, engine::Thinking thinking,
                   int maxTokens);
    // A model completion; completionReady() follows (empty text when cancelled). Nothing happens while another job
    // runs.
    void complete(const QString& model, const CompletionRequest& request);
    // The same through a remote engine's /v1/completions, the repository in the fill-in-the-middle form.
    void completeRemote(const RemoteEngineSettings& remote, const CompletionRequest& request);
    void cancelCompletion();  // cancels a running completion, never a question
    void stop();  // cancels the running job at its next token or snapshot
    bool busy() const { return job_ != nullptr; }
    const app::AskRecord& lastAnswer() const { return last_; }
    // The engine's numbers of the last corpus build or question, and its session's context cache after it
    // (none when the cache is off); measured() says they changed.
    const app::EngineRun& lastRun() const { return lastRun_; }
    const std::optional<app::CacheStats>& cacheStats() const { return cacheStats_; }

signals:
    // Corpus prefill: tokens done of total, the rate of this run and the time left at that rate.
    void progress(qint64 done, qint64 total, double tokensPerSecond, double secondsLeft);
    void corpusReady(const QString& summary);
    void thinkingText(const QString& text);
    void answerText(const QString& text);
    void answered();
    void measured();
    void failed(const QString& message);
    // After a remote answer: "model at URL: N prompt tokens, M from the server's cache".
    void remoteUsage(const QString& summary);
    void completionReady(quint64 id, const QString& text);
    // The job ended (after its last signal): another may start.
    void idle();

private:
    void run(std::function<void()> job);
    struct Slot {
        std::unique_ptr<app::CorpusSession> session;  // used only by the job running
        QString key;
        engine::AttentionMode attention = engine::AttentionMode::Exact;
    };
    app::CorpusSession& session(const QString& model, const AskScope& scope, engine::Thinking thinking);
    // Prefill progress for the dock: tokens done, the rate of this run (from `first`, else from the first report)
    // and the time left at it.
    std::function<void(std::int64_t, std::int64_t)> progressReporter(std::int64_t first = -1);
    app::CorpusSession& openSession(Slot& slot, const QString& model, app::CorpusSessionOptions options);
    struct RemoteSlot {
        std::unique_ptr<app::RemoteSession> session;  // used only by the job running
        QString key;
    };
    // The slot's session, made again when the settings or the options differ from the last job's. From the job's
    // thread: it asks the server for its models.
    app::RemoteSession& openRemote(RemoteSlot& slot, const RemoteEngineSettings& remote, app::RemoteSessionOptions options);
    // From the job's thread: streamed text, emitted as `signal` on the UI thread.
    std::function<void(std::string_view)> textSink(void (AskEngine::*signal)(const QString&));
    // From the job's thread: hands the session's numbers to the UI thread.
    void reportMeasurements(app::CorpusSession& s);

    QString workspaceDir_;
    QThread* job_ = nullptr;
    std::atomic<bool> cancel_{false};
    Slot questions_, completions_;
    RemoteSlot remoteQuestions_, remoteCompletions_;
    bool completing_ = false;
    app::AskRecord last_;
    app::EngineRun lastRun_;
    std::optional<app::CacheStats> cacheStats_;
};

}  // namespace folio::ui
