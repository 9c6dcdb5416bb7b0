"""The library's verbs: init_workbook, check_workbook, generate_report, annotate, list_profiles…

The commands (CLI, web) import only this module: each parses its arguments, calls one verb and presents
the complete result it returns (a Report in workbook sheet order, a Generated with its exit code).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GenreportError, OutputError
from .filenames import same_file
from .visible import printable
from .model import Workbook
from .pipeline import Generated, job_for, open_job, read_and_check, render_checked
from .profile import DEFAULT_PROFILE, Profile, list_profiles, load_profile
from .report import Report
from .resources import default_template
from .collector import collector_paused

if TYPE_CHECKING:
    from .merge import Merged


__all__ = ["DEFAULT_PROFILE", "GenreportError", "Generated", "Profile", "Report", "absorb_edits", "annotate",
           "check_workbook", "check_publication", "check_publications", "export_template", "generate_report",
           "import_publication", "is_publication", "MergeResult", "merge_departments", "merge_workbooks",
           "init_workbook", "lint_template", "list_profiles", "load_profile", "pdf_available"]


def init_workbook(target: Path, profile: str | None = None, last_year: Path | None = None) -> Path:
    """Write the blank workbook of a profile to target (pre-filled from last_year's workbook when given).

    With last_year and no profile, the new workbook keeps last year's profile.
    """
    from .excel import read_workbook, write_workbook

    if target.exists():
        raise OutputError.of("{file} 已存在，为避免覆盖已填写的工作簿，请换一个文件名或先删除它。", file=Path(target))
    if last_year is None:
        chosen = load_profile(profile)
        return write_workbook(target, chosen.workbook_spec, {"forms": {"profile": {"profile": recorded(chosen)}}},
                              choices=profile_choices(chosen))
    from .carryover import next_year_data

    if same_file(target, last_year):
        raise OutputError("新工作簿不能与上年工作簿同名，请另选输出路径。")
    if is_publication(last_year):
        last, chosen = _publication_workbook(Path(last_year), profile)
    else:
        job = open_job(last_year, profile)
        chosen = job.profile
        last, _ = read_workbook(last_year, chosen.workbook_spec, job.book)
    data, prefilled = next_year_data(last)
    data["forms"].setdefault("profile", {})["profile"] = recorded(chosen)
    return write_workbook(target, chosen.workbook_spec, data, prefilled, choices=profile_choices(chosen))


def _publication_workbook(source: Path, profile: str | None) -> tuple[Workbook, Profile]:
    """Return the workbook imported from a publication (read back as a user's would be) and its profile."""
    from .excel import read_workbook
    from .private import temporary_folder
    from .publication.audit import write_imported
    from .publication.read import import_publication as read_publication

    imported = read_publication(source, profile)
    with temporary_folder("lastyear") as folder:
        workbook, _ = read_workbook(write_imported(imported, folder / "上年.xlsx"), imported.profile.workbook_spec)
    return workbook, imported.profile



def recorded(profile: Profile) -> str:
    """Return what a workbook's 报告样式 records to find its profile again: the title, or an exported folder's path."""
    return profile.title if profile.root is None else str(profile.root)


def profile_choices(chosen: Profile | None = None) -> dict[tuple[str, str], list[str]]:
    """Return the 报告样式 dropdown: the installed profiles' Chinese titles (ids are still accepted), and the
    folder of chosen when it is an exported profile."""
    from .profile import list_profiles

    titles = [p.title for p in list_profiles()]
    return {("profile", "profile"): titles + ([recorded(chosen)] if chosen and chosen.root else [])}


def check_workbook(source: Path, profile: str | None = None,
                   template: Path | None = None) -> tuple[Workbook, Report]:
    """Return the workbook read from source and its validation report (reading + every check).

    The 文字调整 keys are checked against template (default: the one generation would use), and wording absorbed
    from an edited document against the figures the workbook gives now (absorb.py). A publication (PDF or .docx)
    is imported first and checked as check_publication does.
    """
    if is_publication(source):
        return check_publication(source, profile)
    job = checked_job(source, profile, template)
    return job.workbook, job.report


def checked_job(source: Path, profile: str | None = None, template: Path | None = None):
    """Return the Job of a workbook read and checked as check_workbook checks it (ready for render_checked)."""
    from .absorb import stale_figure_issues

    job = open_job(source, profile, template)
    refuse_broken_template(job.profile, job.template)
    read_and_check(job)
    if not job.profile.catalogue.blocking(job.report.issues):
        job.report.issues += stale_figure_issues(job.workbook, job.profile, job.template)
    return job


def absorb_edits(edited: Path, source: Path | None = None, output: Path | None = None, *, in_place: bool = False,
                 template: Path | None = None, profile: str | None = None):
    """Carry an editor's Word edits into the workbook's 文字调整 sheet; return an Absorbed (see absorb.py)."""
    from .absorb import absorb_edits as absorb

    return absorb(edited, source, output, in_place=in_place, template=template, profile=profile)


def is_publication(source: Path) -> bool:
    """Return True when source is a publication (PDF or Word) rather than a workbook."""
    from .publication.read import is_publication as publication

    return publication(Path(source))


def check_publication(source: Path, profile: str | None = None) -> tuple[Workbook, Report]:
    """Return the workbook imported from a publication and its report, each finding on its page.

    The workbook checks run on the imported tables; the 情况说明's figures are compared with what the
    tables give; findings about inputs the text does not hand over are not reported (publication_skips).
    """
    from .publication.audit import check_publication as check

    return check(source, profile)


def check_publications(folder: Path, outdir: Path, on_each=None):  # type: ignore[no-untyped-def]
    """Check every PDF and .docx under folder; write 汇总.xlsx and 汇总.json into outdir; return the BatchResult."""
    from .publication.folder import check_folder

    return check_folder(Path(folder), Path(outdir), on_each)


@dataclass
class ImportedPublication:
    """The outcome of importing a publication: the workbook written and what the import could not find."""

    output: Path
    profile: Profile
    missing_tables: list[str]
    """The titles of the profile's tables the publication does not show (their sheets are left blank)."""


def import_publication(source: Path, target: Path, profile: str | None = None) -> ImportedPublication:
    """Write the workbook of a publication (PDF or .docx) to target: its tables and cover, each cell noted with its page.

    The profile is recognised from the document's table titles and headers unless given. Never overwrites.
    """
    from .publication.audit import write_imported
    from .publication.read import import_publication as read_publication

    target = Path(target)
    if target.exists():
        raise OutputError.of("{file} 已存在，为避免覆盖已填写的工作簿，请换一个文件名或先删除它。", file=target)
    if target.suffix.lower() != ".xlsx":
        raise OutputError.of("输出路径“{file}”不是 .xlsx 文件，请用以 .xlsx 结尾的文件名。", file=target)
    imported = read_publication(Path(source), profile)
    imported.data["forms"]["profile"]["profile"] = imported.profile.title
    written = write_imported(imported, target)
    return ImportedPublication(written, imported.profile, [t.title for t in imported.missing_tables])


def generate_report(source: Path, output: Path | None = None, force: bool = False,
                    template: Path | None = None, profile: str | None = None,
                    pdf: bool = False, toc: bool = False) -> Generated:
    """Validate source and, unless it has errors (or force is set), render the report.

    A document at the target that was edited since genreport wrote it is replaced only with force, after a backup
    copy (render/fingerprint.py); without force that is an OutputError.
    pdf also writes <document>.pdf through LibreOffice; pdf or toc fills the 目录's page numbers (pdf.py).

    The template is, in order: template, $GENREPORT_TEMPLATE, the profile's bundled template.
    """
    if not (pdf or toc):
        job = open_job(source, profile, template)  # opened once; spec, checks, glossary, template, conventions loaded
        return render_checked(read_and_check(job), output, force=force)
    from .pdf import close_offices, start_soon

    start_soon()  # LibreOffice starts while the workbook is read, checked and rendered
    made = None
    try:
        made = render_checked(read_and_check(open_job(source, profile, template)), output, force=force, pdf=pdf,
                              toc=toc)
    finally:
        if made is None or made.output is None:
            close_offices()  # refused or failed: the office started early is not left running for nothing
    return made


def pdf_available() -> bool:
    """Return True when LibreOffice is installed, so that --pdf (and the 目录's page numbers) can be made."""
    from .pdf import find_soffice

    return find_soffice() is not None


def sweep_leftovers() -> None:
    """Remove what a killed genreport of this user left in the temporary folder (private.py)."""
    from .private import sweep_stale

    sweep_stale()


def template_keys(profile: str | None = None, template: Path | None = None) -> list:
    """Return the paragraph keys (KeyInfo) of a template for the 文字调整 sheet, with the first words of each.

    With the profile's bundled sample, the keys are read from the document generated from it (real text, every
    occurrence of a repeated paragraph); otherwise from the template itself.
    """
    from .private import temporary_folder
    from .render.overrides import document_keys

    chosen = load_profile(profile)
    path = Path(template) if template else default_template() or chosen.template_path
    path = template_of_folder(path)
    if not path.is_file():
        raise OutputError.of("找不到模板文件：{file}", file=path)
    sample = sample_path(chosen)
    if sample is None:
        return document_keys(path)
    with temporary_folder("keys") as folder:  # private, and swept by the next start if this run is killed
        made = generate_report(sample, folder, force=True, template=path, profile=chosen.name)
        return document_keys(made.output) if made.output else document_keys(path)


def annotate(source: Path, report: Report, target: Path | None = None) -> tuple[Path, list[str]]:
    """Write a copy of source marking the report's problem cells; return it and the marked "sheet!cell"s.

    The copy is target, by default <name>.标注.xlsx beside source; source is never modified.
    """
    from .excel import annotate_workbook

    source = Path(source)
    target = Path(target) if target else source.with_name(f"{source.stem}.标注.xlsx")
    return target, annotate_workbook(source, target, report.issues)


def sample_context(profile: str | None = None) -> dict:
    """Return the template context of a profile's sample workbook (for linting and docs).

    The sample is the profile's own (`sample:` in its profile file: a path relative to an exported profile
    folder, or a bundled sample), read with that profile; a profile without one gets a blank-but-plausible
    workbook made from its spec (plausible.py), so its figures and placeholders are proved on its own spec.
    """
    from .errors import SpecError
    from .figures import compute_figures
    from .plausible import plausible_workbook
    from .render.context import build_context

    chosen = load_profile(profile)
    sample = sample_path(chosen)
    if sample is None:
        workbook = plausible_workbook(chosen.workbook_spec)
        return build_context(workbook, compute_figures(workbook, chosen), chosen)
    job = read_and_check(job_for(sample, chosen))
    workbook, report = job.workbook, job.report
    try:
        figures = compute_figures(workbook, chosen)
    except SpecError:
        blocking = next((i.message for i in report.issues if i.severity == "error"), "")
        raise GenreportError.of("样式的样例工作簿 {file} 与样式的工作簿说明不符（{blocking}），请按当前样式重新填写样例，"
                                "或删去样式文件中的 sample 改用自动生成的示例数据。", file=Path(printable(str(sample))),
                                blocking=blocking) from None
    return build_context(workbook, figures, chosen)


def sample_path(profile: Profile) -> Path | None:
    """Return the profile's sample workbook: relative to its folder, else absolute, else bundled; None without one."""
    from .resources import sample_workbook

    if not profile.sample:
        return None
    candidates = [Path(profile.sample)] if Path(profile.sample).is_absolute() else []
    if profile.root is not None:
        candidates.append(profile.root / profile.sample)
    candidates.append(sample_workbook(profile.sample))
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise GenreportError(f"样式“{profile.title}”的 sample 指向的样例工作簿不存在：{profile.sample}"
                             "（写相对于样式文件夹的路径，或删去 sample 改用自动生成的示例数据）。")
    return found


def lint_template(template: Path, profile: str | None = None) -> list:
    """Return the problems found in a Word template (Issues placed by location), checked against the sample's
    real context.

    The sentence macros beside the template (or the profile's) count as known names; the table
    placeholders are checked against the profile's spec. Without profile, the profile whose template
    has this file name is used (the default otherwise). The codes are the bundled catalogue's (group M).
    """
    from jinja2 import TemplateError

    from .catalogue import bundled_catalogue
    from .errors import GenreportError
    from .render import jinja_env, macros_for
    from .render.lint import lint_template as lint, syntax_issue
    from .render.macros import load_macros

    template = Path(template)
    if not template.is_file():
        raise GenreportError.of("找不到模板文件：{file}", file=template)
    chosen = load_profile(profile) if profile else _profile_of_template(template)
    context = sample_context(chosen.name)
    macros = macros_for(template, chosen)
    try:
        context.update(load_macros(jinja_env(), macros, context))
    except TemplateError as exc:
        from .render.jinja_messages import describe

        return [syntax_issue(bundled_catalogue(), f"句式宏文件 {macros.name if macros else ''}", describe(exc))]
    tables = [t.id for t in chosen.workbook_spec.tables]
    try:
        return lint(template, context, bundled_catalogue(), tables)
    except (KeyError, ValueError) as exc:
        raise GenreportError.of("{name} 不是有效的 Word（.docx）文件。", name=Path(template.name)) from exc


def refuse_broken_template(profile: Profile, template: Path | None = None) -> None:
    """Raise GenreportError with one sentence when the template generation would use cannot render.

    Only a profile's own files are linted (an exported folder, a template given or $GENREPORT_TEMPLATE); the
    bundled templates are proved by the tests. The findings of severity error refuse (the others are advice for
    `template check`); they are kept under the hash of every file they depend on.
    """
    chosen = Path(template) if template else default_template()
    chosen = chosen if chosen is not None and chosen.is_file() else profile.template_path
    if profile.root is None and chosen == profile.template_path:
        return
    breaking = [f for f in _template_findings(chosen, profile) if f[0] == "error"]
    if breaking:
        _, where, what = breaking[0]
        more = f"（另有 {len(breaking) - 1} 处）" if len(breaking) > 1 else ""
        shown = printable(str(profile.root if profile.root is not None and chosen.parent == profile.root else chosen))
        what = what if what.endswith(("。", "？")) else f"{what}。"
        raise GenreportError.of("Word 模板 {name} {where}：{what}{more}请运行 genreport template check {file} 查看全部问题。",
                                name=Path(chosen.name), where=where, what=what, more=more, file=Path(shown))


def _template_findings(template: Path, profile: Profile) -> list[tuple[str, str, str]]:
    """Return (severity, location, message) of every lint finding, cached by the content of the files they depend
    on."""
    import hashlib
    import json

    from ._version import __version__
    from .catalogue import DEFAULT_FILE
    from .contentcache import cache_key, cached
    from .render import macros_for
    from .resources import spec_file

    name = profile.name
    depends = [template, macros_for(template, profile), sample_path(profile), Path(__file__).parent / "render/lint.py",
               spec_file(DEFAULT_FILE, None)]
    depends += sorted(profile.root.glob("workbook_specs/**/*.yaml")) if profile.root is not None else []
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() if p is not None and p.is_file() else "-" for p in depends]
    key = cache_key("lint", "\n".join([name, *map(str, depends), *digests]), __version__)
    return cached(key, lambda: _lint_findings(template, name), lambda found: json.dumps(found).encode("utf-8"),
                  lambda data: [tuple(f) for f in json.loads(data)])


def _lint_findings(template: Path, profile: str) -> list[tuple[str, str, str]]:
    """Return lint_template's findings as tuples; none when the profile's sample cannot prove the template (an
    out-of-date sample is `template check`'s finding, not a problem of the workbook being checked)."""
    try:
        return [(f.severity, f.location, f.message) for f in lint_template(template, profile)]
    except GenreportError:
        return []


def template_of_folder(path: Path) -> Path:
    """Return the template of an exported profile folder; path itself when it is not a folder."""
    path = Path(path)
    return load_profile(str(path)).template_path if path.is_dir() else path


def _profile_of_template(template: Path) -> Profile:
    from .profile import list_profiles

    if (template.parent / "workbook_specs" / "profiles").is_dir():
        return load_profile(str(template.parent))
    return next((p for p in list_profiles() if p.template == template.name), load_profile())


def export_template(folder: Path, profile: str | None = None) -> list[Path]:
    """Copy a profile's template, macro file, workbook spec(s), glossary and profile file into folder.

    `genreport 工作簿.xlsx --template folder` then uses all of them. Never overwrites a file.
    """
    import shutil

    from .catalogue import checks_path
    from .profile import profiles_dir
    from .resources import spec_path, specs_dir
    from .spec import load_spec

    chosen = load_profile(profile)
    if chosen.root is not None:
        raise OutputError("请导出已安装的样式（genreport profiles 列出的名称）。")
    specs = [spec_path(chosen.spec)] + ([spec_path("standard")] if chosen.spec != "standard" else [])
    checks = sorted({checks_path(load_spec(str(s))) for s in specs} | {specs_dir() / "checks.yaml"})
    sources = [*specs, *checks, chosen.glossary_path, profiles_dir() / f"{chosen.id}.yaml"]
    pairs = [(chosen.template_path, folder / chosen.template)]
    if chosen.macros_path is not None:
        pairs.append((chosen.macros_path, folder / chosen.macros))
    pairs += [(source, folder / "workbook_specs" / source.relative_to(specs_dir())) for source in sources]
    for _, target in pairs:
        if target.exists():
            raise OutputError.of("{file} 已存在，为避免覆盖编辑过的文件，请换一个空文件夹。", file=target)
    written = []
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


@dataclass
class MergeResult:
    """The outcome of one 汇总: each unit's check report and the department workbook (None when refused)."""

    units: list[tuple[Path, str, Report]]
    """(workbook, unit name, its report) in merge order: the 本级 first."""
    output: Path | None
    merged: Merged | None = None
    """The merged data with its trace, totals, internal flows and the cells left for the department."""
    unit: str = "万元"
    """The money unit of the totals (the tables')."""

    @property
    def exit_code(self) -> int:
        """Return 1 when a unit's errors stopped the merge, else 0."""
        return 0 if self.output is not None else 1


def merge_workbooks(inputs: list[Path], target: Path, main: Path | None = None, name: str | None = None,
                    force: bool = False, profile: str | None = None) -> MergeResult:
    """Check every unit workbook and write their 汇总 as the department's workbook target (spec `merge:` rules).

    inputs are workbooks, folders or list files (as batch takes them); main names the 本级 (default: the one
    marked 部门); name replaces the department's name. A unit with errors stops the merge (output None) unless
    force is set and none is blocking. GenreportError refuses different years or profiles, a unit twice,
    two 本级, a merged department among the inputs, and a target that exists or is an input.
    """
    from .batch.inputs import collect_inputs, refuse_missing
    from .excel import is_merged, write_merged
    from .merge import merge_units
    from .merge_inputs import order_units, refuse_merged, refuse_mixed, refuse_target

    target = Path(target)
    refuse_missing([Path(p) for p in inputs])
    sources = collect_inputs(inputs, target.parent)
    if not sources:
        raise GenreportError("没有找到任何 .xlsx 工作簿，请检查输入的文件、文件夹或清单。")
    refuse_target(target, sources)
    for source in sources:
        if is_merged(source):
            refuse_merged(source)
    profiles, checked = [], []
    with collector_paused():
        for source in sources:
            job = read_and_check(open_job(source, profile))
            profiles.append(job.profile)
            checked.append((job.workbook, job.report))
    refuse_mixed(sources, profiles)
    rules = profiles[0].workbook_spec.merge
    units = order_units(sources, [book for book, _ in checked], rules, main)
    by_book = {id(book): (source, report) for source, (book, report) in zip(sources, checked)}
    listed = [(by_book[id(u.workbook)][0], u.name, by_book[id(u.workbook)][1]) for u in units]
    spec = profiles[0].workbook_spec
    result = MergeResult(listed, None, unit=spec.tables[0].unit if spec.tables else spec.unit)
    reports = [report for _, report in checked]
    if any(not r.valid for r in reports) and (not force or any(profiles[0].catalogue.blocking(r.issues)
                                                               for r in reports)):
        return result
    result.merged = merge_units(units, spec, name)
    result.output = write_merged(target, spec, result.merged, choices=profile_choices())
    return result


#: The folder of a batch's output where `batch --merge` writes each department's merged workbook.
MERGED_FOLDER = "部门工作簿"


def merge_departments(inputs: list[Path], outdir: Path, force: bool = False) -> tuple[list[Path], list[tuple[str, str]]]:
    """Merge each department folder (a subfolder of an input folder, else the folder itself) into outdir/部门工作簿/.

    Return (the department workbooks, (department, why it was not merged) for the others). A department
    workbook already there is kept as is (the accountant may have filled in its reasons): delete it to merge again.
    """
    out = Path(outdir).resolve()
    folders = [sub for entry in map(Path, inputs) for sub in _department_folders(entry)
               if sub.resolve() != out and out not in sub.resolve().parents]  # not the output folder itself
    if not folders:
        raise GenreportError("没有找到部门文件夹：--merge 时请给出按“一个部门一个文件夹”存放单位工作簿的文件夹。")
    made, failed = [], []
    for folder in folders:
        target = Path(outdir) / MERGED_FOLDER / f"{folder.name}.xlsx"
        if target.exists():
            made.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            result = merge_workbooks([folder], target, force=force)
        except GenreportError as exc:
            failed.append((folder.name, str(exc)))
            continue
        if result.output is None:
            bad = "、".join(f"{source.name}（错误 {len(r.errors)} 处）" for source, _, r in result.units if not r.valid)
            failed.append((folder.name, f"有单位的工作簿有错误，未汇总：{bad}"))
        else:
            made.append(result.output)
    return made, failed


def _department_folders(entry: Path) -> list[Path]:
    if not entry.is_dir():
        raise GenreportError.of("“{folder}”不是文件夹：--merge 时每个部门的单位工作簿放在一个文件夹中。",
                                folder=Path(printable(str(entry))))
    subfolders = sorted(p for p in entry.iterdir() if p.is_dir() and not p.name.startswith("."))
    return subfolders or [entry]
