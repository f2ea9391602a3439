// The CUAD benchmark for clause extraction: runs an extractor over the validation contracts (ingested from their
// PDFs) and scores it the way the CUAD paper does. See README.md; cuad_bench.sh runs the whole thing.
#include "cuad/answer_accuracy.h"
#include "cuad/cuad.h"

#include "folio/analysis/clauses.h"
#include "folio/app/analysis_service.h"
#include "folio/app/workspace_store.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char** argv)
{
    CLI::App cli("Score clause extraction on CUAD's validation contracts (AUPR, P@80%R, P@90%R)");
    std::string workspace, cuadDir, modelFile;
    std::string part = "validation";
    double floor = 0.003;
    int perCategory = 10, partyPassages = 40;
    cli.add_option("--workspace", workspace, "Workspace with the CUAD PDFs ingested")->required();
    cli.add_option("--cuad", cuadDir, "The CUAD folder")->required();
    cli.add_option("--model", modelFile, "A clause model file (default: the one built into Folio)");
    cli.add_option("--part", part, "validation (never trained on), development (held out while tuning) or training")
        ->check(CLI::IsMember({"validation", "development", "training"}))->capture_default_str();
    cli.add_option("--floor", floor, "Extractor: lowest probability kept")->capture_default_str();
    cli.add_option("--per-category", perCategory, "Extractor: most passages per contract and category")->capture_default_str();
    cli.add_option("--parties", partyPassages, "Extractor: most Parties passages per contract")->capture_default_str();
    bool answerMisses = false;
    cli.add_flag("--answer-misses", answerMisses, "List every normalised answer that disagrees with CUAD's");
    CLI11_PARSE(cli, argc, argv);
    try {
        folio::cuad::Dataset data = folio::cuad::loadDataset(cuadDir);
        std::shared_ptr<const folio::analysis::ClauseModel> model;
        if (modelFile.empty()) {
            model = folio::app::embeddedClauseModel();
        } else {
            std::ifstream in(modelFile, std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            model = std::make_shared<folio::analysis::ClauseModel>(folio::analysis::ClauseModel::fromBytes(bytes));
        }
        folio::analysis::StatisticalClauseExtractor extractor(model, floor, perCategory, 0.9, partyPassages);
        std::map<std::string, const folio::cuad::LabelledContract*> byName;
        for (const auto& c : data.contracts)
            if ((part == "validation" && folio::cuad::isValidation(c.pdfName)) ||
                (part == "development" && folio::cuad::isDevelopment(c.pdfName)) ||
                (part == "training" && !folio::cuad::isValidation(c.pdfName)))
                byName[c.pdfName] = &c;
        folio::app::WorkspaceStore store(workspace);
        std::vector<const folio::cuad::LabelledContract*> contracts;
        std::vector<std::map<std::string, std::vector<folio::cuad::Prediction>>> predictions;
        std::map<std::string, folio::cuad::FieldAccuracy> accuracy;
        long rows = 0;
        for (const auto& d : store.documents()) {
            auto it = byName.find(std::filesystem::path(d.path).filename().string());
            if (it == byName.end())
                continue;
            auto text = folio::analysis::ContractText::fromDocument(store.loadDocument(d.id));
            auto outline = folio::analysis::Outline::build(text);
            std::map<std::string, std::vector<folio::cuad::Prediction>> p;
            const std::vector<folio::analysis::Clause> clauses = extractor.extract(text, outline);
            for (const auto& clause : clauses)
                p[clause.category].push_back({clause.text, clause.confidence});
            rows += static_cast<long>(clauses.size());
            std::map<std::string, std::string> ours;
            for (const auto& a : folio::analysis::normalisedAnswers(clauses))
                ours[a.category] = a.answer;
            for (const std::string& field : folio::cuad::answerFields()) {
                auto gold = it->second->answers.find(field);
                if (gold == it->second->answers.end())
                    continue;
                folio::cuad::FieldAccuracy& f = accuracy[field];
                ++f.labelled;
                f.answered += ours.count(field) ? 1 : 0;
                const bool same = folio::cuad::sameAnswer(field, ours[field], gold->second);
                f.correct += same ? 1 : 0;
                if (answerMisses && !same)
                    std::printf("answer miss\t%s\t%s\tFolio: %s\tCUAD: %s\n", field.c_str(), it->first.c_str(),
                                ours[field].c_str(), gold->second.c_str());
            }
            contracts.push_back(it->second);
            predictions.push_back(std::move(p));
        }
        if (contracts.empty())
            throw std::runtime_error(workspace + ": none of the CUAD " + part +
                                     " contracts is ingested");
        folio::cuad::Metrics all = folio::cuad::evaluate(contracts, predictions, data.categories);
        std::printf("contracts: %zu (%s part)\n", contracts.size(), part.c_str());
        std::printf("AUPR %.1f   P@80%%R %.1f   P@90%%R %.1f   (highest recall reached: %.1f%%)\n", 100 * all.aupr,
                    100 * all.precisionAt80, 100 * all.precisionAt90,
                    100 * *std::max_element(all.recalls.begin(), all.recalls.end()));
        std::printf("clause rows stored: %.1f per contract\n", double(rows) / double(contracts.size()));
        std::printf("\nnormalised answers against CUAD's answer column (accuracy = agreeing / CUAD answers)\n");
        std::printf("%-36s %6s %8s %8s %9s\n", "field", "CUAD", "answered", "agreeing", "accuracy");
        for (const std::string& field : folio::cuad::answerFields()) {
            const folio::cuad::FieldAccuracy& f = accuracy[field];
            std::printf("%-36s %6d %8d %8d %8.1f%%\n", field.c_str(), f.labelled, f.answered, f.correct,
                        f.labelled ? 100.0 * f.correct / f.labelled : 0.0);
        }
        std::printf("\n%-40s %6s %8s\n", "category", "AUPR", "labelled");
        for (const std::string& category : data.categories) {
            folio::cuad::Metrics m = folio::cuad::evaluate(contracts, predictions, {category});
            int labelled = 0;
            for (const auto* c : contracts)
                labelled += c->clauses.count(category) ? static_cast<int>(c->clauses.at(category).size()) : 0;
            std::printf("%-40s %6.1f %8d\n", category.c_str(), 100 * m.aupr, labelled);
        }
    } catch (const std::exception& e) {
        std::cerr << "cuad_eval: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
