#pragma once

#include <QString>

#include <string>
#include <vector>

namespace folio::test {

// A PDF assembled by hand from object bodies (object i + 1 is objects[i], object 1 the catalog), with a correct
// cross-reference table: for the malformed and encrypted files no writer produces.
std::string assemblePdf(const std::vector<std::string>& objects, const std::string& trailerExtra = {});

// A one-page PDF with a standard-security /Encrypt dictionary whose user password is not empty.
std::string encryptedPdf();
// A well-formed PDF whose page tree has no pages.
std::string zeroPagePdf();

void writeFile(const QString& path, const std::string& bytes);

// A small contract with a running header, numbered sections and a footer, written with writeContractPdf.
// pages: roughly how many pages of body text.
void writeSampleContract(const QString& path, int pages = 3, const std::string& party = "Acme Corp.");

}  // namespace folio::test
