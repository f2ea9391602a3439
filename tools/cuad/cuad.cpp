#include "cuad.h"

#include "folio/analysis/contract_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace folio::cuad {

namespace {

std::string squeeze(const std::string& s)
{
    return analysis::collapseWhitespace(s);
}

std::set<std::string> wordSet(std::string s)
{
    std::string t;
    for (char c : squeeze(s)) {
        if (c == '.' || c == ',' || c == ';' || c == ':')
            continue;
        t += c == '/' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::set<std::string> out;
    std::istringstream in(t);
    for (std::string w; in >> w;)
        out.insert(w);
    return out;
}

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

Dataset loadDataset(const std::filesystem::path& root)
{
    Dataset d;
    d.root = root;
    std::ifstream csv(root / "category_descriptions.csv");
    if (!csv)
        throw std::runtime_error((root / "category_descriptions.csv").string() + ": cannot open");
    std::string line;
    std::getline(csv, line);
    while (std::getline(csv, line)) {
        const std::string prefix = "Category: ";
        auto at = line.find(prefix);
        if (at == std::string::npos)
            continue;
        auto end = std::min(line.find(",Description:", at), line.find(",\"Description:", at));
        d.categories.push_back(line.substr(at + prefix.size(), end - at - prefix.size()));
    }
    std::ifstream labels(root / "labels.jsonl");
    if (!labels)
        throw std::runtime_error((root / "labels.jsonl").string() + ": cannot open");
    int lineNo = 0;
    while (std::getline(labels, line)) {
        ++lineNo;
        if (line.empty())
            continue;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(line);
        } catch (const std::exception& e) {
            throw std::runtime_error((root / "labels.jsonl").string() + ":" + std::to_string(lineNo) + ": " + e.what());
        }
        LabelledContract c;
        c.pdfName = std::filesystem::path(j.at("pdf").get<std::string>()).filename().string();
        for (auto& [category, v] : j.at("labels").items()) {
            for (auto& span : v.at("spans"))
                c.clauses[category].push_back(squeeze(span.at(2).get<std::string>()));
            for (auto& text : v.at("unmatched")) {
                std::string t = text.get<std::string>();
                for (size_t p; (p = t.find("<omitted>")) != std::string::npos;)
                    t.replace(p, 9, " ");
                c.clauses[category].push_back(squeeze(t));
            }
            std::string answer = v.value("answer", "");
            if (!answer.empty())
                c.answers[category] = answer;
        }
        d.contracts.push_back(std::move(c));
    }
    // labels.jsonl spells some names in title case ("Notice Period To Terminate Renewal"): use its spelling.
    for (std::string& category : d.categories)
        for (const LabelledContract& c : d.contracts)
            for (const auto& [name, texts] : c.clauses)
                if (name != category && lower(name) == lower(category))
                    category = name;
    if (d.categories.size() != 41)
        throw std::runtime_error((root / "category_descriptions.csv").string() + ": expected 41 categories, found " +
                                 std::to_string(d.categories.size()));
    return d;
}

namespace {

std::uint32_t nameHash(const std::string& pdfName)
{
    std::uint32_t h = 2166136261u;
    for (char c : pdfName)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
}

}  // namespace

bool isValidation(const std::string& pdfName)
{
    return nameHash(pdfName) % 5 == 0;
}

bool isDevelopment(const std::string& pdfName)
{
    return nameHash(pdfName) % 5 == 1;
}

double jaccard(const std::string& prediction, const std::string& label)
{
    std::set<std::string> a = wordSet(prediction), b = wordSet(label);
    if (a.empty() && b.empty())
        return 1;
    size_t common = 0;
    for (const std::string& w : a)
        common += b.count(w);
    return double(common) / double(a.size() + b.size() - common);
}

bool matches(const std::string& category, const std::string& prediction, const std::string& label)
{
    if (category == "Parties" && squeeze(prediction).find(squeeze(label)) != std::string::npos)
        return true;
    return jaccard(prediction, label) >= 0.5;
}

Metrics evaluate(const std::vector<const LabelledContract*>& contracts,
                 const std::vector<std::map<std::string, std::vector<Prediction>>>& predictions,
                 const std::vector<std::string>& categories)
{
    std::vector<double> thresholds;
    for (int t = 99; t >= 1; --t)
        thresholds.push_back(t / 100.0);
    thresholds.push_back(0.001);
    thresholds.push_back(0);
    Metrics m;
    m.precisions.push_back(1);
    m.recalls.push_back(0);
    for (double threshold : thresholds) {
        long tp = 0, fp = 0, fn = 0;
        for (size_t i = 0; i < contracts.size(); ++i)
            for (const std::string& category : categories) {
                auto gold = contracts[i]->clauses.find(category);
                auto pred = predictions[i].find(category);
                std::vector<const std::string*> kept;
                if (pred != predictions[i].end())
                    for (const Prediction& p : pred->second)
                        if (p.confidence > threshold)
                            kept.push_back(&p.text);
                if (gold == contracts[i]->clauses.end() || gold->second.empty()) {
                    fp += static_cast<long>(kept.size());
                    continue;
                }
                for (const std::string& g : gold->second) {
                    bool hit = std::any_of(kept.begin(), kept.end(),
                                           [&](const std::string* p) { return matches(category, *p, g); });
                    (hit ? tp : fn) += 1;
                }
                for (const std::string* p : kept)
                    if (std::none_of(gold->second.begin(), gold->second.end(),
                                     [&](const std::string& g) { return matches(category, *p, g); }))
                        ++fp;
            }
        m.precisions.push_back(tp + fp > 0 ? double(tp) / double(tp + fp) : std::nan(""));
        m.recalls.push_back(tp + fn > 0 ? double(tp) / double(tp + fn) : 0);
    }
    // The envelope: precision at a recall is the best precision at that recall or more. A threshold with no
    // prediction at all has no precision and takes the envelope's value.
    std::vector<double> envelope = m.precisions;
    double best = 0;
    for (size_t i = envelope.size(); i-- > 0;) {
        if (!std::isnan(envelope[i]))
            best = std::max(best, envelope[i]);
        envelope[i] = best;
    }
    for (size_t i = 1; i < envelope.size(); ++i)
        m.aupr += (m.recalls[i] - m.recalls[i - 1]) * (envelope[i] + envelope[i - 1]) / 2;
    for (size_t i = 1; i < envelope.size(); ++i)
        if (m.recalls[i] >= 0.8) {
            m.precisionAt80 = envelope[i];
            break;
        }
    for (size_t i = 1; i < envelope.size(); ++i)
        if (m.recalls[i] >= 0.9) {
            m.precisionAt90 = envelope[i];
            break;
        }
    m.precisions = envelope;
    return m;
}

}  // namespace folio::cuad
