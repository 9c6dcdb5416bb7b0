"""A synthetic 上海区级 department, consistent in every identity: non-zero 三公, empty 基金 and 国资 tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _coded(rows: list[tuple[str, str, list[str | None]]], columns: list[str]) -> list[dict[str, Any]]:
    return [{"code": code, "name": name, **{c: _d(v) for c, v in zip(columns, values)}} for code, name, values in rows]


T05_ROWS = [
    ("201", "一般公共服务支出", ["620.00", "500.00", "120.00"]),
    ("20103", "政府办公厅（室）及相关机构事务", ["620.00", "500.00", "120.00"]),
    ("2010301", "行政运行", ["500.00", "500.00", None]),
    ("2010302", "一般行政管理事务", ["120.00", None, "120.00"]),
    ("208", "社会保障和就业支出", ["90.00", "90.00", None]),
    ("20805", "行政事业单位养老支出", ["90.00", "90.00", None]),
    ("2080505", "机关事业单位基本养老保险缴费支出", ["60.00", "60.00", None]),
    ("2080506", "机关事业单位职业年金缴费支出", ["30.00", "30.00", None]),
    ("221", "住房保障支出", ["40.00", "40.00", None]),
    ("22102", "住房改革支出", ["40.00", "40.00", None]),
    ("2210201", "住房公积金", ["40.00", "40.00", None]),
]
ECONOMIC = {"301": "430.00", "30101": "300.00", "30108": "60.00", "30109": "30.00", "30113": "40.00",
            "303": "20.00", "30302": "20.00", "302": "130.00", "30201": "50.00", "30211": "20.00", "30217": "3.00",
            "30231": "12.00", "30299": "45.00", "310": "50.00", "31002": "50.00"}


def shanghai_data() -> dict[str, Any]:
    """Return the plain workbook data (excel.write_workbook) of the synthetic Shanghai department."""
    t05 = _coded(T05_ROWS, ["total", "basic", "project"])
    t03 = [{**r, "remit": None, "operating": None, "subsidy": None} for r in t05]
    t02 = [{"code": r["code"], "name": r["name"], "total": r["total"], "fiscal": r["total"]} for r in t05]
    classes = {"c201": "620.00", "c208": "90.00", "c221": "40.00"}
    tables = {
        "t01": {"lines": {"general": {"amount": _d("750.00")}, "income_sum": {"amount": _d("750.00")},
                          "income_total": {"amount": _d("750.00")}, "expense_sum": {"amount": _d("750.00")},
                          "expense_total": {"amount": _d("750.00")},
                          **{k: {"amount": _d(v)} for k, v in classes.items()}}},
        "t02": {"lines": {"total": {"total": _d("750.00"), "fiscal": _d("750.00")}}, "rows": t02},
        "t03": {"lines": {"total": {"total": _d("750.00"), "basic": _d("630.00"), "project": _d("120.00")}},
                "rows": t03},
        "t04": {"lines": {"general": {"amount": _d("750.00")}, "income_sum": {"amount": _d("750.00")},
                          "income_total": {"amount": _d("750.00")},
                          "expense_sum": {"total": _d("750.00"), "general": _d("750.00")},
                          "expense_total": {"total": _d("750.00"), "general": _d("750.00")},
                          **{k: {"total": _d(v), "general": _d(v)} for k, v in classes.items()}}},
        "t05": {"lines": {"total": {"total": _d("750.00"), "basic": _d("630.00"), "project": _d("120.00")}},
                "rows": t05},
        "t06": {"rows": [{"code": c, "amount": _d(v)} for c, v in ECONOMIC.items()],
                "lines": {"personnel_total": {"amount": _d("450.00")}, "public_total": {"amount": _d("180.00")}}},
        "t09": {"lines": {"row": {k: _d(v) for k, v in {
            "budget_total": "35.00", "budget_abroad": "10.00", "budget_car": "20.00", "budget_car_buy": "0.00",
            "budget_car_run": "20.00", "budget_reception": "5.00", "actual_total": "26.00", "actual_abroad": "8.00",
            "actual_car": "15.00", "actual_car_buy": "0.00", "actual_car_run": "15.00",
            "actual_reception": "3.00"}.items()}}},
        "t07": {}, "t08": {},
    }
    return {"tables": tables, "forms": _forms(), "lists": _lists()}


def _forms() -> dict[str, Any]:
    return {
        "profile": {"dept_name": "上海市示例区示例局", "year": 2024, "compiled_on": "2025年9月",
                    "profile": "shanghai-district", "kind": "部门",
                    "duties": ["负责本区示例事务的统筹管理。", "承办区委、区政府交办的其他事项。"],
                    "units": ["纳入本部门2024年度部门决算编制范围的单位共2个。"]},
        "prior": {"total": _d("700.00"), "fiscal_total": _d("700.00"), "general_expense": _d("700.00"),
                  "agency_cost": _d("170.00"), "sangong_total": _d("30.00"), "abroad": _d("10.00"),
                  "car": _d("15.00"), "reception": _d("5.00")},
        "reasons": {"total_change": "人员经费和项目支出增加", "fiscal_change": "财政拨款安排的人员经费增加",
                    "general_change": "人员经费增加", "sangong_diff": "厉行节约，压减一般性支出",
                    "abroad_diff": "出访团组减少", "car_diff": "车辆运行维护支出减少", "reception_diff": "接待任务减少",
                    "abroad_change": "出访人次减少",
                    "reception_change": "接待批次减少", "car_run_use": "公务用车燃油、维修、保险等支出",
                    "domestic_reception_use": "接待上级部门检查指导工作", "agency_change": "办公设备更新",
                    "performance_text": "建立健全预算绩效管理制度，全面开展项目绩效目标编报和绩效自评"},
        "sangong": {"abroad_groups": 2, "abroad_people": 6, "cars_bought": 0, "cars_held": 4,
                    "foreign_reception_amount": _d("1.00"), "foreign_groups": 1, "foreign_people": 5,
                    "domestic_reception_amount": _d("2.00"), "domestic_groups": 6, "domestic_people": 40},
        "other": {"agency_cost": _d("180.00")},
        "procurement": {"total": _d("200.00"), "goods": _d("50.00"), "works": _d("0.00"), "services": _d("150.00"),
                        "sme_reserved_budget": _d("100.00"), "small_reserved_budget": _d("70.00"),
                        "sme_reserved_won": _d("90.00"), "small_reserved_won": _d("60.00"),
                        "sme_other_won": _d("30.00")},
        "assets": {"vehicles_total": 4, "provincial_leader": 0, "main_leader": 0, "confidential": 1, "emergency": 0,
                   "law_enforcement": 3, "special": 0, "retired": 0, "other": 0, "equipment_over_1m": 0},
        "performance": {"target_projects": 3, "target_amount": _d("150.00"), "tracked_projects": 2,
                        "tracked_amount": _d("130.00"), "self_eval_projects": 3, "self_eval_amount": _d("150.00"),
                        "mean_score": _d("92.50"), "rated_excellent": 2, "rated_good": 1, "rated_pass": 0,
                        "rated_fail": 0, "problems_found": 4, "problems_fixed": 3, "problems_fixing": 1},
    }


def _lists() -> dict[str, Any]:
    general = "一般公共预算"
    return {
        "budgets": [
            {"fund": general, "code": "2010301", "name": "行政运行", "budget": "480.00", "reason": "新增人员",
             "use": "保障机关正常运转"},
            {"fund": general, "code": "2010302", "name": "一般行政管理事务", "budget": "150.00",
             "reason": "项目按进度支付，部分结余", "use": "示例业务专项工作"},
            {"fund": general, "code": "2080505", "name": "机关事业单位基本养老保险缴费支出", "budget": "60.00",
             "use": "缴纳基本养老保险"},
            {"fund": general, "code": "2080506", "name": "机关事业单位职业年金缴费支出", "budget": "28.00",
             "reason": "缴费基数调整", "use": "缴纳职业年金"},
            {"fund": general, "code": "2210201", "name": "住房公积金", "budget": "40.00", "use": "缴纳住房公积金"},
        ],
        "projects": [{"name": "示例业务专项", "fund": general, "budget": "150.00", "executed": "120.00",
                      "score": "92.00", "achieved": "完成年度目标", "problems": "无", "measures": "无"}],
        "unit_list": [{"name": "上海市示例区示例局（本级）", "note": "行政单位"},
                      {"name": "上海市示例区示例事务中心", "note": "事业单位"}],
    }


def shanghai_workbook(path: Path, data: dict[str, Any] | None = None) -> Path:
    """Return path: the Shanghai blank workbook (`genreport init --profile shanghai-district`) typed in by its
    visible header words and row labels (tests/fill_support.py), never by column id."""
    from fill_support import workbook_by_headers

    from genreport.spec import load_spec

    return workbook_by_headers(path, "shanghai-district", load_spec("shanghai"), data or shanghai_data())
