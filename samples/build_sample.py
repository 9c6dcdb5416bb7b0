"""Build each samples/<name>/workbook.xlsx from its transcription seed_data.yaml, through the spec.

Run: python samples/build_sample.py [name…]   (needs genreport importable: pip install -e . or PYTHONPATH=cli)

A seed that names its `spec:` has the generic shape (forms, lists, tables by layout); the 决算 sample
(xinxiang-2024) keeps its own transcription shape.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "cli"))

from genreport.excel import write_workbook  # noqa: E402
from genreport.spec import TableSpec, load_spec  # noqa: E402

#: Labels the transcription uses where the printed label is ambiguous (总计 twice, 年初 sub-lines).
LABEL_ALIASES = {"收入总计": "总计", "支出总计": "总计"}


def _amount(text: Any) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _lines_table(spec: TableSpec, data: dict[str, Any]) -> dict[str, Any]:
    lines: dict[str, dict[str, Any]] = {}
    for block, side in zip(spec.blocks, (b.id for b in spec.blocks)):
        money = [c.id for c in block.columns if c.role == "money"]
        by_label = {line.label: line.id for line in block.lines if line.id}
        for label, values in data[side].items():
            if label not in by_label:
                label = LABEL_ALIASES.get(label, label).replace("年初-", "")
            values = values if isinstance(values, list) else [values]
            lines[by_label[label]] = {c: _amount(v) for c, v in zip(money, values)}
    return {"lines": lines}


def _coded_table(spec: TableSpec, data: dict[str, Any]) -> dict[str, Any]:
    money = [c.id for c in spec.money_columns]
    result: dict[str, Any] = {"lines": {}, "rows": []}
    for code, name, *values in data["rows"]:
        cells = {c: _amount(v) for c, v in zip(money, values)}
        if code is None:
            result["lines"]["total"] = cells
        else:
            result["rows"].append({"code": str(code), "name": name, **cells})
    return result


def _econ_table(data: dict[str, Any]) -> dict[str, Any]:
    rows = [{"code": str(code), "name": name, "amount": _amount(v)} for code, name, v in data["rows"]]
    lines = {"personnel_total": {"amount": _amount(data["personnel_total"])},
             "public_total": {"amount": _amount(data["public_total"])}}
    return {"rows": rows, "lines": lines}


def _record_table(spec: TableSpec, data: dict[str, Any]) -> dict[str, Any]:
    values = data["budget"] + data["actual"]
    return {"lines": {"row": {c.id: _amount(v) for c, v in zip(spec.columns, values)}}}


def sample_data(seed: dict[str, Any]) -> dict[str, Any]:
    """Return the plain workbook data (see excel.write_workbook) for the transcribed seed."""
    spec = load_spec("standard")
    tables = {}
    for table in spec.tables:
        raw = seed["tables"][table.id]
        if table.layout == "lines":
            tables[table.id] = _lines_table(table, raw)
        elif table.layout == "coded":
            tables[table.id] = _coded_table(table, raw)
        elif table.layout == "econ":
            tables[table.id] = _econ_table(raw)
        else:
            tables[table.id] = _record_table(table, raw)
    forms = {key: seed[key] for key in ("profile", "prior", "reasons", "sangong", "procurement", "assets", "performance")}
    forms["other"] = seed["agency"]
    evals, indicators = _self_evaluations(seed.get("self_evaluations", []))
    lists = {"budgets": seed["budgets"], "projects": seed["projects"], "self_evals": evals, "indicators": indicators}
    return {"forms": forms, "lists": lists, "tables": tables}


def _self_evaluations(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the 绩效自评表 rows and the 绩效自评指标 rows of the transcribed attachments."""
    evals, indicators = [], []
    for item in items:
        row = {"project": item["project"], "department": item["department"], "implementer": item["implementer"],
               "funds_weight": item["funds_weight"], "funds_score": item["funds_score"], "goal": item["goal"],
               "achieved": item["achieved"], "total_score": item["total_score"]}
        for fund in ("fiscal", "special", "other", "total"):
            for column, value in zip(("initial", "full", "executed"), item["funds"][fund]):
                row[f"{fund}_{column}"] = value
        report = item.get("report")
        row["report"] = "是" if report else "否"
        if report:
            advice = report.get("suggestions") or {}
            row.update(overview=report.get("overview"), problems=report.get("problems"), eval_date=report.get("date"),
                       advice_decision=advice.get("decision"), advice_budget=advice.get("budget"),
                       advice_funds=advice.get("funds"), advice_management=advice.get("management"),
                       advice_other=advice.get("other"))
        evals.append(row)
        for m in item["management"]:
            indicators.append({"project": item["project"], "category": "资金管理", "level3": m["item"],
                               "target": m["note"], "weight": m["weight"], "score": m["score"]})
        for ind in item["indicators"]:
            indicators.append({"project": item["project"], "category": "绩效指标", **ind})
    return evals, indicators


def generic_data(seed: dict[str, Any]) -> dict[str, Any]:
    """Return the plain workbook data of a seed in the generic shape (its tables read by the spec's layouts)."""
    spec = load_spec(seed["spec"])
    tables = {}
    for table in spec.tables:
        raw = seed["tables"].get(table.id, {})
        if table.layout == "lines":
            tables[table.id] = _lines_table(table, raw)
        elif table.layout == "record":
            tables[table.id] = {"lines": {"row": {k: _amount(v) for k, v in raw["record"].items()}}}
        else:
            tables[table.id] = _coded_table(table, raw)
    return {"forms": seed.get("forms", {}), "lists": seed.get("lists", {}), "tables": tables}


def build(name: str) -> Path:
    """Write samples/<name>/workbook.xlsx from samples/<name>/seed_data.yaml and return its path."""
    seed = yaml.safe_load((HERE / name / "seed_data.yaml").read_text(encoding="utf-8"))
    spec = load_spec(seed.get("spec", "standard"))
    data = generic_data(seed) if "spec" in seed else sample_data(seed)
    return write_workbook(HERE / name / "workbook.xlsx", spec, data)


def main() -> None:
    names = sys.argv[1:] or sorted(p.parent.name for p in HERE.glob("*/seed_data.yaml"))
    for name in names:
        print(f"wrote {build(name)}")


if __name__ == "__main__":
    main()
