// The corpus's document labels and page/line markers, and citations in answers: well-formed, malformed and
// unknown ones, resolved against the corpus to the page or lines they name.

#include "folio/app/ask_history.h"
#include "folio/app/ask_prompt.h"
#include "folio/app/citations.h"
#include "folio/app/corpus.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace folio;

namespace {

ingest::Document fileDocument(const std::string& path, int lines)
{
    ingest::Document d;
    d.path = path;
    for (int i = 1; i <= lines; ++i) d.text += "line " + std::to_string(i) + " of " + path + "\n";
    d.size = d.text.size();
    d.contentHash = "file-" + path;
    return d;
}

ingest::Document pdfDocument(const std::string& path, int pages)
{
    ingest::Document d;
    d.path = path;
    d.kind = ingest::DocumentKind::Pdf;
    for (int p = 1; p <= pages; ++p) {
        ingest::Page page;
        page.number = p;
        page.width = 612;
        page.height = 792;
        ingest::TextLine line;
        line.text = "Clause " + std::to_string(p) + " of the agreement.";
        line.box = {72, 72, 300, 12};
        page.lines.push_back(line);
        d.pages.push_back(page);
    }
    d.size = 1000;
    d.contentHash = "pdf-" + path;
    return d;
}

}  // namespace

class TestCitations : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<app::WorkspaceStore> store;
    std::unique_ptr<engine::GgufFile> file;
    std::unique_ptr<engine::Tokenizer> tokenizer;
    app::Corpus corpus;

    app::Citation only(const std::string& answer)
    {
        const auto found = app::findCitations(answer, corpus);
        if (found.size() != 1) qWarning("%zu citations in %s", found.size(), answer.c_str());
        return found.size() == 1 ? found[0] : app::Citation{};
    }

private slots:
    void initTestCase()
    {
        store = std::make_unique<app::WorkspaceStore>(tmp.filePath("ws").toStdString());
        const auto source = store->beginSource("repository", "/contracts", "");
        store->writeDocument(source.id, pdfDocument("lease.pdf", 5));
        store->writeDocument(source.id, fileDocument("src/fees.cpp", 35));
        const std::string model = tmp.filePath("m.gguf").toStdString();
        test::writeTinyModel(model, {test::TinyVariant::Qwen35, engine::TensorType::F32, 1, 1});
        file = std::make_unique<engine::GgufFile>(model);
        tokenizer = std::make_unique<engine::Tokenizer>(*file);
        corpus = app::Corpus::build(*store, *tokenizer, app::AskPrompt::raw().corpusFrame());
    }

    void corpusCarriesLabelsAndMarkers()
    {
        QCOMPARE(corpus.documents().size(), std::size_t(2));
        QCOMPARE(corpus.documents()[0].label, std::string("D1"));
        QCOMPARE(corpus.documents()[1].label, std::string("D2"));
        const std::string text = tokenizer->decode(corpus.tokens());
        QVERIFY(text.find("<document id=\"D1\" path=\"lease.pdf\">\n[D1 p.1]\nClause 1") != std::string::npos);
        QVERIFY(text.find("[D1 p.5]\nClause 5") != std::string::npos);
        QVERIFY(text.find("[D2 L1] line 1 of src/fees.cpp\nline 2") != std::string::npos);
        QVERIFY(text.find("[D2 L11] line 11 of") != std::string::npos);
        QVERIFY(text.find("[D2 L2]") == std::string::npos);  // every tenth line only
        QVERIFY(text.find("[D2 L31] line 31") != std::string::npos);
        QVERIFY(text.find("cite where it stands") != std::string::npos);  // the instructions
        // The map back from tokens still gives every line, markers or not.
        const auto& fees = corpus.documents()[1];
        QCOMPARE(fees.anchors.size(), std::size_t(35));
        QCOMPARE(corpus.locate(fees.anchors[11].first)->line, 12);
        QCOMPARE(corpus.locate(fees.anchors[10].first)->line, 11);
        QCOMPARE(corpus.byLabel("D2"), &fees);
        QVERIFY(!corpus.byLabel("D3"));
        QVERIFY(!corpus.byLabel("D0"));
        QVERIFY(!corpus.byLabel("D1x"));
    }

    void wellFormed()
    {
        auto c = only("The term is five years [D1 p.3].");
        QVERIFY2(c.resolved(), c.problem.c_str());
        QCOMPARE(c.path, std::string("lease.pdf"));
        QCOMPARE(c.page, 3);
        QCOMPARE(c.pageEnd, 3);
        QCOMPARE(c.offset, std::size_t(23));
        QCOMPARE(app::describe(c), std::string("lease.pdf, page 3"));

        c = only("fees are computed in [D2 L21-30]");
        QVERIFY2(c.resolved(), c.problem.c_str());
        QCOMPARE(c.path, std::string("src/fees.cpp"));
        QCOMPARE(c.line, 21);
        QCOMPARE(c.lineEnd, 30);
        QCOMPARE(app::describe(c), std::string("src/fees.cpp, lines 21-30"));

        c = only("[D1 pp.2-4]");
        QCOMPARE(c.page, 2);
        QCOMPARE(c.pageEnd, 4);
        c = only("[D1 page 5]");
        QCOMPARE(c.page, 5);
        c = only("[D2 line 7]");
        QCOMPARE(c.line, 7);
        c = only("[D1]");
        QVERIFY(c.resolved());
        QCOMPARE(c.page, 0);
        QCOMPARE(app::describe(c), std::string("lease.pdf"));

        const auto several = app::findCitations("Both [D1 p.2; D2 L5, L9] and [D1 p.1, 4].", corpus);
        QCOMPARE(several.size(), std::size_t(5));
        QCOMPARE(several[0].page, 2);
        QCOMPARE(several[1].line, 5);
        QCOMPARE(several[2].label, std::string("D2"));
        QCOMPARE(several[2].line, 9);
        QCOMPARE(several[3].page, 1);
        QCOMPARE(several[4].label, std::string("D1"));
        QCOMPARE(several[4].page, 4);  // a bare number continues the item before it
        for (const auto& s : several) QVERIFY2(s.resolved(), s.problem.c_str());
    }

    void unknownOrMissing()
    {
        auto c = only("[D9 p.1]");
        QVERIFY(!c.resolved());
        QCOMPARE(c.problem, std::string("there is no document D9 in the corpus"));
        c = only("[D1 p.6]");
        QVERIFY(!c.resolved());
        QCOMPARE(c.problem, std::string("lease.pdf has no page 6"));
        c = only("[D2 L30-36]");
        QCOMPARE(c.problem, std::string("src/fees.cpp has no lines 30-36"));
        QVERIFY(app::describe(c).starts_with("not found: "));
    }

    void malformed()
    {
        auto c = only("[D1 p.]");
        QVERIFY(!c.resolved());
        QVERIFY2(c.problem.find("not a page") != std::string::npos, c.problem.c_str());
        c = only("[D1 L4]");  // lines of a PDF
        QVERIFY(!c.resolved());
        c = only("[D2 p.2]");  // a page of a file
        QVERIFY(!c.resolved());
        QVERIFY2(c.problem.find("not a line") != std::string::npos, c.problem.c_str());
        c = only("[D2 L9-3]");
        QVERIFY(!c.resolved());
        c = only("[D2 L0]");
        QVERIFY(!c.resolved());
    }

    // The history keeps citations as they were resolved, through JSON and back.
    void citationsRoundTrip()
    {
        const auto found = app::findCitations("[D1 pp.2-3; D2 L11-20] [D7]", corpus);
        QCOMPARE(found.size(), std::size_t(3));
        const auto back = app::citationsFromJson(app::citationsToJson(found));
        QCOMPARE(back.size(), found.size());
        for (std::size_t i = 0; i < found.size(); ++i) {
            QCOMPARE(back[i].text, found[i].text);
            QCOMPARE(back[i].offset, found[i].offset);
            QCOMPARE(back[i].path, found[i].path);
            QCOMPARE(back[i].page, found[i].page);
            QCOMPARE(back[i].pageEnd, found[i].pageEnd);
            QCOMPARE(back[i].line, found[i].line);
            QCOMPARE(back[i].lineEnd, found[i].lineEnd);
            QCOMPARE(back[i].problem, found[i].problem);
        }
        QVERIFY(!back[2].resolved());
        QVERIFY(app::citationsFromJson("not json").empty());
    }

    void notCitations()
    {
        QVERIFY(app::findCitations("See [1], [sic] and [Docs]; [D] [d1 p.2] [D1 p.2", corpus).empty());
        QVERIFY(app::findCitations("", corpus).empty());
        // A bracket left open does not make every later '[' scan the rest of the answer.
        const std::string longAnswer = "[D1 p.1 " + std::string(1000, 'x') + "]";
        QVERIFY(app::findCitations(longAnswer, corpus).empty());
    }

    // Answers are untrusted text: a model may write anything between brackets. 200,000 seeded random answers,
    // half made of citation syntax and half valid citations mutated byte by byte (numbers past int, en dashes cut
    // in half, nested and unclosed brackets), never break the parser: every citation points at a '[' of the answer,
    // a resolved one names a page or line the document has with its range in order, an unresolved one says why.
    void arbitraryAnswersKeepTheInvariants()
    {
        std::mt19937 random(20261203);
        const std::vector<std::string> pieces = {"[", "]", "D", "D1", "D2", "D3", "D0", " ", ";", ",", "p.", "pp.", "page ",
                                                 "pages ", "L", "line ", "lines ", "-", "\u2013", "\xe2\x80", "0", "1",
                                                 "3", "5", "35", "36", "2147483647", "2147483648", "99999999999999999999",
                                                 "\n", "\xff", "x", "[D1 p.3]", "[D2 L21-30]"};
        const std::vector<std::string> valid = {"[D1 p.3]", "[D2 L21-30]", "[D1 pp.2-4]", "[D1 p.2; D2 L5, L9]", "[D1 p.1, 4]", "[D2]"};
        std::uniform_int_distribution<int> byte(0, 255);
        std::size_t resolved = 0, unresolved = 0;
        for (int i = 0; i < 200000; ++i) {
            std::string answer;
            if (i % 2 == 0) {
                const int n = 1 + int(random() % 12);
                for (int k = 0; k < n; ++k) answer += pieces[random() % pieces.size()];
            } else {
                answer = "text " + valid[random() % valid.size()] + " more";
                for (int edits = 1 + int(random() % 3); edits > 0; --edits) {
                    const std::size_t at = random() % answer.size();
                    switch (random() % 3) {
                    case 0: answer[at] = char(byte(random)); break;
                    case 1: answer.erase(at, 1); break;
                    default: answer.insert(at, pieces[random() % pieces.size()]);
                    }
                }
            }
            const auto found = app::findCitations(answer, corpus);
            for (const auto& c : found) {
                QVERIFY2(c.offset < answer.size() && answer[c.offset] == '[', answer.c_str());
                QVERIFY(!app::describe(c).empty());
                if (!c.resolved()) {
                    ++unresolved;
                    continue;
                }
                ++resolved;
                const auto* doc = corpus.byLabel(c.label);
                QVERIFY2(doc && doc->path == c.path, answer.c_str());
                if (c.kind == "pdf") {
                    QVERIFY2(c.line == 0 && c.page <= c.pageEnd && c.pageEnd <= 5 && (c.page > 0 || c.pageEnd == 0), answer.c_str());
                } else {
                    QVERIFY2(c.page == 0 && c.line <= c.lineEnd && c.lineEnd <= 35 && (c.line > 0 || c.lineEnd == 0), answer.c_str());
                }
            }
        }
        // Both outcomes were exercised, not only one.
        QVERIFY(resolved > 10000);
        QVERIFY(unresolved > 10000);
    }
};

QTEST_GUILESS_MAIN(TestCitations)
#include "tst_citations.moc"
