"""The naive peer: what a docxtpl user would write to fill the same template (no checks, figures or charts).

Run: python benchmarks/peer/peer.py WORKBOOK.xlsx OUT.docx  (renders benchmarks/peer/template.docx, a fixed copy)
"""

import sys
from pathlib import Path

import openpyxl
from docxtpl import DocxTemplate
from jinja2 import ChainableUndefined, Environment

TEMPLATE = Path(__file__).with_name("template.docx")


def text(value):
    return "" if value is None else str(value)


def read(path):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    cover = {str(row[0]).strip(): row[1] for row in sheets.get("封面概况", []) if row and row[0]}
    tables = {f"t{n:02d}": {"rows": [r for r in sheets.get(f"公开{n:02d}表", [])[5:] if any(r)]} for n in range(1, 10)}
    year = int(str(cover.get("年度") or cover.get("决算年度") or 2024)[:4])
    return {"dept_name": cover.get("部门名称"), "year": year, "kind": "部门", "tables": tables, "sheets": sheets}


def main(source, target):
    env = Environment(undefined=ChainableUndefined, autoescape=True)
    env.filters.update({name: text for name in ("cell", "money", "wan", "pct", "score", "clause", "cn_num")})
    env.filters["join_names"] = lambda names, sep="、": sep.join(map(str, names or []))
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(read(source), jinja_env=env, autoescape=True)
    tpl.save(str(target))


if __name__ == "__main__":
    main(*sys.argv[1:3])
