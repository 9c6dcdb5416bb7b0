"""The only docxtpl / python-docx importer: render the report template once, with autoescape on."""

from __future__ import annotations

from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import GenreportError
from ..files import atomic_write
from ..model import Workbook
from .charts import bind_charts
from .context import build_context
from .filters import FILTERS


class TemplateProblem(GenreportError):
    """The Word template is broken (syntax error, unknown variable)."""


def jinja_env() -> SandboxedEnvironment:
    """Return the sandboxed, autoescaping, strict environment every render uses."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def render_report(workbook: Workbook, template: Path, target: Path) -> Path:
    """Render template with the workbook's context into target (atomically) and return target."""
    from docxtpl import DocxTemplate

    if not Path(template).is_file():
        raise TemplateProblem(f"找不到 Word 模板：{template}")
    context = build_context(workbook)
    try:
        doc = DocxTemplate(str(template))
        bind_charts(context["charts"], doc)
        doc.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise TemplateProblem(f"Word 模板 {Path(template).name} 有误：{exc}") from exc
    return atomic_write(Path(target), lambda tmp: doc.save(str(tmp)))
