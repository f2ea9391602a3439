#include "folio/app/corpus.h"

#include <algorithm>
#include <charconv>

namespace folio::app {
namespace {

// Appends the tokens of `text` and returns, for every byte offset in `breaks` (ascending), the index of the
// token that holds that byte. Byte-level BPE decodes exactly, so decoded lengths give each token's offset.
// Without a tokenizer the text itself is appended and the breaks are byte offsets into it.
std::vector<std::int64_t> appendText(const engine::Tokenizer* tokenizer, const std::string& text,
                                     const std::vector<std::size_t>& breaks, std::vector<std::int32_t>& out,
                                     std::string& plain)
{
    if (!tokenizer) {
        std::vector<std::int64_t> at;
        for (std::size_t b : breaks) at.push_back(std::int64_t(plain.size() + b));
        plain += text;
        return at;
    }
    const auto ids = tokenizer->encode(text, false);
    std::vector<std::int64_t> at;
    std::size_t offset = 0, next = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::size_t len = tokenizer->tokenText(ids[i]).size();
        while (next < breaks.size() && breaks[next] < offset + len) {
            at.push_back(std::int64_t(out.size() + i));
            ++next;
        }
        offset += len;
    }
    while (next++ < breaks.size()) at.push_back(std::int64_t(out.size() + ids.size()));
    out.insert(out.end(), ids.begin(), ids.end());
    return at;
}

}  // namespace

Corpus Corpus::build(const WorkspaceStore& store, const engine::Tokenizer& tokenizer, const CorpusFrame& frame,
                     const std::set<std::int64_t>& only)
{
    return build(store, &tokenizer, frame, only);
}

Corpus Corpus::buildText(const WorkspaceStore& store, const CorpusFrame& frame, const std::set<std::int64_t>& only)
{
    return build(store, nullptr, frame, only);
}

Corpus Corpus::build(const WorkspaceStore& store, const engine::Tokenizer* tokenizer, const CorpusFrame& frame,
                     const std::set<std::int64_t>& only)
{
    Corpus c;
    if (tokenizer) c.tokens_ = frame.before.tokens(*tokenizer);
    else c.text_ = frame.before.str();
    // Positions are tokens, or bytes of the text without a tokenizer.
    const auto end = [&] { return std::int64_t(tokenizer ? c.tokens_.size() : c.text_.size()); };
    auto records = store.documents();
    std::sort(records.begin(), records.end(), [](auto& a, auto& b) { return a.id < b.id; });
    for (const auto& record : records) {
        if (record.status != "ok" && record.status != "warning") continue;
        if (!only.empty() && !only.count(record.id)) continue;
        if (frame.repositoryFiles && record.kind != "file") continue;
        const ingest::Document doc = store.loadDocument(record.id);
        const std::string label = "D" + std::to_string(c.documents_.size() + 1);
        CorpusDocument cd{record.id, label, record.path, record.kind, end(), 0, {}};
        if (frame.repositoryFiles) {
            const auto file = frame.repositoryFiles->file(record.path, doc.text);
            if (tokenizer) {
                const auto ids = file.tokens(*tokenizer);
                c.tokens_.insert(c.tokens_.end(), ids.begin(), ids.end());
            } else {
                c.text_ += file.str();
            }
            cd.tokenEnd = end();
            c.documents_.push_back(std::move(cd));
            continue;
        }
        appendText(tokenizer, "<document id=\"" + label + "\" path=\"" + record.path + "\">\n", {}, c.tokens_, c.text_);
        std::string text;
        std::vector<std::size_t> breaks;
        std::vector<int> labels;
        if (doc.kind == ingest::DocumentKind::File) {
            int line = 1;
            for (std::size_t pos = 0; pos < doc.text.size(); ++line) {
                breaks.push_back(text.size());
                labels.push_back(line);
                if (line % kLineMarkerEvery == 1) text += "[" + label + " L" + std::to_string(line) + "] ";
                const std::size_t nl = doc.text.find('\n', pos);
                const std::size_t end = nl == std::string::npos ? doc.text.size() : nl + 1;
                text.append(doc.text, pos, end - pos);
                pos = end;
            }
        } else {
            // Body text only: running headers and footers would repeat on every page for no information.
            for (const auto& page : doc.pages) {
                breaks.push_back(text.size());
                labels.push_back(page.number);
                text += "[" + label + " p." + std::to_string(page.number) + "]\n";
                for (const auto& line : page.lines)
                    if (line.role == ingest::LineRole::Body) text += line.text + "\n";
            }
        }
        if (!text.empty() && text.back() != '\n') text += '\n';
        const auto at = appendText(tokenizer, text, breaks, c.tokens_, c.text_);
        for (std::size_t i = 0; i < at.size(); ++i) cd.anchors.emplace_back(at[i], labels[i]);
        appendText(tokenizer, "</document>\n", {}, c.tokens_, c.text_);
        cd.tokenEnd = end();
        c.documents_.push_back(std::move(cd));
    }
    if (!tokenizer) {
        c.text_ += frame.after.str();
        return c;
    }
    const auto after = frame.after.tokens(*tokenizer);
    c.tokens_.insert(c.tokens_.end(), after.begin(), after.end());
    return c;
}

const CorpusDocument* Corpus::byLabel(std::string_view label) const
{
    // Labels are the documents' numbers, so the label is the index.
    std::size_t n = 0;
    if (label.size() < 2 || label[0] != 'D' ||
        std::from_chars(label.data() + 1, label.data() + label.size(), n).ptr != label.data() + label.size())
        return nullptr;
    return n >= 1 && n <= documents_.size() ? &documents_[n - 1] : nullptr;
}

std::optional<CorpusLocation> Corpus::locate(std::int64_t token) const
{
    auto doc = std::upper_bound(documents_.begin(), documents_.end(), token,
                                [](std::int64_t t, const CorpusDocument& d) { return t < d.tokenBegin; });
    if (doc == documents_.begin()) return std::nullopt;
    --doc;
    if (token >= doc->tokenEnd) return std::nullopt;
    CorpusLocation loc{doc->path, 0, 0};
    auto anchor = std::upper_bound(doc->anchors.begin(), doc->anchors.end(), token,
                                   [](std::int64_t t, const auto& a) { return t < a.first; });
    if (anchor != doc->anchors.begin()) {
        --anchor;
        (doc->kind == "pdf" ? loc.page : loc.line) = anchor->second;
    }
    return loc;
}

std::vector<std::int64_t> Corpus::snapshotPoints(std::int64_t every) const
{
    std::vector<std::int64_t> points;
    std::int64_t last = 0;
    auto addUpTo = [&](std::int64_t end) {
        while (every > 0 && end - last > every) points.push_back(last += every);
        if (end > last) points.push_back(last = end);
    };
    for (const auto& d : documents_) addUpTo(d.tokenEnd);
    addUpTo(std::int64_t(tokens_.size()));
    return points;
}

}  // namespace folio::app
