"""The sample workbook reads cleanly and generates a document."""

from genreport.api import check_workbook, generate_report


def test_sample_reads_without_reading_issues(sample_path):
    workbook, report = check_workbook(sample_path)
    assert [i for i in report.issues if i.severity == "error"] == []
    assert workbook.dept_name == "新乡市行政审批和政务信息管理局"


def test_sample_generates(sample_path, tmp_path):
    result = generate_report(sample_path, tmp_path)
    assert result.output is not None and result.output.exists()
    assert result.output.name == "新乡市行政审批和政务信息管理局2024年度部门决算.docx"


def test_make_workbook_builds_a_modified_copy(make_workbook):
    from decimal import Decimal

    def change(data):
        data["forms"]["profile"]["dept_name"] = "测试部门"
        data["tables"]["t05"]["rows"][0]["total"] = Decimal("1.00")

    workbook, _ = check_workbook(make_workbook(change))
    assert workbook.dept_name == "测试部门"
    assert workbook.tables["t05"].rows[0].get("total").value == Decimal("1.00")
