// Prints what libfolio_code indexes in one file, for writing and checking query files and their fixtures
// (not a test): the lines tests/code/fixtures/*.expected are checked against, then each symbol's signature
// and doc comment.
//   code_index_dump FILE [GRAMMAR]
// GRAMMAR defaults to the one Folio picks for the file's extension.

#include "code_index_lines.h"

#include "folio/code/code_index.h"
#include "folio/ingest/language.h"

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr << "usage: code_index_dump FILE [GRAMMAR]\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::string grammar = argc > 2 ? argv[2]
                                         : folio::code::grammarFor(folio::ingest::detectLanguage(argv[1], text.substr(0, 256)), argv[1]);
    const auto index = folio::code::indexFile(grammar, text);
    std::cout << "# grammar " << index.language << ", " << index.syntaxErrors << " syntax errors"
              << (index.skipped.empty() ? "" : ", skipped: " + index.skipped) << "\n";
    for (const auto& line : folio::test::codeIndexLines(index)) std::cout << line << "\n";
    for (const auto& s : index.symbols)
        if (!s.local) std::cout << "# " << s.name << ": " << s.signature << (s.doc.empty() ? "" : "  // " + s.doc) << "\n";
    return 0;
}
