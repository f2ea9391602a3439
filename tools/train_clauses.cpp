// Trains the clause model Folio ships (resources/clauses/cuad-clause-model.bin) from CUAD contracts that were
// ingested from their PDFs into a workspace, leaving out the validation fifth. scripts/train-clauses.sh runs it.
#include "cuad/cuad.h"
#include "cuad/training_set.h"

#include "folio/app/workspace_store.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

int main(int argc, char** argv)
{
    CLI::App cli("Train Folio's clause model on CUAD (training part only)");
    std::string workspace, cuadDir, outFile;
    int epochs = 3;
    float l2 = 1e-4f;
    bool holdOutDevelopment = false;
    cli.add_option("--workspace", workspace, "Workspace with the CUAD PDFs ingested")->required();
    cli.add_option("--cuad", cuadDir, "The CUAD folder (labels.jsonl, category_descriptions.csv)")->required();
    cli.add_option("--out", outFile, "Where to write the model")->required();
    cli.add_option("--epochs", epochs, "Passes over the training examples")->capture_default_str();
    cli.add_flag("--hold-out-development", holdOutDevelopment,
                 "Also leave out the development fifth (to tune settings on it with cuad_eval --part development)");
    cli.add_option("--l2", l2, "L2 penalty on the weights a candidate touches")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);

    try {
        auto started = std::chrono::steady_clock::now();
        folio::cuad::Dataset data = folio::cuad::loadDataset(cuadDir);
        std::map<std::string, const folio::cuad::LabelledContract*> byName;
        for (const auto& c : data.contracts)
            if (!folio::cuad::isValidation(c.pdfName) && !(holdOutDevelopment && folio::cuad::isDevelopment(c.pdfName)))
                byName[c.pdfName] = &c;
        folio::app::WorkspaceStore store(workspace);
        std::vector<std::pair<std::int64_t, const folio::cuad::LabelledContract*>> work;
        for (const auto& d : store.documents())
            if (auto it = byName.find(std::filesystem::path(d.path).filename().string()); it != byName.end() &&
                d.kind == "pdf" && d.status != "error")
                work.push_back({d.id, it->second});
        if (work.empty())
            throw std::runtime_error(workspace + ": no CUAD training contracts ingested");

        std::vector<folio::analysis::TrainingExample> examples;
        std::mutex lock;
        int labelled = 0, reachable = 0;
        std::atomic<size_t> next{0};
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < std::max(1u, std::thread::hardware_concurrency()); ++t)
            pool.emplace_back([&] {
                folio::app::WorkspaceStore local(workspace);
                for (size_t i; (i = next++) < work.size();) {
                    int n = 0, r = 0;
                    auto ex = folio::cuad::trainingExamples(local.loadDocument(work[i].first), *work[i].second,
                                                            data.categories, &n, &r);
                    std::lock_guard guard(lock);
                    labelled += n;
                    reachable += r;
                    for (auto& e : ex)
                        examples.push_back(std::move(e));
                }
            });
        for (auto& t : pool)
            t.join();
        std::vector<long> positives(data.categories.size(), 0);
        for (const auto& e : examples)
            for (size_t k = 0; k < positives.size(); ++k)
                positives[k] += e.labels[k];
        std::cerr << "training contracts: " << work.size() << ", candidates: " << examples.size()
                  << ", labelled clauses some candidate matches: " << reachable << " of " << labelled << "\n";
        for (size_t k = 0; k < positives.size(); ++k)
            std::cerr << "  " << data.categories[k] << ": " << positives[k] << " positive candidates\n";

        folio::analysis::ClauseModel model = folio::analysis::trainClauseModel(data.categories, examples, epochs, l2);
        std::string bytes = model.toBytes();
        std::ofstream out(outFile, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw std::runtime_error(outFile + ": cannot write");
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::cerr << "wrote " << outFile << " (" << bytes.size() << " bytes) in " << seconds << " s\n";
    } catch (const std::exception& e) {
        std::cerr << "train_clauses: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
