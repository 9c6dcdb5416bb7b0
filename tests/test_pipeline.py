"""The pipeline's rules: commands import only the verbs (api, batch), severities come from the catalogue, one order, one read."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from genreport.batch import worker as batch_worker
from genreport.commands import cli

PACKAGE = Path(__file__).resolve().parent.parent / "cli" / "genreport"


def _imports(path: Path) -> list[str]:
    """Return the genreport modules a file imports, as dotted names relative to the package ("api", "excel"…)."""
    found = []
    folder = path.parent.relative_to(PACKAGE).parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(folder[: len(folder) - node.level + 1])
            module = ".".join(base + (node.module.split(".") if node.module else []))
            if node.module or not base:  # `from .. import __version__` names the package itself: ""
                found.append(module)
            else:
                found += [".".join(base + [a.name]) for a in node.names]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [n.removeprefix("genreport.") for n in names if n.startswith("genreport")]
    return found


def test_commands_import_no_format_library():
    """The commands read and write no workbook or document themselves (test_layers.py: they call only verbs)."""
    offenders = {}
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        third = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        third += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level and n.module]
        outside = [m for m in third if m.split(".")[0] in ("openpyxl", "docx", "docxtpl", "yaml", "jinja2")]
        if outside:
            offenders[path.name] = outside
    assert offenders == {}


def test_render_and_figures_load_nothing():
    """Render and figures are handed ready data: they import no YAML loader and no excel module."""
    files = [*(PACKAGE / "render").glob("*.py"), PACKAGE / "figures.py", PACKAGE / "selfeval_records.py"]
    offenders = {}
    for path in files:
        names = _imports(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level and n.module]
        bad = [m for m in names if m.split(".")[0] in ("yaml", "yamlfile", "excel", "openpyxl")]
        if bad:
            offenders[path.name] = bad
    assert offenders == {}
    assert len(files) > 5


def test_only_yamlfile_parses_yaml():
    users = [p.name for p in PACKAGE.rglob("*.py") if "yaml" in [
        a.name for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Import)
        for a in n.names]]
    assert users == ["yamlfile.py"]


def test_imports_are_read_relative_to_the_package():
    assert "api" in _imports(PACKAGE / "commands" / "check.py")
    assert "catalogue" in _imports(PACKAGE / "excel" / "read.py")


def _calls(path: Path) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)]


def test_every_severity_comes_from_the_catalogue():
    """Only issues.py builds an Issue (in Catalogue.issue, from the entry); nobody passes a severity."""
    built, forced = [], []
    for path in PACKAGE.rglob("*.py"):
        for call in _calls(path):
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            if name == "Issue" and path.name != "issues.py":
                built.append(f"{path.name}:{call.lineno}")
            if any(k.arg == "severity" for k in call.keywords):
                forced.append(f"{path.name}:{call.lineno}")
    assert built == [] and forced == []


def _two_sheets(data):
    """An error on the cover sheet (first in the workbook) and one in 公开05表 (sorting before it by name)."""
    data["forms"]["profile"]["compiled_on"] = None
    next(r for r in data["tables"]["t05"]["rows"] if r["code"] == "201")["basic"] = Decimal("985.28")


def test_check_and_generate_list_problems_in_the_same_order(make_workbook, tmp_path):
    path = make_workbook(_two_sheets, name="两张表有错.xlsx")
    checked = CliRunner().invoke(cli, ["check", str(path), "--no-info"])
    generated = CliRunner().invoke(cli, [str(path), "-o", str(tmp_path / "out.docx")])
    assert checked.exit_code == generated.exit_code == 1
    listing = checked.output.strip()
    assert listing.index("【错误】封面概况") < listing.index("【错误】公开05表")
    assert generated.output.startswith(listing), generated.output


def test_skip_existing_reads_each_workbook_once(make_workbook, tmp_path, monkeypatch):
    from genreport.excel import guard

    loads = []
    original = guard.load  # every full load of a workbook goes through guard.load
    monkeypatch.setattr(guard, "load", lambda path, *a, **k: loads.append(path) or original(path, *a, **k))
    source = make_workbook(name="一次.xlsx")
    outdir, staging = tmp_path / "out", tmp_path / "staging"
    outdir.mkdir()
    staging.mkdir()
    outcome = batch_worker.process_one(str(source), str(staging), 0, str(outdir), False, None, True, False, False)
    assert outcome.staged and outcome.status == "ok", outcome
    assert len(loads) == 1
    outcome.target.write_bytes(outcome.staged.read_bytes())
    again = batch_worker.process_one(str(source), str(staging), 1, str(outdir), False, None, True, False, False)
    assert again.status == "skipped" and len(loads) == 2


def _issue_calls() -> list[tuple[str, ast.Call]]:
    """Return (file, call) for every reader.add("code", …) / catalogue.issue("code", …) with a literal code."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for call in _calls(path):
            name = getattr(call.func, "attr", "")
            if name in ("add", "issue") and call.args and isinstance(call.args[0], ast.Constant) \
                    and isinstance(call.args[0].value, str) and "-" in call.args[0].value:
                found.append((path.name, call))
    return found


def test_every_message_template_gets_its_fields():
    """A template in checks.yaml names only fields its callers pass; each variant asked for exists."""
    import string

    from genreport.catalogue import catalogue_for
    from genreport.spec import load_spec

    catalogue = catalogue_for(load_spec())
    problems = []
    for name, call in _issue_calls():
        code = call.args[0].value
        keywords = {k.arg: k.value for k in call.keywords}
        variant = keywords.get("variant")
        variants = [variant.value] if isinstance(variant, ast.Constant) else (
            [variant.body.value, variant.orelse.value] if isinstance(variant, ast.IfExp) else [""])
        given = set(keywords) | {"expected", "actual", "sheet", "cell", "row"}
        templates = catalogue.entry(code).messages
        for each in variants:
            if each not in templates:
                if templates and each:
                    problems.append(f"{name}:{call.lineno} {code} has no variant {each!r}")
                continue
            wanted = {field for _, field, _, _ in string.Formatter().parse(templates[each]) if field}
            if wanted - given:
                problems.append(f"{name}:{call.lineno} {code} lacks {sorted(wanted - given)}")
    assert problems == []
    assert len(_issue_calls()) > 40


def test_reading_message_with_a_code_field(sample_path, tmp_path):
    """The econ missing-line message passes code= as a field (the constructor's own first argument is `code`)."""
    import openpyxl

    from genreport.api import check_workbook

    book = openpyxl.load_workbook(sample_path)
    book["公开06表"].cell(row=11, column=1).value = None
    book.save(tmp_path / "少一行.xlsx")
    _, report = check_workbook(tmp_path / "少一行.xlsx")
    missing = [i for i in report.issues if i.code == "missing-line"]
    assert missing and missing[0].message.startswith("找不到经济分类科目 ") and missing[0].sheet == "公开06表"
