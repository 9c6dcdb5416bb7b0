"""Every figure the document prints, computed from the model with Decimal (pure functions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .amounts import quantize, ratio_pct
from .model import Row, Table, Workbook
from .profile import Conventions
from .sections import (Agency, Basic, BudgetItem, Expense, Figures, FundProjects, FundSection, General, Group, Performance,
                       Procurement, Project, Sangong, SangongItem, SangongShare, Section, Structure, Trend)
from .selfeval import self_evaluations
from .spec import TableSpec, header_grid
from .wording import Change, Completion, Missing, Part, grade, parts_of

ZERO = Decimal(0)
FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")
#: 预算总数 fields (年初, 全年) of each fund.
BUDGET_TOTALS = {"一般公共预算": ("general_initial", "general_full"), "政府性基金": ("fund_initial", "fund_full"),
                 "国有资本经营": ("soe_initial", "soe_full")}


def column_titles(spec: TableSpec) -> dict[str, str]:
    """Return column id → printed header text (the lowest header cell that is not a 栏次 number)."""
    titles: dict[int, str] = {}
    for _, col, cell in header_grid(spec.header, spec.width):
        text = cell.text.strip()
        if text and not text.isdigit() and text != "栏次":
            for c in range(col, col + cell.colspan):
                titles[c] = text
    columns = spec.columns or tuple(c for b in spec.blocks for c in b.columns)
    return {column.id: titles.get(i, column.id) for i, column in enumerate(columns)}


def compute_figures(workbook: Workbook, profile: Any = None) -> Figures | dict[str, Any]:
    """Return the figures of the 情况说明 (amounts as Decimal, rates as Decimal or None).

    A spec with a `figures:` section defines its own figures as data (figspec: a mapping, since its
    names are the spec's); otherwise these typed records. profile is the pipeline's (the figures depend
    on the workbook and its spec only, so it may be omitted).
    """
    if workbook.spec.figures:
        from .figspec import defined_figures

        return defined_figures(workbook)
    t = workbook.tables
    scale = (profile.conventions if profile is not None else Conventions()).grades
    return Figures(
        overall=_overall(workbook),
        income=_income(t["t02"]),
        expense=_expense(workbook),
        fiscal=_fiscal(workbook),
        general=_general(workbook),
        basic=_basic(t["t05"], t["t06"]),
        fund=_fund_section(workbook, "t07", "政府性基金", "fund_use"),
        soe=_fund_section(workbook, "t08", "国有资本经营", "soe_note"),
        sangong=_sangong(workbook),
        agency=_agency(workbook),
        procurement=_procurement(workbook),
        assets=_plain_form(workbook, "assets"),
        performance=_performance(workbook, scale),
        self_evals=self_evaluations(workbook, scale),
    )


def _total(table: Table, column: str) -> Decimal:
    return table.amount("total", column)


def _change(workbook: Workbook, current: Decimal, prior_field: str) -> Change | None:
    prior = workbook.value("prior", prior_field)
    return None if prior is None else Change(current, prior)


def _overall(workbook: Workbook) -> Trend:
    total = workbook.tables["t01"].amount("income_total", "amount")
    return Trend(total, _change(workbook, total, "total"), workbook.value("reasons", "total_change"))


def _income(t02: Table) -> Structure:
    return _structure(t02)


def _expense(workbook: Workbook) -> Expense:
    t03 = workbook.tables["t03"]
    structure = _structure(t03)
    project = _total(t03, "project")
    return Expense(structure.total, structure.parts, project, _change(workbook, project, "project_expense"),
                   workbook.value("reasons", "project_change"))


def _structure(table: Table) -> Structure:
    titles = column_titles(table.spec)
    total = _total(table, "total")
    named = [(titles[c.id], _total(table, c.id)) for c in table.spec.money_columns if c.id != "total"]
    return Structure(total, parts_of(named, total))


def _fiscal(workbook: Workbook) -> Trend:
    total = workbook.tables["t04"].amount("income_total", "amount")
    return Trend(total, _change(workbook, total, "fiscal_total"), workbook.value("reasons", "fiscal_change"))


def _general(workbook: Workbook) -> General:
    t05 = workbook.tables["t05"]
    total = _total(t05, "total")
    expense_total = _total(workbook.tables["t03"], "total")
    classes = [(_class_label(r.name), r.get("total").amount) for r in t05.rows if r.level == 1]
    items = _budget_items(workbook, t05, "一般公共预算")
    budget = sum((i.completion.budget for i in items if i.completion), ZERO)
    return General(
        total=total,
        share_of_expense=ratio_pct(total, expense_total),
        change=_change(workbook, total, "general_expense"),
        reason=workbook.value("reasons", "general_change"),
        classes=parts_of(classes, total),
        completion=Completion(total, budget),
        full_completion=_full_completion(workbook, items, total, "一般公共预算"),
        budget_given=any(i.budget_given for i in items) or not items,
        budget_reason=workbook.value("reasons", "general_budget_diff"),
        details=items,
    )


def _full_completion(workbook: Workbook, items: list[BudgetItem], actual: Decimal, fund: str) -> Completion | None:
    """Return 决算 against the 全年预算: the sum of the items' 全年预算数 when every item has one, else the stated
    total, else None."""
    if items and all(i.full_completion for i in items):
        return Completion(actual, sum((i.full_completion.budget for i in items), ZERO))
    stated = workbook.value("budget_totals", BUDGET_TOTALS[fund][1])
    return Completion(actual, stated) if stated is not None else None


def _class_label(name: str) -> str:
    """Return 一般公共服务 for 一般公共服务支出 (the 结构 sentence prints 一般公共服务（类）支出)."""
    return name[:-2] if name.endswith("支出") else name


def _budget_items(workbook: Workbook, table: Table, fund: str) -> list[BudgetItem]:
    budgets = {
        rec["code"].value: rec
        for rec in workbook.lists.get("budgets", [])
        if rec.get("code") and rec["code"].value and rec.get("fund") and rec["fund"].value == fund
    }
    items = []
    for row in table.rows:
        if row.level != 3:
            continue
        record = budgets.get(row.code, {})
        budget, full = _filled(record, "budget"), _filled(record, "full_budget")
        actual = row.get("total").amount
        items.append(BudgetItem(
            code=row.code,
            path=_name_path(table, row),
            actual=actual,
            completion=Completion(actual, budget) if budget is not None else None,
            full_completion=Completion(actual, full) if full is not None else None,
            budget_given=budget is not None,
            reason=record["reason"].value if record.get("reason") else None,
            use=record["use"].value if record.get("use") else None,
        ))
    return items


def _filled(record: dict[str, Any], key: str) -> Decimal | None:
    value = record.get(key)
    return value.value if value is not None and isinstance(value.value, Decimal) else None


def _name_path(table: Table, row: Row) -> list[str]:
    """Return [类名, 款名, 项名] for a 项 row, from the same table's 类 and 款 rows."""
    names = []
    for prefix in (row.code[:3], row.code[:5]):
        parent = table.row(prefix)
        names.append(parent.name if parent else prefix)
    return names + [row.name]


def _basic(t05: Table, t06: Table) -> Basic:
    totals = {total.id: total for total in t06.spec.totals}
    groups = {}
    for total_id, total in totals.items():
        names = [r.name for r in t06.rows
                 if r.level == 2 and r.code[:3] in total.classes and quantize(r.get("amount").amount) != 0]
        groups[total_id] = Group(t06.amount(total_id, "amount"), names)
    return Basic(_total(t05, "basic"), groups)


def _fund_section(workbook: Workbook, table_id: str, fund: str, note: str) -> FundSection:
    table = workbook.tables[table_id]
    actual = _total(table, "total")
    items = _budget_items(workbook, table, fund)
    budget = sum((i.completion.budget for i in items if i.completion), ZERO)
    return FundSection(table.empty, actual, Completion(actual, budget), items,
                       _full_completion(workbook, items, actual, fund),
                       any(i.budget_given for i in items) or not items, workbook.value("reasons", note),
                       _total(table, "income") if "income" in {c.id for c in table.spec.columns} else None)


def _sangong(workbook: Workbook) -> Sangong:
    row = workbook.tables["t09"]
    reasons = workbook.forms.get("reasons", {})
    actual_total = row.amount("row", "actual_total")

    def completion(key: str) -> Completion:
        return Completion(row.amount("row", f"actual_{key}"), row.amount("row", f"budget_{key}"))

    def shared(key: str) -> SangongShare:
        done = completion(key)
        return SangongShare(done, reasons[f"{key}_diff"].value if f"{key}_diff" in reasons else None,
                            ratio_pct(done.actual, actual_total), _change(workbook, done.actual, key),
                            workbook.value("reasons", f"{key}_change"))

    return Sangong(
        completion=Completion(actual_total, row.amount("row", "budget_total")),
        reason=workbook.value("reasons", "sangong_diff"),
        change=_change(workbook, actual_total, "sangong_total"),
        change_reason=workbook.value("reasons", "sangong_change"),
        none=actual_total == 0 and row.amount("row", "budget_total") == 0,
        abroad=shared("abroad"), car=shared("car"),
        car_buy=SangongItem(completion("car_buy"), None, None, None),
        car_run=SangongItem(completion("car_run"), None, None, None),
        reception=shared("reception"),
        counts=_plain_form(workbook, "sangong"),
        car_run_use=workbook.value("reasons", "car_run_use"),
        domestic_reception_use=workbook.value("reasons", "domestic_reception_use"),
    )


def _agency(workbook: Workbook) -> Agency:
    amount = _plain_form(workbook, "other").get("agency_cost")
    return Agency(amount, _change(workbook, amount, "agency_cost") if isinstance(amount, Decimal) else None,
                  workbook.value("reasons", "agency_change"))


def _procurement(workbook: Workbook) -> Procurement:
    values = _plain_form(workbook, "procurement")
    total, sme, small = (values.get(k) if isinstance(values.get(k), Decimal) else ZERO for k in ("total", "sme", "small"))
    return Procurement(values, ratio_pct(sme, total), ratio_pct(small, sme))


def _plain_form(workbook: Workbook, input_id: str) -> dict[str, Any]:
    """Return a form's values; a required field left blank is Missing (the report was generated with --force)."""
    fields = {f.id: f for spec in workbook.spec.inputs if spec.id == input_id for f in spec.fields}
    return {key: Missing(fields[key].label) if value.value is None and key in fields and fields[key].required
            else value.value for key, value in workbook.forms.get(input_id, {}).items()}


def _performance(workbook: Workbook, scale: tuple[tuple[str, int], ...]) -> Performance:
    projects = [_project(rec, scale) for rec in workbook.lists.get("projects", []) if rec.get("name") and rec["name"].value]
    project_columns = {"一般公共预算": ("t05", "project"), "政府性基金": ("t07", "project"),
                       "国有资本经营": ("t08", "project")}
    by_fund = []
    for fund in FUNDS:
        chosen = [p for p in projects if p.fund == fund]
        executed = sum((p.completion.actual for p in chosen), ZERO)
        table_id, column = project_columns[fund]
        spent = _total(workbook.tables[table_id], column)
        by_fund.append(FundProjects(fund, len(chosen), executed, [p.name for p in chosen], ratio_pct(executed, spent)))
    budget = sum((p.completion.budget for p in projects), ZERO)
    executed = sum((p.completion.actual for p in projects), ZERO)
    scores = [p.score for p in projects if p.score is not None]
    org = _plain_form(workbook, "performance")
    grades = {g: sum(1 for s in scores if grade(s, scale) == g) for g, _ in scale}
    mean = quantize(sum(scores, ZERO) / len(scores)) if scores else None
    return Performance(
        projects=projects,
        by_fund=by_fund,
        general=by_fund[0], fund=by_fund[1], soe=by_fund[2],
        count=len(projects),
        completion=Completion(executed, budget),
        grades=grades,
        grade_counts=[{"grade": g, "count": n} for g, n in grades.items() if n],
        mean_score=mean,
        mean_grade=grade(mean, scale) if mean is not None else "",
        org=org,
        text=workbook.value("reasons", "performance_text"),
        org_completion=Completion(org.get("org_executed") or ZERO, org.get("org_full_budget") or ZERO),
        org_grade=grade(org["org_score"], scale) if org.get("org_score") is not None else None,
    )


def _project(record: dict[str, Any], scale: tuple[tuple[str, int], ...]) -> Project:
    def get(key: str) -> Any:
        value = record.get(key)
        return value.value if value is not None else None

    score = get("score")
    return Project(name=get("name"), fund=get("fund") or FUNDS[0], score=score,
                   grade=grade(score, scale) if score is not None else "",
                   completion=Completion(get("executed") or ZERO, get("budget") or ZERO),
                   achieved=get("achieved"), problems=get("problems"), measures=get("measures"))


__all__ = ["Figures", "Section", "compute_figures", "column_titles", "Part"]
