#include "folio/code/completion_provider.h"

namespace folio::code {
namespace {

// The workspace's index with one file's text replaced by the editor's buffer.
class BufferOverlay : public SymbolSource {
public:
    BufferOverlay(const SymbolSource& base, const CompletionRequest& request) : base_(base), request_(request) {}

    std::optional<SourceFile> file(const std::string& path) const override
    {
        auto f = base_.file(path);
        if (path != request_.path) return f;
        SourceFile buffer = f ? *f : SourceFile{path, {}, {}};
        buffer.text = request_.text;
        return buffer;
    }
    std::vector<std::string> indexedPaths() const override { return base_.indexedPaths(); }
    std::vector<Import> importsOf(const std::string& path) const override { return base_.importsOf(path); }
    std::vector<SymbolLocation> symbolsNamed(const std::string& name) const override { return base_.symbolsNamed(name); }
    std::vector<SymbolLocation> symbolsIn(const std::string& path) const override { return base_.symbolsIn(path); }
    std::vector<SymbolLocation> membersOf(const std::string& c) const override { return base_.membersOf(c); }
    std::vector<SymbolLocation> symbolsStartingWith(const std::string& p, int limit) const override
    {
        return base_.symbolsStartingWith(p, limit);
    }
    std::vector<ReferenceLocation> referencesNamed(const std::string& name) const override { return base_.referencesNamed(name); }
    std::map<std::string, int> useCounts(const std::string& prefix) const override { return base_.useCounts(prefix); }

private:
    const SymbolSource& base_;
    const CompletionRequest& request_;
};

}  // namespace

IdentifierCompletion::IdentifierCompletion(const SymbolSource& source) : source_(source) {}
IdentifierCompletion::~IdentifierCompletion() = default;

std::vector<Completion> IdentifierCompletion::complete(const CompletionRequest& request, int limit)
{
    const BufferOverlay overlay(source_, request);
    return CodeNavigator(overlay).complete({request.path, request.position}, limit);
}

}  // namespace folio::code
