#pragma once

#include "folio/analysis/contract_text.h"
#include "folio/analysis/outline.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace folio::analysis {

// A passage of the contract that belongs to a clause category (CUAD's 41: "Governing Law", "Non-Compete", ...).
struct Clause {
    std::string category;
    TextRange range;
    std::string text;         // flat text of the range
    double confidence = 0;    // in [0, 1]: the extractor's probability that the passage is such a clause
    int page = 0;
    std::vector<PageRegion> regions;
};

// A normalised answer where the category has one: "Governing Law" -> "New York", "Renewal Term" -> "1 year".
struct ClauseAnswer {
    std::string category;
    std::string answer;
    TextRange source;  // the passage it was read from
};

// Finds clauses in one contract. The statistical extractor below is the embedded default; a model-based one
// (the engine reading the contract with an extraction prompt) implements the same interface.
class ClauseExtractor {
public:
    virtual ~ClauseExtractor() = default;
    virtual std::string name() const = 0;
    virtual std::vector<std::string> categories() const = 0;
    // Every candidate above the extractor's floor, best first within a category, non-overlapping per category.
    virtual std::vector<Clause> extract(const ContractText& text, const Outline& outline) const = 0;
};

// A passage that could be a clause: a sentence, a numbered paragraph, the title, a date.
struct ClauseCandidate {
    enum class Kind { Sentence, Paragraph, Title, Date, PartyBlock };
    Kind kind = Kind::Sentence;
    TextRange range;
};
const char* toString(ClauseCandidate::Kind kind);

std::vector<ClauseCandidate> clauseCandidates(const ContractText& text, const Outline& outline);
// Hashed sparse features of a candidate (words, word pairs, the headings above it, its kind, length and place).
std::vector<std::uint32_t> clauseFeatures(const ContractText& text, const Outline& outline,
                                          const ClauseCandidate& candidate);

// One logistic regression per category over hashed features; int8 weights with a scale per category.
class ClauseModel {
public:
    static constexpr int kFeatureBits = 18;
    static constexpr std::uint32_t kFeatureCount = 1u << kFeatureBits;

    ClauseModel() = default;
    ClauseModel(std::vector<std::string> categories, std::vector<std::vector<float>> weights, std::vector<float> bias);
    // The serialised form (zstd-compressed). Throws std::runtime_error with the reason on a damaged model.
    static ClauseModel fromBytes(std::string_view bytes);
    std::string toBytes() const;

    const std::vector<std::string>& categories() const { return categories_; }
    // Probability per category.
    std::vector<float> predict(const std::vector<std::uint32_t>& features) const;

private:
    std::vector<std::string> categories_;
    std::vector<std::vector<float>> weights_;  // [category][feature]
    std::vector<float> bias_;
};

struct TrainingExample {
    std::vector<std::uint32_t> features;
    std::vector<std::uint8_t> labels;  // 1 per category where the candidate is a labelled clause
};

// AdaGrad over the examples for `epochs` passes in a fixed shuffled order (the seed makes it repeatable).
ClauseModel trainClauseModel(const std::vector<std::string>& categories, const std::vector<TrainingExample>& examples,
                             int epochs = 6, float l2 = 1e-6f, std::uint32_t seed = 1);

class StatisticalClauseExtractor : public ClauseExtractor {
public:
    // rankDecay: the k-th passage of a category in one contract has its probability times rankDecay^(k-1).
    // Parties keeps more passages than the other categories: CUAD labels every mention of a party's name.
    // floor 0.003, 10 passages (40 for Parties) and 0.9 were chosen on CUAD's development fifth
    // (tools/train_clauses --hold-out-development, then tests/bench/cuad_eval --part development).
    explicit StatisticalClauseExtractor(std::shared_ptr<const ClauseModel> model, double floor = 0.003,
                                        int maxPerCategory = 10, double rankDecay = 0.9, int maxPartyPassages = 40);
    std::string name() const override { return "statistical"; }
    std::vector<std::string> categories() const override { return model_->categories(); }
    std::vector<Clause> extract(const ContractText& text, const Outline& outline) const override;

private:
    std::shared_ptr<const ClauseModel> model_;
    double floor_;
    int maxPerCategory_;
    double rankDecay_;
    int maxPartyPassages_;
};

// Normalised answers for Parties, Agreement/Effective/Expiration Date, Renewal Term, Notice Period To Terminate
// Renewal, Governing Law and Cap On Liability (an amount or a multiple of the fees), read from the best clause of
// each category.
std::vector<ClauseAnswer> normalisedAnswers(const std::vector<Clause>& clauses);

}  // namespace folio::analysis
