#include "code_languages.h"

#include "folio/code/code_index.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>

extern "C" {
const TSLanguage* tree_sitter_bash();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_c_sharp();
const TSLanguage* tree_sitter_cpp();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_php();
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_ruby();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
}

namespace folio::code {

extern const std::pair<std::string_view, std::string_view> kEmbeddedQueries[];
extern const int kEmbeddedQueryCount;

namespace {

const std::vector<MemberAccess> kJsMembers = {{"member_expression", "object", "property"}};
const std::vector<FieldOf> kJsCalls = {{"call_expression", "function"}, {"new_expression", "constructor"}};
const std::vector<std::string_view> kJsIdentifiers = {"identifier", "property_identifier", "private_property_identifier",
                                                      "shorthand_property_identifier"};
// <div>, <div/> and </div>.
const std::vector<FieldOf> kJsxElementNames = {
    {"jsx_opening_element", "name"}, {"jsx_self_closing_element", "name"}, {"jsx_closing_element", "name"}};
const std::vector<std::string_view> kTsIdentifiers = {"identifier", "property_identifier", "private_property_identifier",
                                                      "shorthand_property_identifier", "type_identifier"};

}  // namespace

const std::vector<CodeLanguage>& codeLanguages()
{
    static const std::vector<CodeLanguage> languages = {
        {"c", tree_sitter_c, {"identifier", "field_identifier", "type_identifier"}, {"type_identifier"},
         {{"field_expression", "argument", "field"}}, {{"call_expression", "function"}}, {}, false, nullptr, {}, true, blankCommentsInMacros},
        {"cpp", tree_sitter_cpp, {"identifier", "field_identifier", "type_identifier", "namespace_identifier"},
         {"type_identifier"},
         {{"field_expression", "argument", "field"}, {"qualified_identifier", "scope", "name"}},
         {{"call_expression", "function"}}, {}, false, nullptr, {}, true, blankCommentsInMacros},
        {"python", tree_sitter_python, {"identifier"}, {}, {{"attribute", "object", "attribute"}}, {{"call", "function"}}, {}, true},
        {"javascript", tree_sitter_javascript, kJsIdentifiers, {}, kJsMembers, kJsCalls, {}, false, nullptr, kJsxElementNames},
        {"typescript", tree_sitter_typescript, kTsIdentifiers, {"type_identifier"}, kJsMembers, kJsCalls, {}, false,
         separateCallSignatures},  // TSX is left alone: a line starting with `<` there is JSX
        {"tsx", tree_sitter_tsx, kTsIdentifiers, {"type_identifier"}, kJsMembers, kJsCalls, {}, false, nullptr, kJsxElementNames},
        {"go", tree_sitter_go, {"identifier", "field_identifier", "type_identifier", "package_identifier"}, {"type_identifier"},
         {{"selector_expression", "operand", "field"}, {"qualified_type", "package", "name"}},
         {{"call_expression", "function"}}, {}},
        {"rust", tree_sitter_rust, {"identifier", "field_identifier", "type_identifier", "shorthand_field_identifier"},
         {"type_identifier"},
         {{"field_expression", "value", "field"}, {"scoped_identifier", "path", "name"}, {"scoped_type_identifier", "path", "name"}},
         // f::<T>() and x.f::<T>(): generic_function wraps the callee.
         {{"call_expression", "function"}, {"macro_invocation", "macro"}, {"generic_function", "function"}}, {}},
        {"java", tree_sitter_java, {"identifier", "type_identifier"}, {"type_identifier"},
         {{"field_access", "object", "field"}, {"method_invocation", "object", "name"}},
         {{"method_invocation", "name"}, {"object_creation_expression", "type"}}, {}},
        {"c_sharp", tree_sitter_c_sharp, {"identifier"}, {}, {{"member_access_expression", "expression", "name"}},
         {{"invocation_expression", "function"}, {"object_creation_expression", "type"}}, {}},
        {"ruby", tree_sitter_ruby, {"identifier", "constant"}, {"constant"},  // constants are mostly classes and modules
         {{"call", "receiver", "method"}, {"scope_resolution", "scope", "name"}},
         {{"call", "method"}}, {}, true},
        {"php", tree_sitter_php, {"name"}, {},
         {{"member_access_expression", "object", "name"}, {"member_call_expression", "object", "name"},
          {"scoped_call_expression", "scope", "name"}},
         {{"function_call_expression", "function"}, {"member_call_expression", "name"}, {"scoped_call_expression", "name"},
          {"object_creation_expression", "type"}}, {}, true},
        // Bash: a command's first word is a call, other words are text; $NAME is a variable_name.
        {"bash", tree_sitter_bash, {"word", "variable_name"}, {}, {}, {{"command_name", ""}}, "command_name"},
    };
    return languages;
}

const CodeLanguage* codeLanguage(std::string_view grammar)
{
    for (const auto& l : codeLanguages())
        if (l.grammar == grammar) return &l;
    return nullptr;
}

const std::set<std::string, std::less<>>& reservedWords(std::string_view grammar)
{
    static const auto all = [] {
        std::map<std::string, std::set<std::string, std::less<>>, std::less<>> out;
        for (const auto& l : codeLanguages()) {
            auto& words = out[std::string(l.grammar)];
            const TSLanguage* language = l.language();
            for (TSSymbol symbol = 0; symbol < ts_language_symbol_count(language); ++symbol) {
                if (ts_language_symbol_type(language, symbol) != TSSymbolTypeAnonymous) continue;
                const std::string_view name = ts_language_symbol_name(language, symbol);
                const bool word = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')
                    && std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
                const bool lower = std::any_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
                if (word && lower) words.emplace(name);
            }
        }
        return out;
    }();
    static const std::set<std::string, std::less<>> none;
    const auto it = all.find(grammar);
    return it == all.end() ? none : it->second;
}

std::string_view queryText(std::string_view grammar)
{
    if (grammar == "tsx") grammar = "typescript";  // TSX is TypeScript with JSX: the same node names
    for (int i = 0; i < kEmbeddedQueryCount; ++i)
        if (kEmbeddedQueries[i].first == grammar) return kEmbeddedQueries[i].second;
    return {};
}

std::vector<std::string> supportedGrammars()
{
    std::vector<std::string> out;
    for (const auto& l : codeLanguages()) out.emplace_back(l.grammar);
    return out;
}

std::string grammarFor(std::string_view ingestLanguage, std::string_view path)
{
    std::string ext(path.substr(path.rfind('.') == std::string_view::npos ? path.size() : path.rfind('.') + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == "tsx") return "tsx";
    static const std::pair<std::string_view, std::string_view> byLanguage[] = {
        {"C", "c"}, {"C/C++", "cpp"}, {"C++", "cpp"}, {"CUDA", "cpp"}, {"Python", "python"},
        {"JavaScript", "javascript"}, {"TypeScript", "typescript"}, {"Go", "go"}, {"Rust", "rust"},
        {"Java", "java"}, {"C#", "c_sharp"}, {"Ruby", "ruby"}, {"PHP", "php"}, {"Shell", "bash"},
    };
    for (const auto& [language, grammar] : byLanguage)
        if (language == ingestLanguage) return std::string(grammar);
    return {};
}

const char* toString(ReferenceKind kind)
{
    switch (kind) {
    case ReferenceKind::Identifier: return "identifier";
    case ReferenceKind::Call: return "call";
    case ReferenceKind::Type: return "type";
    case ReferenceKind::Member: return "member";
    case ReferenceKind::Import: return "import";
    }
    return "identifier";
}

ReferenceKind referenceKindFromString(std::string_view s)
{
    for (auto k : {ReferenceKind::Call, ReferenceKind::Type, ReferenceKind::Member, ReferenceKind::Import})
        if (s == toString(k)) return k;
    return ReferenceKind::Identifier;
}

}  // namespace folio::code
