#include "folio/app/clause_matrix.h"

#include "folio/app/workspace_store.h"

#include "report_cells.h"

#include <xlsxwriter.h>

#include <set>
#include <sstream>
#include <stdexcept>

namespace folio::app {
namespace {

std::string csvField(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

const std::vector<std::string>& standardClauseCategories()
{
    static const std::vector<std::string> standard = {"Governing Law", "Anti-Assignment", "Cap On Liability",
                                                      "Insurance", "Audit Rights", "Termination For Convenience"};
    return standard;
}

ClauseMatrix ClauseMatrix::build(const WorkspaceStore& store, const AnalysisStore& analysis,
                                 const std::vector<std::string>& categories, double minConfidence)
{
    ClauseMatrix m;
    m.categories = categories;
    const std::set<std::string> wanted(categories.begin(), categories.end());
    for (auto& c : analysis.clauses())
        if (c.confidence >= minConfidence && wanted.count(c.category))
            m.clauses.push_back(std::move(c));
    for (std::size_t i = 0; i < m.clauses.size(); ++i) {
        auto key = std::make_pair(m.clauses[i].documentId, m.clauses[i].category);
        auto it = m.best.find(key);
        if (it == m.best.end() || m.clauses[i].confidence > m.clauses[it->second].confidence)
            m.best[key] = i;
    }
    std::map<std::int64_t, std::map<std::string, std::string>> answers;
    for (const auto& a : analysis.answers())
        answers[a.documentId][a.category] = a.answer;
    for (const auto& d : store.documents()) {
        if (d.kind != "pdf" || d.status == "error" || d.status == "skipped")
            continue;
        Row row{d.id, d.path, answers[d.id], {}};
        for (const std::string& standard : standardClauseCategories())
            if (!m.best.count({d.id, standard}))
                row.missingStandard.push_back(standard);
        m.rows.push_back(std::move(row));
    }
    return m;
}

const StoredClause* ClauseMatrix::at(std::int64_t documentId, const std::string& category) const
{
    auto it = best.find({documentId, category});
    return it == best.end() ? nullptr : &clauses[it->second];
}

void writeClausesCsv(std::ostream& out, const std::vector<StoredClause>& clauses)
{
    out << "document,category,confidence,page,text\n";
    for (const auto& c : clauses)
        out << csvField(fileName(c.documentPath)) << "," << csvField(c.category) << "," << c.confidence << ","
            << c.page << "," << csvField(c.text) << "\n";
}

void writeClausesXlsx(const std::string& file, const ClauseMatrix& m)
{
    lxw_workbook* book = workbook_new(file.c_str());
    if (!book)
        throw std::runtime_error(file + ": cannot create the workbook");
    lxw_format* wrap = workbook_add_format(book);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);

    lxw_worksheet* matrix = workbook_add_worksheet(book, "Clause matrix");
    worksheet_write_string(matrix, 0, 0, "Contract", bold);
    worksheet_set_column(matrix, 0, 0, 40, nullptr);
    worksheet_set_column(matrix, 1, static_cast<lxw_col_t>(m.categories.size()), 30, wrap);
    for (std::size_t c = 0; c < m.categories.size(); ++c)
        worksheet_write_string(matrix, 0, static_cast<lxw_col_t>(c + 1), m.categories[c].c_str(), bold);
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        worksheet_write_string(matrix, row, 0, fileName(m.rows[r].path).c_str(), nullptr);
        for (std::size_t c = 0; c < m.categories.size(); ++c) {
            const StoredClause* clause = m.at(m.rows[r].documentId, m.categories[c]);
            if (!clause)
                continue;
            std::ostringstream v;
            v << "[" << static_cast<int>(clause->confidence * 100 + 0.5) << "%, p. " << clause->page << "] "
              << clause->text;
            worksheet_write_string(matrix, row, static_cast<lxw_col_t>(c + 1), cellText(v.str()).c_str(), wrap);
        }
    }
    worksheet_freeze_panes(matrix, 1, 1);

    lxw_worksheet* all = workbook_add_worksheet(book, "Clauses");
    const char* headers[] = {"Contract", "Category", "Confidence", "Page", "Text"};
    for (int c = 0; c < 5; ++c)
        worksheet_write_string(all, 0, static_cast<lxw_col_t>(c), headers[c], bold);
    worksheet_set_column(all, 4, 4, 100, wrap);
    lxw_row_t row = 1;
    for (const auto& c : m.clauses) {
        worksheet_write_string(all, row, 0, fileName(c.documentPath).c_str(), nullptr);
        worksheet_write_string(all, row, 1, c.category.c_str(), nullptr);
        worksheet_write_number(all, row, 2, c.confidence, nullptr);
        worksheet_write_number(all, row, 3, c.page, nullptr);
        worksheet_write_string(all, row, 4, cellText(c.text).c_str(), wrap);
        ++row;
    }
    worksheet_autofilter(all, 0, 0, row > 1 ? row - 1 : 0, 4);

    lxw_worksheet* summary = workbook_add_worksheet(book, "Summary");
    const std::vector<std::string> answerColumns = {"Parties", "Agreement Date", "Effective Date", "Expiration Date",
                                                    "Renewal Term", "Notice Period To Terminate Renewal",
                                                    "Governing Law", "Cap On Liability"};
    worksheet_write_string(summary, 0, 0, "Contract", bold);
    for (std::size_t c = 0; c < answerColumns.size(); ++c)
        worksheet_write_string(summary, 0, static_cast<lxw_col_t>(c + 1), answerColumns[c].c_str(), bold);
    worksheet_write_string(summary, 0, static_cast<lxw_col_t>(answerColumns.size() + 1), "Missing standard clauses", bold);
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
        const auto line = static_cast<lxw_row_t>(r + 1);
        worksheet_write_string(summary, line, 0, fileName(m.rows[r].path).c_str(), nullptr);
        for (std::size_t c = 0; c < answerColumns.size(); ++c)
            if (auto it = m.rows[r].answers.find(answerColumns[c]); it != m.rows[r].answers.end())
                worksheet_write_string(summary, line, static_cast<lxw_col_t>(c + 1), cellText(it->second).c_str(), nullptr);
        std::string missing;
        for (const std::string& s : m.rows[r].missingStandard)
            missing += (missing.empty() ? "" : ", ") + s;
        worksheet_write_string(summary, line, static_cast<lxw_col_t>(answerColumns.size() + 1), missing.c_str(), nullptr);
    }
    lxw_error err = workbook_close(book);
    if (err != LXW_NO_ERROR)
        throw std::runtime_error(file + ": cannot write the workbook: " + lxw_strerror(err));
}

}  // namespace folio::app
