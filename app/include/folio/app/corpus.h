#pragma once

// A workspace (or some of its documents) as one stable token stream for the engine: a frame's opening (the
// chat format's system turn and the instructions), then each document between boundary markers, in a fixed
// order, then the frame's close, with a map from token ranges back to file lines or PDF pages. The same
// workspace content always gives the same tokens. Documents are ordered oldest content first (a re-ingested,
// changed document gets a new id and moves to the end), so a change invalidates only what follows it.
//
// Each document carries a short label (D1, D2, ...) and its pages ([D1 p.3]) and every tenth line of a file
// ([D2 L21]) are marked with it, so an answer can cite them in the same form (see citations.h).

#include "folio/app/workspace_store.h"
#include "folio/engine/chat_format.h"
#include "folio/engine/fill_in_middle.h"
#include "folio/engine/tokenizer.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace folio::app {

// Every how many lines a file carries a line marker: often enough that a model can count to the line it cites,
// rarely enough to add only about one token in twenty.
constexpr int kLineMarkerEvery = 10;

struct CorpusFrame {
    engine::Prompt before, after;
    // When set, the corpus is a repository in the fill-in-the-middle form of the vocabulary: each file after a
    // file separator, with no labels or markers, and PDFs left out.
    std::optional<engine::FillInMiddle> repositoryFiles;
};

struct CorpusDocument {
    std::int64_t documentId = 0;
    std::string label;  // "D1": its number in the corpus, as the markers and citations write it
    std::string path;
    std::string kind;  // "file" or "pdf"
    std::int64_t tokenBegin = 0, tokenEnd = 0;  // [begin, end) in Corpus::tokens (buildText: bytes of text), markers included
    // Where each line (files) or page (PDFs) starts: (first token or byte, line or page number), ascending.
    std::vector<std::pair<std::int64_t, int>> anchors;
};

struct CorpusLocation {
    std::string path;
    int line = 0;  // files
    int page = 0;  // PDFs
};

class Corpus {
public:
    // `only`: restrict to these document ids (empty: every readable document).
    static Corpus build(const WorkspaceStore& store, const engine::Tokenizer& tokenizer, const CorpusFrame& frame,
                        const std::set<std::int64_t>& only = {});
    // The same corpus as text, markup written out, for a remote engine that tokenises it itself: tokens() is
    // empty and the token positions (tokenBegin, tokenEnd, anchors) are byte offsets into text().
    static Corpus buildText(const WorkspaceStore& store, const CorpusFrame& frame, const std::set<std::int64_t>& only = {});
    const std::string& text() const { return text_; }

    const std::vector<std::int32_t>& tokens() const { return tokens_; }
    const std::vector<CorpusDocument>& documents() const { return documents_; }
    std::optional<CorpusLocation> locate(std::int64_t token) const;
    const CorpusDocument* byLabel(std::string_view label) const;

    // Positions where the prefill stops to take a snapshot: every document end and every `every` tokens
    // inside long documents, ascending, the last one the corpus end. Cached and uncached runs both prefill
    // exactly these segments, which is what makes their results bitwise equal.
    std::vector<std::int64_t> snapshotPoints(std::int64_t every) const;

private:
    static Corpus build(const WorkspaceStore& store, const engine::Tokenizer* tokenizer, const CorpusFrame& frame,
                        const std::set<std::int64_t>& only);

    std::vector<std::int32_t> tokens_;
    std::string text_;  // buildText only
    std::vector<CorpusDocument> documents_;
};

}  // namespace folio::app
