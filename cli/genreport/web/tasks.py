"""The work the page asks for, run in worker processes: each calls the library verbs the CLI calls.

Every function takes and returns plain, picklable data. Paths in the result are for the server only;
text meant for the page names files as the user uploaded them (the sentences' file fields, PageNames).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .steps import for_page
from .uploads import PageNames, scrub


def blank(folder: str, profile: str) -> dict[str, Any]:
    """Write the blank workbook of a profile (genreport init --profile)."""
    from ..api import init_workbook, load_profile
    from ..filenames import safe_filename

    chosen = load_profile(profile)
    path = init_workbook(Path(folder) / "blank.xlsx", profile)
    return {"path": str(path), "name": safe_filename(f"空白工作簿（{chosen.title.replace('/', '、')}）") + ".xlsx"}


def next_year(source: str, display: str, folder: str) -> dict[str, Any]:
    """Write next year's workbook pre-filled from last year's (genreport init --from)."""
    from ..api import init_workbook
    from ..filenames import safe_filename

    path = init_workbook(Path(folder) / "next.xlsx", None, last_year=Path(source))
    return {"path": str(path), "name": safe_filename(f"{Path(display).stem}（下一年度）") + ".xlsx"}


def check(source: str, display: str) -> dict[str, Any]:
    """Return the validation report as a dict with its one-line summary (genreport check)."""
    from ..api import check_workbook, is_publication

    workbook, report = check_workbook(Path(source))
    report.source = display
    report.sheet_order = workbook.spec.sheet_names
    answer = report.to_dict()
    names = PageNames({source: display, Path(source).name: display})  # a finding's file fields: the user's name
    for shown, issue in zip(answer["issues"], report.sorted_issues()):
        shown["message"] = for_page(issue.text(names))
    return {**answer, "summary": report.summary(), "publication": is_publication(Path(source))}


def annotate(source: str, display: str, folder: str) -> dict[str, Any]:
    """Write the annotated copy of a workbook (genreport check --annotate)."""
    from ..api import annotate, check_workbook
    from ..filenames import safe_filename

    _, report = check_workbook(Path(source))
    target, marked = annotate(Path(source), report, Path(folder) / "annotated.xlsx")
    return {"path": str(target), "name": safe_filename(f"{Path(display).stem}.标注") + ".xlsx", "marked": len(marked)}


def generate(source: str, folder: str, force: bool, pdf: bool) -> dict[str, Any]:
    """Generate the document (and its PDF) into folder (genreport WORKBOOK [--force] [--pdf])."""
    from ..api import generate_report

    made = generate_report(Path(source), Path(folder), force=force, pdf=pdf)
    office = made.office
    return {"path": str(made.output) if made.output else None, "name": made.output.name if made.output else "",
            "pdf": str(office.pdf) if office and office.pdf else None, "notes": office.notes if office else [],
            "errors": len(made.report.errors)}


def merge(folder: str, names: dict[str, str], force: bool) -> dict[str, Any]:
    """Merge the uploaded unit workbooks in folder/in into the department's workbook (genreport merge).

    names maps each stored file (relative to folder) to the name the user gave it. Returns the workbook's
    path and download name, or path None and the units whose errors stopped the merge.
    """
    from ..api import merge_workbooks
    from ..filenames import safe_filename

    os.chdir(folder)  # relative paths: no server folder in a sentence shown to the user
    result = merge_workbooks([Path(stored) for stored in names], Path("部门工作簿.xlsx"), force=force)
    shown = {Path(stored).name: name for stored, name in names.items()}
    if result.output is None:
        bad = [f"{shown.get(source.name, source.name)}（错误 {len(report.errors)} 处）"
               for source, _, report in result.units if not report.valid]
        return {"path": None, "bad": bad}
    profile = result.merged.data["forms"].get("profile", {}) if result.merged else {}
    name = safe_filename(f"{profile.get('dept_name') or '部门'}（汇总）") + ".xlsx"
    return {"path": str(Path(folder) / result.output), "name": name}


def absorb(document: str, document_name: str, source: str, display: str, folder: str) -> dict[str, Any]:
    """Carry the edited document's changes into a copy of the workbook; zip it with the list (genreport absorb)."""
    from ..api import absorb_edits
    from ..filenames import safe_filename

    stem = safe_filename(Path(display).stem)
    absorbed = absorb_edits(Path(document), Path(source), Path(folder) / "absorbed.xlsx")
    absorbed.report.source = document_name
    shown = f"{stem}.已吸收.xlsx"
    listing = absorbed.to_text(output_name=shown)
    archive_path = Path(folder) / "absorbed.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("吸收清单.txt", listing)
        if absorbed.output is not None:
            archive.write(absorbed.output, shown)
    return {"path": str(archive_path), "name": f"{stem}.吸收结果.zip", "carried": absorbed.carried}


def batch(folder: str, names: dict[str, str], force: bool, pdf: bool,
          progress: Callable[[dict[str, int]], None] | None = None) -> dict[str, Any]:
    """Run the batch over the uploaded workbooks in folder/in and zip its outputs (genreport batch).

    names maps each stored file (relative to folder) to the name the user gave it; the summary rows
    and 汇总.xlsx show the user's names (the findings name files by their paths: Issue.text), and no server
    path appears in them.
    """
    from ..batch import Shown, run_batch, write_summaries
    from ..private import root_path

    os.chdir(folder)  # this process is the task's own: relative paths keep the server's folder out of 汇总

    def report(step: Any) -> None:
        if progress is not None:
            progress({"done": step.done, "total": step.total, "problems": step.problems})

    result = run_batch([Path(stored) for stored in names], Path("out"), force=force, pdf=pdf, progress=report)
    shown = Shown(PageNames({**names, **{Path(stored).name: name for stored, name in names.items()}}), for_page)
    for item in result.items:  # the LibreOffice step's notes quote LibreOffice's own words: they carry no fields
        item.note = for_page(scrub(item.note, [Path(folder), root_path()]))
    write_summaries(result, shown)
    with zipfile.ZipFile("result.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path("out").iterdir()):
            if path.is_file() and not path.name.startswith("."):
                archive.write(path, path.name)
    counts = [(status.label, n) for status, n in result.counts().most_common()]
    return {"items": [item.to_dict(shown) for item in result.items], "counts": counts,
            "seconds": round(result.seconds, 1), "zip": str(Path(folder) / "result.zip")}
