"""genreport absorb: an editor's Word work flows back into the workbook, and survives a data fix.

The round trip, per profile: generate, edit as an editor would (three rewordings, one added paragraph, one
deleted, one table number changed, one word bolded), re-save (LibreOffice, or python-docx's split runs),
absorb, change a figure in the workbook, check and regenerate.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from absorb_support import (add_after, bold_a_word, change_first_number, keyed, open_document,
                            resave_with_libreoffice, reword, set_split)
from budget_support import BUDGET_SAMPLE
from genreport.api import absorb_edits, check_workbook, generate_report
from genreport.excel import write_workbook
from genreport.spec import load_spec
from shanghai_support import shanghai_data

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinxiang-2024" / "workbook.xlsx"
HAS_OFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Case:
    """One profile's round trip: the keys the editor touches and the figure the accountant fixes later."""

    reworded: tuple[str, str, str]
    added_after: str
    deleted: str
    bolded: str
    figure: tuple[str, str, str]
    """(sheet, label or old value, new value): the later data fix; it changes the first reworded paragraph."""


CASES = {
    "central": Case(("s1", "s2", "s5.1"), "s3", "s4", "s5.2", ("上年数", "上年收支总计", "6800.00")),
    "shanghai": Case(("s1", "s3", "s6"), "s2", "s7.2", "s5.2", ("上年数", "上年收支总计", "690.00")),
    "budget": Case(("s6.agency", "s4.reason", "s2.scope"), "s4.items", "s3.term.4", "s6.procurement",
                   ("", "229.43", "228.00")),
}


def _workbook(profile: str, folder: Path) -> Path:
    if profile == "shanghai":
        return write_workbook(folder / "工作簿.xlsx", load_spec("shanghai"), shanghai_data())
    return Path(shutil.copy(SAMPLE if profile == "central" else BUDGET_SAMPLE, folder / "工作簿.xlsx"))


def _edit(generated: Path, case: Case, target: Path) -> dict:
    document = open_document(generated)
    done = {"reworded": {}, "added": "这是编辑新加的一段说明，工作簿里没有。"}
    for key in case.reworded:
        paragraph = keyed(document, key)
        done["reworded"][key] = reword(paragraph.text)
        set_split(paragraph, done["reworded"][key])
    add_after(keyed(document, case.added_after), done["added"])
    gone = keyed(document, case.deleted)
    done["deleted"] = gone.text
    gone._p.getparent().remove(gone._p)
    done["bold"] = bold_a_word(keyed(document, case.bolded))
    done["table"] = change_first_number(document)
    document.save(str(target))
    return done


def _fix_figure(path: Path, sheet: str, label: str, value: str) -> None:
    """Change one figure as the accountant does: beside its label, or wherever the old number stands."""
    book = openpyxl.load_workbook(path)
    sheets = [book[sheet]] if sheet else book.worksheets
    for ws in sheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == label:
                    ws.cell(cell.row, cell.column + 1).value = float(value)
                    book.save(path)
                    return
                if not sheet and isinstance(cell.value, (int, float)) and Decimal(str(cell.value)) == Decimal(label):
                    cell.value = float(value)
                    book.save(path)
                    return
    raise AssertionError(f"{label} not found")


def _cell_value(path: Path, sheet: str, ref: str) -> Decimal:
    value = openpyxl.load_workbook(path, data_only=True)[sheet][ref].value
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _texts(path: Path) -> list[str]:
    return [p.text for p in open_document(path).paragraphs]


SAVES = ["python-docx", pytest.param("libreoffice", marks=[
    pytest.mark.slow, pytest.mark.skipif(not HAS_OFFICE, reason="LibreOffice (soffice) not installed")])]


@pytest.mark.parametrize("save", SAVES)
@pytest.mark.parametrize("profile", list(CASES))
def test_round_trip(profile, save, tmp_path):
    case = CASES[profile]
    source = _workbook(profile, tmp_path)
    untouched = source.read_bytes()
    generated = generate_report(source, tmp_path / "报告.docx").output
    done = _edit(generated, case, tmp_path / "编辑后.docx")
    edited = tmp_path / "编辑后.docx"
    if save == "libreoffice":
        edited = resave_with_libreoffice(edited, tmp_path / "office")

    absorbed = absorb_edits(edited, source)

    assert source.read_bytes() == untouched  # the input is never modified
    assert absorbed.output == source.with_name("工作簿.已吸收.xlsx") and absorbed.carried == 5
    by_code = {}
    for issue in absorbed.report.issues:
        by_code.setdefault(issue.code, []).append(issue)
    [table] = by_code["absorb-table-edit"]
    was, now = done["table"]
    assert _cell_value(source, table.sheet, table.cell) == Decimal(was.replace(",", ""))
    assert now in table.message and was in table.message
    [formats] = by_code["absorb-not-carried"]  # the bold word, and nothing the office suite did
    assert "加粗" in formats.message and done["bold"] in formats.message
    assert len(by_code["absorbed-edit"]) == 5

    workbook = absorbed.output
    sheet, label, value = case.figure
    _fix_figure(workbook, sheet, label, value)
    _, report = check_workbook(workbook)
    stale = [i for i in report.issues if i.code == "stale-figure"]
    assert stale and {i.message.split("段落 ")[1].split("）")[0] for i in stale} == {case.reworded[0]}
    assert all(i.sheet == "文字调整" for i in stale)

    regenerated = generate_report(workbook, tmp_path / "重新生成.docx").output
    texts = _texts(regenerated)
    for key, text in done["reworded"].items():
        assert text in texts, key
    added = texts.index(done["added"])
    assert texts[added - 1] == keyed(open_document(regenerated), case.added_after).text
    assert done["deleted"] not in texts


def _edited(tmp_path: Path, edit, name: str = "编辑后.docx") -> tuple[Path, Path]:
    """Return (the central sample's workbook, its report after edit(document)) in tmp_path."""
    source = _workbook("central", tmp_path)
    document = open_document(generate_report(source, tmp_path / "报告.docx").output)
    edit(document)
    document.save(str(tmp_path / name))
    return source, tmp_path / name


def _retyped(key: str, change):
    """Return an edit that retypes the paragraph at key as change(its text), in split runs."""
    def edit(document) -> None:
        paragraph = keyed(document, key)
        set_split(paragraph, change(paragraph.text))

    return edit


def test_the_stale_warning_names_the_old_and_the_new_figure(tmp_path):
    source, edited = _edited(tmp_path, _retyped("s1", lambda t: t.replace("主要原因是", "这主要是因为")))
    workbook = absorb_edits(edited, source).output
    _fix_figure(workbook, "上年数", "上年收支总计", "6800.00")
    stale = [i for i in check_workbook(workbook)[1].issues if i.code == "stale-figure"]
    assert [(i.sheet, i.cell) for i in stale] == [("文字调整", "C3")] * 2
    assert "中写的 3,590.27万元，现在算出来是 3,594.91万元" in stale[0].message
    assert "52.76%" in stale[1].message and "52.87%" in stale[1].message


def test_nothing_changed_but_quotes_and_spaces_absorbs_nothing(tmp_path):
    def edit(document) -> None:
        _retyped("s1", lambda t: t.replace("，", "， ").replace("。", "。\u3000"))(document)
        keyed(document, "s2").runs[0].text = keyed(document, "s2").runs[0].text.replace("：", "：\u00a0")
        assert "“三公”" in keyed(document, "s9.1").text
        _retyped("s9.1", lambda t: t.replace("“", '"').replace("”", '"'))(document)  # quote settings differ

    source, edited = _edited(tmp_path, edit)
    absorbed = absorb_edits(edited, source)
    assert absorbed.output is None and absorbed.carried == 0
    assert not source.with_name("工作簿.已吸收.xlsx").exists()


def test_a_bookmark_moved_out_of_its_paragraph_still_keys_it(tmp_path):
    def edit(document) -> None:
        paragraph = keyed(document, "s2")
        paragraph._p.addprevious(next(paragraph._p.iter(f"{W}bookmarkStart")))  # as Word keeps a whole-paragraph one
        set_split(paragraph, "收入情况改写为编辑的说法。")

    source, edited = _edited(tmp_path, edit)
    rows = openpyxl.load_workbook(absorb_edits(edited, source).output)["文字调整"]
    assert [c.value for c in rows[3][:3]] == ["s2", "替换", "收入情况改写为编辑的说法。"]


def test_tracked_changes_are_refused(tmp_path):
    from genreport.errors import GenreportError

    def edit(document) -> None:
        run = keyed(document, "s1").runs[0]._r
        insert = run.makeelement(f"{W}ins", {f"{W}id": "1", f"{W}author": "编辑"})
        run.addprevious(insert)
        insert.append(run)

    source, edited = _edited(tmp_path, edit)
    with pytest.raises(GenreportError, match="未处理的修订.*接受"):
        absorb_edits(edited, source)


def test_in_place_keeps_a_backup_and_a_second_round_updates_the_same_rows(tmp_path):
    def edit(document) -> None:
        set_split(keyed(document, "s1"), "第一轮改写。")
        add_after(keyed(document, "s1"), "第一轮新加。")

    source, edited = _edited(tmp_path, edit)
    first = absorb_edits(edited, source, in_place=True)
    assert first.output == source and first.backup is not None and first.backup.exists()
    document = open_document(generate_report(source, tmp_path / "第二轮.docx").output)
    set_split(next(p for p in document.paragraphs if p.text == "第一轮新加。"), "第二轮改了新加的段。")
    set_split(keyed(document, "s1"), "第二轮改写。")
    document.save(str(tmp_path / "第二轮编辑.docx"))
    second = absorb_edits(tmp_path / "第二轮编辑.docx", source, tmp_path / "结果.xlsx")
    sheet = openpyxl.load_workbook(second.output)["文字调整"]
    rows = [[c.value for c in row[:4]] for row in sheet.iter_rows(min_row=3) if row[0].value]
    assert [r[:3] for r in rows] == [["s1", "替换", "第二轮改写。"], ["s1", "追加", "第二轮改了新加的段。"]]
    assert rows[0][3].startswith("2024年度收、支总计均为10,394.91万元")  # as the template words it, not round one


def test_the_command_prints_the_list(tmp_path, capsys):
    from genreport.commands import main

    def edit(document) -> None:
        set_split(keyed(document, "s1"), "命令行改写。")
        last = document.paragraphs[-1]
        document.add_comment(last.runs or [last.add_run("末段")], text="请核对")

    source, edited = _edited(tmp_path, edit)
    with pytest.raises(SystemExit) as exit_info:
        main(["absorb", str(edited), str(source)])
    out = capsys.readouterr().out
    assert exit_info.value.code in (0, None)
    assert "文字调整!A3" in out and "s1" in out and "批注没有吸收" in out and "工作簿.已吸收.xlsx" in out


def test_a_workbook_changed_since_the_document_was_generated_is_said(tmp_path):
    source, edited = _edited(tmp_path, _retyped("s2", lambda t: "收入情况改写。"))
    _fix_figure(source, "上年数", "上年收支总计", "6800.00")
    absorbed = absorb_edits(edited, source)
    notes = [i.message for i in absorbed.report.issues if i.code == "absorb-not-carried"]
    assert any("生成这份文档之后改过" in n for n in notes)
    assert absorbed.carried == 1  # s1's new figures are the workbook's, not an edit


def test_a_document_that_is_no_docx_is_one_sentence(tmp_path):
    from genreport.errors import GenreportError

    source = _workbook("central", tmp_path)
    (tmp_path / "坏.docx").write_bytes(b"not a zip")
    with pytest.raises(GenreportError, match="不是有效的 Word"):
        absorb_edits(tmp_path / "坏.docx", source)


def test_the_workbook_beside_the_document_is_used_and_an_existing_copy_is_never_replaced(tmp_path):
    from genreport.errors import GenreportError, OutputError

    source, edited = _edited(tmp_path, _retyped("s1", lambda t: "省略工作簿时的改写。"))
    first = absorb_edits(edited)
    assert first.output == source.with_name("工作簿.已吸收.xlsx")
    before = first.output.read_bytes()
    with pytest.raises(OutputError, match="已存在"):
        absorb_edits(edited, source)
    assert first.output.read_bytes() == before
    shutil.copy(source, tmp_path / "另一份.xlsx")
    with pytest.raises(GenreportError, match="有 2 个工作簿"):
        absorb_edits(edited)


def test_a_paragraph_whose_only_change_is_a_number_is_listed_not_absorbed(tmp_path):
    source, edited = _edited(tmp_path, _retyped("s2", lambda t: t.replace("8,637.14", "8,637.41", 1)))
    absorbed = absorb_edits(edited, source)
    assert absorbed.carried == 0 and absorbed.output is None
    [note] = [i.message for i in absorbed.report.issues if i.code == "absorb-not-carried"]
    assert "文档写 8,637.41、工作簿算出 8,637.14" in note and "请在工作簿中修改" in note


def test_edits_outside_the_keyed_paragraphs_are_listed_with_where_they_are(tmp_path):
    def edit(document) -> None:
        heading = next(p for p in document.paragraphs if p.text == "一、收入支出决算总体情况说明")
        set_split(heading, "一、收支总体情况")

    source, edited = _edited(tmp_path, edit)
    absorbed = absorb_edits(edited, source)
    assert absorbed.carried == 0
    [note] = [i.message for i in absorbed.report.issues if i.code == "absorb-not-carried"]
    assert "一、收入支出决算总体情况说明" in note and "一、收支总体情况" in note and "不是可调整的段落" in note


def test_a_document_unpacking_beyond_the_limit_is_refused_unread(tmp_path, monkeypatch):
    import zipfile

    from genreport.errors import GenreportError
    from genreport.render import docread

    monkeypatch.setattr(docread, "MAX_UNZIPPED_BYTES", 1024 * 1024)  # the real limit is 200 MB
    source = _workbook("central", tmp_path)
    with zipfile.ZipFile(tmp_path / "炸弹.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(GenreportError, match="不像是一份报告文档"):
        absorb_edits(tmp_path / "炸弹.docx", source)


def test_a_font_change_is_listed_not_carried(tmp_path):
    from docx.shared import Pt

    def edit(document) -> None:
        bold_a_word(keyed(document, "s2"))
        run = keyed(document, "s2").runs[1]
        run.bold, run.font.size, run.font.name = False, Pt(16), "楷体"

    source, edited = _edited(tmp_path, edit)
    [note] = [i.message for i in absorb_edits(edited, source).report.issues if i.code == "absorb-not-carried"]
    assert "字号16磅" in note and "字体楷体" in note
