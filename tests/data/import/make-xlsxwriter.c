/* Writes the libxlsxwriter fixtures of tests/data/import (run by make-xlsx,
 * which documents them): xw-awards.xlsx (shared strings, Chinese headings,
 * date serials under date formats, a formula with a saved value, points as
 * text "3分"), xw-awards-inline.xlsx (inline strings: constant-memory mode),
 * xw-donations.xlsx (amounts as numbers under #,##0.00 and ￥ formats, a
 * sum 0.1+0.2 saved as 0.30000000000000004) and xw-formula.xlsx (a formula
 * whose saved value make-xlsx removes).
 * Usage: make-xlsxwriter OUT_DIR */
#include <stdio.h>
#include <xlsxwriter.h>

static char path[4096];

static const char *Out(const char *dir, const char *name) {
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

static void Headings(lxw_worksheet *ws, const char *const *names, int n) {
  for (int i = 0; i < n; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, names[i], NULL);
}

static const char *const kAwardHeadings[] = {"村民", "规则", "分值", "日期", "备注"};

static void Awards(const char *dir) {
  lxw_workbook *wb = workbook_new(Out(dir, "xw-awards.xlsx"));
  lxw_worksheet *ws = workbook_add_worksheet(wb, "十月积分");
  lxw_format *slash = workbook_add_format(wb);
  format_set_num_format(slash, "yyyy/m/d");
  lxw_format *chinese = workbook_add_format(wb);
  format_set_num_format(chinese, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_format *builtin = workbook_add_format(wb);
  format_set_num_format_index(builtin, 14);
  Headings(ws, kAwardHeadings, 5);
  lxw_datetime d1 = {2021, 10, 10, 0, 0, 0};
  lxw_datetime d2 = {2021, 10, 11, 0, 0, 0};
  lxw_datetime d3 = {2021, 10, 12, 0, 0, 0};
  worksheet_write_string(ws, 1, 0, "R01", NULL);
  worksheet_write_string(ws, 1, 1, "VOL", NULL);
  worksheet_write_number(ws, 1, 2, 2, NULL);
  worksheet_write_datetime(ws, 1, 3, &d1, slash);
  worksheet_write_string(ws, 1, 4, "参加志愿服务", NULL);
  worksheet_write_string(ws, 2, 0, "R02", NULL);
  worksheet_write_string(ws, 2, 1, "VOL", NULL);
  worksheet_write_formula_num(ws, 2, 2, "=1+2", NULL, 3);
  worksheet_write_datetime(ws, 2, 3, &d2, chinese);
  worksheet_write_string(ws, 2, 4, "  清理河道  ", NULL);
  worksheet_write_string(ws, 3, 0, "R03", NULL);
  worksheet_write_string(ws, 3, 1, "CLEAN", NULL);
  worksheet_write_string(ws, 3, 2, "3分", NULL);
  worksheet_write_datetime(ws, 3, 3, &d3, builtin);
  /* Merged empty cells under the table and a styled empty cell right of
   * it: neither is a cell of the import. */
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  worksheet_write_blank(ws, 3, 7, bold);
  worksheet_merge_range(ws, 5, 0, 5, 4, "", bold);
  workbook_add_worksheet(wb, "说明");
  workbook_close(wb);
}

static void AwardsInline(const char *dir) {
  lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
  lxw_workbook *wb = workbook_new_opt(Out(dir, "xw-awards-inline.xlsx"), &options);
  lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
  lxw_format *slash = workbook_add_format(wb);
  format_set_num_format(slash, "yyyy/m/d");
  Headings(ws, kAwardHeadings, 5);
  lxw_datetime d = {2021, 10, 13, 0, 0, 0};
  worksheet_write_string(ws, 1, 0, "R04", NULL);
  worksheet_write_string(ws, 1, 1, "CLEAN", NULL);
  worksheet_write_number(ws, 1, 2, 3, NULL);
  worksheet_write_datetime(ws, 1, 3, &d, slash);
  worksheet_write_string(ws, 1, 4, "门前三包", NULL);
  workbook_close(wb);
}

static void Donations(const char *dir) {
  static const char *const headings[] = {"基金", "金额", "捐赠人", "用途", "票据号"};
  lxw_workbook *wb = workbook_new(Out(dir, "xw-donations.xlsx"));
  lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
  lxw_format *thousands = workbook_add_format(wb);
  format_set_num_format(thousands, "#,##0.00");
  lxw_format *yuan = workbook_add_format(wb);
  format_set_num_format(yuan, "\"￥\"#,##0.00");
  Headings(ws, headings, 5);
  worksheet_write_string(ws, 1, 0, "CH", NULL);
  worksheet_write_number(ws, 1, 1, 2000, thousands);
  worksheet_write_string(ws, 1, 2, "曲志强", NULL);
  worksheet_write_string(ws, 1, 3, "edu", NULL);
  worksheet_write_string(ws, 2, 0, "CH", NULL);
  worksheet_write_formula_num(ws, 2, 1, "=0.1+0.2", yuan, 0.1 + 0.2);
  worksheet_write_string(ws, 3, 0, "CH", NULL);
  worksheet_write_number(ws, 3, 1, 1234.5, yuan);
  worksheet_write_string(ws, 3, 4, "RC-2021-8", NULL);
  workbook_close(wb);
}

static void Formula(const char *dir) {
  lxw_workbook *wb = workbook_new(Out(dir, "xw-formula.xlsx"));
  lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
  Headings(ws, kAwardHeadings, 5);
  worksheet_write_string(ws, 1, 0, "R01", NULL);
  worksheet_write_string(ws, 1, 1, "VOL", NULL);
  worksheet_write_number(ws, 1, 2, 2, NULL);
  worksheet_write_string(ws, 2, 0, "R02", NULL);
  worksheet_write_string(ws, 2, 1, "VOL", NULL);
  worksheet_write_formula_num(ws, 2, 2, "=1+2", NULL, 3);
  workbook_close(wb);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: make-xlsxwriter OUT_DIR\n");
    return 2;
  }
  Awards(argv[1]);
  AwardsInline(argv[1]);
  Donations(argv[1]);
  Formula(argv[1]);
  return 0;
}
