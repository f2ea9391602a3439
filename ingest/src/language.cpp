#include "folio/ingest/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace folio::ingest {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Lower-case extension (without the dot) -> language.
constexpr std::array kExtensions = {
    Entry{"c", "C"}, Entry{"h", "C/C++"}, Entry{"cc", "C++"}, Entry{"cpp", "C++"}, Entry{"cxx", "C++"},
    Entry{"hh", "C++"}, Entry{"hpp", "C++"}, Entry{"hxx", "C++"}, Entry{"ipp", "C++"}, Entry{"cu", "CUDA"},
    Entry{"cuh", "CUDA"}, Entry{"py", "Python"}, Entry{"pyi", "Python"}, Entry{"rs", "Rust"}, Entry{"go", "Go"},
    Entry{"java", "Java"}, Entry{"kt", "Kotlin"}, Entry{"kts", "Kotlin"}, Entry{"scala", "Scala"},
    Entry{"js", "JavaScript"}, Entry{"mjs", "JavaScript"}, Entry{"cjs", "JavaScript"}, Entry{"jsx", "JavaScript"},
    Entry{"ts", "TypeScript"}, Entry{"tsx", "TypeScript"}, Entry{"rb", "Ruby"}, Entry{"php", "PHP"},
    Entry{"cs", "C#"}, Entry{"swift", "Swift"}, Entry{"m", "Objective-C"}, Entry{"mm", "Objective-C++"},
    Entry{"sh", "Shell"}, Entry{"bash", "Shell"}, Entry{"zsh", "Shell"}, Entry{"pl", "Perl"}, Entry{"pm", "Perl"},
    Entry{"lua", "Lua"}, Entry{"r", "R"}, Entry{"jl", "Julia"}, Entry{"hs", "Haskell"}, Entry{"ml", "OCaml"},
    Entry{"ex", "Elixir"}, Entry{"exs", "Elixir"}, Entry{"erl", "Erlang"}, Entry{"clj", "Clojure"},
    Entry{"dart", "Dart"}, Entry{"zig", "Zig"}, Entry{"f90", "Fortran"}, Entry{"f", "Fortran"},
    Entry{"sql", "SQL"}, Entry{"html", "HTML"}, Entry{"htm", "HTML"}, Entry{"css", "CSS"}, Entry{"scss", "SCSS"},
    Entry{"xml", "XML"}, Entry{"json", "JSON"}, Entry{"yaml", "YAML"}, Entry{"yml", "YAML"}, Entry{"toml", "TOML"},
    Entry{"ini", "INI"}, Entry{"cmake", "CMake"}, Entry{"md", "Markdown"}, Entry{"rst", "reStructuredText"},
    Entry{"tex", "TeX"}, Entry{"txt", "Text"}, Entry{"proto", "Protocol Buffers"}, Entry{"qml", "QML"},
    Entry{"ui", "Qt Designer"}, Entry{"vue", "Vue"}, Entry{"svelte", "Svelte"}, Entry{"asm", "Assembly"},
    Entry{"s", "Assembly"}, Entry{"bat", "Batch"}, Entry{"ps1", "PowerShell"}, Entry{"el", "Emacs Lisp"},
    Entry{"vim", "Vim script"}, Entry{"glsl", "GLSL"}, Entry{"wgsl", "WGSL"},
};

// Whole file names that say more than any extension.
constexpr std::array kFileNames = {
    Entry{"cmakelists.txt", "CMake"}, Entry{"makefile", "Makefile"}, Entry{"gnumakefile", "Makefile"},
    Entry{"dockerfile", "Dockerfile"}, Entry{"meson.build", "Meson"}, Entry{"build", "Starlark"},
    Entry{"build.bazel", "Starlark"}, Entry{"cargo.toml", "TOML"}, Entry{"gemfile", "Ruby"},
    Entry{"rakefile", "Ruby"},
};

// Interpreter named on a #! line -> language.
constexpr std::array kInterpreters = {
    Entry{"python", "Python"}, Entry{"bash", "Shell"}, Entry{"sh", "Shell"}, Entry{"zsh", "Shell"},
    Entry{"dash", "Shell"}, Entry{"perl", "Perl"}, Entry{"ruby", "Ruby"}, Entry{"node", "JavaScript"},
    Entry{"lua", "Lua"}, Entry{"php", "PHP"}, Entry{"Rscript", "R"}, Entry{"tclsh", "Tcl"},
};

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

template <std::size_t N>
std::string_view lookup(const std::array<Entry, N>& table, std::string_view key)
{
    for (const auto& [k, v] : table)
        if (k == key) return v;
    return {};
}

std::string fromShebang(std::string_view firstBytes)
{
    if (!firstBytes.starts_with("#!")) return {};
    std::string_view line = firstBytes.substr(2, firstBytes.find('\n') - 2);
    // "#!/usr/bin/env python3" names the interpreter in the second word, "#!/bin/sh" in the path's last part.
    std::string_view word;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
        const std::size_t start = pos;
        while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
        std::string_view token = line.substr(start, pos - start);
        if (token.empty()) break;
        token = token.substr(token.rfind('/') == std::string_view::npos ? 0 : token.rfind('/') + 1);
        if (token == "env" || token.starts_with("-")) continue;
        word = token;
        break;
    }
    while (!word.empty() && (std::isdigit(static_cast<unsigned char>(word.back())) || word.back() == '.'))
        word.remove_suffix(1);
    return std::string(lookup(kInterpreters, word));
}

}  // namespace

std::string detectLanguage(std::string_view path, std::string_view firstBytes)
{
    const std::size_t slash = path.rfind('/');
    const std::string name = lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
    if (auto byName = lookup(kFileNames, name); !byName.empty()) return std::string(byName);
    const std::size_t dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0) {
        if (auto byExt = lookup(kExtensions, std::string_view(name).substr(dot + 1)); !byExt.empty())
            return std::string(byExt);
    }
    return fromShebang(firstBytes);
}

}  // namespace folio::ingest
