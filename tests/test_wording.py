"""Wording rules: direction by sign, 持平 when equal, no rate on a zero base or zero budget."""

from decimal import Decimal as D

from genreport.profile import Conventions, load_profile
from genreport.comparisons import Change, Completion, grade, parts_of


def test_increase():
    change = Change(D("10394.91"), D("6804.64"))
    assert (change.direction, change.delta, change.rate) == ("up", D("3590.27"), D("52.76"))


def test_decrease():
    change = Change(D("50"), D("80"))
    assert (change.direction, change.delta, change.rate) == ("down", D("30.00"), D("37.50"))


def test_equal_is_flat_without_percentage_words():
    change = Change(D("73.24"), D("73.24"))
    assert change.flat and change.direction == "flat"


def test_equal_after_rounding_is_flat():
    assert Change(D("73.244"), D("73.236")).flat


def test_zero_base_has_no_rate():
    change = Change(D("3.00"), D("0"))
    assert change.zero_base and change.rate is None and change.direction == "up"


def test_completion_rate_and_comparison():
    done = Completion(D("411.02"), D("401.87"))
    assert done.rate == D("102.28") and done.direction == "up" and not done.equal
    assert Completion(D("2.10"), D("2.10")).equal


def test_zero_budget_has_no_completion_rate():
    done = Completion(D("3.00"), D("0"))
    assert done.zero_budget and done.rate is None


def test_zero_actual_on_positive_budget_is_zero_percent():
    assert Completion(D("0"), D("5")).rate == D("0.00")


def test_parts_drop_zero_amounts():
    parts = parts_of([("财政拨款收入", D("8637.14")), ("事业收入", D("0"))], D("8637.14"))
    assert [(p.name, p.share) for p in parts] == [("财政拨款收入", D("100.00"))]


def test_grades_include_lower_bound():
    central = Conventions().grades
    assert [grade(D(s), central) for s in ("90", "89.99", "80", "60", "59.99", "100")] == ["优", "良", "良", "中", "差", "优"]


def test_shanghai_grades_its_projects_with_its_own_scale():
    scale = load_profile("shanghai-district").conventions.grades
    assert [grade(D(s), scale) for s in ("95", "85", "60", "59.99")] == ["优", "良", "合格", "不合格"]
