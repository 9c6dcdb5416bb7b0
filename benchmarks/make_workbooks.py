"""Generate N valid, varied synthetic department workbooks through the spec (input for the benchmark).

Run: python benchmarks/make_workbooks.py 200 -o /tmp/genreport-bench/workbooks [--seed 1] [--check]

Every workbook is written by genreport.excel.write_workbook from plain data whose tables are built from
the leaves up in integer 分 (cents), so every total, class row and cross-table identity holds exactly.
Departments differ in 科目 sets and sizes (3 to ~40 项), 事业收入 or not, 政府性基金 (公开07表) or an
empty 07 table, and with or without 三公 spending; 公开08表 is always empty. The narrative inputs
(texts, projects, 自评表) are the seed sample's, with the department's own name.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "cli"))

from build_sample import sample_data  # noqa: E402

from genreport.excel import write_workbook  # noqa: E402
from genreport.resources import specs_dir  # noqa: E402
from genreport.spec import WorkbookSpec, load_spec  # noqa: E402

SEED = ROOT / "samples" / "xinxiang-2024" / "seed_data.yaml"
ORGS = ["教育局", "财政局", "卫生健康委员会", "交通运输局", "农业农村局", "民政局", "住房和城乡建设局",
        "自然资源和规划局", "文化广电和旅游局", "市场监督管理局", "生态环境局", "应急管理局", "科学技术局",
        "人力资源和社会保障局", "水利局", "商务局", "统计局", "审计局", "司法局", "林业局"]
SIZES = {"small": (1, 1, 2), "medium": (3, 2, 3), "large": (6, 3, 4)}  # 类, 款 per 类, 项 per 款 (maximum)
FUND_KUAN = ["21208", "21213", "21214", "22904", "22960"]
GENERAL_SKIP = ("223", "227", "229", "230", "231", "232", "233", "234")
MONEY = ("g_basic", "g_project", "carry_in", "f_income", "n_basic", "n_project")


@dataclass
class Leaf:
    """The money of one 项 in 分: general budget, 政府性基金 (carry-in + this year's income), 事业收入."""

    code: str
    g_basic: int = 0
    g_project: int = 0
    carry_in: int = 0
    f_income: int = 0
    n_basic: int = 0
    n_project: int = 0

    @property
    def fund(self) -> int:
        """Return the 政府性基金 spending (all of it 项目支出)."""
        return self.carry_in + self.f_income


@dataclass
class Plan:
    """One synthetic department."""

    index: int
    rng: random.Random
    leaves: list[Leaf] = field(default_factory=list)
    sangong: dict[str, int] = field(default_factory=dict)


# ---- 科目 ------------------------------------------------------------------------------


def function_codes() -> dict[str, str]:
    """Return the 2024 功能分类 code list (code → name), without the codes whose name is not known (null)."""
    data = yaml.safe_load((specs_dir() / "codes" / "2024" / "function.yaml").read_text(encoding="utf-8"))
    return {str(code): name for code, name in data["codes"].items() if name}


def _children(codes: dict[str, str], parent: str) -> list[str]:
    return [c for c in codes if len(c) == len(parent) + 2 and c.startswith(parent)]


def _general_kuan(codes: dict[str, str], lei: str) -> list[str]:
    return [k for k in _children(codes, lei) if "安排的支出" not in codes[k] and "基金" not in codes[k]
            and _children(codes, k)]


def pick_items(rng: random.Random, codes: dict[str, str], size: str, t01_classes: set[str]) -> list[str]:
    """Return the general-budget 项 codes of a department of this size; the first one is a 行政运行."""
    n_lei, n_kuan, n_xiang = SIZES[size]
    classes = [c for c in sorted(t01_classes) if not c.startswith(GENERAL_SKIP) and _general_kuan(codes, c)]
    chosen: list[str] = []
    for lei in rng.sample(classes, rng.randint(1, n_lei)):
        kuans = _general_kuan(codes, lei)
        for kuan in rng.sample(kuans, min(len(kuans), rng.randint(1, n_kuan))):
            xiangs = _children(codes, kuan)
            picked = rng.sample(xiangs, min(len(xiangs), rng.randint(1, n_xiang)))
            chosen += sorted(set(picked) | ({kuan + "01"} & set(xiangs) if not chosen else set()))
    return chosen


# ---- amounts ----------------------------------------------------------------------------


def cents(rng: random.Random, low: float, high: float) -> int:
    """Return a random amount in 分 between low and high 万元."""
    return rng.randint(int(low * 100), int(high * 100))


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Return parts non-negative amounts in 分 that add up to total exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def money(value: int | None) -> Decimal | None:
    """Return 分 as a 2-decimal Decimal in 万元 (None stays blank)."""
    return None if value is None else Decimal(value).scaleb(-2)


def plan_department(index: int, seed: int, codes: dict[str, str], t01_classes: set[str]) -> Plan:
    """Return the random shape and amounts of department number index."""
    rng = random.Random(seed * 100_003 + index)
    plan = Plan(index, rng)
    size = rng.choice(["small", "medium", "medium", "large"])
    business = rng.random() < 0.4
    for position, code in enumerate(pick_items(rng, codes, size, t01_classes)):
        leaf = Leaf(code)
        if position == 0 or code.endswith(("01", "50")):
            leaf.g_basic = cents(rng, 50, 900)
        if position > 0 and (not leaf.g_basic or rng.random() < 0.3):
            leaf.g_project = cents(rng, 1, 600)
        if business and rng.random() < 0.5:
            leaf.n_basic, leaf.n_project = cents(rng, 0, 80), rng.choice([0, cents(rng, 1, 50)])
        plan.leaves.append(leaf)
    if rng.random() < 0.5:
        plan.leaves += _fund_leaves(rng, codes)
    plan.sangong = _sangong(rng) if rng.random() < 0.6 else {}
    return plan


def _fund_leaves(rng: random.Random, codes: dict[str, str]) -> list[Leaf]:
    leaves = []
    for kuan in rng.sample(FUND_KUAN, rng.randint(1, 2)):
        for code in rng.sample(_children(codes, kuan), 1):
            carry = rng.choice([0, cents(rng, 10, 500)])
            leaves.append(Leaf(code, carry_in=carry, f_income=cents(rng, 20, 3000)))
    return leaves


def _sangong(rng: random.Random) -> dict[str, int]:
    budget = {"abroad": rng.choice([0, cents(rng, 1, 20)]), "car_buy": rng.choice([0, 0, cents(rng, 10, 30)]),
              "car_run": cents(rng, 1, 15), "reception": cents(rng, 0.5, 8)}
    result: dict[str, int] = {}
    for item, amount in budget.items():
        actual = amount if rng.random() < 0.3 else int(amount * rng.uniform(0.4, 1.0))
        result[f"budget_{item}"], result[f"actual_{item}"] = amount, actual
    for side in ("budget", "actual"):
        result[f"{side}_car"] = result[f"{side}_car_buy"] + result[f"{side}_car_run"]
        result[f"{side}_total"] = result[f"{side}_abroad"] + result[f"{side}_car"] + result[f"{side}_reception"]
    return result


# ---- tables -------------------------------------------------------------------------------


def coded(values: dict[str, dict[str, int | None]], names: dict[str, str], columns: list[str]) -> dict[str, Any]:
    """Return a coded table ({"lines": {"total": …}, "rows": […]}) with 款, 类 and 合计 summed from the 项."""
    sums: dict[str, dict[str, int | None]] = {}
    for code, cells in values.items():
        for key in (code[:3], code[:5], code, "total"):
            row = sums.setdefault(key, dict.fromkeys(columns))
            for column in columns:
                if cells.get(column) is not None:
                    row[column] = (row[column] or 0) + cells[column]
    rows = [{"code": code, "name": names[code], **{c: money(v) for c, v in sums[code].items()}}
            for code in sorted(k for k in sums if k != "total")]
    total = {c: money(v) for c, v in sums["total"].items()} if values else {}
    return {"lines": {"total": total} if total else {}, "rows": rows}


def _nonzero(value: int) -> int | None:
    return value or None


def build_tables(plan: Plan, names: dict[str, str], spec: WorkbookSpec) -> dict[str, Any]:
    """Return the nine 公开 tables of a department, every identity holding exactly."""
    leaves = plan.leaves
    general = {x.code: {"total": x.g_basic + x.g_project, "basic": _nonzero(x.g_basic),
                        "project": _nonzero(x.g_project)} for x in leaves if x.g_basic or x.g_project}
    fund = {x.code: {"carry_in": _nonzero(x.carry_in), "income": x.f_income, "total": x.fund, "basic": None,
                     "project": x.fund, "carry_out": None} for x in leaves if x.fund}
    t02 = {x.code: {"total": x.g_basic + x.g_project + x.f_income + x.n_basic + x.n_project,
                    "fiscal": _nonzero(x.g_basic + x.g_project + x.f_income),
                    "business": _nonzero(x.n_basic + x.n_project)} for x in leaves}
    t03 = {x.code: {"total": x.g_basic + x.g_project + x.fund + x.n_basic + x.n_project,
                    "basic": _nonzero(x.g_basic + x.n_basic),
                    "project": _nonzero(x.g_project + x.fund + x.n_project)} for x in leaves}
    tables = {
        "t02": coded(t02, names, ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"]),
        "t03": coded(t03, names, ["total", "basic", "project", "remit", "operating", "subsidy"]),
        "t05": coded(general, names, ["total", "basic", "project"]),
        "t07": coded(fund, names, ["carry_in", "income", "total", "basic", "project", "carry_out"]),
        "t08": {"rows": []},
    }
    tables["t01"], tables["t04"] = _t01(plan, tables, spec), _t04(plan, tables, spec)
    tables["t06"] = _t06(plan, spec)
    tables["t09"] = {"lines": {"row": {k: money(v) for k, v in _t09(plan, spec).items()}}}
    return tables


def _total(table: dict[str, Any], column: str) -> Decimal:
    return table["lines"].get("total", {}).get(column) or Decimal("0.00")


def _class_rows(table: dict[str, Any], column: str) -> dict[str, Decimal]:
    return {r["code"]: r[column] for r in table["rows"] if len(r["code"]) == 3 and r[column] is not None}


def _t01(plan: Plan, tables: dict[str, Any], spec: WorkbookSpec) -> dict[str, Any]:
    t02, t03, t07 = tables["t02"], tables["t03"], tables["t07"]
    fiscal_general = _total(tables["t05"], "total")
    fund_income, carry_in = _total(t07, "income"), _total(t07, "carry_in")
    business = t02["lines"]["total"].get("business")
    income_sum = _total(t02, "total")
    lines = {"general": fiscal_general or None, "fund": fund_income or None, "business": business,
             "income_sum": income_sum, "carry_in": carry_in or None, "income_total": income_sum + carry_in,
             "expense_sum": _total(t03, "total"), "expense_total": _total(t03, "total")}
    by_code = {line.code: line.id for line in spec.table("t01").blocks[1].lines if line.code}
    for code, amount in _class_rows(t03, "total").items():
        lines[by_code[code]] = amount
    return {"lines": {key: {"amount": value} for key, value in lines.items()}}


def _t04(plan: Plan, tables: dict[str, Any], spec: WorkbookSpec) -> dict[str, Any]:
    t05, t07 = tables["t05"], tables["t07"]
    general, fund = _class_rows(t05, "total"), _class_rows(t07, "total")
    carry_in, fund_income = _total(t07, "carry_in"), _total(t07, "income")
    income_sum = _total(t05, "total") + fund_income
    lines: dict[str, dict[str, Any]] = {
        "general": {"amount": _total(t05, "total") or None}, "fund": {"amount": fund_income or None},
        "income_sum": {"amount": income_sum}, "carry_in": {"amount": carry_in or None},
        "carry_in_fund": {"amount": carry_in or None}, "income_total": {"amount": income_sum + carry_in},
    }
    by_code = {line.code: line.id for line in spec.table("t04").blocks[1].lines if line.code}
    for code in sorted(set(general) | set(fund)):
        g, f = general.get(code), fund.get(code)
        lines[by_code[code]] = {"total": (g or 0) + (f or 0), "general": g, "fund": f, "soe": None}
    expense = {"total": income_sum + carry_in, "general": _total(t05, "total"),
               "fund": _total(t07, "total") if t07["rows"] else None, "soe": None}
    lines["expense_sum"], lines["expense_total"] = expense, dict(expense)
    return {"lines": lines}


PERSONNEL = {"301": ["30101", "30102", "30103", "30107", "30108", "30110", "30112", "30113"],
             "303": ["30302", "30305", "30307"]}
PUBLIC = {"302": ["30201", "30202", "30205", "30206", "30207", "30211", "30213", "30216", "30226", "30228",
                  "30229", "30239", "30299"], "310": ["31002", "31007"]}


def _t06(plan: Plan, spec: WorkbookSpec) -> dict[str, Any]:
    """Split the general-budget 基本支出 over 经济分类 款; 30231/30217/30212/31013 stay within 三公."""
    rng = plan.rng
    basic = sum(x.g_basic for x in plan.leaves)
    personnel = int(basic * rng.uniform(0.75, 0.9))
    public = basic - personnel
    amounts: dict[str, int] = {}
    wages = int(personnel * rng.uniform(0.85, 1.0))
    for cls, total in (("301", wages), ("303", personnel - wages)):
        _spread(amounts, PERSONNEL[cls], total, rng)
    reserved = {"30231": "actual_car_run", "30217": "actual_reception", "30212": "actual_abroad"}
    for code, item in reserved.items():
        share = min(plan.sangong.get(item, 0), public // 10) if rng.random() < 0.7 else 0
        amounts[code] = int(share * rng.uniform(0.3, 1.0))
    rest = public - sum(amounts[c] for c in reserved)
    equipment = int(rest * rng.uniform(0, 0.15)) if rng.random() < 0.4 else 0
    _spread(amounts, PUBLIC["302"], rest - equipment, rng)
    _spread(amounts, PUBLIC["310"], equipment, rng)
    rows = [{"code": code, "amount": money(value)} for code, value in amounts.items() if value]
    totals = _econ_classes(amounts)
    rows += [{"code": cls, "amount": money(value)} for cls, value in totals.items() if value]
    footer = {t.id: {"amount": money(sum(totals.get(c, 0) for c in t.classes))} for t in spec.table("t06").totals}
    return {"rows": rows, "lines": footer}


def _spread(amounts: dict[str, int], codes: list[str], total: int, rng: random.Random) -> None:
    chosen = rng.sample(codes, rng.randint(min(2, len(codes)), len(codes)))
    for code, value in zip(chosen, split(total, len(chosen), rng)):
        amounts[code] = amounts.get(code, 0) + value


def _econ_classes(amounts: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for code, value in amounts.items():
        totals[code[:3]] = totals.get(code[:3], 0) + value
    return totals


def _t09(plan: Plan, spec: WorkbookSpec) -> dict[str, int]:
    return {column.id: plan.sangong.get(column.id, 0) for column in spec.table("t09").columns}


# ---- input sheets ------------------------------------------------------------------------------


def department_name(index: int) -> str:
    """Return a unique, plausible department name for index."""
    return f"样例{index + 1:04d}市{ORGS[index % len(ORGS)]}"


def build_data(index: int, seed: int, base: dict[str, Any], spec: WorkbookSpec, codes: dict[str, str],
               t01_classes: set[str]) -> dict[str, Any]:
    """Return the plain workbook data (see excel.write_workbook) of synthetic department index."""
    plan = plan_department(index, seed, codes, t01_classes)
    data = copy.deepcopy(base)
    data["tables"] = build_tables(plan, codes, spec)
    forms, tables, rng = data["forms"], data["tables"], plan.rng
    name = department_name(index)
    forms["profile"].update(dept_name=name, kind="单位" if rng.random() < 0.2 else "部门")
    for key in ("duties", "structure", "units"):
        forms["profile"][key] = [p.replace("新乡市行政审批和政务信息管理局", name) for p in forms["profile"][key]]
    t01_total = tables["t01"]["lines"]["income_total"]["amount"]
    t04_total = tables["t04"]["lines"]["income_total"]["amount"]
    public = tables["t06"]["lines"]["public_total"]["amount"]
    agency = public if rng.random() < 0.7 else money(int(public * 100 * Decimal("0.9")))
    forms["other"]["agency_cost"] = agency
    forms["prior"] = {"total": _prior(rng, t01_total), "fiscal_total": _prior(rng, t04_total),
                      "general_expense": _prior(rng, _total(tables["t05"], "total")), "agency_cost": _prior(rng, agency)}
    forms["reasons"] = {key: value or "相关工作任务和人员变动" for key, value in forms["reasons"].items()}
    forms["sangong"] = _sangong_counts(plan.sangong, rng)
    forms["assets"] = _assets(rng, forms["sangong"]["cars_held"])
    forms["procurement"] = _procurement(rng)
    data["lists"]["budgets"] = _budgets(rng, tables)
    return data


def _prior(rng: random.Random, current: Decimal) -> Decimal:
    if rng.random() < 0.15 or current == 0:
        return current or Decimal("1.00")
    return money(int(current * 100 * Decimal(str(round(rng.uniform(0.6, 1.4), 3)))))


def _sangong_counts(sangong: dict[str, int], rng: random.Random) -> dict[str, Any]:
    abroad, domestic = sangong.get("actual_abroad", 0), sangong.get("actual_reception", 0)
    return {
        "abroad_groups": rng.randint(1, 3) if abroad else 0, "abroad_people": rng.randint(2, 9) if abroad else 0,
        "cars_bought": 1 if sangong.get("actual_car_buy") else 0,
        "cars_held": rng.randint(1, 6) if sangong.get("actual_car_run") else 0,
        "foreign_reception_amount": Decimal("0.00"), "foreign_groups": 0, "foreign_people": 0,
        "domestic_reception_amount": money(domestic),
        "domestic_groups": rng.randint(1, 20) if domestic else 0,
        "domestic_people": rng.randint(5, 200) if domestic else 0,
    }


def _assets(rng: random.Random, cars_held: int) -> dict[str, int]:
    kinds = ["provincial_leader", "main_leader", "confidential", "emergency", "law_enforcement", "special",
             "retired", "other"]
    counts = dict.fromkeys(kinds, 0)
    for _ in range(cars_held + rng.randint(0, 3)):
        counts[rng.choice(kinds[2:])] += 1
    return {"vehicles_total": sum(counts.values()), **counts, "equipment_over_1m": rng.randint(0, 3)}


def _procurement(rng: random.Random) -> dict[str, Decimal]:
    goods, works, services = cents(rng, 0, 300), rng.choice([0, cents(rng, 0, 900)]), cents(rng, 0, 800)
    total = goods + works + services
    sme = int(total * rng.uniform(0.2, 1.0))
    small = int(sme * rng.uniform(0.3, 1.0))
    values = {"total": total, "goods": goods, "works": works, "services": services, "sme": sme, "small": small}
    return {key: money(value) for key, value in values.items()}


def _budgets(rng: random.Random, tables: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for fund, table in (("一般公共预算", "t05"), ("政府性基金", "t07")):
        for row in (r for r in tables[table]["rows"] if len(r["code"]) == 7):
            actual = row["total"]
            budget = actual if rng.random() < 0.2 else money(int(actual * 100 * Decimal(str(rng.uniform(0.7, 1.3)))))
            budget = Decimal("0.00") if rng.random() < 0.05 else budget
            reason = None if budget == actual else "年中追加或调减预算，按实际执行"
            records.append({"fund": fund, "code": row["code"], "name": row["name"], "budget": budget, "reason": reason})
    return records


# ---- command line ------------------------------------------------------------------------------


def make_workbooks(count: int, outdir: Path, seed: int = 1) -> list[Path]:
    """Write count synthetic workbooks into outdir and return their paths."""
    spec = load_spec("standard")
    base = sample_data(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    codes = function_codes()
    t01_classes = {line.code for line in spec.table("t01").blocks[1].lines if line.code}
    outdir.mkdir(parents=True, exist_ok=True)
    return [write_workbook(outdir / f"{index + 1:04d}.xlsx", spec, build_data(index, seed, base, spec, codes, t01_classes))
            for index in range(count)]


def check_all(paths: list[Path]) -> int:
    """Print every error and warning genreport check finds in paths; return the number of errors."""
    from genreport.api import check_workbook

    errors = 0
    for path in paths:
        _, report = check_workbook(path)
        errors += len(report.errors)
        for issue in report.errors + report.warnings:
            print(f"{path.name}: {issue.severity} {issue.code} {issue.where} {issue.message}")
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--outdir", type=Path, default=Path("/tmp/genreport-bench/workbooks"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="run genreport's validation on every workbook")
    args = parser.parse_args()
    paths = make_workbooks(args.count, args.outdir, args.seed)
    print(f"wrote {len(paths)} workbooks to {args.outdir}")
    if args.check:
        errors = check_all(paths)
        print(f"validation: {errors} errors")
        sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
