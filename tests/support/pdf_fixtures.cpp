#include "pdf_fixtures.h"

#include "folio/app/contract_pdf.h"

#include <QFile>

#include <stdexcept>

namespace folio::test {

std::string assemblePdf(const std::vector<std::string>& objects, const std::string& trailerExtra)
{
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " + trailerExtra + " >>\n";
    pdf += "startxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

std::string encryptedPdf()
{
    const std::string o(64, 'A'), u(64, 'B');  // 32 bytes each in hex: no password derives this /U
    return assemblePdf({"<< /Type /Catalog /Pages 2 0 R >>",
                        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                        "<< /Filter /Standard /V 1 /R 2 /O <" + o + "> /U <" + u + "> /P -4 >>"},
                       "/Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]");
}

std::string zeroPagePdf()
{
    return assemblePdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"});
}

void writeFile(const QString& path, const std::string& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        throw std::runtime_error("cannot write " + path.toStdString());
}

void writeSampleContract(const QString& path, int pages, const std::string& party)
{
    using Style = app::ContractParagraph::Style;
    app::ContractPdfSpec spec;
    spec.runningHeader = "Supply Agreement - " + party;
    spec.paragraphs.push_back({Style::Title, "SUPPLY AGREEMENT", 0});
    spec.paragraphs.push_back({Style::Body, "This Supply Agreement is made between " + party
                                                + " (the \"Supplier\") and Beta Ltd. (the \"Buyer\").", 0});
    const std::string filler = "The Supplier shall deliver the goods described in Exhibit A in accordance with the "
                               "delivery schedule, and the Buyer shall inspect the goods within ten days of delivery.";
    for (int section = 1; section <= pages * 4; ++section) {
        spec.paragraphs.push_back({Style::Heading, std::to_string(section) + ". SECTION " + std::to_string(section), 0});
        for (int p = 0; p < 3; ++p)
            spec.paragraphs.push_back({Style::Body, std::to_string(section) + "." + std::to_string(p + 1) + " " + filler, 0});
    }
    app::writeContractPdf(spec, path.toStdString());
}

}  // namespace folio::test
