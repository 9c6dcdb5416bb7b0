"""The check catalogue: each check is a function (workbook) -> iterable of Issues, registered by name.

A check that asks only for the inputs the report prints registers with `printed=True` and is also handed the
`Printed` the orchestrator made (which blank text fields the template prints); checks never render anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from ..issues import Issue
from ..model import Workbook

Check = Callable[..., Iterable[Issue]]
REGISTRY: dict[str, tuple[Check, bool]] = {}


class Printed(Protocol):
    """Which blank text inputs the report prints (render/printed.py computes it, when first asked)."""

    def prints(self, input_id: str, field_id: str, index: int = 0) -> bool: ...


class EveryField:
    """Printed when the template is not known: every field counts as printed (every missing reason is asked for)."""

    def prints(self, input_id: str, field_id: str, index: int = 0) -> bool:
        return True


def register(name: str, *, printed: bool = False) -> Callable[[Check], Check]:
    """Return a decorator that adds a check to the catalogue under name (printed: it is also handed a Printed)."""

    def add(check: Check) -> Check:
        REGISTRY[name] = (check, printed)
        return check

    return add


def run_checks(workbook: Workbook, printed: Printed | None = None) -> list[Issue]:
    """Return the issues of every registered check, in registration order.

    printed tells which blank text inputs the report prints (default: all of them).
    """
    _load_catalogue()
    printed = printed or EveryField()
    issues: list[Issue] = []
    for check, wants_printed in REGISTRY.values():
        issues.extend(check(workbook, printed) if wants_printed else check(workbook))
    return issues


def _load_catalogue() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
