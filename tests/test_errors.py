"""GenreportError: one sentence for the command line, the files it names as fields for any other presenter."""

from __future__ import annotations

import pickle
from pathlib import Path

from genreport.errors import GenreportError, OutputError, UnreadableWorkbook


def test_an_error_shows_the_real_paths_and_renders_with_a_presenters_names():
    error = OutputError.of("写入“{file}”失败（{reason}），请另选文件夹。", file=Path("/srv/r-1/out/甲.docx"),
                           reason="磁盘空间不足")
    assert str(error) == "写入“/srv/r-1/out/甲.docx”失败（磁盘空间不足），请另选文件夹。"
    assert error.text() == str(error)
    assert error.text({"/srv/r-1/out/甲.docx": "甲.docx"}) == "写入“甲.docx”失败（磁盘空间不足），请另选文件夹。"


def test_a_path_that_is_a_prefix_of_another_is_named_on_its_own():
    """Fields are named by the whole path, so /srv/in/wb-1.xlsx never touches /srv/in/wb-1.xlsx.bak (or the folder)."""
    error = GenreportError.of("“{first}”与“{second}”在“{folder}”中重复。", first=Path("/srv/in/wb-1.xlsx"),
                              second=Path("/srv/in/wb-1.xlsx.bak"), folder=Path("/srv/in"))
    names = {"/srv/in/wb-1.xlsx": "甲.xlsx", "/srv/in/wb-1.xlsx.bak": "甲（备份）.xlsx", "/srv/in": "上传"}
    assert error.text(names) == "“甲.xlsx”与“甲（备份）.xlsx”在“上传”中重复。"
    assert error.text({"/srv/in/wb-1.xlsx": "甲.xlsx"}) == "“甲.xlsx”与“/srv/in/wb-1.xlsx.bak”在“/srv/in”中重复。"


def test_a_finished_sentence_is_kept_as_it_is_braces_and_all():
    error = GenreportError("公式 {a} 写错了：C:\\报表\\甲.xlsx")
    assert str(error) == error.text({"C:\\报表\\甲.xlsx": "甲.xlsx"}) == "公式 {a} 写错了：C:\\报表\\甲.xlsx"


def test_an_error_crosses_a_process_boundary_with_its_fields():
    error = UnreadableWorkbook.of("{name} 已损坏（{kind}）。", name=Path("wb-0001.xlsx"), kind="BadZipFile")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is UnreadableWorkbook and str(copy) == "wb-0001.xlsx 已损坏（BadZipFile）。"
    assert copy.text({"wb-0001.xlsx": "报表.xlsx"}) == "报表.xlsx 已损坏（BadZipFile）。"


def test_a_batch_failure_keeps_the_errors_fields(tmp_path):
    """The batch's workbook-failed finding takes an error's template and fields, not its finished sentence."""
    from genreport.batch.worker import failure

    source = tmp_path / "in" / "wb-1.xlsx"
    error = UnreadableWorkbook.of("找不到文件“{file}”，请检查文件名和所在文件夹。", file=source)
    issue = failure(error, source)
    assert issue.message == str(error)
    assert issue.text({str(source): "各部门/甲.xlsx"}) == "找不到文件“各部门/甲.xlsx”，请检查文件名和所在文件夹。"
