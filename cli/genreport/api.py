"""The library's verbs: init_workbook, check_workbook, generate_report (orchestration only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError
from .files import same_file
from .model import Workbook
from .report import Report
from .resources import default_template
from .spec import load_spec


@dataclass
class Generated:
    """The outcome of one generation: the validation report and the written document (None if refused)."""

    report: Report
    output: Path | None
    workbook: Workbook | None = None


def init_workbook(target: Path, spec_name: str = "standard", last_year: Path | None = None) -> Path:
    """Write the blank standard workbook to target (pre-filled from last_year's workbook when given)."""
    from .excel import read_workbook, write_workbook

    if target.exists():
        raise OutputError(f"{target} 已存在。为避免覆盖已填写的工作簿，请换一个文件名或先删除它。")
    spec = load_spec(spec_name)
    if last_year is None:
        return write_workbook(target, spec)
    from .carryover import next_year_data

    if same_file(target, last_year):
        raise OutputError("新工作簿不能与上年工作簿同名，请另选输出路径。")
    last, _ = read_workbook(last_year, spec)
    data, prefilled = next_year_data(last)
    return write_workbook(target, spec, data, prefilled)


def check_workbook(source: Path, spec_name: str = "standard") -> tuple[Workbook, Report]:
    """Return the workbook read from source and its validation report (reading + every check)."""
    from .checks import run_checks
    from .excel import read_workbook

    workbook, issues = read_workbook(source, load_spec(spec_name))
    report = Report(source=Path(source).name, issues=issues)
    if not any(i.code in BLOCKING_READ_CODES for i in issues):
        report.issues.extend(run_checks(workbook))
    return workbook, report


#: Reading problems after which the checks would only repeat noise.
BLOCKING_READ_CODES = {"missing-sheet", "header-not-found", "missing-line", "missing-field"}


def output_path(workbook: Workbook, output: Path | None, source: Path) -> Path:
    """Return where the document goes: -o as a .docx path, or a folder (default name inside it)."""
    from .files import report_filename

    name = report_filename(workbook.dept_name, workbook.year, workbook.value("profile", "kind") or "部门")
    if output is None:
        target = Path.cwd() / name
    elif output.suffix.lower() == ".docx":
        target = output
    else:
        target = output / name
    if same_file(target, source) or target.resolve() == Path(source).resolve():
        raise OutputError("输出文件不能与输入工作簿相同，请另选输出路径。")
    return target


def generate_report(source: Path, output: Path | None = None, force: bool = False,
                    template: Path | None = None, spec_name: str = "standard") -> Generated:
    """Validate source and, unless it has errors (or force is set), render the report."""
    from .render import render_report

    workbook, report = check_workbook(source, spec_name)
    if not report.valid and (not force or any(i.code in BLOCKING_READ_CODES for i in report.issues)):
        return Generated(report, None, workbook)
    target = output_path(workbook, output, source)
    written = render_report(workbook, Path(template) if template else default_template(), target)
    return Generated(report, written, workbook)


def sample_context() -> dict:
    """Return the template context built from the bundled sample workbook (for linting and docs)."""
    from .render.context import build_context
    from .resources import sample_workbook

    workbook, _ = check_workbook(sample_workbook())
    return build_context(workbook)


def lint_template(template: Path) -> list:
    """Return the problems found in a Word template, checked against the sample's real context."""
    from .errors import GenreportError
    from .render.lint import lint_template as lint

    if not Path(template).is_file():
        raise GenreportError(f"找不到模板文件：{template}")
    try:
        return lint(Path(template), sample_context())
    except (KeyError, ValueError) as exc:
        raise GenreportError(f"{Path(template).name} 不是有效的 Word（.docx）文件。") from exc


def export_template(folder: Path) -> list[Path]:
    """Copy the default template, the workbook spec and the glossary into folder for editing."""
    import shutil

    from .resources import default_template, spec_path, specs_dir

    folder.mkdir(parents=True, exist_ok=True)
    sources = [default_template(), spec_path("standard"), specs_dir() / "glossary" / "central.yaml"]
    written = []
    for source in sources:
        target = folder / source.name
        if target.exists():
            raise OutputError(f"{target} 已存在，为避免覆盖编辑过的文件，请换一个空文件夹。")
        shutil.copyfile(source, target)
        written.append(target)
    return written
