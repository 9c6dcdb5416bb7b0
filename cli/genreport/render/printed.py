"""Which input texts a template prints: the template decides which reasons and uses the checks ask for.

Every blank text input is replaced by a marker, the template's body is rendered with the workbook's own
figures, and the markers that come out are the fields this document would print. A reason the template
never prints (or prints only in a case that does not arise) is not asked for.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from ..model import Value, Workbook
from ..profile import Profile

TEXT_TYPES = ("text", "paragraphs")
_MARKER = re.compile(r"⟦([a-z_]+)\.(\d+)\.([a-z_]+)⟧")


def printed_fields(workbook: Workbook, profile: Profile, template: Path) -> set[tuple[str, int, str]] | None:
    """Return (input id, record index, field id) of the blank text fields template would print.

    Form fields have index 0. Returns None when the template cannot be rendered (then nothing is filtered).
    """
    from ..figures import compute_figures
    from . import jinja_env, macros_for
    from .cache import PreparedTemplate  # the template's XML prepared once, as for the report itself
    from .charts import bind_charts
    from .context import build_context
    from .macros import load_macros

    try:
        probe = _probe(workbook)
        context = build_context(probe, compute_figures(probe, profile), profile)
        context.update(load_macros(jinja_env(), macros_for(template, profile), context))
        doc = PreparedTemplate(str(template))
        doc.render_init()
        bind_charts({k: c for k, c in context["charts"].items() if c is not None}, doc)
        xml = doc.build_xml(context, jinja_env())
    except Exception:  # noqa: BLE001 - a template that cannot render these inputs tells nothing; generation reports it
        return None
    return {(m.group(1), int(m.group(2)), m.group(3)) for m in _MARKER.finditer(xml)}


def _probe(workbook: Workbook) -> Workbook:
    """Return a copy of workbook whose blank text inputs hold their markers."""
    probe = copy.copy(workbook)
    probe.forms = {key: dict(form) for key, form in workbook.forms.items()}
    probe.lists = {key: [dict(r) for r in records] for key, records in workbook.lists.items()}
    for spec in workbook.spec.inputs:
        texts = [f for f in spec.fields if f.type in TEXT_TYPES]
        records = [probe.forms.get(spec.id, {})] if spec.layout == "form" else probe.lists.get(spec.id, [])
        for index, record in enumerate(records):
            for field in texts:
                value = record.get(field.id)
                if value is not None and value.blank and not value.bad:
                    marker = f"⟦{spec.id}.{index}.{field.id}⟧"
                    record[field.id] = Value([marker] if field.type == "paragraphs" else marker, value.sheet, value.cell)
    return probe


class PrintedFields:
    """Asks, once and only when needed, which blank text fields the workbook's profile template prints."""

    def __init__(self, workbook: Workbook, profile: Profile, template: Path) -> None:
        self.workbook, self.profile, self.template = workbook, profile, template
        self._found: set[tuple[str, int, str]] | None = None
        self._asked = False

    def prints(self, input_id: str, field_id: str, index: int = 0) -> bool:
        """Return True when the template prints the field (also when that cannot be told)."""
        if not self._asked:
            self._asked = True
            self._found = self._compute()
        return self._found is None or (input_id, index, field_id) in self._found

    def _compute(self) -> set[tuple[str, int, str]] | None:
        return printed_fields(self.workbook, self.profile, self.template) if self.template.is_file() else None
