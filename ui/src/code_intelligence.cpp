#include "folio/ui/code_intelligence.h"

#include "folio/app/code_store.h"
#include "folio/code/completion_provider.h"

#include <QThread>

#include <map>
#include <optional>

namespace folio::ui {

struct CodeIntelligence::Worker {
    std::string dir;
    std::unique_ptr<app::CodeStore> store;
    std::unique_ptr<code::CodeNavigator> navigator;
    std::unique_ptr<code::CompletionProvider> completion;

    // The files one answer's positions are on, with where their lines start: columns are turned from bytes
    // into characters with them. Read again for each answer (an ingest may have changed them).
    struct Lines {
        std::string text;
        std::vector<std::size_t> starts{0};
    };
    std::map<std::string, std::optional<Lines>> files;

    void open()
    {
        files.clear();
        if (!store) {
            store = std::make_unique<app::CodeStore>(dir);
            completion = std::make_unique<code::IdentifierCompletion>(*store);
        }
        // A navigator per answer: it keeps the files and indexes it read, which an ingest in the meantime may
        // have changed.
        navigator = std::make_unique<code::CodeNavigator>(*store);
    }
    void close()
    {
        completion.reset();
        navigator.reset();
        store.reset();
    }

    const Lines* linesOf(const std::string& path)
    {
        auto [it, added] = files.try_emplace(path);
        if (added)
            if (const auto file = store->file(path)) {
                Lines lines{file->text};
                for (std::size_t i = 0; i < lines.text.size(); ++i)
                    if (lines.text[i] == '\n') lines.starts.push_back(i + 1);
                it->second = std::move(lines);
            }
        return it->second ? &*it->second : nullptr;
    }
    std::string_view lineBytes(const std::string& path, int line)
    {
        const Lines* lines = linesOf(path);
        if (!lines || line < 0 || line >= int(lines->starts.size())) return {};
        const std::size_t begin = lines->starts[line];
        const std::size_t end = line + 1 < int(lines->starts.size()) ? lines->starts[line + 1] - 1 : lines->text.size();
        return std::string_view(lines->text).substr(begin, end - begin);
    }
    int characterColumn(const std::string& path, int line, int byteColumn)
    {
        const std::string_view bytes = lineBytes(path, line).substr(0, std::size_t(std::max(0, byteColumn)));
        return int(QString::fromUtf8(bytes.data(), qsizetype(bytes.size())).size());
    }
    CodeSpot spot(const std::string& path, const code::Range& range)
    {
        CodeSpot s{QString::fromStdString(path), range.begin.line, characterColumn(path, range.begin.line, range.begin.column)};
        if (range.end.line == range.begin.line) s.length = characterColumn(path, range.end.line, range.end.column) - s.column;
        return s;
    }
    CodeSymbol symbol(const code::SymbolLocation& l)
    {
        const code::Symbol& s = l.symbol;
        return {spot(l.path, s.nameRange), s.range.end.line, QString::fromStdString(s.name), QString::fromStdString(s.kind),
                QString::fromStdString(s.container), QString::fromStdString(s.signature), QString::fromStdString(s.doc),
                s.declaration, {}};
    }
};

CodeIntelligence::CodeIntelligence(QObject* parent)
    : QObject(parent), thread_(new QThread(this)), context_(new QObject), worker_(std::make_shared<Worker>()),
      latest_(std::make_shared<std::array<std::atomic<int>, kChannels>>())
{
    context_->moveToThread(thread_);
    thread_->start();
}

CodeIntelligence::~CodeIntelligence()
{
    // The store closes on the thread that opened it; a query under way finishes first.
    QMetaObject::invokeMethod(context_, [worker = worker_] {
        worker->close();
        QThread::currentThread()->quit();
    });
    thread_->wait();
    delete context_;
}

void CodeIntelligence::setWorkspace(const QString& dir)
{
    QMetaObject::invokeMethod(context_, [worker = worker_, dir = dir.toStdString()] {
        worker->close();
        worker->dir = dir;
    });
}

template <class Result>
void CodeIntelligence::post(Channel channel, std::function<Result(Worker&)> work, std::function<void(const Result&)> done)
{
    const int serial = ++(*latest_)[channel];
    QMetaObject::invokeMethod(context_, [this, channel, serial, work, done, worker = worker_, latest = latest_] {
        if ((*latest)[channel] != serial) return;  // a newer request is queued behind this one
        Result result{};
        try {
            worker->open();
            result = work(*worker);
        } catch (const std::exception& e) {
            qWarning("Code index: %s", e.what());
        }
        // `this` outlives the worker thread (its destructor waits), and Qt drops the call if it is gone by then.
        QMetaObject::invokeMethod(this, [this, channel, serial, done, result] {
            if ((*latest_)[channel] == serial) done(result);
        }, Qt::QueuedConnection);
    });
}

void CodeIntelligence::definitions(const QString& path, code::Position at, Purpose purpose,
                                   std::function<void(const QString&, const QVector<CodeSymbol>&)> done)
{
    using Answer = std::pair<QString, QVector<CodeSymbol>>;
    post<Answer>(purpose == Purpose::Jump ? Jump : Hover, [position = code::CodePosition{path.toStdString(), at}](Worker& w) {
        Answer answer;
        if (const auto name = w.navigator->identifierAt(position)) answer.first = QString::fromStdString(*name);
        for (const auto& d : w.navigator->definitions(position)) {
            CodeSymbol s = w.symbol(d.location);
            s.tier = QString::fromUtf8(code::toString(d.tier));
            answer.second.push_back(s);
        }
        return answer;
    }, [done](const Answer& a) { done(a.first, a.second); });
}

void CodeIntelligence::references(const QString& path, code::Position at,
                                  std::function<void(const QString&, const QVector<CodeReference>&)> done)
{
    using Answer = std::pair<QString, QVector<CodeReference>>;
    post<Answer>(References, [position = code::CodePosition{path.toStdString(), at}](Worker& w) {
        Answer answer;
        if (const auto name = w.navigator->identifierAt(position)) answer.first = QString::fromStdString(*name);
        for (const auto& r : w.navigator->references(position)) {
            const std::string_view line = w.lineBytes(r.path, r.reference.range.begin.line);
            answer.second.push_back({w.spot(r.path, r.reference.range),
                                     QString::fromUtf8(line.data(), qsizetype(line.size())).trimmed()});
        }
        return answer;
    }, [done](const Answer& a) { done(a.first, a.second); });
}

void CodeIntelligence::searchSymbols(const QString& query, std::function<void(const QVector<CodeSymbol>&)> done)
{
    post<QVector<CodeSymbol>>(Symbols, [query = query.toStdString()](Worker& w) {
        QVector<CodeSymbol> out;
        if (query.empty()) return out;
        for (const auto& hit : w.store->searchSymbols(query)) out.push_back(w.symbol(hit.location));
        return out;
    }, done);
}

void CodeIntelligence::outline(const QString& path, std::function<void(const QVector<CodeSymbol>&)> done)
{
    post<QVector<CodeSymbol>>(Outline, [path = path.toStdString()](Worker& w) {
        auto symbols = w.store->symbolsIn(path);
        // Outer definitions before the ones inside them, so that nesting by range needs one pass.
        std::stable_sort(symbols.begin(), symbols.end(), [](const auto& a, const auto& b) {
            const code::Range &x = a.symbol.range, &y = b.symbol.range;
            return x.begin == y.begin ? y.end < x.end : x.begin < y.begin;
        });
        QVector<CodeSymbol> out;
        for (const auto& s : symbols) out.push_back(w.symbol(s));
        return out;
    }, done);
}

void CodeIntelligence::complete(const QString& path, code::Position at, const QString& buffer,
                                std::function<void(const QVector<CodeCompletion>&)> done)
{
    post<QVector<CodeCompletion>>(Completion, [request = code::CompletionRequest{path.toStdString(), at, buffer.toStdString()}](Worker& w) {
        QVector<CodeCompletion> out;
        for (const auto& c : w.completion->complete(request, 50))
            out.push_back({QString::fromStdString(c.name), QString::fromStdString(c.kind), QString::fromStdString(c.detail)});
        return out;
    }, done);
}

}  // namespace folio::ui
