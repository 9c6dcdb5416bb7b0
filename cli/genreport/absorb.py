"""The absorb verb: an editor's Word work flows back into the workbook's 文字调整 sheet.

The edited document is compared with the one the workbook generates now (rendered into a temporary folder);
reworded, added and deleted paragraphs become 文字调整 rows of a copy of the workbook (…已吸收.xlsx), or of the
workbook itself with in_place (after a backup). Everything that cannot flow back is listed with where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .address import Address
from .errors import GenreportError, OutputError
from .atomic import backup_copy
from .private import temporary_folder
from .profile import Profile
from .report import Report

#: Names genreport gives its own copies of a workbook: never the workbook an edited document came from.
_OWN_COPIES = (".已吸收", ".标注", ".备份")


@dataclass
class Absorbed:
    """The outcome of absorb_edits: what was carried (and where), what was not, and the workbook written."""

    report: Report
    output: Path | None
    """The workbook written (None when the document held no edit to carry)."""
    backup: Path | None = None
    """The copy of the workbook made before it was changed in place."""
    carried: int = 0

    def to_text(self, output_name: str | None = None) -> str:
        """Return the list of what was carried and what was not, for the accountant (Chinese).

        output_name is shown for the workbook written (the web page's download name), else its path.
        """
        groups = [("已吸收（写入“文字调整”表）", "absorbed-edit"),
                  ("表格数字改动（没有吸收，请在工作簿中核对）", "absorb-table-edit"),
                  ("没有吸收的改动", "absorb-not-carried"), ("数字可能过时", "stale-figure")]
        lines = [f"{self.report.source}：吸收 {self.carried} 处改动。"]
        for title, code in groups:
            found = [i for i in self.report.sorted_issues() if i.code == code]
            if found:
                lines += ["", f"{title}："] + [f"  {i.where + '  ' if i.where else ''}{i.message}" for i in found]
        if self.output is not None:
            lines += ["", f"已写入：{output_name or self.output}"]
        else:
            lines += ["", "文档中没有可写回“文字调整”表的段落改动，工作簿未改动。"]
        if self.backup is not None:
            lines += [f"原工作簿已备份为：{self.backup}"]
        return "\n".join(lines)


def absorb_edits(edited: Path, source: Path | None = None, output: Path | None = None, *, in_place: bool = False,
                 template: Path | None = None, profile: str | None = None) -> Absorbed:
    """Absorb the edits of the Word document edited into the 文字调整 sheet of a copy of the workbook source.

    source defaults to the only workbook beside edited. The copy is output, by default <workbook>.已吸收.xlsx;
    with in_place the workbook itself is changed after a backup copy beside it. Raises GenreportError when the
    document still has tracked changes or the workbook cannot be read.
    """
    from .pipeline import open_job, read_and_check

    edited = Path(edited)
    source = Path(source) if source else workbook_beside(edited)
    content = _read_edited(edited)
    job = read_and_check(open_job(source, profile, template))
    chosen, workbook, checked, template = job.profile, job.workbook, job.report, job.template
    if chosen.catalogue.blocking(checked.issues):
        raise GenreportError.of("“{name}”无法读取完整（先运行 genreport check 查看），不能与文档对比。",
                                name=Path(source.name))
    target = _target(source, output, in_place)
    comparison, fingerprint = _compare(workbook, chosen, template, content)
    report = Report(edited.name, [], chosen.workbook_spec.sheet_names)
    backup, rows = None, comparison.edits
    if rows:
        backup = backup_copy(source) if in_place else None
        _write(source, target, chosen, rows, report)
    _list_the_rest(report, chosen, comparison, content.identifier, fingerprint)
    return Absorbed(report, target if rows else None, backup, len(rows))


def workbook_beside(edited: Path) -> Path:
    """Return the one workbook in the edited document's folder (genreport's own copies left out)."""
    found = [p for p in sorted(Path(edited).parent.glob("*.xlsx"))
             if not any(mark in p.stem for mark in _OWN_COPIES) and not p.name.startswith("~$")]
    if len(found) != 1:
        where = "没有" if not found else f"有 {len(found)} 个"
        raise GenreportError.of("“{folder}”中{where}工作簿，请在文档之后写明生成它的工作簿："
                                "genreport absorb 文档.docx 工作簿.xlsx", folder=Path(edited).parent, where=where)
    return found[0]


def _read_edited(edited: Path):
    from .render.docread import TooLarge, read_content

    if not edited.is_file():
        raise GenreportError.of("找不到文档：{file}", file=edited)
    try:
        content = read_content(edited)
    except TooLarge:
        raise GenreportError.of("“{name}”解压后超过 200 MB，不像是一份报告文档，请确认选择的文件是否正确。",
                                name=Path(edited.name)) from None
    except ValueError:
        raise GenreportError.of("“{name}”不是有效的 Word（.docx）文件；WPS 或 Word 的 .doc 请先另存为 .docx。",
                                name=Path(edited.name)) from None
    if content.revisions:
        raise GenreportError.of("“{name}”中还有 {revisions} 处未处理的修订。请先在 Word 或 WPS 的“审阅”中"
                                "接受（或拒绝）全部修订并保存，再吸收；未经接受的改动不会写进工作簿。",
                                name=Path(edited.name), revisions=content.revisions)
    return content


def _compare(workbook, profile: Profile, template: Path | None, content):
    """Return (comparison, fingerprint of the document the workbook generates now)."""
    from .figures import compute_figures
    from .render import overrides_of, render_report
    from .render.context import build_context
    from .render.docread import read_content
    from .render.edits import compare

    figures = compute_figures(workbook, profile)
    template = Path(template or profile.template_path)
    overrides = overrides_of(workbook)
    with temporary_folder("absorb") as folder:
        generated = folder / "generated.docx"
        render_report(template, workbook, figures, profile, generated)
        fresh = read_content(generated)
        plain = _plain_texts(workbook, figures, profile, template, folder) if overrides else {}
    views = list(build_context(workbook, figures, profile)["tables"].values())
    comparison = compare(fresh, content, overrides, views)
    comparison.edits = [replace(e, original=plain.get(e.key, e.original)) if e.mode == "替换" and e.row else e
                        for e in comparison.edits]
    return comparison, fresh.identifier


def _plain_texts(workbook, figures, profile: Profile, template: Path, folder: Path) -> dict[str, str]:
    """Return the keyed paragraphs as the template words them now, before any 文字调整 row (generated originals)."""
    from .render import render_report
    from .render.docread import read_content
    from .render.edits import keyed_texts

    bare = replace(workbook, lists={**workbook.lists, "overrides": []})
    render_report(template, bare, figures, profile, folder / "plain.docx")
    return keyed_texts(read_content(folder / "plain.docx"))


def _target(source: Path, output: Path | None, in_place: bool) -> Path:
    from .excel.overrides import refuse_same

    if in_place:
        return source
    target = Path(output) if output else source.with_name(f"{source.stem}.已吸收.xlsx")
    if target.is_dir():
        target = target / f"{source.stem}.已吸收.xlsx"
    refuse_same(source, target)
    if output is None and target.exists():
        raise OutputError.of("“{name}”已存在，为免覆盖，请用 -o 另选文件名，或先移走它。", name=Path(target.name))
    return target


def _write(source: Path, target: Path, profile: Profile, rows, report: Report) -> None:
    from .excel.overrides import write_override_rows
    from .render.stale import unmatched_figures

    spec = profile.workbook_spec.input("overrides")
    variants = {"替换": "", "追加": "append", "删除": "delete"}
    catalogue = profile.catalogue
    for row, key_cell, text_cell in write_override_rows(source, target, spec, rows):
        variant = "clear" if row.clear else variants[row.mode]
        report.issues.append(catalogue.issue("absorbed-edit", Address.parse(spec.sheet, key_cell), variant=variant,
                                             key=row.key))
        for figure in unmatched_figures(row.text, row.original) if row.mode == "替换" else []:
            report.issues.append(catalogue.issue("stale-figure", Address.parse(spec.sheet, text_cell), variant="gone",
                                                 actual=figure, key=row.key))


def _list_the_rest(report: Report, profile: Profile, comparison, identifier: str, fingerprint: str) -> None:
    catalogue = profile.catalogue
    if identifier and identifier != fingerprint:
        report.issues.append(catalogue.issue("absorb-not-carried", Address(""), variant="fingerprint"))
    for edit in comparison.tables:
        report.issues.append(catalogue.issue("absorb-table-edit", edit.source.at, expected=edit.was.strip(),
                                             actual=edit.now.strip(), table=edit.table, line=edit.line,
                                             column=edit.column))
    for item in comparison.not_carried:
        report.issues.append(catalogue.issue("absorb-not-carried", Address(""), variant=item.kind,
                                             heading=item.heading, opening=item.opening, detail=item.detail))


def stale_figure_issues(workbook, profile: Profile, template: Path | None = None) -> list:
    """Return a warning per absorbed 文字调整 sentence that states a figure the workbook no longer gives.

    Renders the report into a temporary folder, only when some row carries its generated original.
    """
    from .figures import compute_figures
    from .render import overrides_of, render_report

    if not any(o.original for o in overrides_of(workbook)):
        return []
    with temporary_folder("stale") as folder:
        found = render_report(Path(template or profile.template_path), workbook, compute_figures(workbook, profile),
                              profile, folder / "check.docx")
    return [i for i in found if i.code == "stale-figure"]
