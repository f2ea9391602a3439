// ThinkingStream against ChatFormat::split: however the generated text is cut into pieces, the streamed
// reasoning and content deltas join to what split() makes of the whole text.

#include "folio/engine/chat_format.h"
#include "folio/engine/gguf.h"
#include "folio/engine/tokenizer.h"
#include "folio/serve/thinking_stream.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

using namespace folio;

namespace {

// A template whose generation prompt opens a thinking block and that reads enable_thinking, as Qwen3.5's does.
const char* kThinkingTemplate =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% if enable_thinking is false %}"
    "{{ '<think>\\n\\n</think>\\n\\n' }}{% else %}{{ '<think>\\n' }}{% endif %}{% endif %}";

engine::AnswerParts streamed(const std::string& text, std::size_t pieceSize, bool promptOpened)
{
    serve::ThinkingStream stream(promptOpened, true);
    engine::AnswerParts parts;
    auto take = [&](const std::vector<serve::StreamDelta>& deltas) {
        for (const auto& d : deltas) (d.thinking ? parts.thinking : parts.answer) += d.text;
    };
    for (std::size_t at = 0; at < text.size(); at += pieceSize) take(stream.feed(std::string_view(text).substr(at, pieceSize)));
    take(stream.finish());
    return parts;
}

}  // namespace

class TestThinkingStream : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<engine::GgufFile> file;
    std::unique_ptr<engine::Tokenizer> tokenizer;

private slots:
    void initTestCase()
    {
        engine::GgufWriter writer;
        test::addTinyTokenizer(writer);
        const std::string path = tmp.filePath("vocab.gguf").toStdString();
        writer.write(path);
        file = std::make_unique<engine::GgufFile>(path);
        tokenizer = std::make_unique<engine::Tokenizer>(*file);
    }

    void joinsToWhatSplitMakes_data()
    {
        QTest::addColumn<QString>("generated");
        QTest::addColumn<int>("thinking");
        const QStringList texts = {"The parties agree.\nThen </think> more", "I should look at clause 3.\n\n</think>\n\nClause 3.",
                                   "\n<think>\nhmm\n</think>\n\nYes.", "<think>unfinished thought", "  <thi", "",
                                   "\n\n</think>\n\nAnswer only", "no thinking <think> here"};
        for (int i = 0; i < texts.size(); ++i)
            for (int t : {int(engine::Thinking::Default), int(engine::Thinking::Off)})
                QTest::addRow("%d/%s", i, t == int(engine::Thinking::Off) ? "off" : "default") << texts[i] << t;
    }
    void joinsToWhatSplitMakes()
    {
        QFETCH(QString, generated);
        QFETCH(int, thinking);
        const auto format = engine::ChatFormat::fromTemplate(kThinkingTemplate, *tokenizer, "test");
        const auto mode = engine::Thinking(thinking);
        const bool promptOpened = format.thinksByDefault() && mode != engine::Thinking::Off;
        const std::string text = generated.toStdString();
        const auto whole = format.split(text, mode);
        for (std::size_t piece : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), text.size() + 1}) {
            const auto parts = streamed(text, piece, promptOpened);
            QCOMPARE(parts.thinking, whole.thinking);
            QCOMPARE(parts.answer, whole.answer);
        }
    }
    void withoutAThinkingBlockEverythingIsAnswer()
    {
        serve::ThinkingStream stream(false, false);
        auto deltas = stream.feed("<think>x</think>y");
        const auto rest = stream.finish();
        deltas.insert(deltas.end(), rest.begin(), rest.end());
        QCOMPARE(deltas.size(), std::size_t(1));
        QVERIFY(!deltas[0].thinking);
        QCOMPARE(deltas[0].text, std::string("<think>x</think>y"));
    }
};

QTEST_GUILESS_MAIN(TestThinkingStream)
#include "tst_thinkingstream.moc"
