"""The built wheel works outside the repo: templates and specs are bundled, init and generation run."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Return the bin/ folder of a fresh venv holding only the built genreport wheel.

    The dependencies come from the interpreter running the tests (a venv or the system one): its site-packages are
    listed in a .pth file, so the new venv sees them but not the checkout (the editable install's own .pth is not
    processed there).
    """
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(work / "dist"), str(ROOT)], check=True)
    wheel = next((work / "dist").glob("genreport-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    purelib = subprocess.run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "_host_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True)
    return bin_dir


def _run(bin_dir: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GENREPORT_TEMPLATE")}
    return subprocess.run([str(bin_dir / "genreport"), *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_bundles_templates_and_specs(installed, tmp_path):
    code = ("import genreport.resources as r; print(r.templates_dir()); print(r.specs_dir()); "
            "import genreport; print(genreport.__file__)")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert all("_bundled" in line for line in out[:2])
    assert str(ROOT) not in out[2]


def test_installed_init_and_generate_outside_the_repo(installed, tmp_path):
    sample = tmp_path / "样例.xlsx"
    shutil.copy(ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx", sample)
    init = _run(installed, ["init", "-o", "空白.xlsx"], tmp_path)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "空白.xlsx").stat().st_size > 10_000
    generated = _run(installed, [str(sample), "-o", "out"], tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (tmp_path / "out" / "新乡市行政审批和政务信息管理局2024年度部门决算.docx").exists()


def test_installed_template_keys_lists_the_paragraph_keys(installed, tmp_path):
    listed = _run(installed, ["template", "keys"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "s5.3.item.3" in listed.stdout and "2024年度收、支总计" in listed.stdout


def test_installed_user_adds_a_profile_with_data_only(installed, tmp_path):
    """From the wheel: export a profile, rename it and change a convention in its YAML, generate with the folder."""
    export = _run(installed, ["template", "export", "新样式"], tmp_path)
    assert export.returncode == 0, export.stdout + export.stderr
    profile = next((tmp_path / "新样式" / "workbook_specs" / "profiles").glob("*.yaml"))
    text = profile.read_text(encoding="utf-8").replace("id: central", "id: demo-city").replace(
        "text_thousands: true", "text_thousands: false")
    profile.write_text(text, encoding="utf-8")
    sample = tmp_path / "样例.xlsx"
    shutil.copy(ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx", sample)
    generated = _run(installed, [str(sample), "--template", "新样式", "-o", "out"], tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    from docx import Document

    document = Document(str(next((tmp_path / "out").glob("*.docx"))))
    assert "收、支总计均为10394.91万元" in "".join(p.text for p in document.paragraphs)


def test_wheel_bundles_the_web_page_assets(installed, tmp_path):
    code = ("from importlib.resources import files; web = files('genreport') / 'web'; "
            "print(all((web / p).is_file() for p in ('static/app.js', 'static/style.css', 'templates/index.html', "
            "'templates/report.html', 'templates/issues.html', 'templates/batch.html'))); print(web)")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "True" and str(ROOT) not in out[1]


def test_installed_profile_prints_a_per_row_comparison_without_arithmetic_in_jinja(installed, tmp_path):
    """From the wheel and data files only: a 项 list with last year's execution and its rate of change."""
    import copy

    import yaml
    from docx import Document

    from genreport.excel import write_workbook
    from genreport.spec import load_spec

    export = _run(installed, ["template", "export", "逐项比较"], tmp_path)
    assert export.returncode == 0, export.stdout + export.stderr
    folder = tmp_path / "逐项比较"
    spec_file = folder / "workbook_specs" / "standard.yaml"
    data = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    data["inputs"].append({
        "id": "prior_items", "sheet": "上年项级支出", "layout": "list", "title": "上年各项支出决算（万元）",
        "optional": True, "columns": [{"id": "code", "header": "科目编码", "type": "text", "required": True},
                                      {"id": "amount", "header": "上年决算数", "type": "money"}]})
    data["figures"]["item_changes"] = {
        "rows": "t05", "level": 3, "join": {"list": "prior_items", "key": "code"},
        "each": {"name": "row.name", "actual": "row.total", "prior": "row.amount",
                 "change": "change(row.total, row.amount)"}}
    spec_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    template = folder / "report.docx"
    doc = Document(str(template))
    anchor = next(p for p in doc.paragraphs if "年度收、支总计均为" in p.text)
    lines = ["{%p for d in fig.item_changes if d.change %}",
             "{{ d.name }}：{{ d.actual|wan }}万元，上年{{ d.prior|wan }}万元，"
             "{{ d.change|sign('增长', '下降', '持平') }}{{ d.change.rate|pct }}。",
             "{%p endfor %}"]
    for text in reversed(lines):
        new = copy.deepcopy(anchor._p)
        anchor._p.addnext(new)
        for run in new.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")[1:]:
            new.remove(run)
        runs = new.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
        runs[0].text = text
    doc.save(str(template))

    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import SEED_DATA, sample_data

    plain = sample_data(yaml.safe_load(SEED_DATA.read_text(encoding="utf-8")))
    item = next(r for r in plain["tables"]["t05"]["rows"] if len(r["code"]) == 7 and r["total"])
    plain["lists"]["prior_items"] = [{"code": item["code"], "amount": "100.00"}]
    workbook = write_workbook(tmp_path / "工作簿.xlsx", load_spec(str(spec_file)), plain)
    generated = _run(installed, [str(workbook), "--template", "逐项比较", "-o", "out"], tmp_path)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    text = "\n".join(p.text for p in Document(str(next((tmp_path / "out").glob("*.docx")))).paragraphs)
    from decimal import ROUND_HALF_UP, Decimal

    actual = Decimal(item["total"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    rate = (abs(actual - 100) * 100 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    word = "增长" if actual > 100 else "下降"
    assert f"{item['name']}：{actual:,}万元，上年100.00万元，{word}{rate}%。" in text
