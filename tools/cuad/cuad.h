#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

// CUAD (../shared/data/cuad) for training the shipped clause model and for the benchmark that measures it.
// Nothing here ships in Folio itself.
namespace folio::cuad {

struct LabelledContract {
    std::string pdfName;  // file name of the PDF, e.g. "ABILITYINC_...-SERVICES AGREEMENT.PDF"
    std::map<std::string, std::vector<std::string>> clauses;  // category -> labelled texts
    std::map<std::string, std::string> answers;               // category -> normalised answer, where CUAD has one
};

struct Dataset {
    std::filesystem::path root;
    std::vector<std::string> categories;  // the 41 names, in category_descriptions.csv order
    std::vector<LabelledContract> contracts;
};

// Reads labels.jsonl and category_descriptions.csv. Throws std::runtime_error naming the file on failure.
Dataset loadDataset(const std::filesystem::path& root);

// The fixed split: one contract in five (by a hash of its file name) is kept for validation and never trained on.
bool isValidation(const std::string& pdfName);
// Another fifth of the training part, held out only while tuning the extractor's settings (never the validation
// fifth, which no choice may look at).
bool isDevelopment(const std::string& pdfName);

// CUAD's match: word-level Jaccard >= 0.5 after dropping . , ; : and lower-casing; for Parties a labelled text
// inside the prediction also counts. Whitespace runs count as one space (PDF text and the .txt differ there).
double jaccard(const std::string& prediction, const std::string& label);
bool matches(const std::string& category, const std::string& prediction, const std::string& label);

struct Prediction {
    std::string text;
    double confidence = 0;
};

// Pooled precision/recall over contract x category pairs at the paper's thresholds (0.99 ... 0.01, 0.001, 0),
// the precision envelope, AUPR (trapezoid from (0, 1)), and precision at 80% / 90% recall.
struct Metrics {
    double aupr = 0, precisionAt80 = 0, precisionAt90 = 0;
    std::vector<double> precisions, recalls;
};
// predictions[contract][category]; labels from the dataset for the same contracts in the same order.
Metrics evaluate(const std::vector<const LabelledContract*>& contracts,
                 const std::vector<std::map<std::string, std::vector<Prediction>>>& predictions,
                 const std::vector<std::string>& categories);

}  // namespace folio::cuad
