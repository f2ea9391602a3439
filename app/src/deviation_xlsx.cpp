#include "folio/app/deviation_report.h"

#include "report_cells.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <stdexcept>

namespace folio::app {
namespace {

struct Formats {
    lxw_format *bold, *wrap, *deleted, *inserted;
};

// The diff as one cell: deletions red and struck through, insertions green and underlined. Excel wants at least
// two non-empty fragments in a rich string; a diff of one run is written plain.
void writeDiff(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const std::vector<analysis::WordEdit>& diff,
               const Formats& f)
{
    std::vector<std::string> texts;
    std::vector<lxw_format*> formats;
    std::size_t length = 0;
    for (const analysis::WordEdit& e : diff) {
        texts.push_back((texts.empty() ? "" : " ") + e.text);
        formats.push_back(e.op == analysis::WordEdit::Op::Deleted    ? f.deleted
                          : e.op == analysis::WordEdit::Op::Inserted ? f.inserted
                                                                     : nullptr);
        length += texts.back().size();
    }
    if (texts.size() < 2 || length > 32000) {
        worksheet_write_string(sheet, row, col, cellText(analysis::markedDiff(diff)).c_str(), f.wrap);
        return;
    }
    std::vector<lxw_rich_string_tuple> tuples(texts.size());
    std::vector<lxw_rich_string_tuple*> pointers;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        tuples[i] = {formats[i], texts[i].data()};
        pointers.push_back(&tuples[i]);
    }
    pointers.push_back(nullptr);
    worksheet_write_rich_string(sheet, row, col, pointers.data(), f.wrap);
}

}  // namespace

void writeDeviationsXlsx(const std::string& file, const DeviationReport& r)
{
    lxw_workbook* book = workbook_new(file.c_str());
    if (!book)
        throw std::runtime_error(file + ": cannot create the workbook");
    Formats f{workbook_add_format(book), workbook_add_format(book), workbook_add_format(book), workbook_add_format(book)};
    format_set_bold(f.bold);
    format_set_text_wrap(f.wrap);
    format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_color(f.deleted, LXW_COLOR_RED);
    format_set_font_strikeout(f.deleted);
    format_set_font_color(f.inserted, 0x008000);
    format_set_underline(f.inserted, LXW_UNDERLINE_SINGLE);

    lxw_worksheet* sheet = workbook_add_worksheet(book, "Deviations");
    const char* headers[] = {"Contract", "Deviation", "Category", "Value", "Expected", "Similarity", "Page",
                             "Compared with", "Word diff"};
    constexpr lxw_col_t kColumns = 9;
    for (lxw_col_t c = 0; c < kColumns; ++c)
        worksheet_write_string(sheet, 0, c, headers[c], f.bold);
    worksheet_set_column(sheet, 0, 0, 36, nullptr);
    worksheet_set_column(sheet, 1, 2, 24, nullptr);
    worksheet_set_column(sheet, 3, 4, 22, f.wrap);
    worksheet_set_column(sheet, 7, 7, 36, nullptr);
    worksheet_set_column(sheet, 8, 8, 100, f.wrap);
    worksheet_write_string(sheet, 0, kColumns, ("Against the " + r.baselineName()).c_str(), nullptr);
    lxw_row_t row = 1;
    for (const analysis::Deviation& d : r.deviations) {
        worksheet_write_string(sheet, row, 0, fileName(r.contracts[d.contract].path).c_str(), nullptr);
        worksheet_write_string(sheet, row, 1, analysis::toString(d.kind), nullptr);
        worksheet_write_string(sheet, row, 2, d.category.c_str(), nullptr);
        worksheet_write_string(sheet, row, 3, cellText(d.value).c_str(), f.wrap);
        worksheet_write_string(sheet, row, 4, cellText(d.expected).c_str(), f.wrap);
        if (d.kind == analysis::Deviation::Kind::DifferentWording)
            worksheet_write_number(sheet, row, 5, d.similarity, nullptr);
        if (d.clause)
            worksheet_write_number(sheet, row, 6, d.clause->page, nullptr);
        if (d.baselineContract) {
            const std::string with = fileName(r.contracts[*d.baselineContract].path) + ", p. " +
                                     std::to_string(d.baselineClause->page);
            worksheet_write_string(sheet, row, 7, with.c_str(), nullptr);
            writeDiff(sheet, row, 8, d.diff, f);
        }
        ++row;
    }
    worksheet_autofilter(sheet, 0, 0, row > 1 ? row - 1 : 0, kColumns - 1);
    worksheet_freeze_panes(sheet, 1, 1);

    lxw_worksheet* contracts = workbook_add_worksheet(book, "Contracts");
    const char* summaryHeaders[] = {"Contract", "Role", "Missing clauses", "Unusual values", "Different wording"};
    for (lxw_col_t c = 0; c < 5; ++c)
        worksheet_write_string(contracts, 0, c, summaryHeaders[c], f.bold);
    worksheet_set_column(contracts, 0, 0, 40, nullptr);
    for (std::size_t i = 0; i < r.contracts.size(); ++i) {
        const auto line = static_cast<lxw_row_t>(i + 1);
        int counts[3] = {0, 0, 0};
        for (const analysis::Deviation& d : r.deviations)
            counts[static_cast<int>(d.kind)] += d.contract == i;
        worksheet_write_string(contracts, line, 0, fileName(r.contracts[i].path).c_str(), nullptr);
        worksheet_write_string(contracts, line, 1, r.reference == i ? "reference" : "compared", nullptr);
        for (int k = 0; k < 3; ++k)
            worksheet_write_number(contracts, line, static_cast<lxw_col_t>(k + 2), counts[k], nullptr);
    }
    lxw_error err = workbook_close(book);
    if (err != LXW_NO_ERROR)
        throw std::runtime_error(file + ": cannot write the workbook: " + lxw_strerror(err));
}

}  // namespace folio::app
