"""Check a publication: its imported tables through the workbook checks, findings placed on its pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..address import Address
from ..issues import Issue
from ..model import Workbook
from ..private import temporary_folder
from ..report import Report
from ..spec import TableSpec
from .document import page_label
from .importer import Imported


def write_imported(imported: Imported, target: Path) -> Path:
    """Write the imported data as a normal workbook of its profile at target (atomically); return target."""
    from ..excel import write_workbook

    return write_workbook(target, imported.profile.workbook_spec, imported.data)


def check_publication(source: Path, profile: str | None = None) -> tuple[Workbook, Report]:
    """Return the workbook imported from a publication and its report, each finding on its page (api's verb)."""
    from ..collector import collector_paused
    from .read import import_publication

    with collector_paused():
        return audit_publication(import_publication(Path(source), profile), Path(source))


def audit_publication(imported: Imported, source: Path) -> tuple[Workbook, Report]:
    """Return the imported workbook and the report of a publication: the workbook checks, page by page.

    Findings about inputs the publication's text does not hand over (checks.yaml publication_skips) are left
    out; a table the publication lacks is one finding; the 情况说明's figures are compared with the tables.
    """
    from ..pipeline import job_for, read_and_check

    profile = imported.profile
    with temporary_folder("audit") as folder:
        job = read_and_check(job_for(write_imported(imported, folder / "公开文本.xlsx"), profile))
        workbook, report = job.workbook, job.report
        pages = _cell_pages(workbook, imported)
        skipped = set(profile.catalogue.section("publication_skips", []))
        issues = [_placed(i, pages) for i in report.issues if i.code not in skipped]
        issues += [_missing(imported, table) for table in imported.missing_tables]
        if imported.document is not None and imported.made_up and not profile.catalogue.blocking(report.issues):
            from .narrative import narrative_issues

            issues += narrative_issues(imported.document, workbook, profile, imported.made_up, folder)
    return workbook, Report(Path(source).name, issues, profile.workbook_spec.sheet_names, profile.name)


def _cell_pages(workbook: Workbook, imported: Imported) -> dict[tuple[str, str], str]:
    """Return (sheet, cell) → 第 N 页 for every imported cell, and (sheet, "") → the page of the table's title."""
    pages: dict[tuple[str, str], str] = {}
    for table_id, table in workbook.tables.items():
        found = imported.found.get(table_id)
        if found is not None:
            pages[(table.spec.sheet, "")] = page_label(found.title_page)
        for line, cells in table.lines.items():
            for column, value in cells.items():
                pages[(value.sheet, value.cell)] = imported.places.get((table_id, line, column), "")
        for row in table.rows:
            for column, value in row.cells.items():
                pages[(value.sheet, value.cell)] = imported.places.get((table_id, row.code, column), "")
    return pages


def _placed(issue: Issue, pages: dict[tuple[str, str], str]) -> Issue:
    """Return the issue placed on the publication's page instead of the imported workbook's cell."""
    page = pages.get((issue.sheet, issue.cell)) or pages.get((issue.sheet, ""), "")
    return dataclasses.replace(issue, cell="", page=page)


def _missing(imported: Imported, table: TableSpec) -> Issue:
    """Return the finding that the publication does not show table."""
    return imported.profile.catalogue.issue("publication-table-missing", Address.parse(table.sheet, ""),
                                           title=table.title, profile=imported.profile.title)
