"""The pipeline's stages: choose the profile, read and check a workbook, render a checked one.

The verbs (api.py) and the batch's workers (batch/worker.py) string these together; nothing here imports
a verb or a presenter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .files import refuse_overlap, same_file
from .model import Workbook
from .pdf import OfficeResult, finish_document
from .profile import Profile, load_profile
from .report import Report
from .resources import default_template

__all__ = ["Generated", "choose_template", "output_path", "read_and_check", "render_checked", "resolve_profile",
           "template_for"]


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



def resolve_profile(source: Path, profile: str | None = None) -> Profile:
    """Return the profile given, else the one the workbook records on its cover sheet, else the default."""
    if profile:
        return load_profile(profile)
    from .excel.peek import peek_form_value

    cover = load_profile().workbook_spec.input("profile")
    return load_profile(peek_form_value(Path(source), cover.sheet, cover.field("profile").label))



def read_and_check(source: Path, profile: Profile, template: Path | None = None) -> tuple[Workbook, Report]:
    """Return the workbook read with the profile's spec and the report: reading issues, then every check.

    The checks are skipped after a blocking reading problem (checks.yaml `blocking:`); they would only
    repeat it. The report lists problems in the workbook's sheet order.
    """
    from .checks import run_checks
    from .excel import read_workbook
    from .mismatch import layout_profile, mismatch_issue

    workbook, issues = read_workbook(source, profile.workbook_spec)
    workbook.profile = profile.id if profile.root is None else str(profile.root)
    fits = layout_profile(Path(source), profile, issues)
    if fits is not None:  # the layout is another profile's: one finding, not one per missing row
        issues = [mismatch_issue(workbook, profile, fits)]
    if not profile.catalogue.blocking(issues):
        issues += run_checks(workbook)
        issues += _override_key_issues(workbook, template, profile)
    return workbook, Report(Path(source).name, issues, profile.workbook_spec.sheet_names)


def template_for(workbook: Workbook, template: Path | None = None) -> Path:
    """Return the template a generation uses: template, $GENREPORT_TEMPLATE, the workbook profile's own."""
    chosen = Path(template) if template else default_template()
    if chosen is not None and chosen.is_file():
        return chosen
    return load_profile(str(chosen) if chosen is not None else workbook.profile).template_path


def _override_key_issues(workbook: Workbook, template: Path | None, profile: Profile) -> list:
    from .render import overrides_of
    from .render.overrides import key_issues

    chosen = template_for(workbook, template)
    return key_issues(overrides_of(workbook), chosen, profile.catalogue) if chosen.is_file() else []



#: Extensions that show -o names a file of another kind rather than a folder to create.
_OTHER_DOCUMENTS = {".doc", ".docm", ".dotx", ".wps", ".odt", ".pdf", ".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt"}


def output_path(workbook: Workbook, output: Path | None, source: Path) -> Path:
    """Return where the document goes: -o as a .docx path, or a folder (default name inside it).

    Refuses (OutputError) the input workbook itself, an existing file that is not a .docx, and
    a file name with another document extension.
    """
    from .files import report_filename

    name = report_filename(workbook.dept_name, workbook.year, workbook.value("profile", "kind") or "部门",
                           pattern=load_profile(workbook.profile).conventions.file_name)
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



def choose_template(template: Path | None, profile: str | None = None) -> tuple[str | None, Path | None]:
    """Return (profile, template): template, else $GENREPORT_TEMPLATE; an exported profile folder is the profile."""
    template = Path(template) if template else default_template()
    if template is not None and template.is_dir():  # an exported profile folder: its files take precedence
        return str(template), None
    return profile, template



def render_checked(workbook: Workbook, report: Report, source: Path, output: Path | None = None, *,
                   force: bool = False, template: Path | None = None, pdf: bool = False, toc: bool = False,
                   profile: Profile | None = None) -> Generated:
    """Compute the figures of a checked workbook and render them (generate_report's second half; see there).

    Refused (output None) when the report has errors, unless force is set and no error is blocking.
    """
    from .figures import compute_figures
    from .render import render_report
    from .render.fingerprint import protect_edited

    profile = profile or load_profile(workbook.profile)
    if not report.valid and (not force or profile.catalogue.blocking(report.issues)):
        return Generated(report, None, workbook)
    figures = compute_figures(workbook, profile)
    target = output_path(workbook, output, source)
    template = Path(template or profile.template_path)
    outputs = {target: "Word 文档", **({target.with_suffix(".pdf"): "PDF"} if pdf else {})}
    refuse_overlap(outputs, {Path(source): "输入的工作簿", template: "使用的 Word 模板"})
    backup = protect_edited(target, force)
    reported = {(i.sheet, i.cell) for i in report.issues if i.code == "unknown-paragraph-key"}
    rendered = render_report(template, workbook, figures, profile, target)
    report.issues.extend(i for i in rendered if (i.sheet, i.cell) not in reported)
    return Generated(report, target, workbook, _office(target, pdf, toc), backup)


def _office(target: Path, pdf: bool, toc: bool) -> OfficeResult | None:
    """Run the LibreOffice step when asked (PDF, 目录 page numbers; filling the 目录 renews the fingerprint)."""
    office = finish_document(target, pdf=pdf, toc=toc) if pdf or toc else None
    if office is not None and office.pdf is not None:
        from .fonts import substitution_note

        office.notes.extend(filter(None, [substitution_note(target)]))
    return office


