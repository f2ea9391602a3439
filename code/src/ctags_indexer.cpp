// The fallback for languages without a tree-sitter grammar in Folio: universal-ctags, run once per batch of
// files over copies in a temporary folder (a repository's files may exist only as git blobs). Definitions
// only: ctags finds no uses.

#include "folio/code/code_index.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <sys/wait.h>

namespace fs = std::filesystem;

namespace folio::code {
namespace {

// Folio's language name (ingest/src/language.cpp) -> ctags's.
const std::map<std::string_view, std::string_view> kCtagsLanguages = {
    {"Kotlin", "Kotlin"}, {"Objective-C", "ObjectiveC"}, {"Objective-C++", "ObjectiveC"}, {"Perl", "Perl"},
    {"Lua", "Lua"}, {"R", "R"}, {"Julia", "Julia"}, {"Haskell", "Haskell"}, {"OCaml", "OCaml"}, {"Elixir", "Elixir"},
    {"Erlang", "Erlang"}, {"Clojure", "Clojure"}, {"Fortran", "Fortran"}, {"SQL", "SQL"}, {"CMake", "CMake"},
    {"Makefile", "Make"}, {"Tcl", "Tcl"}, {"PowerShell", "PowerShell"}, {"Emacs Lisp", "EmacsLisp"},
    {"Vim script", "Vim"}, {"Assembly", "Asm"}, {"Protocol Buffers", "Protobuf"}, {"Batch", "DosBatch"},
    {"Meson", "Meson"},
};

// ctags's kind names, in the words Folio's index uses.
std::string kindOf(const std::string& ctagsKind)
{
    static const std::map<std::string, std::string> kinds = {
        {"subroutine", "function"}, {"func", "function"}, {"procedure", "function"}, {"member", "field"},
        {"var", "variable"}, {"package", "module"}, {"typedef", "type"}, {"enumerator", "enumerator"},
        {"command", "function"}, {"singletonMethod", "method"}, {"label", "constant"},
    };
    const auto it = kinds.find(ctagsKind);
    return it == kinds.end() ? ctagsKind : it->second;
}

std::string lineOf(std::string_view text, int line)
{
    std::size_t pos = 0;
    for (int i = 0; i < line && pos != std::string_view::npos; ++i)
        if ((pos = text.find('\n', pos)) != std::string_view::npos) ++pos;
    if (pos == std::string_view::npos) return {};
    return std::string(text.substr(pos, text.find('\n', pos) - pos));
}

}  // namespace

std::string ctagsLanguageFor(std::string_view ingestLanguage)
{
    const auto it = kCtagsLanguages.find(ingestLanguage);
    return it == kCtagsLanguages.end() ? std::string() : std::string(it->second);
}

CtagsRun indexWithCtags(const std::vector<CtagsFile>& files)
{
    CtagsRun run;
    run.files.resize(files.size());
    if (files.empty()) return run;
    std::string pattern = (fs::temp_directory_path() / "folio-ctags-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        run.error = "cannot make a temporary folder for universal-ctags";
        return run;
    }
    const fs::path dir = pattern;
    std::map<std::string, std::size_t> byPath;
    {
        std::ofstream list(dir / "files.txt");
        for (std::size_t i = 0; i < files.size(); ++i) {
            // Only relative paths without `..` are written inside the folder.
            const fs::path rel = fs::path(files[i].path).lexically_normal();
            if (rel.empty() || rel.is_absolute() || *rel.begin() == "..") continue;
            const fs::path target = dir / "src" / rel;
            std::error_code ec;
            fs::create_directories(target.parent_path(), ec);
            std::ofstream out(target, std::ios::binary);
            out.write(files[i].text.data(), std::streamsize(files[i].text.size()));
            if (!out) continue;
            list << "src/" << rel.generic_string() << "\n";
            byPath["src/" + rel.generic_string()] = i;
        }
    }
    const std::string command = "cd '" + dir.string() + "' && ctags --output-format=json --fields=+nKZS --sort=no "
                                "--guess-language-eagerly -f - -L files.txt 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        run.error = "cannot start universal-ctags";
    } else {
        std::string output;
        char buffer[65536];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
        const int status = ::pclose(pipe);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
            run.error = "universal-ctags is not installed (no ctags on PATH)";
        } else if (status != 0 && output.empty()) {
            run.error = "universal-ctags failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
        } else {
            for (std::size_t pos = 0; pos < output.size();) {
                const std::size_t nl = output.find('\n', pos);
                const std::string record = output.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
                pos = nl == std::string::npos ? output.size() : nl + 1;
                const auto tag = nlohmann::json::parse(record, nullptr, false);
                if (tag.is_discarded() || tag.value("_type", "") != "tag") continue;
                const auto it = byPath.find(tag.value("path", ""));
                if (it == byPath.end()) continue;
                const CtagsFile& file = files[it->second];
                FileIndex& index = run.files[it->second];
                Symbol s;
                s.name = tag.value("name", "");
                s.container = tag.value("scope", "");
                s.kind = kindOf(tag.value("kind", ""));
                // Lua and others name members with their owner (M.greet, M:greet); a package keeps its whole name.
                const bool module = s.kind == "module" || s.kind == "namespace";
                if (const auto dot = s.name.find_last_of(".:"); !module && s.container.empty() && dot != std::string::npos
                    && dot > 0 && dot + 1 < s.name.size() && s.name[dot - 1] != ':') {
                    s.container = s.name.substr(0, dot);
                    s.name = s.name.substr(dot + 1);
                }
                const int line = std::max(0, tag.value("line", 1) - 1);
                const std::string text = lineOf(file.text, line);
                const auto column = text.find(s.name);
                const int col = column == std::string::npos ? 0 : int(column);
                s.nameRange = {{line, col}, {line, col + int(s.name.size())}};
                s.range = {{line, 0}, {line, int(text.size())}};
                s.signature = tag.value("signature", "").empty() ? text : text.substr(0, std::min<std::size_t>(text.size(), 200));
                if (s.signature.size() > 200) s.signature.resize(200);
                if (!s.name.empty()) index.symbols.push_back(std::move(s));
            }
        }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    for (FileIndex& index : run.files) index.language = "ctags";
    return run;
}

}  // namespace folio::code
