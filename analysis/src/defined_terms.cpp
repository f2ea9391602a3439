#include "folio/analysis/defined_terms.h"

#include "regex.h"
#include "text_utils.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace folio::analysis {

const char* toString(DefinitionForm form)
{
    switch (form) {
    case DefinitionForm::Means: return "means";
    case DefinitionForm::Parenthetical: return "parenthetical";
    case DefinitionForm::Hereinafter: return "hereinafter";
    case DefinitionForm::ByReference: return "by reference";
    }
    return "means";
}

namespace {

// Straight and curly double quotes; PDFs of the same contract use both.
#define Q_OPEN R"((?:"|“|”|''))"
#define Q_CLOSE R"((?:"|”|“|''))"
#define TERM R"(([A-Z0-9][^"“”()]{0,80}?))"

const Regex& meansRe()
{
    static const Regex re(Q_OPEN TERM Q_CLOSE
                          R"(\s*,?\s*(?:shall\s+|will\s+)?(?:has\s+|have\s+)?(?:means?\b|the\s+meanings?\b|mean\b|is\s+defined\b|refers?\s+to\b|shall\s+refer\s+to\b|includes?\b|shall\s+include\b|as\s+used\s+(?:herein|in\s+this))|meaning\b)");
    return re;
}
const Regex& parenRe()
{
    static const Regex re(R"(\(([^()]{0,260})\))");
    return re;
}
const Regex& quotedRe()
{
    static const Regex re(Q_OPEN TERM Q_CLOSE);
    return re;
}
const Regex& hereinafterRe()
{
    static const Regex re(R"(\b(?:hereinafter|hereafter|herein)\s*,?\s*(?:referred\s+to\s+as|called|known\s+as)\s*,?\s*(?:the\s+|a\s+|an\s+)?)" Q_OPEN TERM Q_CLOSE);
    return re;
}
const Regex& eachARe()
{
    static const Regex re(R"(\b(?:are\s+|is\s+)?(?:each|together|collectively|individually|jointly)\s*,?\s+(?:referred\s+to\s+as\s+|as\s+)?(?:a|an|the)\s+)" Q_OPEN TERM Q_CLOSE);
    return re;
}
const Regex& meaningGivenInRe()
{
    static const Regex re(
        R"([^.;]{0,60}?(?:set\s+forth|given(?:\s+to\s+(?:it|such\s+term|them))?|specified|ascribed|assigned|provided|attributed|defined)(?:\s+to\s+(?:it|such\s+term|them))?\s+(?:in|under)\s+((?:Section|Article|Exhibit|Schedule|Annex|Appendix|paragraph|clause)\s+[\w.()]+|the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5}))");
    return re;
}
const Regex& asDefinedInRe()
{
    static const Regex re(
        R"(\b([A-Z][\w-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w-]*){0,4})\s*(?:\(|,)\s*as\s+(?:such\s+term\s+is\s+|each\s+such\s+term\s+is\s+)?defined\s+(?:in|under)\s+((?:Section|Article|Exhibit|Schedule|Annex|Appendix)\s+[\w.()]*[\w)]|the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,5}))");
    return re;
}
const Regex& forPurposesRe()
{
    static const Regex re(R"(for\s+(?:the\s+)?purposes?\s+of\s+this\s+(Section|Article|Exhibit|Schedule|Annex|paragraph|subsection|clause))", true);
    return re;
}

// Words that may open a defining parenthesis before the quoted term.
bool definingPrefix(std::string_view prefix)
{
    static const std::set<std::string> allowed = {
        "the", "a", "an", "each", "collectively", "together", "individually", "hereinafter", "herein", "hereafter",
        "referred", "to", "as", "called", "or", "and", "any", "its", "their", "respectively", "jointly", "severally",
        "such", "also", "known", "being", "sometimes", "with", "all", "of", "which", "is", "are", "this", "party",
        "parties", "both", "either", "in", "aggregate", "hereunder", "below", "defined"};
    for (const std::string& w : words(prefix))
        if (!allowed.count(w))
            return false;
    return true;
}

std::string cleanTerm(std::string_view raw)
{
    std::string t = collapseWhitespace(raw);
    while (!t.empty() && (t.back() == ',' || t.back() == '.'))
        t.pop_back();
    return t;
}

bool plausibleTerm(const std::string& t)
{
    if (t.empty() || t.size() > 80 || wordCount(t) > 8)
        return false;
    // A sentence in quotes is not a term.
    return t.find(". ") == std::string::npos && t.find("; ") == std::string::npos;
}

std::string escapeForRegex(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == ' ') {
            out += R"(\s+)";
            continue;
        }
        if (std::string_view(R"(\^$.|?*+()[]{}/-)").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

// The end of a "means" definition: the end of its paragraph, or of the outline node it opens.
int definitionEnd(const ContractText& text, const Outline& outline, int start)
{
    const auto& lines = text.lines();
    int line = text.lineAt(start);
    int end = lines[line].range.end;
    for (int i = line + 1; i < static_cast<int>(lines.size()) && !lines[i].paragraphStart; ++i)
        end = lines[i].range.end;
    for (const OutlineNode& n : outline.nodes())
        if (n.range.start > start && n.range.start < end)
            end = n.range.start;
    while (end > start && (text.text()[end - 1] == '\n' || text.text()[end - 1] == ' '))
        --end;
    return std::min(end, start + 3000);
}

int scopeOf(const ContractText& text, const Outline& outline, const TextRange& definition)
{
    auto m = forPurposesRe().find(text.slice(definition));
    if (m.start < 0)
        return -1;
    std::string kind = lowerAscii(m.group(text.slice(definition), 1));
    for (int n : outline.ancestorsAt(definition.start)) {
        NodeKind k = outline.nodes()[n].kind;
        if ((kind == "article" && k == NodeKind::Article) || (kind == "section" && k == NodeKind::Section) ||
            ((kind == "exhibit" || kind == "schedule" || kind == "annex") && k == NodeKind::Exhibit) ||
            ((kind == "paragraph" || kind == "subsection" || kind == "clause") &&
             (k == NodeKind::Section || k == NodeKind::Item)))
            return n;
    }
    return -1;
}

bool isMidSentenceCapitalised(std::string_view w)
{
    return w.size() >= 2 && std::isupper(static_cast<unsigned char>(w[0])) &&
           std::any_of(w.begin() + 1, w.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

std::vector<UndefinedTerm> findUndefined(const ContractText& text, const Outline& outline,
                                         const std::vector<DefinedTerm>& terms,
                                         const std::vector<TextRange>& sentenceList)
{
    static const std::set<std::string> connectors = {"of", "and", "for", "the", "to", "in", "on", "&"};
    static const std::set<std::string> ignored = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "Section", "Sections", "Article", "Articles", "Exhibit", "Exhibits", "Schedule", "Schedules", "Annex",
        "Appendix", "Attachment", "Agreement", "This", "The", "In", "If", "Any", "Each", "No", "Such", "All",
        "United", "States", "America", "State", "Page", "Party", "Parties", "Dated", "By", "Name", "Title",
        "Date", "Witness", "Whereas", "Inc", "Corp", "LLC", "Ltd", "Limited", "Company", "Corporation"};
    static const std::set<std::string> nameEnds = {"Inc", "Inc.", "Corp", "Corp.", "Corporation", "LLC", "L.L.C.",
                                                   "Ltd", "Ltd.", "Limited", "Company", "Co.", "LP", "L.P.",
                                                   "plc", "PLC", "GmbH", "AG", "N.A.", "Bank", "Trust", "Act",
                                                   "Code", "Rules", "Regulations", "Court", "Street", "Avenue",
                                                   "Road", "Suite", "Drive", "Boulevard", "University", "Association"};
    std::set<std::string> defined;
    for (const DefinedTerm& t : terms)
        defined.insert(t.term);
    std::vector<TextRange> excluded;
    for (const OutlineNode& n : outline.nodes()) {
        excluded.push_back(n.heading);
        if (n.kind == NodeKind::Preamble || n.kind == NodeKind::Signature || n.kind == NodeKind::Title)
            excluded.push_back(n.range);
    }
    for (const DefinedTerm& t : terms)
        excluded.push_back(sentenceAt(sentenceList, t.termRange.start));
    auto isExcluded = [&](int offset) {
        return std::any_of(excluded.begin(), excluded.end(), [&](const TextRange& r) { return r.contains(offset); });
    };

    const std::string& s = text.text();
    std::map<std::string, std::vector<TextRange>> found;
    for (const TextRange& sentence : sentenceList) {
        // Words with their offsets; the first word of a sentence is capitalised anyway.
        std::vector<std::pair<int, int>> ws;
        int i = sentence.start;
        while (i < sentence.end) {
            while (i < sentence.end && (s[i] == ' ' || s[i] == '\n'))
                ++i;
            int b = i;
            while (i < sentence.end && s[i] != ' ' && s[i] != '\n')
                ++i;
            if (i > b)
                ws.push_back({b, i});
        }
        size_t k = 1;
        while (k < ws.size()) {
            auto word = [&](size_t j) {
                std::string_view w(s.data() + ws[j].first, ws[j].second - ws[j].first);
                while (!w.empty() && std::ispunct(static_cast<unsigned char>(w.back())) && w.back() != '.')
                    w.remove_suffix(1);
                return w;
            };
            auto raw = [&](size_t j) { return std::string_view(s.data() + ws[j].first, ws[j].second - ws[j].first); };
            std::string_view prev = raw(k - 1);
            bool afterBreak = !prev.empty() && (prev.back() == ':' || prev.back() == '"' || prev.back() == ')' ||
                                                prev.front() == '(');
            if (!isMidSentenceCapitalised(word(k)) || afterBreak || raw(k)[0] == '"') {
                ++k;
                continue;
            }
            size_t last = k;
            size_t j = k + 1;
            while (j < ws.size()) {
                std::string_view w = word(j);
                if (isMidSentenceCapitalised(w) && raw(j - 1).back() != ',' && raw(j - 1).back() != ';') {
                    last = j++;
                } else if (connectors.count(std::string(w)) && j + 1 < ws.size() && isMidSentenceCapitalised(word(j + 1))) {
                    j += 1;
                } else {
                    break;
                }
            }
            if (last > k && last - k < 5) {
                std::string phrase;
                for (size_t q = k; q <= last; ++q)
                    phrase += (q > k ? " " : "") + std::string(word(q));
                while (!phrase.empty() && phrase.back() == '.')
                    phrase.pop_back();
                std::string first(word(k)), lastWord(word(last));
                bool plural = defined.count(phrase.substr(0, phrase.size() - 1)) > 0;
                if (!defined.count(phrase) && !plural && !ignored.count(first) && !nameEnds.count(lastWord) &&
                    !ignored.count(lastWord) && !isExcluded(ws[k].first))
                    found[phrase].push_back({ws[k].first, ws[last].first + static_cast<int>(word(last).size())});
            }
            k = last + 1;
        }
    }
    std::vector<UndefinedTerm> out;
    for (auto& [phrase, uses] : found)
        if (uses.size() >= 2)
            out.push_back({phrase, uses});
    std::sort(out.begin(), out.end(), [](const UndefinedTerm& a, const UndefinedTerm& b) {
        return a.uses.front().start < b.uses.front().start;
    });
    return out;
}

}  // namespace

DefinedTerms findDefinedTerms(const ContractText& text, const Outline& outline)
{
    DefinedTerms result;
    std::string_view s = text.text();
    std::vector<TextRange> sentenceList = sentences(text);
    std::set<std::pair<int, int>> seenTermRanges;
    auto add = [&](DefinedTerm t) {
        if (!plausibleTerm(t.term) || !seenTermRanges.insert({t.termRange.start, t.termRange.end}).second)
            return;
        // "For purposes of this Section" usually opens the sentence, before the term.
        TextRange sentence = sentenceAt(sentenceList, t.termRange.start);
        t.scopeNode = scopeOf(text, outline, {std::min(sentence.start, t.definition.start),
                                              std::max(sentence.end, t.definition.end)});
        result.terms.push_back(std::move(t));
    };

    for (const Regex::Match& m : meansRe().findAll(s)) {
        DefinedTerm t;
        t.term = cleanTerm(m.group(s, 1));
        t.termRange = {m.groupStart(1), m.groupEnd(1)};
        // The definition is its sentence, or up to the end of its paragraph when a list follows a colon.
        TextRange sentence = sentenceAt(sentenceList, m.start);
        std::string_view body = text.slice(sentence);
        while (!body.empty() && (body.back() == ' ' || body.back() == '\n'))
            body.remove_suffix(1);
        t.definition = {m.start, std::max(sentence.end, m.end)};
        if (!body.empty() && body.back() == ':')
            t.definition.end = std::max(t.definition.end, definitionEnd(text, outline, m.start));
        auto given = meaningGivenInRe().matchAt(s.substr(0, t.definition.end), m.end);
        t.form = DefinitionForm::Means;
        if (given.start >= 0) {
            t.form = DefinitionForm::ByReference;
            t.definedIn = cleanTerm(given.group(s, 1));
        }
        add(std::move(t));
    }
    for (const Regex::Match& p : parenRe().findAll(s)) {
        std::string_view inside = p.group(s, 1);
        auto first = quotedRe().find(inside);
        if (first.start < 0 || !definingPrefix(inside.substr(0, first.start)))
            continue;
        int base = p.groupStart(1);
        TextRange sentence = sentenceAt(sentenceList, p.start);
        for (const Regex::Match& q : quotedRe().findAll(inside)) {
            DefinedTerm t;
            t.term = cleanTerm(q.group(inside, 1));
            t.termRange = {base + q.groupStart(1), base + q.groupEnd(1)};
            t.definition = sentence;
            t.form = DefinitionForm::Parenthetical;
            add(std::move(t));
        }
    }
    for (const Regex* re : {&hereinafterRe(), &eachARe()})
        for (const Regex::Match& m : re->findAll(s)) {
        DefinedTerm t;
        t.term = cleanTerm(m.group(s, 1));
        t.termRange = {m.groupStart(1), m.groupEnd(1)};
        t.definition = sentenceAt(sentenceList, m.start);
        t.form = DefinitionForm::Hereinafter;
        add(std::move(t));
        }
    for (const Regex::Match& m : asDefinedInRe().findAll(s)) {
        DefinedTerm t;
        t.term = cleanTerm(m.group(s, 1));
        while (startsWith(t.term, "The ") || startsWith(t.term, "Any ") || startsWith(t.term, "Each "))
            t.term = t.term.substr(t.term.find(' ') + 1);
        t.termRange = {m.groupEnd(1) - static_cast<int>(t.term.size()), m.groupEnd(1)};
        t.definition = {m.groupStart(1), m.end};
        t.form = DefinitionForm::ByReference;
        t.definedIn = cleanTerm(m.group(s, 2));
        // A term with a definition of its own here is used, not defined, by "as defined in".
        add(std::move(t));
    }
    std::stable_sort(result.terms.begin(), result.terms.end(),
                     [](const DefinedTerm& a, const DefinedTerm& b) { return a.termRange.start < b.termRange.start; });

    // "has the meaning given in Section 6.1" beside the real definition in 6.1 points at it and is not a second
    // definition; two real definitions of one term in overlapping scopes are flagged.
    std::map<std::string, std::vector<size_t>> byTerm;
    for (size_t i = 0; i < result.terms.size(); ++i)
        byTerm[result.terms[i].term].push_back(i);
    std::vector<bool> drop(result.terms.size(), false);
    auto scopeRange = [&](const DefinedTerm& t) {
        return t.scopeNode < 0 ? TextRange{0, int(s.size())} : outline.nodes()[t.scopeNode].range;
    };
    for (auto& [term, idx] : byTerm) {
        std::vector<size_t> own;
        for (size_t i : idx)
            if (result.terms[i].form != DefinitionForm::ByReference)
                own.push_back(i);
        bool first = true;
        for (size_t i : idx)
            if (result.terms[i].form == DefinitionForm::ByReference) {
                drop[i] = !own.empty() || !first;
                first = false;
            }
        for (size_t a = 0; a < own.size(); ++a)
            for (size_t b = a + 1; b < own.size(); ++b) {
                DefinedTerm& x = result.terms[own[a]];
                DefinedTerm& y = result.terms[own[b]];
                if (scopeRange(x).overlaps(scopeRange(y)) && x.definition != y.definition)
                    x.definedTwice = y.definedTwice = true;
            }
    }
    std::vector<DefinedTerm> kept;
    for (size_t i = 0; i < result.terms.size(); ++i)
        if (!drop[i])
            kept.push_back(std::move(result.terms[i]));
    result.terms = std::move(kept);

    // Uses: longest terms first, so "Confidential Information" is not also a use of "Information".
    std::vector<size_t> order(result.terms.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return result.terms[a].term.size() > result.terms[b].term.size(); });
    // Neither a term where it is defined nor a word of a heading ("4.2 Notices") is a use.
    std::vector<TextRange> taken;
    for (const DefinedTerm& t : result.terms)
        taken.push_back(t.termRange);
    for (const OutlineNode& n : outline.nodes())
        taken.push_back(n.heading);
    std::map<std::string, std::vector<TextRange>> usesOf;
    for (size_t i : order) {
        DefinedTerm& t = result.terms[i];
        if (usesOf.count(t.term)) {
            t.uses = usesOf[t.term];
        } else {
            // Plurals and possessives are uses too: Party, Parties, Party's.
            std::string pattern = escapeForRegex(t.term) + R"re((?:s|es|'s|’s)?)re";
            if (t.term.size() > 2 && t.term.back() == 'y')
                pattern = "(?:" + pattern + "|" + escapeForRegex(t.term.substr(0, t.term.size() - 1)) + "ies)";
            Regex use(R"re((?<![\w"“]))re" + pattern + R"re((?![\w"”]))re");
            for (const Regex::Match& m : use.findAll(s)) {
                TextRange r{m.start, m.end};
                if (std::any_of(taken.begin(), taken.end(), [&](const TextRange& x) { return x.overlaps(r); }))
                    continue;
                t.uses.push_back(r);
            }
            for (const TextRange& r : t.uses)
                taken.push_back(r);
            usesOf[t.term] = t.uses;
        }
        TextRange scope = t.scopeNode < 0 ? TextRange{0, int(s.size())} : outline.nodes()[t.scopeNode].range;
        std::vector<TextRange> kept;
        for (const TextRange& r : t.uses) {
            bool ownDefinition = false;
            for (const DefinedTerm& other : result.terms)
                if (other.term == t.term && other.definition.overlaps(r))
                    ownDefinition = true;
            if (scope.contains(r.start) && !ownDefinition)
                kept.push_back(r);
        }
        t.uses = std::move(kept);
    }
    result.undefined = findUndefined(text, outline, result.terms, sentenceList);
    return result;
}

}  // namespace folio::analysis
