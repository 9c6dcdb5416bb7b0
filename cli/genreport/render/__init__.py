"""The only docxtpl / python-docx importer: render the report template once, with autoescape on."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError

from ..atomic import atomic_write
from ..figures import Figures
from ..issues import Issue
from ..model import Workbook
from ..profile import Profile
from .charts import bind_charts
from .environment import TemplateProblem, jinja_env
from .context import build_context
from .fingerprint import stamp_document
from .layout import balance_headings
from .macros import load_macros
from .overrides import Override, apply_overrides, number_bookmarks, unknown_key_issue
from .stale import stale_figures
from .tables import insert_tables
from .toc import refresh_toc


def render_report(template: Path, workbook: Workbook, figures: Figures, profile: Profile, target: Path) -> list[Issue]:
    """Render template with the workbook, its figures and the profile into target (atomically); loads nothing.

    The sentence macros come from the macro file beside the template; the tables are built from the spec
    at their placeholders; the 目录 lists the headings of the finished document (or the profile's list).
    Returns warnings found while rendering: 文字调整 rows whose paragraph key the template lacks, absorbed
    wording that states a figure the workbook no longer gives.
    """
    from .cache import PreparedTemplate  # a DocxTemplate preparing each template's XML once

    template = Path(template)
    if not template.is_file():
        raise TemplateProblem.of("找不到 Word 模板：{file}", file=template)
    context = build_context(workbook, figures, profile)
    try:
        context.update(load_macros(jinja_env(), macros_for(template, profile), context))
        doc = PreparedTemplate(str(template))
        bind_charts({k: c for k, c in context["charts"].items() if c is not None}, doc)
        doc.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        from .lint import render_error_message

        raise TemplateProblem(render_error_message(template, exc)) from exc
    insert_tables(doc.docx, context["tables"], context["table_order"])
    overrides = overrides_of(workbook)
    paragraphs = number_bookmarks(doc.docx.element.body)
    stale = stale_figures(paragraphs, overrides)
    unknown = apply_overrides(doc.docx.element.body, overrides, paragraphs)
    refresh_toc(doc.docx, context["toc"])
    balance_headings(doc.docx)  # after the 目录 took the headings' text
    stamp_document(doc.docx)
    atomic_write(Path(target), lambda tmp: doc.save(str(tmp)))
    return [unknown_key_issue(o, [], profile.catalogue) for o in unknown] + \
        [stale_issue(s, profile) for s in stale]


def stale_issue(stale, profile: Profile) -> Issue:
    """Return the warning at a 文字调整 text cell that still states a figure the workbook no longer gives."""
    from ..address import Address

    at = Address.parse(stale.override.sheet, stale.override.text_cell or stale.override.cell)
    return profile.catalogue.issue("stale-figure", at, variant="" if stale.now else "gone", expected=stale.now,
                                   actual=stale.written, key=stale.override.key)


def macros_for(template: Path, profile: Profile) -> Path | None:
    """Return the macro file of a template: <stem>.macros.jinja beside it, else the profile's own."""
    beside = template.with_name(f"{template.stem}.macros.jinja")
    if beside.is_file():
        return beside
    return profile.macros_path


def overrides_of(workbook: Workbook) -> list[Override]:
    """Return the 文字调整 rows of the workbook as Overrides (rows without key, or without text unless 删除, skipped)."""
    found = []
    for record in workbook.lists.get("overrides", []):
        key, text, mode, original = (record.get(k) for k in ("key", "text", "mode", "original"))
        delete = bool(mode and mode.value == "删除")
        if key is None or key.blank or not delete and (text is None or text.blank):
            continue
        found.append(Override(key.value, text.value if text is not None and not text.blank else "",
                              append=bool(mode and mode.value == "追加"), sheet=key.sheet, cell=key.cell,
                              delete=delete, original=(original.value or "") if original is not None else "",
                              text_cell=text.cell if text is not None else ""))
    return found
