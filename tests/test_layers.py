"""The package's import graph: no cycle anywhere, and every import looks down the layers architecture.md lists.

The graph is read from the source (every `import`, at module level or inside a function, except under
`if TYPE_CHECKING:`), so a lazy import that would close a cycle counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cli" / "genreport"

#: Layers from the bottom up; a module may import only from its own layer or below. Longest prefix wins.
LAYERS = [
    ("base", ["_version", "errors", "sentence", "address", "amounts", "units", "atomic", "oserrors", "filenames",
              "visible", "private", "resources", "yamlfile", "contentcache", "specschema", "collector",
              "office_worker", "officepipes"]),
    ("load", ["spec", "expression", "references", "rules", "figlang", "issues", "catalogue", "report", "profile"]),
    ("model", ["model", "tablecells", "comparisons", "selfeval_records", "selfeval", "plausible", "operands",
               "carryover", "merge", "merge_inputs", "publication.document"]),
    ("read", ["excel"]),
    ("check", ["checks", "mismatch"]),
    ("figures", ["figspec", "figures"]),
    ("render", ["render", "office", "pdf", "fonts", "publication"]),
    ("pipeline", ["pipeline"]),
    ("verbs", ["api", "absorb", "batch", "publication.audit", "publication.folder", "pool"]),
    ("presenters", ["commands", "web", "docbuild", "__main__", ""]),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST):
    """Yield every node except those under `if TYPE_CHECKING:` (imports for annotations only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _targets(module: str, path: Path) -> set[str]:
    """Return the package modules module imports (a name imported from a package counts as its submodule)."""
    parts = module.split(".") if module else []
    package = parts if path.name == "__init__.py" else parts[:-1]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name.removeprefix("genreport").lstrip(".") for a in node.names if a.name.startswith("genreport")]
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("genreport")):
            if node.level:
                base = package[: len(package) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else [])).lstrip(".")
            else:
                origin = node.module.removeprefix("genreport").lstrip(".")
            names = [f"{origin}.{a.name}".lstrip(".") if f"{origin}.{a.name}".lstrip(".") in MODULES else origin
                     for a in node.names]
        else:
            continue
        found |= {name for name in names if name != module}
    return found


GRAPH = {module: _targets(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> int:
    best, layer = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or (prefix and module.startswith(prefix + "."))
            if matches and len(prefix) > best:
                best, layer = len(prefix), index
    assert layer is not None, f"{module} is in no layer: add it to LAYERS (and to architecture.md)"
    return layer


def test_every_module_has_a_layer():
    for module in MODULES:
        _layer(module)


def test_imports_only_look_down():
    upward = sorted(f"{m} ({LAYERS[_layer(m)][0]}) → {t} ({LAYERS[_layer(t)][0]})"
                    for m, targets in GRAPH.items() for t in targets if _layer(t) > _layer(m))
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    cycles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                cycles.append(" → ".join(trail[trail.index(target):] + [module, target]) if target in trail
                              else f"{module} → {target}")
            elif target not in state:
                visit(target, [*trail, module])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [])
    assert not cycles, "\n".join(cycles)


def test_presenters_import_only_the_verbs():
    """The commands and the web page call verbs (api, batch, …); they reach no stage below the verbs (the base
    layer's helpers, such as errors and private temporary folders, are no stage)."""
    verbs = [name for name, _ in LAYERS].index("verbs")
    below = sorted(f"{m} → {t}" for m, targets in GRAPH.items() if m.split(".")[0] in ("commands", "web")
                   for t in targets if 0 < _layer(t) < verbs)
    assert not below, "\n".join(below)


def test_the_graph_sees_lazy_and_relative_imports():
    """The reader of the graph is itself tested: a function-level relative import is an edge."""
    assert "checks" in GRAPH["checks.sums"]
    assert "pipeline" in GRAPH["api"]
