"""Property: random consistent workbooks built through the spec have no error; any single edit is found."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from checks_support import model_from_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genreport.checks import run_checks
from genreport.excel import read_workbook, write_workbook
from genreport.model import Value
from genreport.spec import load_spec

SPEC = load_spec("standard")
ROOT = Path(__file__).resolve().parent.parent
CODES = {str(k): v for k, v in yaml.safe_load(
    (ROOT / "workbook_specs" / "codes" / "2024" / "function.yaml").read_text(encoding="utf-8"))["codes"].items()}
T01_CLASSES = {line.code for block in SPEC.table("t01").blocks for line in block.lines if line.code}
LEAVES = sorted(c for c in CODES if len(c) == 7 and c[:3] in T01_CLASSES and c[:5] in CODES and c[:3] in CODES)
ECON_KUAN = [code for block in SPEC.table("t06").blocks for code, _ in block.codes if len(code) == 5]
ERROR_OR_WARNING = ("error", "warning")

cents = st.one_of(st.just(0), st.integers(1, 5_000_000))


def money(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def shown(value: int, blank_zero: bool) -> Decimal | None:
    """Return the cell value: 0 written as blank or as 0.00 (both must pass)."""
    return None if value == 0 and blank_zero else money(value)


def roll_up(leaves: dict[str, dict[str, int]], columns: list[str]) -> dict[str, dict[str, int]]:
    """Return 类/款/项 rows whose parents are the exact sums of their children."""
    rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(columns, 0))
    for code, values in leaves.items():
        for key in (code[:3], code[:5], code):
            for column in columns:
                rows[key][column] += values.get(column, 0)
    return dict(sorted(rows.items()))


def coded(rows: dict[str, dict[str, int]], columns: list[str], blank_zero: bool) -> dict[str, Any]:
    total = {c: sum(v[c] for code, v in rows.items() if len(code) == 3) for c in columns}
    return {"lines": {"total": {c: shown(total[c], blank_zero) for c in columns}},
            "rows": [{"code": code, "name": CODES[code], **{c: shown(v[c], blank_zero) for c in columns}}
                     for code, v in rows.items()]}


@st.composite
def leaves_of(draw: Any, fund: str) -> dict[str, dict[str, int]]:
    sizes = {"general": (1, 6), "fund": (0, 3), "soe": (0, 2)}[fund]
    codes = draw(st.lists(st.sampled_from(LEAVES), min_size=sizes[0], max_size=sizes[1], unique=True))
    result = {}
    for code in codes:
        if fund == "fund":
            carry_in, income = draw(cents), draw(cents)
            spent = draw(st.integers(0, carry_in + income))
            basic = draw(st.integers(0, spent))
            result[code] = {"carry_in": carry_in, "income": income, "basic": basic, "project": spent - basic,
                            "carry_out": carry_in + income - spent}
        else:
            result[code] = {"basic": draw(cents), "project": draw(cents)}
    return result


@st.composite
def workbooks(draw: Any) -> dict[str, Any]:
    """Return plain workbook data (write_workbook's shape) in which every identity holds exactly."""
    blank_zero = draw(st.booleans())
    general, fund, soe = draw(leaves_of("general")), draw(leaves_of("fund")), draw(leaves_of("soe"))
    other = {code: {c: draw(st.one_of(st.just(0), st.integers(1, 100_000))) for c in
                    ("remit", "operating", "subsidy", "nf_basic", "nf_project", "superior", "business", "other")}
             for code in draw(st.lists(st.sampled_from(sorted(set(general) | set(fund) | set(soe))), unique=True))}
    tables = _tables(draw, blank_zero, general, fund, soe, other)
    data = copy.deepcopy(SEED_DATA)
    data["tables"] = tables
    _inputs(draw, data, general, fund, soe)
    return data


def _tables(draw: Any, blank_zero: bool, general: dict, fund: dict, soe: dict, other: dict) -> dict[str, Any]:
    t05 = roll_up({c: {**v, "total": v["basic"] + v["project"]} for c, v in general.items()},
                  ["total", "basic", "project"])
    t07 = roll_up({c: {**v, "total": v["basic"] + v["project"]} for c, v in fund.items()},
                  ["carry_in", "income", "total", "basic", "project", "carry_out"])
    t08 = roll_up({c: {**v, "total": v["basic"] + v["project"]} for c, v in soe.items()},
                  ["total", "basic", "project"])
    t03_leaves, t02_leaves = {}, {}
    for code in sorted(set(general) | set(fund) | set(soe)):
        parts = [general.get(code, {}), fund.get(code, {}), soe.get(code, {})]
        extra = other.get(code, {})
        basic = sum(p.get("basic", 0) for p in parts) + extra.get("nf_basic", 0)
        project = sum(p.get("project", 0) for p in parts) + extra.get("nf_project", 0)
        cols = {"basic": basic, "project": project, **{k: extra.get(k, 0) for k in ("remit", "operating", "subsidy")}}
        t03_leaves[code] = {**cols, "total": sum(cols.values())}
        fiscal = (general.get(code, {}).get("basic", 0) + general.get(code, {}).get("project", 0)
                  + fund.get(code, {}).get("income", 0) + soe.get(code, {}).get("basic", 0)
                  + soe.get(code, {}).get("project", 0))
        incomes = {"fiscal": fiscal, **{k: extra.get(k, 0) for k in ("superior", "business", "other")}}
        if any(incomes.values()):
            t02_leaves[code] = {**incomes, "total": sum(incomes.values())}
    t02 = roll_up(t02_leaves, ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"])
    t03 = roll_up(t03_leaves, ["total", "basic", "project", "remit", "operating", "subsidy"])
    tables = {
        "t02": coded(t02, ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"], blank_zero),
        "t03": coded(t03, ["total", "basic", "project", "remit", "operating", "subsidy"], blank_zero),
        "t05": coded(t05, ["total", "basic", "project"], blank_zero),
        "t07": coded(t07, ["carry_in", "income", "total", "basic", "project", "carry_out"], blank_zero),
        "t08": coded(t08, ["total", "basic", "project"], blank_zero),
    }
    sums = {name: _class_totals(rows) for name, rows in (("t02", t02), ("t03", t03), ("t05", t05), ("t07", t07),
                                                          ("t08", t08))}
    tables["t04"] = _t04(draw, sums, blank_zero)
    tables["t01"] = _t01(draw, sums, tables["t04"], blank_zero)
    tables["t06"] = _t06(draw, sums["t05"]["basic"], blank_zero)
    tables["t09"] = _t09(draw, tables["t06"])
    return tables


def _class_totals(rows: dict[str, dict[str, int]]) -> dict[str, Any]:
    columns = next(iter(rows.values())).keys() if rows else []
    totals: dict[str, Any] = {c: sum(v[c] for code, v in rows.items() if len(code) == 3) for c in columns}
    totals["classes"] = {code: v for code, v in rows.items() if len(code) == 3}
    return totals


def _t04(draw: Any, sums: dict[str, Any], blank_zero: bool) -> dict[str, Any]:
    general, fund, soe = sums["t05"].get("total", 0), sums["t07"].get("income", 0), sums["t08"].get("total", 0)
    keep_general, keep_soe = draw(cents), draw(cents)
    carry_in = {"general": keep_general, "fund": sums["t07"].get("carry_in", 0), "soe": keep_soe}
    carry_out = {"general": keep_general, "fund": sums["t07"].get("carry_out", 0), "soe": keep_soe}
    lines = {"general": general, "fund": fund, "soe": soe, "income_sum": general + fund + soe,
             "carry_in": sum(carry_in.values()), **{f"carry_in_{k}": v for k, v in carry_in.items()}}
    lines["income_total"] = lines["income_sum"] + lines["carry_in"]
    data = {k: {"amount": shown(v, blank_zero)} for k, v in lines.items()}
    spent = {"general": sums["t05"], "fund": sums["t07"], "soe": sums["t08"]}
    for code in T01_CLASSES:
        row = {f: spent[f]["classes"].get(code, {}).get("total", 0) for f in spent}
        data[f"c{code}"] = _fund_row(row, blank_zero)
    expense = {f: spent[f].get("total", 0) for f in spent}
    data["expense_sum"] = _fund_row(expense, blank_zero)
    data["carry_out"] = _fund_row(carry_out, blank_zero)
    data["expense_total"] = _fund_row({f: expense[f] + carry_out[f] for f in spent}, blank_zero)
    return {"lines": data}


def _fund_row(row: dict[str, int], blank_zero: bool) -> dict[str, Decimal | None]:
    return {"total": shown(sum(row.values()), blank_zero), **{f: shown(v, blank_zero) for f, v in row.items()}}


def _t01(draw: Any, sums: dict[str, Any], t04: dict[str, Any], blank_zero: bool) -> dict[str, Any]:
    income = {k: int((t04["lines"][k]["amount"] or 0) * 100) for k in ("general", "fund", "soe")}
    income.update({k: sums["t02"].get(k, 0) for k in ("superior", "business", "operating", "affiliated", "other")})
    lines = {**income, "income_sum": sum(income.values())}
    classes = {f"c{code}": sums["t03"]["classes"].get(code, {}).get("total", 0) for code in T01_CLASSES}
    expense_sum = sum(classes.values())
    unused, distribution, carry_out = draw(cents), draw(cents), draw(cents)
    carry_in = expense_sum + distribution + carry_out - lines["income_sum"] - unused
    if carry_in < 0:
        carry_out, carry_in = carry_out - carry_in, 0
    lines.update(classes, expense_sum=expense_sum, unused_balance=unused, carry_in=carry_in,
                 distribution=distribution, carry_out=carry_out,
                 income_total=lines["income_sum"] + unused + carry_in,
                 expense_total=expense_sum + distribution + carry_out)
    return {"lines": {k: {"amount": shown(v, blank_zero)} for k, v in lines.items()}}


def _t06(draw: Any, basic: int, blank_zero: bool) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(ECON_KUAN), min_size=1, max_size=8, unique=True))
    cuts = sorted(draw(st.lists(st.integers(0, basic), min_size=len(chosen) - 1, max_size=len(chosen) - 1)))
    amounts = {code: b - a for code, a, b in zip(chosen, [0, *cuts], [*cuts, basic])}
    classes: dict[str, int] = defaultdict(int)
    for code, value in amounts.items():
        classes[code[:3]] += value
    rows = [{"code": code, "name": name, "amount": shown({**amounts, **classes}.get(code, 0), blank_zero)}
            for block in SPEC.table("t06").blocks for code, name in block.codes]
    lines = {t.id: {"amount": money(sum(classes[c] for c in t.classes))} for t in SPEC.table("t06").totals}
    return {"rows": rows, "lines": lines}


def _t09(draw: Any, t06: dict[str, Any]) -> dict[str, Any]:
    econ = {r["code"]: int((r["amount"] or 0) * 100) for r in t06["rows"]}
    actual = {"abroad": econ["30212"] + draw(cents), "car_buy": econ["31013"] + draw(cents),
              "car_run": econ["30231"] + draw(cents), "reception": econ["30217"] + draw(cents)}
    budget = {k: draw(cents) for k in actual}
    row = {}
    for side, items in (("budget", budget), ("actual", actual)):
        car = items["car_buy"] + items["car_run"]
        values = {**items, "car": car, "total": items["abroad"] + car + items["reception"]}
        row.update({f"{side}_{k}": money(v) for k, v in values.items()})
    return {"lines": {"row": row}}


def _inputs(draw: Any, data: dict[str, Any], general: dict, fund: dict, soe: dict) -> None:
    row = data["tables"]["t09"]["lines"]["row"]
    forms = data["forms"]
    forms["prior"].update({k: money(draw(st.integers(1, 10_000_000)))
                           for k in ("total", "fiscal_total", "general_expense", "agency_cost")})
    forms["reasons"] = {f.id: f"{f.label}的说明" for f in SPEC.input("reasons").fields}
    forms["other"] = {"agency_cost": data["tables"]["t06"]["lines"]["public_total"]["amount"]}
    foreign = draw(st.integers(0, int(row["actual_reception"] * 100)))
    domestic = int(row["actual_reception"] * 100) - foreign
    held = draw(st.integers(1 if row["actual_car_run"] else 0, 5))
    forms["sangong"] = {
        "abroad_groups": 1 if row["actual_abroad"] else 0, "abroad_people": 2 if row["actual_abroad"] else 0,
        "cars_bought": 1 if row["actual_car_buy"] else 0, "cars_held": held,
        "foreign_reception_amount": money(foreign), "foreign_groups": int(foreign > 0), "foreign_people": int(foreign > 0),
        "domestic_reception_amount": money(domestic), "domestic_groups": int(domestic > 0),
        "domestic_people": int(domestic > 0)}
    spare = draw(st.integers(0, 3))
    forms["assets"].update({k: 0 for k in forms["assets"]}, vehicles_total=held + spare, confidential=held, other=spare)
    goods, works, services = draw(cents), draw(cents), draw(cents)
    total = goods + works + services
    sme = draw(st.integers(0, total))
    forms["procurement"] = {"total": money(total), "goods": money(goods), "works": money(works),
                            "services": money(services), "sme": money(sme), "small": money(draw(st.integers(0, sme)))}
    data["lists"]["budgets"] = [
        {"fund": name, "code": code, "name": CODES[code], "budget": money(draw(cents)), "reason": "原因"}
        for name, items in (("一般公共预算", general), ("政府性基金", fund), ("国有资本经营", soe)) for code in items]


def _seed_data() -> dict[str, Any]:
    import sys

    sys.path.insert(0, str(ROOT / "samples"))
    from build_sample import sample_data

    return sample_data(yaml.safe_load((ROOT / "samples" / "xinxiang-2024" / "seed_data.yaml").read_text("utf-8")))


SEED_DATA = _seed_data()


#: Plausibility, not consistency: the generator draws prior-year and budget figures independently of this year's.
PLAUSIBILITY = {"magnitude-mismatch"}


def _problems(workbook: Any) -> list[list[str]]:
    return [[i.code, i.sheet, i.cell, i.message] for i in run_checks(workbook)
            if i.severity in ERROR_OR_WARNING and i.code not in PLAUSIBILITY]


@settings(max_examples=40, deadline=None)
@given(workbooks())
def test_consistent_workbooks_have_no_error(data):
    assert _problems(model_from_data(SPEC, data)) == []


def _money_cells(workbook: Any) -> list[Value]:
    cells = []
    for table in workbook.tables.values():
        cells += [v for line in table.lines.values() for v in line.values()]
        cells += [v for row in table.rows for v in row.cells.values()]
    return cells


_A1 = re.compile(r"^([A-Z]+)(\d+)$")


@settings(max_examples=60, deadline=None)
@given(workbooks(), st.data())
def test_any_single_edit_is_an_error_at_that_cell_or_its_total(data, pick):
    workbook = model_from_data(SPEC, data)
    target = pick.draw(st.sampled_from(_money_cells(workbook)))
    delta = pick.draw(st.sampled_from([Decimal("0.20"), Decimal("-0.20"), Decimal("1.00"), Decimal("-37.45"),
                                       Decimal("1000.00")]))
    _replace(workbook, target, Value((target.value or Decimal(0)) + delta, target.sheet, target.cell))
    column, row = _A1.match(target.cell).groups()
    errors = [i for i in run_checks(workbook) if i.severity == "error"]
    related = [i for i in errors if i.sheet == target.sheet and (i.cell == target.cell or
               _A1.match(i.cell).group(1) == column or _A1.match(i.cell).group(2) == row)]
    assert related, (target, [(i.code, i.sheet, i.cell) for i in errors])


def _replace(workbook: Any, old: Value, new: Value) -> None:
    for table in workbook.tables.values():
        for cells in [*table.lines.values(), *(r.cells for r in table.rows)]:
            for key, value in cells.items():
                if value is old:
                    cells[key] = new
                    return
    raise AssertionError(old)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_through_xlsx_the_same_findings(tmp_path_factory, data):
    path = write_workbook(tmp_path_factory.mktemp("prop") / "w.xlsx", SPEC, data)
    workbook, reading = read_workbook(path, SPEC)
    assert [i for i in reading if i.severity in ERROR_OR_WARNING] == []
    found = sorted((i.code, i.severity, i.sheet, i.cell) for i in run_checks(workbook))
    assert found == sorted((i.code, i.severity, i.sheet, i.cell) for i in run_checks(model_from_data(SPEC, data)))
    assert [f for f in found if f[1] in ERROR_OR_WARNING and f[0] not in PLAUSIBILITY] == []
