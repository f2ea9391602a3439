#pragma once

// The grammars Folio parses with, and what the indexer needs to know of each beyond its query: which leaf
// nodes are identifiers, which name types, and how member access and calls are spelled in its syntax tree.

#include <set>
#include <string>
#include <string_view>
#include <vector>

struct TSLanguage;

namespace folio::code {

// A parent node type and the field that holds the child of interest.
struct FieldOf {
    std::string_view parent, field;
};

// parent.object is the receiver and parent.member the member: `a.b`, `a->b`, `a::b`.
struct MemberAccess {
    std::string_view parent, object, member;
};

struct CodeLanguage {
    std::string_view grammar;  // also the name of its query file, code/queries/<grammar>.scm
    const TSLanguage* (*language)();
    std::vector<std::string_view> identifiers;      // leaf node types that name something
    std::vector<std::string_view> typeIdentifiers;  // those of them that always name a type
    std::vector<MemberAccess> memberAccess;
    std::vector<FieldOf> calls;                     // parent.field is the callee
    std::string_view onlyUnder;                     // if set: the first identifier type counts only under this parent
    bool assignmentDeclares = false;                // a first assignment declares a variable (no `let` or type)
    // A same-length rewrite of a text the grammar misparses, tried when the first parse has errors and kept
    // when it has fewer (syntax_repair.cpp); null when the grammar needs none.
    std::string (*repair)(std::string_view text) = nullptr;
    // JSX: the name of an element (parent.field) that starts in lower case is a built-in element, which
    // TypeScript declares as a member of the JSX.IntrinsicElements interface: it is a use of that member.
    std::vector<FieldOf> intrinsicElementNames;
    // C and C++: object-like macros whose bodies declare fields (`#define X_FIELDS int a; char* b;`) have
    // those fields indexed as members of the macro.
    bool macroFields = false;
    // A same-length rewrite applied before every parse (null when none).
    std::string (*prepare)(std::string_view text) = nullptr;
};

std::string separateCallSignatures(std::string_view text);
std::string blankCommentsInMacros(std::string_view text);
std::string macroBodyAsStruct(std::string_view text, std::size_t define, std::size_t valueBegin, std::size_t valueEnd);

const CodeLanguage* codeLanguage(std::string_view grammar);
const std::vector<CodeLanguage>& codeLanguages();
// The grammar's reserved words: its anonymous tokens spelled like identifiers (`return`, `struct`, `def`).
// Those spelled in capitals (C's NULL) are constants to a user, not keywords, and are left out.
const std::set<std::string, std::less<>>& reservedWords(std::string_view grammar);
// The query text of a grammar (empty if it has none).
std::string_view queryText(std::string_view grammar);

}  // namespace folio::code
