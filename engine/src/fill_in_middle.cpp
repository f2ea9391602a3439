#include "folio/engine/fill_in_middle.h"

namespace folio::engine {
namespace {

constexpr const char* kPrefix = "<|fim_prefix|>";
constexpr const char* kSuffix = "<|fim_suffix|>";
constexpr const char* kMiddle = "<|fim_middle|>";
constexpr const char* kPad = "<|fim_pad|>";
constexpr const char* kRepoName = "<|repo_name|>";
constexpr const char* kFileSep = "<|file_sep|>";

bool hasToken(const Tokenizer& tokenizer, const char* text)
{
    const auto ids = tokenizer.encode(text, true);
    return ids.size() == 1 && tokenizer.isSpecial(ids[0]);
}

}  // namespace

std::optional<FillInMiddle> FillInMiddle::fromTokenizer(const Tokenizer& tokenizer)
{
    for (const char* t : {kPrefix, kSuffix, kMiddle})
        if (!hasToken(tokenizer, t)) return std::nullopt;
    FillInMiddle f;
    f.repositoryLevel_ = hasToken(tokenizer, kRepoName) && hasToken(tokenizer, kFileSep);
    return f;
}

FillInMiddle FillInMiddle::qwenCoder()
{
    FillInMiddle f;
    f.repositoryLevel_ = true;
    return f;
}

Prompt FillInMiddle::repositoryHeader(const std::string& name) const
{
    if (!repositoryLevel_) return {};
    return Prompt().markup(kRepoName).text(name + "\n");
}

Prompt FillInMiddle::file(const std::string& path, const std::string& content) const
{
    if (!repositoryLevel_) return {};
    return Prompt().markup(kFileSep).text(path + "\n" + content + (content.ends_with('\n') ? "" : "\n"));
}

Prompt FillInMiddle::tail(const std::string& path, const std::string& prefix, const std::string& suffix) const
{
    Prompt p;
    if (repositoryLevel_) p.markup(kFileSep).text(path + "\n");
    return p.markup(kPrefix).text(prefix).markup(kSuffix).text(suffix).markup(kMiddle);
}

std::vector<std::string> FillInMiddle::stopStrings() const
{
    return {"<|endoftext|>", kFileSep, kPad, kRepoName, kPrefix, "<|im_end|>"};
}

}  // namespace folio::engine
