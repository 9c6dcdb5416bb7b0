"""The stages of one report, handed one Job: open → read and check → figures → render.

`open_job` opens the workbook once and settles its profile (given, else the one its cover sheet records) and the
template; each later stage takes the Job, reads what the earlier ones left on it and adds its own. No stage loads a
profile by name or opens the workbook again. The verbs (api.py, batch/, absorb.py, merge) string these together.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import OutputError
from .filenames import refuse_overlap, report_filename, same_file
from .model import Workbook
from .pdf import OfficeResult
from .profile import Profile, list_profiles, load_profile
from .report import Report
from .resources import default_template


@dataclass
class Job:
    """One workbook on its way through the stages: what is known about it so far."""

    source: Path
    profile: Profile
    """The publication style: spec, check catalogue, glossary, template, conventions (loaded once)."""
    template: Path
    """The Word template the report renders: the one given, $GENREPORT_TEMPLATE, else the profile's."""
    book: Any = None
    """The opened workbook (excel/xlsx.Book), read by the reader; None once read."""
    workbook: Workbook | None = None
    report: Report | None = None


@dataclass
class Generated:
    """The outcome of one generation: the validation report and the written document (None if refused)."""

    report: Report
    output: Path | None
    workbook: Workbook | None = None
    office: OfficeResult | None = None  # the LibreOffice step (--pdf / --toc), None when not asked
    backup: Path | None = None  # the edited document that was replaced (with force), kept beside it

    @property
    def exit_code(self) -> int:
        """Return 2 when the LibreOffice step failed, 1 when refused or the workbook has errors, else 0."""
        if self.output is None:
            return 1
        if self.office is not None and self.office.failed:
            return 2
        return self.report.exit_code


def open_job(source: Path, profile: str | None = None, template: Path | None = None) -> Job:
    """Return the Job of the workbook at source: opened once, its profile and its template settled.

    profile is a profile's id, title or exported folder (default: the one the workbook records, else the default);
    template is a .docx or an exported profile folder (default: $GENREPORT_TEMPLATE, else the profile's).
    Raises UnreadableWorkbook when source is not a readable workbook.
    """
    from .excel import open_book

    name, template = choose_template(template, profile)
    book = open_book(Path(source))
    chosen = load_profile(name) if name else load_profile(recorded_profile(book))
    return Job(Path(source), chosen, template_for(chosen, template), book)


def job_for(source: Path, profile: Profile, template: Path | None = None) -> Job:
    """Return the Job of source with a profile already loaded (a publication, a merge's units)."""
    from .excel import open_book

    return Job(Path(source), profile, template_for(profile, template), open_book(Path(source)))


def recorded_profile(book: Any) -> str | None:
    """Return what the workbook's cover sheet names as its 报告样式 (None when blank or absent)."""
    from .excel import form_value

    cover = load_profile().workbook_spec.input("profile")
    return form_value(book, cover.sheet, cover.field("profile").label)


def choose_template(template: Path | None, profile: str | None = None) -> tuple[str | None, Path | None]:
    """Return (profile, template): template, else $GENREPORT_TEMPLATE; an exported profile folder is the profile."""
    template = Path(template) if template else default_template()
    if template is not None and template.is_dir():  # an exported profile folder: its files take precedence
        return str(template), None
    return profile, template


def template_for(profile: Profile, template: Path | None = None) -> Path:
    """Return the template a generation uses: template (a file), $GENREPORT_TEMPLATE, else the profile's own."""
    chosen = Path(template) if template else default_template()
    if chosen is not None and chosen.is_file():
        return chosen
    return profile.template_path


def read_and_check(job: Job) -> Job:
    """Read the job's workbook with its profile's spec and check it: job.workbook and job.report are set.

    The checks are skipped after a blocking reading problem (checks.yaml `blocking:`); they would only repeat
    it. The report lists problems in the workbook's sheet order.
    """
    from .checks import run_checks
    from .excel import read_workbook
    from .mismatch import layout_profile, mismatch_issue
    from .render.printed import PrintedFields

    profile, book = job.profile, job.book
    workbook, issues = read_workbook(job.source, profile.workbook_spec, book)
    fits = layout_profile(job.source, book, profile, issues, list_profiles)
    if fits is not None:  # the layout is another profile's: one finding, not one per missing row
        issues = [mismatch_issue(workbook, profile, fits)]
    if not profile.catalogue.blocking(issues):
        issues += run_checks(workbook, PrintedFields(workbook, profile, job.template))
        issues += _override_key_issues(workbook, job.template, profile)
    job.book, job.workbook = None, workbook
    job.report = Report(job.source.name, issues, profile.workbook_spec.sheet_names, profile.name)
    return job


def _override_key_issues(workbook: Workbook, template: Path, profile: Profile) -> list:
    from .render import overrides_of
    from .render.overrides import key_issues

    return key_issues(overrides_of(workbook), template, profile.catalogue) if template.is_file() else []


#: Extensions that show -o names a file of another kind rather than a folder to create.
_OTHER_DOCUMENTS = {".doc", ".docm", ".dotx", ".wps", ".odt", ".pdf", ".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt"}


def output_path(job: Job, output: Path | None) -> Path:
    """Return where the job's document goes: -o as a .docx path, or a folder (default name inside it).

    Refuses (OutputError) the input workbook itself, an existing file that is not a .docx, and
    a file name with another document extension.
    """
    workbook, source = job.workbook, job.source
    assert workbook is not None, "output_path needs a read workbook"
    name = report_filename(workbook.dept_name, workbook.year, workbook.value("profile", "kind") or "部门",
                           pattern=job.profile.conventions.file_name)
    if output is not None and same_file(output, source):
        raise OutputError(f"输出路径“{output}”就是输入的工作簿，为避免覆盖它，请另选一个 .docx 文件名或文件夹。")
    if output is None:
        target = Path.cwd() / name
    elif output.is_dir():
        target = output / name
    elif output.suffix.lower() == ".docx":
        target = output
    elif output.exists() or output.suffix.lower() in _OTHER_DOCUMENTS:
        raise OutputError(f"输出路径“{output}”不是 .docx 文件，请用以 .docx 结尾的文件名或一个文件夹。")
    else:
        target = output / name
    if same_file(target, source):
        raise OutputError(f"输出文件“{target}”就是输入的工作簿，为避免覆盖它，请另选输出路径。")
    return target


def render_checked(job: Job, output: Path | None = None, *, force: bool = False, pdf: bool = False,
                   toc: bool = False, office: bool = True) -> Generated:
    """Compute the figures of a checked job and render them into the document (see api.generate_report).

    Refused (output None) when the report has errors, unless force is set and no error is blocking. office=False
    leaves the LibreOffice step (office_step) to the caller: a batch worker runs it while it renders the next.
    """
    from .figures import compute_figures
    from .render import render_report
    from .render.fingerprint import protect_edited

    profile, workbook, report = job.profile, job.workbook, job.report
    assert workbook is not None and report is not None, "render_checked needs a checked job"
    if not report.valid and (not force or profile.catalogue.blocking(report.issues)):
        return Generated(report, None, workbook)
    figures = compute_figures(workbook, profile)
    target = output_path(job, output)
    outputs = {target: "Word 文档", **({target.with_suffix(".pdf"): "PDF"} if pdf else {})}
    refuse_overlap(outputs, {job.source: "输入的工作簿", job.template: "使用的 Word 模板"})
    backup = protect_edited(target, force)
    reported = {(i.sheet, i.cell) for i in report.issues if i.code == "unknown-paragraph-key"}
    rendered = render_report(job.template, workbook, figures, profile, target)
    job.report = replace(report, issues=[*report.issues, *(i for i in rendered if (i.sheet, i.cell) not in reported)])
    return Generated(job.report, target, workbook, office_step(target, pdf, toc) if office else None, backup)


def office_step(target: Path, pdf: bool, toc: bool) -> OfficeResult | None:
    """Run the LibreOffice step when asked (PDF, 目录 page numbers; filling the 目录 renews the fingerprint).

    With a PDF, which of the document's fonts this machine replaces is found meanwhile, for the note."""
    from .pdf import finish_document

    if not (pdf or toc):
        return None
    font_note = _font_note_meanwhile(target) if pdf else None
    office = finish_document(target, pdf=pdf, toc=toc)
    if font_note is not None and office.pdf is not None:
        office.notes.extend(filter(None, [font_note()]))
    return office


def _font_note_meanwhile(target: Path) -> Callable[[], str | None]:
    """Start finding the font substitution note of target in a thread; return what waits for it. The thread reads
    a copy in memory: the 目录's filling replaces the file meanwhile."""
    from .fonts import substitution_note

    document, found = io.BytesIO(target.read_bytes()), []
    finding = threading.Thread(target=lambda: found.append(substitution_note(document)), daemon=True)
    finding.start()

    def note() -> str | None:
        finding.join()
        return found[0] if found else None

    return note
