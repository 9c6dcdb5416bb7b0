"""The check catalogue: each check is a function (workbook) -> iterable of Issues, registered by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..issues import Issue
from ..model import Workbook

Check = Callable[[Workbook], Iterable[Issue]]
REGISTRY: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Return a decorator that adds a check to the catalogue under name."""

    def add(check: Check) -> Check:
        REGISTRY[name] = check
        return check

    return add


def run_checks(workbook: Workbook) -> list[Issue]:
    """Return the issues of every registered check, in registration order."""
    _load_catalogue()
    issues: list[Issue] = []
    for check in REGISTRY.values():
        issues.extend(check(workbook))
    return issues


def _load_catalogue() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
