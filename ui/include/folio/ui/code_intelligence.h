#pragma once

// The workspace's code index asked from the workbench: go-to-definition, references, symbol search, a file's
// outline and completion, answered on a worker thread so that a slow query (references over a big repository)
// never freezes the window. The worker has its own CodeStore (a SQLite connection stays on its thread) and
// navigator; answers come back on the UI thread, and a newer request of the same kind makes an older answer
// moot (it is dropped).

#include "folio/code/code_index.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <array>
#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace folio::ui {

// A place in a code file as the view shows it: the workspace path, a 0-based line and a column and length in
// characters (the index counts bytes; the worker converts with the file's text).
struct CodeSpot {
    QString path;
    int line = 0, column = 0, length = 0;
};

struct CodeSymbol {
    CodeSpot spot;   // the name
    int endLine = 0; // where the definition ends, 0-based
    QString name, kind, container, signature, doc;
    bool declaration = false;
    QString tier;    // definitions: where it was found from ("same file", "imported", ...)
};

struct CodeReference {
    CodeSpot spot;
    QString lineText;  // the line it is on, trimmed
};

struct CodeCompletion {
    QString name, kind, detail;
};

class CodeIntelligence : public QObject {
    Q_OBJECT
public:
    explicit CodeIntelligence(QObject* parent = nullptr);
    ~CodeIntelligence() override;

    // The workspace whose index is asked from now on (opened on the worker at the next request).
    void setWorkspace(const QString& dir);

    // Definitions go to the definition; hovers ask the same question but must not cancel a jump.
    enum class Purpose { Jump, Hover };
    void definitions(const QString& path, code::Position at, Purpose purpose,
                     std::function<void(const QString& identifier, const QVector<CodeSymbol>&)> done);
    void references(const QString& path, code::Position at,
                    std::function<void(const QString& identifier, const QVector<CodeReference>&)> done);
    void searchSymbols(const QString& query, std::function<void(const QVector<CodeSymbol>&)> done);
    // The file's symbols in the order they start (nest them by their ranges).
    void outline(const QString& path, std::function<void(const QVector<CodeSymbol>&)> done);
    // Completion asked through code::CompletionProvider, with the editor's buffer in place of the stored file.
    void complete(const QString& path, code::Position at, const QString& buffer,
                  std::function<void(const QVector<CodeCompletion>&)> done);

private:
    enum Channel { Jump, Hover, References, Symbols, Outline, Completion, kChannels };
    struct Worker;
    // Runs `work` on the worker unless a newer request on `channel` came first, then `done` on this thread.
    template <class Result>
    void post(Channel channel, std::function<Result(Worker&)> work, std::function<void(const Result&)> done);

    QThread* thread_;
    QObject* context_;  // lives on the worker thread: what posted work runs in
    std::shared_ptr<Worker> worker_;
    std::shared_ptr<std::array<std::atomic<int>, kChannels>> latest_;
};

}  // namespace folio::ui
