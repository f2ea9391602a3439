// OCR of scanned pages: pages/s and word accuracy on pages rendered from known text, degraded as scanners do
// (noise, specks, a slight rotation, 200 dpi) and read back by PdfReader, with each page's file read on one of
// --threads worker threads as `folio ingest` does. See README.md.

#include "scanned_pages.h"

#include "folio/ingest/pdf_reader.h"

#include <QDir>
#include <QGuiApplication>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

using namespace folio;

namespace {

struct Condition {
    const char* name;
    test::ScanConditions scan;
};

}  // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);  // fonts for the scanned pages
    int files = 8, threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--files")) files = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    }
    if (files < 1 || threads < 1) {
        std::fprintf(stderr, "usage: ocr_bench [--files N] [--threads T]\n");
        return 2;
    }
    const Condition conditions[] = {
        {"clean, 300 dpi", {300, 0, 0, 0, 1}},
        {"degraded, 300 dpi", {300, 1.0, 12, 200, 1}},
        {"clean, 200 dpi", {200, 0, 0, 0, 1}},
        {"degraded, 200 dpi", {200, 1.0, 12, 200, 1}},
        {"degraded, 200 dpi, 2 degrees", {200, 2.0, 20, 500, 1}},
    };
    std::printf("%d files per condition of a page or two of contract prose (DejaVu Serif 11 pt, US Letter), %d threads\n",
                files, threads);
    std::printf("%-30s %8s %10s %10s %8s\n", "condition", "pages/s", "accuracy", "worst", "conf.");
    QTemporaryDir tmp;
    for (const Condition& c : conditions) {
        // One file of nine sections (one or two pages) per seed, each with different text; written before the
        // clock starts. pages/s counts pages, accuracy is per file.
        std::vector<std::string> paths;
        std::vector<std::vector<std::string>> expected;
        int scannedPages = 0;
        for (int p = 0; p < files; ++p) {
            test::ScanConditions scan = c.scan;
            scan.seed = std::uint32_t(p + 1);
            const QString file = tmp.filePath(QString("%1-%2.pdf").arg(&c - conditions).arg(p));
            const auto written = test::writeScannedPdf(file, test::contractParagraphs(9, std::uint32_t(100 + p)), scan);
            paths.push_back(file.toStdString());
            expected.emplace_back();
            for (const auto& page : written) expected.back().insert(expected.back().end(), page.words.begin(), page.words.end());
            scannedPages += int(written.size());
        }
        std::vector<ingest::Document> docs(paths.size());
        std::atomic<std::size_t> next{0};
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&] {
                const ingest::PdfReader reader;
                for (std::size_t i; (i = next++) < paths.size();) docs[i] = reader.read(paths[i]);
            });
        for (auto& w : workers) w.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double accuracySum = 0, worst = 1, confidenceSum = 0;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            std::string text;
            for (const auto& page : docs[i].pages)
                for (const auto& line : page.lines) text += line.text + "\n";
            const double accuracy = test::wordAccuracy(expected[i], test::comparableWords(text));
            accuracySum += accuracy;
            worst = std::min(worst, accuracy);
            for (const auto& page : docs[i].pages) {
                confidenceSum += page.ocrConfidence;
                if (page.source != ingest::TextSource::Ocr)
                    std::fprintf(stderr, "%s: page %d not read by OCR: %s\n", paths[i].c_str(), page.number, docs[i].reason.c_str());
            }
        }
        std::printf("%-30s %8.2f %9.1f%% %9.1f%% %8.1f\n", c.name, scannedPages / seconds, 100 * accuracySum / files,
                    100 * worst, confidenceSum / scannedPages);
        std::fflush(stdout);
    }
    return 0;
}
