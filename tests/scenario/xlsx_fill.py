#!/usr/bin/env python3
"""Fills in the first sheet of an .xlsx workbook as a clerk's spreadsheet
program saves it, for the round trip `template` -> fill in -> `import`.

Usage: xlsx_fill.py IN.xlsx OUT.xlsx ROWS_JSON

ROWS_JSON is a list of rows, each a list of cells from column A on: a
string becomes a shared string (as Excel and LibreOffice write text), a
number a number cell, {"serial": N} a date serial, null or "" an empty
cell. Every cell gets the style of its column (the template's text, whole
number and date formats), as a spreadsheet program gives a typed cell.
Rows go below the heading row; nothing else in the workbook changes.
"""
import json
import re
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def first_sheet_path(z):
    workbook = z.read("xl/workbook.xml").decode("utf-8")
    rid = re.search(r'<sheet [^>]*r:id="([^"]+)"', workbook).group(1)
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for rel in re.finditer(r"<Relationship [^>]*/>", rels):
        tag = rel.group(0)
        if f'Id="{rid}"' in tag:
            target = re.search(r'Target="([^"]+)"', tag).group(1)
            return target.lstrip("/") if target.startswith("/xl/") else "xl/" + target
    raise SystemExit("no first sheet")


def column_styles(sheet):
    """Column index -> style index, from <cols>."""
    styles = {}
    for col in re.finditer(r"<col ([^>]*)/>", sheet):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', col.group(1)))
        if "style" not in attrs:
            continue
        for c in range(int(attrs["min"]), int(attrs["max"]) + 1):
            styles[c - 1] = attrs["style"]
    return styles


def main():
    src, dst, rows = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    with zipfile.ZipFile(src) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
        sheet_path = first_sheet_path(z)
        names = set(z.namelist())
    files = {info.filename: data for info, data in items}
    sheet = files[sheet_path].decode("utf-8")
    styles = column_styles(sheet)

    # Shared strings: the workbook's own table, or a new one.
    strings = []
    if "xl/sharedStrings.xml" in names:
        sst = files["xl/sharedStrings.xml"].decode("utf-8")
        strings = re.findall(r"<si>(.*?)</si>", sst, re.S)
    first_new = len(strings)
    new_strings = []

    xml_rows = []
    for r, row in enumerate(rows, start=2):
        cells = []
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            ref = f"{column_letter(c)}{r}"
            style = f' s="{styles[c]}"' if c in styles else ""
            if isinstance(value, dict):
                cells.append(f'<c r="{ref}"{style}><v>{value["serial"]}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
            else:
                index = first_new + len(new_strings)
                new_strings.append(value)
                cells.append(f'<c r="{ref}"{style} t="s"><v>{index}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    rows_xml = "".join(xml_rows)
    if "<sheetData/>" in sheet:
        sheet = sheet.replace("<sheetData/>", f"<sheetData>{rows_xml}</sheetData>")
    else:
        sheet = sheet.replace("</sheetData>", rows_xml + "</sheetData>")
    files[sheet_path] = sheet.encode("utf-8")

    all_strings = strings + [f"<t>{escape(s)}</t>" for s in new_strings]
    files["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN}" count="{len(all_strings)}" uniqueCount="{len(all_strings)}">'
        + "".join(f"<si>{s}</si>" for s in all_strings) + "</sst>").encode("utf-8")
    if "xl/sharedStrings.xml" not in names:
        ct = files["[Content_Types].xml"].decode("utf-8")
        ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                        '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                        'sharedStrings+xml"/></Types>')
        files["[Content_Types].xml"] = ct.encode("utf-8")
        rels = files["xl/_rels/workbook.xml.rels"].decode("utf-8")
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdFillSst" Type='
                            '"http://schemas.openxmlformats.org/officeDocument/2006/'
                            'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                            "</Relationships>")
        files["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")

    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info, _ in items:
            out.writestr(info.filename, files[info.filename])
        if "xl/sharedStrings.xml" not in names:
            out.writestr("xl/sharedStrings.xml", files["xl/sharedStrings.xml"])


if __name__ == "__main__":
    main()
