// Which files an import names. Languages spell imports differently ("foo/bar.h", "os.path", "./util",
// "crate::util::helper", "A\\B\\C", "github.com/x/y/pkg"), but all name a file or a folder by a path whose
// end is what they write: relative forms are joined to the importing file's folder, the others matched
// against the end of every indexed path, as a file without its extension or as a folder (a package).

#include "folio/code/code_navigator.h"

#include <algorithm>
#include <set>

namespace folio::code {
namespace {

std::string folderOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string withoutExtension(const std::string& path)
{
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    return dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == slash + 1 ? path : path.substr(0, dot);
}

bool endsWithSegments(const std::string& path, const std::string& suffix)
{
    if (suffix.empty()) return false;
    return path == suffix || (path.size() > suffix.size() && path.ends_with(suffix) && path[path.size() - suffix.size() - 1] == '/');
}

// "a/./b/../c" -> "a/c"; "" for a path that climbs above the root.
std::string normalise(const std::string& path)
{
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto slash = path.find('/', pos);
        const std::string part = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        if (part == "..") {
            if (parts.empty()) return {};
            parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
    return s;
}

bool looksLikeFileName(const std::string& p)
{
    static const char* extensions[] = {".h", ".hh", ".hpp", ".hxx", ".inc", ".c", ".cc", ".cpp", ".js", ".mjs", ".cjs",
                                       ".jsx", ".ts", ".tsx", ".py", ".rb", ".php", ".sh", ".go", ".rs", ".java", ".cs"};
    return std::any_of(std::begin(extensions), std::end(extensions), [&](const char* e) { return p.ends_with(e); });
}

}  // namespace

std::vector<std::string> resolveImport(const std::string& importingPath, const Import& import,
                                       const std::vector<std::string>& paths)
{
    std::string spec = import.path;
    const std::string base = folderOf(importingPath);
    std::set<std::string> out;
    const auto addFileMatches = [&](const std::string& target, bool bySuffix) {
        for (const auto& p : paths) {
            const bool hit = bySuffix ? endsWithSegments(p, target) || endsWithSegments(withoutExtension(p), target)
                                      : p == target || withoutExtension(p) == target;
            const bool index = (bySuffix ? endsWithSegments(folderOf(p), target) : folderOf(p) == target)
                && (withoutExtension(p).ends_with("/index") || withoutExtension(p).ends_with("/__init__")
                    || withoutExtension(p).ends_with("/mod"));
            if (hit || index) out.insert(p);
        }
    };
    const auto addFolder = [&](const std::string& folder) {
        int n = 0;
        for (const auto& p : paths)
            if (endsWithSegments(folderOf(p), folder) && n++ < 64) out.insert(p);
    };

    // Python's relative imports: one dot is this package, each further dot one folder up.
    if (spec.starts_with('.') && !spec.starts_with("./") && !spec.starts_with("../")) {
        std::size_t dots = 0;
        while (dots < spec.size() && spec[dots] == '.') ++dots;
        std::string folder = base;
        for (std::size_t i = 1; i < dots; ++i) folder = folderOf(folder);
        const std::string rest = replaceAll(spec.substr(dots), ".", "/");
        const std::string target = normalise(folder + (rest.empty() ? "" : "/" + rest));
        addFileMatches(target, false);
        return {out.begin(), out.end()};
    }
    if (spec.starts_with("./") || spec.starts_with("../")) {
        addFileMatches(normalise(base + "/" + spec), false);
        return {out.begin(), out.end()};
    }
    // An include is first looked for beside the including file, as compilers do for "quoted" ones.
    if (looksLikeFileName(spec) || spec.find('/') != std::string::npos) {
        addFileMatches(normalise(base + "/" + spec), false);
        if (out.empty()) addFileMatches(spec, true);
        if (out.empty() && !looksLikeFileName(spec)) addFolder(spec);  // a Go package path
        return {out.begin(), out.end()};
    }
    // Dotted, :: or \ separated names: a module file, or a package folder; else the name without its last part
    // (an item imported from a module).
    spec = replaceAll(replaceAll(spec, "::", "/"), "\\", "/");
    spec = replaceAll(spec, ".", "/");
    for (const char* prefix : {"crate/", "self/", "super/"})
        if (spec.starts_with(prefix)) spec = spec.substr(std::string(prefix).size());
    if (spec.ends_with("/*")) spec = spec.substr(0, spec.size() - 2);
    for (int attempt = 0; attempt < 2 && out.empty() && !spec.empty(); ++attempt) {
        addFileMatches(spec, true);
        if (out.empty()) addFolder(spec);
        spec = folderOf(spec);
    }
    return {out.begin(), out.end()};
}

}  // namespace folio::code
