#pragma once

// Completion behind one interface, so that the workbench asks the same way whoever answers: the embedded
// identifier completion (no model file) now, a model's fill-in-the-middle completion later.

#include "folio/code/code_navigator.h"

#include <memory>
#include <string>
#include <vector>

namespace folio::code {

struct CompletionRequest {
    std::string path;  // the file as the workspace names it
    Position position;  // where the cursor is, 0-based
    std::string text;   // the buffer as the user has it now (it may differ from the stored file)
};

class CompletionProvider {
public:
    virtual ~CompletionProvider() = default;
    virtual std::string name() const = 0;
    virtual std::vector<Completion> complete(const CompletionRequest& request, int limit) = 0;
};

// Identifiers ranked by scope (CodeNavigator::complete) over the workspace's index, reading the request's
// buffer in place of the stored file.
class IdentifierCompletion : public CompletionProvider {
public:
    explicit IdentifierCompletion(const SymbolSource& source);
    ~IdentifierCompletion() override;
    std::string name() const override { return "identifiers"; }
    std::vector<Completion> complete(const CompletionRequest& request, int limit) override;

private:
    const SymbolSource& source_;
};

}  // namespace folio::code
