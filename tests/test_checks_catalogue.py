"""The catalogue is the one list of codes: complete, in sync with docs/校验规则.md, and every rule resolves."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from checks_support import seed_model, shanghai_model

from genreport.catalogue import catalogue_for, load_catalogue
from genreport.checks.compare import Identity, evaluate
from genreport.docbuild.checks import render_doc
from genreport.expression import expand, parse
from genreport.checks.identities import row_identities, rule_identities
from genreport.operands import COUNT, Operand
from genreport.errors import SpecError
from genreport.model import Value
from genreport.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cli" / "genreport"
EMITTED = re.compile(r"""(?:\badd|\bIssue|\.issue)\(\s*["']([a-z0-9-]+)["']""")


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_for(load_spec("standard"))


def test_doc_is_generated_from_the_catalogue(catalogue):
    doc = (ROOT / "docs" / "校验规则.md").read_text(encoding="utf-8")
    assert doc == render_doc(catalogue), "run: python -m genreport.docbuild.checks"


def test_every_code_in_the_source_is_catalogued(catalogue):
    emitted = {code for path in PACKAGE.rglob("*.py") for code in EMITTED.findall(path.read_text(encoding="utf-8"))}
    assert "not-a-number" in emitted and "h-parent" in emitted
    assert emitted - set(catalogue.entries) == set()


def test_every_rule_code_is_catalogued(catalogue):
    codes = [r["code"] for section in ("identities", "rows", "implications", "empty_pairs")
             for r in catalogue.section(section)]
    codes += list(catalogue.section("hierarchy")["footers"].values()) + catalogue.section("sangong")["sums"]
    assert set(codes) - set(catalogue.entries) == set()


def test_codes_are_kebab_case_and_titles_chinese(catalogue):
    for entry in catalogue.entries.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.code), entry.code
        assert re.search(r"[\u4e00-\u9fff]", entry.title), entry.code
        assert entry.group in catalogue.groups


def test_every_identity_resolves_on_the_seed(catalogue):
    """A typo in checks.yaml would make a rule silently skip; on the full seed every expansion must resolve."""
    workbook, shanghai = seed_model(), shanghai_model()
    for rule in catalogue.section("identities"):
        resolved = [len(list(rule_identities(rule, wb))) == len(expand(rule["expr"], rule.get("each"), wb))
                    for wb in (workbook, shanghai)]
        assert any(resolved), rule["expr"]
    for rule in catalogue.section("rows"):
        if workbook.tables[rule["table"]].rows or rule["table"] == "t04":
            assert list(row_identities(rule, workbook)), rule["expr"]


@pytest.mark.parametrize("text, message", [
    ("t01.income_sum.amount = t01.x-y", "无法识别"),
    ("a.b = c.d = e.f", "一个比较符"),
])
def test_bad_expression_names_the_problem(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_parse_terms_signs_and_patterns():
    expr = parse("t04.carry_out.fund = t04.carry_in_fund.amount + t04.fund.amount - t04[2*].fund - 2.5")
    assert expr.op == "="
    assert [(s, r.kind, r.owner, r.key, r.column) for s, r in expr.rhs[:3]] == [
        (1, "line", "t04", "carry_in_fund", "amount"), (1, "line", "t04", "fund", "amount"),
        (-1, "row", "t04", "2*", "fund")]
    assert expr.rhs[3][1].number == Decimal("2.5") and expr.rhs[3][0] == -1


def _money(text):
    return Operand(Value(None if text is None else Decimal(text), "公开05表", "C1"), "x")


@pytest.mark.parametrize("parent, children, outcome", [
    ("1.00", ["0.50", "0.50"], None),
    ("1.01", ["0.50", "0.50"], "rounding-difference"),          # 3 terms: envelope 0.015
    ("1.02", ["0.50", "0.50"], "h-kuan"),
    ("1.02", ["0.34", "0.34", "0.33"], "rounding-difference"),  # 4 terms: envelope 0.02
    ("1.03", ["0.34", "0.34", "0.33"], "rounding-difference"),  # diff 0.02 = envelope
    ("1.04", ["0.34", "0.34", "0.33"], "h-kuan"),               # diff 0.03 > envelope
    ("1.01", ["1.00", None, None], "rounding-difference"),      # blanks are exact: envelope 0.01
    ("1.02", ["1.00", None, None], "h-kuan"),
    (None, ["1.00"], "total-blank"),
    (None, [None, "0.00"], None),
])
def test_envelope(catalogue, parent, children, outcome):
    identity = Identity("h-kuan", "=", [_money(parent)], [_money(c) for c in children])
    issue = evaluate(identity, catalogue)
    assert (issue.code if issue else None) == outcome
    if issue and outcome == "rounding-difference":
        assert issue.severity == "info" and issue.check == "h-kuan"


def test_counts_are_exact(catalogue):
    count = lambda n: Operand(Value(n, "国有资产", "B3"), "车辆", kind=COUNT, source="input")  # noqa: E731
    assert evaluate(Identity("vehicles-sum", "=", [count(2)], [count(1), count(1)]), catalogue) is None
    issue = evaluate(Identity("vehicles-sum", "=", [count(3)], [count(1), count(1)]), catalogue)
    assert issue.code == "vehicles-sum" and issue.message.endswith("（差 1）")


def test_inequalities(catalogue):
    part, whole = _money("2.11"), _money("2.10")
    assert evaluate(Identity("s-econ-carrun", "<=", [part], [whole]), catalogue).code == "rounding-difference"
    assert evaluate(Identity("s-econ-carrun", "<=", [_money("2.00")], [whole]), catalogue) is None
    broken = evaluate(Identity("s-econ-carrun", "<=", [_money("3.10")], [whole]), catalogue)
    assert (broken.code, broken.severity) == ("s-econ-carrun", "warning")
    assert "超过" in broken.message


def test_catalogue_rejects_bad_severity(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("catalogue:\n  - {code: a-b, group: T, severity: fatal, title: 标题}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"catalogue\[0\]\.severity 的值 'fatal' 不是可用的取值（可用：error、info、warning）"):
        load_catalogue(path)


def test_a_finding_names_files_as_the_presenter_shows_them(catalogue):
    """An Issue renders its sentence when presented; its file path fields show as the presenter's names map says."""
    from genreport.address import Address

    sentence = "找不到文件“/srv/x/wb-1.xlsx”，wb-1.xlsx 不是 {工作簿}"
    issue = catalogue.issue("workbook-failed", Address(), sentence, file=Path("/srv/x/wb-1.xlsx"),
                            name=Path("wb-1.xlsx"))
    assert issue.message == sentence and issue.to_dict()["message"] == sentence
    shown = issue.text({"/srv/x/wb-1.xlsx": "各部门/甲.xlsx", "wb-1.xlsx": "甲.xlsx"})
    assert shown == "找不到文件“各部门/甲.xlsx”，甲.xlsx 不是 {工作簿}"
    copy = issue.renamed({Path("/srv/x/wb-1.xlsx"): Path("/srv/x/wb-2.xlsx"), Path("wb-1.xlsx"): Path("wb-2.xlsx")})
    assert copy.message == "找不到文件“/srv/x/wb-2.xlsx”，wb-2.xlsx 不是 {工作簿}"
