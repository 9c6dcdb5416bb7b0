"""Template tables that are not 公开 tables: 附件 summary, 项目支出绩效自评表, 自评报告 tables, 单位构成.

Each builder appends a python-docx table with docxtpl row loops ({%tr for … %}); narrative modules
place them with markers such as ("@self_evaluation_table", "").
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT

from template_layout import PORTRAIT_MM, fix_table_grid, mark_row, set_cell

#: One row of a layout: (cells, kind). A cell is (text, span, style); kind "header" repeats on every page,
#: "loop <expr>" wraps the row in {%tr for <expr> %} … {%tr endfor %}.
Row = tuple[list[tuple[str, int, str]], str]
H, T, N, M = "表格标题", "表格文字", "表格数字", "表格居中"


def build_table(doc, rows: list[Row], widths: list[int]) -> None:
    """Append a table laid out from rows on a grid of len(widths) columns (widths in relative units)."""
    expanded: list[tuple[list[tuple[str, int, str]], str]] = []
    for cells, kind in rows:
        if kind.startswith("loop "):
            expanded += [([(f"{{%tr for {kind[5:]} %}}", len(widths), T)], "tag"), (cells, "body"),
                         ([("{%tr endfor %}", len(widths), T)], "tag")]
        else:
            expanded.append((cells, kind))
    table = doc.add_table(rows=len(expanded), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for r, (cells, kind) in enumerate(expanded):
        column = 0
        for text, span, style in cells:
            cell = table.cell(r, column)
            if span > 1:
                cell = cell.merge(table.cell(r, column + span - 1))
            set_cell(cell, text, style)
            column += span
        mark_row(table.rows[r], header=kind == "header")
    fix_table_grid(table, [PORTRAIT_MM * w / sum(widths) for w in widths])


def attachment_summary_table(doc) -> None:
    """The 项目支出绩效自评结果汇总表 (one row per 绩效项目)."""
    head = ["序号", "项目名称", "预算类型", "全年预算数", "全年执行数", "执行率", "自评得分", "等级"]
    body = ["{{ loop.index }}", "{{ p.name }}", "{{ p.fund }}", "{{ p.completion.budget|money }}",
            "{{ p.completion.actual|money }}", "{{ p.completion.rate|pct }}", "{{ p.score|score }}", "{{ p.grade }}"]
    styles = [M, T, M, N, N, N, N, M]
    build_table(doc, [([(t, 1, H) for t in head], "header"),
                      ([(t, 1, s) for t, s in zip(body, styles)], "loop p in fig.performance.projects")],
                [8, 52, 18, 18, 18, 14, 12, 10])


def self_evaluation_table(doc) -> None:
    """One 项目支出绩效自评表 for the project e (inside a {%p for e in fig.self_evals %} loop)."""
    rows: list[Row] = [
        ([("项目名称", 1, H), ("{{ e.project }}", 7, T)], "static"),
        ([("主管部门", 1, H), ("{{ e.department }}", 3, T), ("实施单位", 1, H), ("{{ e.implementer }}", 3, T)], "static"),
        ([("项目资金（万元）", 2, H), ("年初预算数", 1, H), ("全年预算数", 1, H), ("全年执行数", 1, H), ("分值", 1, H),
          ("执行率", 1, H), ("得分", 1, H)], "static"),
        ([("{{ f.label }}", 2, T), ("{{ f.initial|money }}", 1, N), ("{{ f.full|money }}", 1, N),
          ("{{ f.executed|money }}", 1, N), ("{{ e.funds_weight|score if loop.first else '—' }}", 1, M),
          ("{{ f.completion.rate|pct }}", 1, N), ("{{ e.funds_score|score if loop.first else '—' }}", 1, M)],
         "loop f in e.funds"),
        ([("资金管理情况", 2, H), ("情况说明", 4, H), ("分值", 1, H), ("得分", 1, H)], "static"),
        ([("{{ m.level3 }}", 2, T), ("{{ m.target or '' }}", 4, T), ("{{ m.weight|score }}", 1, M),
          ("{{ m.score|score }}", 1, M)], "loop m in e.management"),
        ([("年度总体目标", 1, H), ("预期目标", 3, H), ("实际完成情况", 4, H)], "static"),
        ([("", 1, T), ("{{ e.goal }}", 3, T), ("{{ e.achieved }}", 4, T)], "static"),
        ([(t, 1, H) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                             "偏差原因分析及改进措施")], "static"),
        ([("{{ i.level1 or '' }}", 1, T), ("{{ i.level2 or '' }}", 1, T), ("{{ i.level3 }}", 1, T),
          ("{{ i.target or '' }}", 1, T), ("{{ i.actual or '' }}", 1, T), ("{{ i.weight|score }}", 1, M),
          ("{{ i.score|score }}", 1, M), ("{{ i.deviation or '' }}", 1, T)], "loop i in e.indicators"),
        ([("总分", 5, H), ("{{ e.weight_total|score }}", 1, M), ("{{ e.total_score|score }}", 1, M),
          ("{{ e.grade }}", 1, M)], "static"),
    ]
    build_table(doc, rows, [15, 13, 24, 20, 19, 10, 15, 18])


def report_funds_table(doc) -> None:
    """自评报告 表1-2-1 年度预算安排及使用情况统计表."""
    build_table(doc, [
        ([("", 1, H), ("年初预算数", 1, H), ("全年预算数", 1, H), ("全年执行数", 1, H), ("执行率", 1, H)], "header"),
        ([("{{ f.label }}", 1, T), ("{{ f.initial|money }}", 1, N), ("{{ f.full|money }}", 1, N),
          ("{{ f.executed|money }}", 1, N), ("{{ f.completion.rate|pct }}", 1, N)], "loop f in e.funds"),
    ], [34, 20, 20, 20, 16])


def report_management_table(doc) -> None:
    """自评报告 表1-2-2 资金管理情况表."""
    build_table(doc, [
        ([("", 1, H), ("情况说明", 1, H), ("存在问题和改进措施", 1, H)], "header"),
        ([("{{ m.level3 }}", 1, T), ("{{ m.target or '' }}", 1, T), ("{{ m.deviation or '' }}", 1, T)],
         "loop m in e.management"),
    ], [24, 50, 26])


def units_table(doc) -> None:
    """部门决算单位构成 (上海样式): 序号、单位名称、备注."""
    build_table(doc, [
        ([("序号", 1, H), ("单位名称", 1, H), ("备注", 1, H)], "header"),
        ([("{{ loop.index }}", 1, M), ("{{ u.name }}", 1, T), ("{{ u.note }}", 1, T)], "loop u in unit_list"),
    ], [10, 60, 30])


MARKERS = {
    "@attachment_table": attachment_summary_table,
    "@self_evaluation_table": self_evaluation_table,
    "@report_funds_table": report_funds_table,
    "@report_management_table": report_management_table,
    "@units_table": units_table,
}
