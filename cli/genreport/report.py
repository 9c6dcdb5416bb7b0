"""The Report: every issue found in one workbook, printable for accountants and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .issues import ERROR, INFO, SEVERITY_LABEL, SEVERITY_ORDER, WARNING, Issue


@dataclass
class Report:
    """The outcome of validating one workbook."""

    source: str
    issues: list[Issue] = field(default_factory=list)
    sheet_order: list[str] = field(default_factory=list)
    """Sheet names in workbook order, for grouping the printed report (unknown sheets sort after them)."""
    profile: str = ""
    """The profile the workbook was checked with: an installed profile's id, or an exported folder's path."""

    @property
    def valid(self) -> bool:
        """Return True when no issue is an error."""
        return not self.errors

    @property
    def exit_code(self) -> int:
        """Return 0 for a valid workbook, 1 when it has errors."""
        return 0 if self.valid else 1

    @property
    def errors(self) -> list[Issue]:
        """Return the issues of severity error."""
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """Return the issues of severity warning."""
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def infos(self) -> list[Issue]:
        """Return the issues of severity info (尾差 and suggestions)."""
        return [i for i in self.issues if i.severity == INFO]

    def sorted_issues(self) -> list[Issue]:
        """Return the issues errors first, then by sheet (workbook order) and cell (top to bottom, left to right)."""
        return sorted(self.issues, key=lambda i: (SEVERITY_ORDER[i.severity], self._sheet_key(i.sheet),
                                                  i.at.sort_key()))

    def _sheet_key(self, sheet: str) -> tuple[int, str]:
        order = self.sheet_order
        return (order.index(sheet), "") if sheet in order else (len(order), sheet)

    def flatten(self, keys: list[str]) -> list[list[str]]:
        """Return [[issue.key, …], …] for compact test assertions."""
        return [[getattr(i, k) for k in keys] for i in self.issues]

    def to_dict(self) -> dict[str, object]:
        """Return the report as a JSON-ready dict."""
        return {
            "source": self.source,
            "valid": self.valid,
            "stats": {"errors": len(self.errors), "warnings": len(self.warnings), "infos": len(self.infos)},
            "issues": [i.to_dict() for i in self.sorted_issues()],
        }

    def to_json(self) -> str:
        """Return the report as indented JSON (UTF-8 text, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self, show_info: bool = True) -> str:
        """Return a readable report grouped by sheet, errors first."""
        lines = [self.summary()]
        current = None
        for issue in self.sorted_issues():
            if issue.severity == INFO and not show_info:
                continue
            group = (issue.severity, issue.sheet)
            if group != current:
                current = group
                title = issue.sheet or "工作簿"
                lines.append(f"\n【{SEVERITY_LABEL[issue.severity]}】{title}")
            place = f"{issue.cell}：" if issue.cell else f"{issue.page}：" if issue.page else ""
            lines.append(f"  {place}{issue.message}  [{issue.code}]")
        return "\n".join(lines)

    def summary(self) -> str:
        """Return one line: 检查完成：错误 N 处，警告 N 处，提示 N 处."""
        verdict = "可以生成报告" if self.valid else "请修改后再生成报告"
        return (
            f"{self.source}：错误 {len(self.errors)} 处，警告 {len(self.warnings)} 处，"
            f"提示 {len(self.infos)} 处。{verdict}。"
        )

