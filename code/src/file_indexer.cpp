// indexFile(): one parse with tree-sitter, one pass of the grammar's query for definitions, declarations,
// locals, imports and containers, and one walk over the leaves for the identifiers a file uses. References
// are found by the walk rather than by query patterns, so that every use of a name is seen in every grammar;
// the query only says what a use is where the generic rules (CodeLanguage's member and call tables) cannot.

#include "folio/code/code_index.h"

#include "code_languages.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace folio::code {
namespace {

struct CompiledQuery {
    TSQuery* query = nullptr;
    std::vector<std::string> captureNames;
};

// Queries are compiled once per process and shared by every thread (tree-sitter only reads a TSQuery while
// matching). A query that does not compile is a defect in Folio's query files, reported with its position.
CompiledQuery compile(const CodeLanguage& lang)
{
    const std::string_view text = queryText(lang.grammar);
    std::uint32_t errorOffset = 0;
    TSQueryError error = TSQueryErrorNone;
    TSQuery* query = ts_query_new(lang.language(), text.data(), std::uint32_t(text.size()), &errorOffset, &error);
    if (!query)
        throw std::logic_error("code/queries/" + std::string(lang.grammar) + ".scm does not compile (tree-sitter error "
                               + std::to_string(int(error)) + " at byte " + std::to_string(errorOffset) + ")");
    CompiledQuery out;
    out.query = query;
    for (std::uint32_t i = 0; i < ts_query_capture_count(query); ++i) {
        std::uint32_t n = 0;
        const char* name = ts_query_capture_name_for_id(query, i, &n);
        out.captureNames.emplace_back(name, n);
    }
    return out;
}

// Compiling C++'s or C#'s query takes 0.1-0.2 s, as long as parsing a large file: the first file of a grammar
// starts it on a thread of its own and is parsed meanwhile (what re-indexing one changed file waits for).
std::shared_future<CompiledQuery> compiledQuery(const CodeLanguage& lang)
{
    static std::mutex mutex;
    static std::map<std::string_view, std::shared_future<CompiledQuery>> compiled;
    std::lock_guard lock(mutex);
    auto& slot = compiled[lang.grammar];
    if (!slot.valid()) slot = std::async(std::launch::async, [&lang] { return compile(lang); }).share();
    return slot;
}

struct ParserHolder {
    TSParser* parser = ts_parser_new();
    ~ParserHolder() { ts_parser_delete(parser); }
};

std::string_view textOf(TSNode n, std::string_view text)
{
    const std::uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return b <= e && e <= text.size() ? text.substr(b, e - b) : std::string_view();
}

Range rangeOf(TSNode n)
{
    const TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
    return {{int(s.row), int(s.column)}, {int(e.row), int(e.column)}};
}

bool contains(const Range& outer, const Range& inner)
{
    return outer.begin <= inner.begin && inner.end <= outer.end;
}

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

// The comment text without its markers (//, ///, /* */, *, #), one line per line.
std::string commentText(std::string_view raw)
{
    std::string out;
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        const std::size_t nl = raw.find('\n', pos);
        std::string line = trim(raw.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        if (line.ends_with("*/")) line = trim(std::string_view(line).substr(0, line.size() - 2));
        for (std::string_view marker : {"/**", "/*!", "/*", "///", "//!", "//", "*", "#", "--"})
            if (line.starts_with(marker)) {
                line = trim(std::string_view(line).substr(marker.size()));
                break;
            }
        for (std::string_view tag : {"<summary>", "</summary>", "<remarks>", "</remarks>"})  // C#'s XML doc comments
            for (std::size_t at; (at = line.find(tag)) != std::string::npos;) line.erase(at, tag.size());
        line = trim(line);
        if (!line.empty() || !out.empty()) out += (out.empty() ? "" : "\n") + line;
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::string docstringText(std::string_view raw)
{
    std::string_view s = raw;
    for (std::string_view q : {"\"\"\"", "'''", "\"", "'"})
        if (s.size() >= 2 * q.size() && s.starts_with(q) && s.ends_with(q)) {
            s = s.substr(q.size(), s.size() - 2 * q.size());
            break;
        }
    std::string out;
    for (std::size_t pos = 0; pos <= s.size();) {
        const std::size_t nl = s.find('\n', pos);
        const std::string line = trim(s.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
        if (!line.empty() || !out.empty()) out += (out.empty() ? "" : "\n") + line;
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// A receiver as one short line: `items.map do |x| ... end` spans lines, and only its start matters.
std::string receiverText(std::string_view raw)
{
    std::string out;
    for (char c : raw) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    if (out.size() > 80) out = out.substr(0, 80);
    return trim(out);
}

bool isComment(TSNode n)
{
    return std::string_view(ts_node_type(n)).find("comment") != std::string_view::npos;
}

// Comments directly above a definition (through wrappers such as templates, decorators and exports).
std::string precedingComments(TSNode def, std::string_view text)
{
    TSNode node = def;
    for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent); parent = ts_node_parent(node)) {
        const std::string_view type = ts_node_type(parent);
        if (type != "template_declaration" && type != "decorated_definition" && type != "export_statement") break;
        node = parent;
    }
    std::vector<std::string_view> parts;
    std::uint32_t row = ts_node_start_point(node).row;
    for (TSNode prev = ts_node_prev_named_sibling(node); !ts_node_is_null(prev); prev = ts_node_prev_named_sibling(prev)) {
        if (ts_node_end_point(prev).row + 1 < row) break;  // a blank line between: not this definition's
        row = ts_node_start_point(prev).row;
        if (std::string_view(ts_node_type(prev)) == "attribute_item") continue;  // Rust: /// doc, then #[derive]
        if (!isComment(prev)) break;
        parts.push_back(textOf(prev, text));
    }
    std::string out;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        const std::string t = commentText(*it);
        if (!t.empty()) out += (out.empty() ? "" : "\n") + t;
    }
    return out;
}

// What stands before the definition's body (its whole first line where it has none), on one line.
std::string signatureOf(TSNode def, std::string_view text)
{
    std::string_view s = textOf(def, text);
    const TSNode body = ts_node_child_by_field_name(def, "body", 4);
    if (!ts_node_is_null(body) && ts_node_start_byte(body) > ts_node_start_byte(def))
        s = s.substr(0, ts_node_start_byte(body) - ts_node_start_byte(def));
    else
        s = s.substr(0, s.find('\n'));
    // Annotations, attributes and decorators on lines of their own are not the signature.
    while (true) {
        const std::string_view line = std::string_view(s).substr(s.find_first_not_of(" \t") == std::string_view::npos ? 0 : s.find_first_not_of(" \t"));
        const auto nl = s.find('\n');
        if (nl == std::string_view::npos || !(line.starts_with('@') || line.starts_with('[') || line.starts_with("#["))) break;
        s = s.substr(nl + 1);
    }
    std::string out;
    for (char c : s) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.size() > 200) out = out.substr(0, 200);
    return out;
}

bool isFunctionKind(std::string_view kind)
{
    return kind == "function" || kind == "method" || kind == "constructor";
}

bool isContainerKind(std::string_view kind)
{
    // "type": a typedef of a struct body holds its fields.
    static const std::set<std::string_view> kinds = {"class", "struct", "union", "interface", "trait", "enum",
                                                     "namespace", "module", "type"};
    return kinds.count(kind) > 0;
}

bool isClassLike(std::string_view kind)
{
    return kind == "class" || kind == "struct" || kind == "union" || kind == "interface" || kind == "trait"
        || kind == "impl" || kind == "type";
}

// A definition, declaration, local or container scope as the query found it.
struct Found {
    TSNode node{}, name{};
    std::string kind;
    enum class Role { Definition, Declaration, Local, Scope } role = Role::Definition;
    std::string container, doc;
    bool hasContainer = false;
};

int countSyntaxErrors(TSNode root)
{
    if (!ts_node_has_error(root)) return 0;
    int errors = 0;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    for (;;) {
        const TSNode n = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_error(n) || ts_node_is_missing(n)) ++errors;
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cursor)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&cursor))
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                ts_tree_cursor_delete(&cursor);
                return errors;
            }
    }
}

class FileIndexer {
public:
    FileIndexer(const CodeLanguage& lang, std::string_view text, const CompiledQuery& query) : lang_(lang), text_(text), query_(query) {}

    FileIndex run(TSNode root)
    {
        FileIndex out;
        out.language = std::string(lang_.grammar);
        out.syntaxErrors = countSyntaxErrors(root);
        runQuery(root, out);
        buildSymbols(out);
        collectReferences(root, out);
        if (lang_.macroFields) addMacroFields(root, out);
        return out;
    }

private:
    void runQuery(TSNode root, FileIndex& out)
    {
        TSQueryCursor* cursor = ts_query_cursor_new();
        ts_query_cursor_exec(cursor, query_.query, root);
        TSQueryMatch match;
        while (ts_query_cursor_next_match(cursor, &match)) {
            Found f;
            bool have = false, isImport = false, isLocalScope = false;
            std::string referenceKind;
            TSNode importPath{}, receiver{};
            bool hasImportPath = false, hasReceiver = false;
            for (std::uint16_t i = 0; i < match.capture_count; ++i) {
                const TSNode node = match.captures[i].node;
                const std::string& name = query_.captureNames[match.captures[i].index];
                if (name == "name") f.name = node;
                else if (name == "container") {
                    f.container = std::string(textOf(node, text_));
                    f.hasContainer = true;
                } else if (name == "doc") f.doc = docstringText(textOf(node, text_));
                else if (name == "import") isImport = true;
                else if (name == "import.path") {
                    importPath = node;
                    hasImportPath = true;
                } else if (name == "receiver") {
                    receiver = node;
                    hasReceiver = true;
                } else if (name == "local.scope") {
                    localScopes_.push_back(rangeOf(node));
                    isLocalScope = true;
                } else if (name.starts_with("reference.")) referenceKind = name.substr(10);
                else {
                    static const std::pair<std::string_view, Found::Role> roles[] = {
                        {"definition.", Found::Role::Definition}, {"declaration.", Found::Role::Declaration},
                        {"local.", Found::Role::Local}, {"scope.", Found::Role::Scope}};
                    for (const auto& [prefix, role] : roles)
                        if (name.starts_with(prefix)) {
                            f.node = node;
                            f.role = role;
                            f.kind = name.substr(prefix.size());
                            have = true;
                        }
                }
            }
            if (isImport && hasImportPath) {
                std::string path = trim(textOf(importPath, text_));
                if (path.size() >= 2 && std::string_view("\"'<`").find(path.front()) != std::string_view::npos)
                    path = path.substr(1, path.size() - 2);
                out.imports.push_back({path, int(ts_node_start_point(importPath).row)});
            }
            if (!referenceKind.empty() && !ts_node_is_null(f.name))
                referenceOverrides_[ts_node_start_byte(f.name)] = {referenceKind, hasReceiver ? std::string(textOf(receiver, text_)) : ""};
            if (have && !ts_node_is_null(f.name) && !isLocalScope) found_.push_back(std::move(f));
        }
        ts_query_cursor_delete(cursor);
    }

    void buildSymbols(FileIndex& out)
    {
        // One entry per name node (the first pattern that matched it wins), outer definitions first.
        std::map<std::uint32_t, std::size_t> byName;
        std::vector<Found> unique;
        for (auto& f : found_) {
            const auto [it, added] = byName.emplace(ts_node_start_byte(f.name), unique.size());
            if (added) unique.push_back(std::move(f));
            else if (const std::string& k = unique[it->second].kind; (k == "variable" || k == "field") && f.kind != k)
                unique[it->second] = std::move(f);  // `const f = () => ...` is a function, not a variable
        }
        std::stable_sort(unique.begin(), unique.end(), [](const Found& a, const Found& b) {
            if (ts_node_start_byte(a.node) != ts_node_start_byte(b.node)) return ts_node_start_byte(a.node) < ts_node_start_byte(b.node);
            return ts_node_end_byte(a.node) > ts_node_end_byte(b.node);
        });
        std::vector<const Found*> open;  // enclosing entries, outermost first
        std::set<std::tuple<std::string, std::string, int, int>> seenVariables;
        for (const Found& f : unique) {
            const Range range = rangeOf(f.node);
            while (!open.empty() && !contains(rangeOf(open.back()->node), range)) open.pop_back();
            const Found* function = nullptr;
            const Found* container = nullptr;
            for (auto it = open.rbegin(); it != open.rend(); ++it) {
                if (!function && (*it)->role != Found::Role::Scope && isFunctionKind((*it)->kind)) function = *it;
                if (!container && (*it)->role != Found::Role::Local
                    && ((*it)->role == Found::Role::Scope || isContainerKind((*it)->kind)))
                    container = *it;
            }
            open.push_back(&f);
            if (f.role == Found::Role::Scope) continue;
            Symbol s;
            s.name = std::string(textOf(f.name, text_));
            if (s.name.empty() || s.name == "_") continue;  // Go's and Rust's blank identifier binds nothing
            s.kind = f.kind;
            s.range = range;
            s.nameRange = rangeOf(f.name);
            s.declaration = f.role == Found::Role::Declaration;
            // A local is one inside a function or a local scope; the same pattern at the top of a file or in a
            // class body is a variable or a field (Python and Ruby assign where others declare).
            const Range* scope = innermostLocalScope(s.nameRange);
            const bool insideFunction = function && (!container || contains(rangeOf(container->node), rangeOf(function->node)));
            // A function, constant or variable defined inside a function is that function's local.
            const bool nestedInFunction = insideFunction && (s.kind == "function" || s.kind == "constant");
            if (f.role == Found::Role::Local || s.kind == "variable" || nestedInFunction) {
                if (insideFunction || scope) {
                    s.local = true;
                    s.scope = scope && (!insideFunction || contains(rangeOf(function->node), *scope)) ? *scope : rangeOf(function->node);
                } else if (s.kind == "parameter") {
                    // A type parameter of a class, interface or type alias: local to that declaration.
                    if (open.size() < 2) continue;
                    s.local = true;
                    s.scope = rangeOf(open[open.size() - 2]->node);
                } else {
                    s.kind = container && isClassLike(container->kind) ? "field" : "variable";
                }
            }
            if (s.local || s.kind == "variable" || s.kind == "field") {
                // Assignments repeat: the first one defines.
                const Range& where = s.local ? s.scope : (container ? rangeOf(container->node) : Range{});
                if (!seenVariables.insert({s.name, s.local ? "local" : s.kind, where.begin.line, where.begin.column}).second) continue;
                // Where assignment is declaration (Python, Ruby, PHP), assigning in a block or lambda to a local of
                // the scope around it is a use of that local, not a new one.
                if (s.local && s.kind == "variable" && lang_.assignmentDeclares
                    && std::any_of(out.symbols.begin(), out.symbols.end(), [&](const Symbol& o) {
                           return o.local && o.name == s.name && contains(o.scope, s.scope) && o.nameRange.begin < s.nameRange.begin;
                       }))
                    continue;
            }
            if (f.hasContainer) s.container = f.container;
            else if (container && !s.local) s.container = std::string(textOf(container->name, text_));
            if (s.kind == "function" && !s.local && (f.hasContainer || (container && isClassLike(container->kind)))) s.kind = "method";
            if (!s.local) {
                s.signature = signatureOf(f.node, text_);
                s.doc = f.doc.empty() ? precedingComments(f.node, text_) : f.doc;
            }
            definitionNames_[ts_node_start_byte(f.name)] = ts_node_end_byte(f.name);
            out.symbols.push_back(std::move(s));
        }
    }

    // Fields declared in the bodies of object-like macros, each body parsed as a struct of its own; found at the
    // top of the file, inside #if blocks and inside what did not parse (a struct whose body is a macro's name
    // alone is an error to the grammar).
    void addMacroFields(TSNode node, FileIndex& out) const
    {
        for (std::uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
            const TSNode child = ts_node_named_child(node, i);
            const std::string_view type = ts_node_type(child);
            if (type == "preproc_def") {
                const TSNode name = ts_node_child_by_field_name(child, "name", 4);
                const TSNode value = ts_node_child_by_field_name(child, "value", 5);
                if (ts_node_is_null(name) || ts_node_is_null(value) || textOf(value, text_).find(';') == std::string_view::npos) continue;
                const std::size_t define = text_.find("define", ts_node_start_byte(child));
                if (define >= ts_node_start_byte(name)) continue;
                const FileIndex body = indexFile(lang_.grammar, macroBodyAsStruct(text_, define, ts_node_start_byte(value), ts_node_end_byte(value)));
                const int firstLine = int(ts_node_start_point(name).row);
                for (Symbol s : body.symbols)
                    if (s.kind == "field" && s.container.empty()) {
                        for (Range* r : {&s.range, &s.nameRange}) {
                            r->begin.line += firstLine;
                            r->end.line += firstLine;
                        }
                        s.container = std::string(textOf(name, text_));
                        out.symbols.push_back(std::move(s));
                    }
            } else if (type.starts_with("preproc_if") || type == "preproc_else" || type == "preproc_elif" || type == "ERROR") {
                addMacroFields(child, out);
            }
        }
    }

    const Range* innermostLocalScope(const Range& r) const
    {
        const Range* best = nullptr;
        for (const Range& s : localScopes_)
            if (contains(s, r) && (!best || contains(*best, s))) best = &s;
        return best;
    }

    bool isField(TSNode parent, std::string_view field, TSNode child) const
    {
        if (field.empty()) return true;
        const TSNode f = ts_node_child_by_field_name(parent, field.data(), std::uint32_t(field.size()));
        return !ts_node_is_null(f) && ts_node_eq(f, child);
    }

    // Whether `node` is the callee of `parent` (a call expression in the grammar's call table).
    bool isCallee(TSNode node, TSNode parent) const
    {
        if (ts_node_is_null(parent)) return false;
        const std::string_view type = ts_node_type(parent);
        for (const FieldOf& c : lang_.calls)
            if (c.parent == type && isField(parent, c.field, node)) return true;
        return false;
    }

    void classify(TSNode node, TSNode parent, TSNode grandparent, Reference& ref) const
    {
        if (ts_node_is_null(parent)) return;
        const std::string_view parentType = ts_node_type(parent);
        for (const MemberAccess& m : lang_.memberAccess)
            if (m.parent == parentType && isField(parent, m.member, node)) {
                const TSNode object = ts_node_child_by_field_name(parent, m.object.data(), std::uint32_t(m.object.size()));
                if (ts_node_is_null(object)) break;
                ref.kind = ReferenceKind::Member;
                ref.receiver = receiverText(textOf(object, text_));
                if (isCallee(parent, grandparent) || isCallee(node, parent)) ref.kind = ReferenceKind::Call;
                return;
            }
        for (const FieldOf& tag : lang_.intrinsicElementNames)
            if (tag.parent == parentType && isField(parent, tag.field, node) && std::islower(static_cast<unsigned char>(ref.name[0]))) {
                ref.kind = ReferenceKind::Member;
                ref.receiver = "IntrinsicElements";
                return;
            }
        if (isCallee(node, parent)) ref.kind = ReferenceKind::Call;
        else if (std::find(lang_.typeIdentifiers.begin(), lang_.typeIdentifiers.end(), std::string_view(ts_node_type(node)))
                 != lang_.typeIdentifiers.end())
            ref.kind = ReferenceKind::Type;
    }

    void collectReferences(TSNode root, FileIndex& out)
    {
        // Symbols by start, for the innermost non-local definition around each use (uses come in order).
        std::vector<int> order;
        for (int i = 0; i < int(out.symbols.size()); ++i)
            if (!out.symbols[i].local) order.push_back(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return out.symbols[a].range.begin < out.symbols[b].range.begin; });
        std::size_t next = 0;
        std::vector<int> open;

        // The walk keeps the path from the root: ts_node_parent() searches down from the root on every call,
        // which made the walk quadratic in a file's depth and most of the indexing time.
        std::vector<TSNode> path;
        TSTreeCursor cursor = ts_tree_cursor_new(root);
        for (bool more = true; more;) {
            const TSNode n = ts_tree_cursor_current_node(&cursor);
            if (ts_node_child_count(n) == 0 && ts_node_is_named(n)) {
                const TSNode none{};
                visitLeaf(n, path.empty() ? none : path.back(), path.size() < 2 ? none : path[path.size() - 2], out, order, next, open);
            }
            if (ts_tree_cursor_goto_first_child(&cursor)) {
                path.push_back(n);
                continue;
            }
            while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
                if (!ts_tree_cursor_goto_parent(&cursor)) {
                    more = false;
                    break;
                }
                path.pop_back();
            }
        }
        ts_tree_cursor_delete(&cursor);
    }

    void visitLeaf(TSNode n, TSNode parent, TSNode grandparent, FileIndex& out, const std::vector<int>& order, std::size_t& next,
                   std::vector<int>& open)
    {
        const std::string_view type = ts_node_type(n);
        if (std::find(lang_.identifiers.begin(), lang_.identifiers.end(), type) == lang_.identifiers.end()) return;
        const std::string_view parentType = ts_node_is_null(parent) ? std::string_view() : std::string_view(ts_node_type(parent));
        if (!lang_.onlyUnder.empty() && type == lang_.identifiers.front() && parentType != lang_.onlyUnder) return;
        // Every part of a defined name (`a.b.c` of a package, `Foo::bar`) belongs to the definition.
        if (auto it = definitionNames_.upper_bound(ts_node_start_byte(n)); it != definitionNames_.begin()
            && ts_node_start_byte(n) < std::prev(it)->second)
            return;
        if (parentType == "lifetime" || parentType == "label") return;  // Rust's 'a and 'outer: name no symbol
        Reference ref;
        ref.name = std::string(textOf(n, text_));
        if (ref.name.empty() || std::all_of(ref.name.begin(), ref.name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return;  // $1 in shell scripts
        ref.range = rangeOf(n);
        if (const auto o = referenceOverrides_.find(ts_node_start_byte(n)); o != referenceOverrides_.end()) {
            ref.kind = referenceKindFromString(o->second.first);
            ref.receiver = o->second.second;
        } else {
            classify(n, parent, grandparent, ref);
        }
        while (next < order.size() && out.symbols[order[next]].range.begin <= ref.range.begin) {
            while (!open.empty() && !contains(out.symbols[open.back()].range, out.symbols[order[next]].range)) open.pop_back();
            open.push_back(order[next++]);
        }
        while (!open.empty() && !out.symbols[open.back()].range.contains(ref.range.begin)) open.pop_back();
        ref.enclosing = open.empty() ? -1 : open.back();
        out.references.push_back(std::move(ref));
    }

    const CodeLanguage& lang_;
    std::string_view text_;
    const CompiledQuery& query_;
    std::vector<Found> found_;
    std::vector<Range> localScopes_;
    std::map<std::uint32_t, std::uint32_t> definitionNames_;  // start -> end byte of each defined name
    std::map<std::uint32_t, std::pair<std::string, std::string>> referenceOverrides_;
};

}  // namespace

FileIndex indexFile(std::string_view grammar, std::string_view text, const IndexLimits& limits)
{
    FileIndex out;
    const CodeLanguage* lang = codeLanguage(grammar);
    if (!lang) {
        out.skipped = "no grammar for this language";
        return out;
    }
    out.language = std::string(grammar);
    if (text.size() > limits.maxBytes) {
        out.skipped = "larger than " + std::to_string(limits.maxBytes / 1024) + " KiB: not indexed";
        return out;
    }
    const std::size_t lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
    if (text.size() > 4096 && text.size() / lines > limits.maxAverageLineLength) {
        out.skipped = "minified or generated (lines of " + std::to_string(text.size() / lines) + " bytes on average): not indexed";
        return out;
    }
    const std::shared_future<CompiledQuery> query = compiledQuery(*lang);
    thread_local ParserHolder holder;
    ts_parser_set_language(holder.parser, lang->language());
    // Parsed from the prepared text where the grammar has a preparation; indexed from the original.
    const std::string prepared = lang->prepare ? lang->prepare(text) : std::string();
    const std::string_view parsed = lang->prepare ? std::string_view(prepared) : text;
    TSTree* tree = ts_parser_parse_string(holder.parser, nullptr, parsed.data(), std::uint32_t(parsed.size()));
    if (!tree) {
        out.skipped = "the parser gave up";
        return out;
    }
    if (lang->repair && ts_node_has_error(ts_tree_root_node(tree))) {
        // The repaired text has the same length and positions: the index is still read from the original.
        const std::string repaired = lang->repair(parsed);
        TSTree* second = ts_parser_parse_string(holder.parser, nullptr, repaired.data(), std::uint32_t(repaired.size()));
        if (second && countSyntaxErrors(ts_tree_root_node(second)) < countSyntaxErrors(ts_tree_root_node(tree)))
            std::swap(tree, second);
        if (second) ts_tree_delete(second);
    }
    try {
        out = FileIndexer(*lang, text, query.get()).run(ts_tree_root_node(tree));
    } catch (...) {
        ts_tree_delete(tree);
        throw;
    }
    ts_tree_delete(tree);
    return out;
}

}  // namespace folio::code
