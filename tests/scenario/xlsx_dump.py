#!/usr/bin/python3
"""Prints what an .xlsx workbook holds as one JSON document, read with
zipfile and xml.etree only (no spreadsheet library), for the scenario tests:

  {"sheets": [{"name", "state", "rows": [[cell text, ...], ...],
               "types": [[cell type ("s" shared string, "n" number, ...)]],
               "formats": {column letter: number format of the column},
               "validations": [{"sqref", "type", "formula1", "errorStyle",
                                "promptTitle", "prompt", "error"}],
               "autofilter", "frozen"}],
   "names": {defined name: its formula},
   "created": dcterms:created, "title": dc:title}

Usage: xlsx_dump.py FILE.xlsx
"""
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
# The built-in number formats a writer refers to by id.
BUILTIN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 14: "mm-dd-yy", 49: "@"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def col_name(index):
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(ord("A") + rem) + name
    return name


def text_of(node):
    return "".join(t.text or "" for t in node.iter(M + "t"))


def main():
    z = zipfile.ZipFile(sys.argv[1])
    names = set(z.namelist())
    strings = []
    if "xl/sharedStrings.xml" in names:
        strings = [text_of(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml"))]
    styles = ET.fromstring(z.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode")
              for f in styles.iter(M + "numFmt")}
    xfs = [int(xf.get("numFmtId", "0")) for xf in styles.find(M + "cellXfs")]

    def fmt(style):
        fid = xfs[int(style)] if style is not None else 0
        return custom.get(fid, BUILTIN.get(fid, str(fid)))

    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target")
            for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(PR + "Relationship")}
    out = {"sheets": [], "names": {}}
    for s in wb.find(M + "sheets"):
        target = rels[s.get(R + "id")]
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        ws = ET.fromstring(z.read(path))
        rows, types = [], []
        for row in ws.iter(M + "row"):
            r = int(row.get("r")) - 1
            while len(rows) <= r:
                rows.append([])
                types.append([])
            for c in row.iter(M + "c"):
                i = col_index(c.get("r"))
                t = c.get("t", "n")
                v = c.find(M + "v")
                if t == "s":
                    value = strings[int(v.text)]
                elif t == "inlineStr":
                    value = text_of(c)
                else:
                    value = v.text if v is not None else ""
                while len(rows[r]) <= i:
                    rows[r].append("")
                    types[r].append("")
                rows[r][i] = value
                types[r][i] = t
        formats = {}
        cols = ws.find(M + "cols")
        for col in (cols if cols is not None else []):
            for i in range(int(col.get("min")) - 1, int(col.get("max"))):
                formats[col_name(i)] = fmt(col.get("style"))
        validations = []
        dvs = ws.find(M + "dataValidations")
        for dv in (dvs if dvs is not None else []):
            f1 = dv.find(M + "formula1")
            validations.append({"sqref": dv.get("sqref"), "type": dv.get("type", "none"),
                                "formula1": f1.text if f1 is not None else None,
                                "errorStyle": dv.get("errorStyle", "stop"),
                                "promptTitle": dv.get("promptTitle"),
                                "prompt": dv.get("prompt"),
                                "error": dv.get("error")})
        af = ws.find(M + "autoFilter")
        pane = ws.find(".//" + M + "pane")
        out["sheets"].append({"name": s.get("name"), "state": s.get("state", "visible"),
                              "rows": rows, "types": types, "formats": formats,
                              "validations": validations,
                              "autofilter": af.get("ref") if af is not None else None,
                              "frozen": pane.get("topLeftCell") if pane is not None else None})
    dn = wb.find(M + "definedNames")
    for d in (dn if dn is not None else []):
        out["names"][d.get("name")] = d.text
    core = ET.fromstring(z.read("docProps/core.xml"))
    created = core.find(DCTERMS + "created")
    title = core.find(DC + "title")
    out["created"] = created.text if created is not None else None
    out["title"] = title.text if title is not None else None
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
