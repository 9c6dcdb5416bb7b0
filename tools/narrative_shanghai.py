"""The wording of the 上海区级 template (2024), as (style, text-with-Jinja[, paragraph key]) paragraphs.

Used only by build_template.py (`--profile shanghai-district`); the built template
templates/shanghai-district.docx is where editors change the wording. Patterns follow
shared/reference/narrative-patterns.md (Shanghai district style): 情况说明 一 to 十一, no 附件.
"""

from narrative import H1, H2, H3, P, _chart, _rate

COVER = [
    ("封面", ""), ("封面", ""), ("封面", ""),
    ("封面", "{{ dept_name }}"), ("封面", "{{ year }}年度{{ kind }}决算"),
    ("封面", ""), ("封面", ""), ("封面", ""), ("封面", ""), ("封面", ""),
    ("封面日期", "{{ compiled_on }}"),
]

PROFILE = [
    (H1, "第一部分 {{ kind }}概况"),
    (H2, "一、主要职能"),
    (P, "{%p for d in duties %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
    (H2, "二、{{ kind }}决算单位构成"),
    (P, "{%p for d in structure %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
    (P, "{%p for d in units %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
    ("@units_table", ""),
]

TABLES_HEADING = (H1, "第二部分 {{ year }}年度{{ kind }}决算表")

_YOY = (
    "{% if c %}与{{ year - 1 }}年度相比，{% if c.flat %}{{ what }}持平。{% else %}{{ what }}{{ c.verb }}"
    "{{ c.delta|wan }}万元{% if not c.zero_base %}，{{ c.trend }}{{ c.rate|pct }}{% endif %}。"
    "{% if reason %}主要原因：{{ reason|clause }}。{% endif %}{% endif %}{% endif %}"
)


def _yoy(subject: str, change: str, reason: str) -> str:
    """Return the Shanghai 与{Y-1}年度相比 sentence for a Change."""
    return f"{{% set c = {change} %}}{{% set reason = {reason} %}}{{% set what = '{subject}' %}}" + _YOY


def _budget_diff(completion: str, reason: str) -> str:
    """Return 决算数{大于|小于}预算数的主要原因：… (基本持平 when equal)."""
    return (f"{{% if {completion}.equal %}}决算数与预算数基本持平。{{% elif {reason} %}}"
            f"决算数{{{{ {completion}.comparison }}}}预算数的主要原因：{{{{ {reason}|clause }}}}。{{% endif %}}")


def _fund_section(key: str, name: str, number: str) -> list[tuple[str, ...]]:
    f = f"fig.{key}"
    return [
        (H2, f"{number}、{name}预算财政拨款收入支出决算情况说明"),
        (P, f"{{% if {f}.empty %}}{{{{ dept_name }}}}{{{{ year }}}}年度无{name}预算财政拨款收入和支出。{{% else %}}"
            f"{name}预算财政拨款收入{{{{ ({f}.income or 0)|wan }}}}万元，支出{{{{ {f}.actual|wan }}}}万元"
            f"{{% if {f}.details %}}，支出具体情况如下：{{% else %}}。{{% endif %}}{{% endif %}}", f"s{number}"),
        (P, f"{{%p for item in {f}.details %}}"),
        (P, "{{ loop.index }}、{{ item.path[0] }}（类）{{ item.path[1] }}（款）{{ item.path[2] }}（项）。"
            "{% if item.use %}主要用于：{{ item.use|clause }}。{% endif %}{% set k = item.completion %}"
            "{% if k %}年初预算为{{ k.budget|wan }}万元，支出决算为{{ k.actual|wan }}万元。"
            + _budget_diff("k", "item.reason") + "{% endif %}", f"s{number}.item"),
        (P, "{%p endfor %}"),
    ]


_SG = "fig.sangong"

NARRATIVE = [
    (H1, "第三部分 {{ year }}年度{{ kind }}决算情况说明"),
    (H2, "一、收入支出决算总体情况说明"),
    (P, "{{ dept_name }}{{ year }}年度收入支出总计{{ fig.overall.total|wan }}万元。"
        + _yoy("收入支出总计", "fig.overall.change", "fig.overall.reason"), "s1"),
    (H2, "二、收入决算情况说明"),
    (P, "本年收入合计{{ fig.income.total|wan }}万元{% for p in fig.income.parts %}"
        "{{ '，其中：' if loop.first else '；' }}{{ p.name }}{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。", "s2"),
    *_chart("income", "图1：收入决算结构图"),
    (H2, "三、支出决算情况说明"),
    (P, "本年支出合计{{ fig.expense.total|wan }}万元{% for p in fig.expense.parts %}"
        "{{ '，其中：' if loop.first else '；' }}{{ p.name }}{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。", "s3"),
    *_chart("expense", "图2：支出决算结构图"),
    (H2, "四、财政拨款收入支出决算总体情况说明"),
    (P, "{{ dept_name }}{{ year }}年度财政拨款收入支出总计{{ fig.fiscal.total|wan }}万元。"
        + _yoy("财政拨款收入支出总计", "fig.fiscal.change", "fig.fiscal.reason"), "s4"),
    (H2, "五、一般公共预算财政拨款支出决算情况说明"),
    (H3, "（一）一般公共预算财政拨款支出决算总体情况"),
    (P, "{{ dept_name }}{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元，"
        "占本年支出合计的{{ fig.general.share_of_expense|pct }}。"
        + _yoy("一般公共预算财政拨款支出", "fig.general.change", "fig.general.reason"), "s5.1"),
    (H3, "（二）一般公共预算财政拨款支出决算结构情况"),
    (P, "{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元"
        "{% for p in fig.general.classes %}{{ '，主要用于以下方面：' if loop.first else '；' }}"
        "{{ p.name }}支出（类）{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。", "s5.2"),
    *_chart("general", "图3：财政拨款支出决算结构图"),
    (H3, "（三）一般公共预算财政拨款支出决算具体情况"),
    (P, "{{ year }}年度一般公共预算财政拨款支出年初预算为{{ fig.general.completion.budget|wan }}万元，"
        "支出决算为{{ fig.general.total|wan }}万元" + _rate("fig.general.completion") + "。"
        + _budget_diff("fig.general.completion", "fig.general.budget_reason") + "其中：", "s5.3"),
    (P, "{%p for item in fig.general.details %}"),
    (P, "{{ loop.index }}、{{ item.path[0] }}（类）{{ item.path[1] }}（款）{{ item.path[2] }}（项）。"
        "{% if item.use %}主要用于：{{ item.use|clause }}。{% endif %}{% set k = item.completion %}"
        "{% if k %}年初预算为{{ k.budget|wan }}万元，支出决算为{{ k.actual|wan }}万元"
        "{% if not k.zero_budget %}，完成年初预算的{{ k.rate|pct }}{% endif %}。"
        + _budget_diff("k", "item.reason") + "{% else %}支出决算为{{ item.completion.actual|wan }}万元。{% endif %}",
     "s5.3.item"),
    (P, "{%p endfor %}"),
    (H2, "六、一般公共预算财政拨款基本支出决算情况说明"),
    (P, "{{ dept_name }}一般公共预算财政拨款基本支出{{ fig.basic.total|wan }}万元，其中："
        "人员经费{{ fig.basic.personnel_total.amount|wan }}万元"
        "{% if fig.basic.personnel_total.names %}，主要包括：{{ fig.basic.personnel_total.names|join_names }}{% endif %}；"
        "公用经费{{ fig.basic.public_total.amount|wan }}万元"
        "{% if fig.basic.public_total.names %}，主要包括：{{ fig.basic.public_total.names|join_names }}{% endif %}。", "s6"),
    (H2, "七、“三公”经费财政拨款支出决算情况说明"),
    (H3, "（一）“三公”经费财政拨款支出决算总体情况说明"),
    (P, f"{{% if {_SG}.none %}}{{{{ dept_name }}}}{{{{ year }}}}年度无“三公”经费财政拨款支出。{{% else %}}"
        f"“三公”经费财政拨款支出年初预算为{{{{ {_SG}.completion.budget|wan }}}}万元，支出决算为"
        f"{{{{ {_SG}.completion.actual|wan }}}}万元" + _rate(f"{_SG}.completion", "完成预算的") + "，其中："
        f"因公出国（境）费决算为{{{{ {_SG}.abroad.completion.actual|wan }}}}万元" + _rate(f"{_SG}.abroad.completion", "完成预算的") + "；"
        f"公务用车购置及运行维护费支出决算为{{{{ {_SG}.car.completion.actual|wan }}}}万元" + _rate(f"{_SG}.car.completion", "完成预算的") + "；"
        f"公务接待费支出决算为{{{{ {_SG}.reception.completion.actual|wan }}}}万元" + _rate(f"{_SG}.reception.completion", "完成预算的") + "。"
        f"{{% if not {_SG}.completion.equal and {_SG}.reason %}}{{{{ year }}}}年度“三公”经费支出决算数"
        f"{{{{ {_SG}.completion.comparison }}}}预算数的主要原因：{{{{ {_SG}.reason|clause }}}}。{{% endif %}}{{% endif %}}", "s7.1"),
    (P, f"{{%p if {_SG}.change and not {_SG}.none %}}"),
    (P, f"{{% set c = {_SG}.change %}}{{{{ year }}}}年度“三公”经费财政拨款支出决算数"
        "{% if c.flat %}与{{ year - 1 }}年度持平{% else %}比{{ year - 1 }}年度{{ c.verb }}{{ c.delta|wan }}万元"
        "{% if not c.zero_base %}，{{ c.trend }}{{ c.rate|pct }}{% endif %}{% endif %}"
        "{% for key, name in [('abroad', '因公出国（境）费'), ('car', '公务用车购置及运行维护费'), ('reception', '公务接待费')] %}"
        f"{{% set d = {_SG}[key].change %}}{{% if d %}}{{{{ '，其中：' if loop.first else '；' }}}}{{{{ name }}}}支出决算"
        "{% if d.flat %}持平{% else %}{{ d.verb }}{{ d.delta|wan }}万元{% if not d.zero_base %}，{{ d.trend }}{{ d.rate|pct }}{% endif %}{% endif %}"
        "{% endif %}{% endfor %}。"
        f"{{% if {_SG}.change_reason %}}主要原因：{{{{ {_SG}.change_reason|clause }}}}。{{% endif %}}"
        "{% for key, name in [('abroad', '因公出国（境）费'), ('car', '公务用车购置及运行维护费'), ('reception', '公务接待费')] %}"
        f"{{% set d = {_SG}[key] %}}{{% if d.change and not d.change.flat and d.change_reason %}}{{{{ name }}}}支出"
        "{{ d.change.verb }}的主要原因是{{ d.change_reason|clause }}。{% endif %}{% endfor %}", "s7.1.yoy"),
    (P, "{%p endif %}"),
    (H3, "（二）“三公”经费财政拨款支出决算具体情况说明"),
    (P, f"“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{{{{ {_SG}.abroad.completion.actual|wan }}}}万元"
        f"{{% if {_SG}.abroad.share is not none %}}，占{{{{ {_SG}.abroad.share|pct }}}}{{% endif %}}；"
        f"公务用车购置及运行维护费支出决算{{{{ {_SG}.car.completion.actual|wan }}}}万元"
        f"{{% if {_SG}.car.share is not none %}}，占{{{{ {_SG}.car.share|pct }}}}{{% endif %}}；"
        f"公务接待费支出决算{{{{ {_SG}.reception.completion.actual|wan }}}}万元"
        f"{{% if {_SG}.reception.share is not none %}}，占{{{{ {_SG}.reception.share|pct }}}}{{% endif %}}。具体情况如下：", "s7.2"),
    (P, f"1、因公出国（境）费支出{{{{ {_SG}.abroad.completion.actual|wan }}}}万元。"
        f"全年安排因公出国（境）团组{{{{ {_SG}.counts.abroad_groups }}}}个、累计{{{{ {_SG}.counts.abroad_people }}}}人次。", "s7.2.abroad"),
    (P, f"2、公务用车购置及运行维护费支出{{{{ {_SG}.car.completion.actual|wan }}}}万元。其中：公务用车购置支出为"
        f"{{{{ {_SG}.car_buy.completion.actual|wan }}}}万元，购置车辆{{{{ {_SG}.counts.cars_bought }}}}辆。"
        f"公务用车运行维护支出{{{{ {_SG}.car_run.completion.actual|wan }}}}万元"
        f"{{% if {_SG}.car_run_use %}}，主要用于{{{{ {_SG}.car_run_use|clause }}}}{{% endif %}}。"
        f"{{{{ year }}}}年，{{{{ dept_name }}}}所属各预算单位开支财政拨款的公务用车保有量为{{{{ {_SG}.counts.cars_held }}}}辆。", "s7.2.car"),
    (P, f"3、公务接待费支出{{{{ {_SG}.reception.completion.actual|wan }}}}万元。其中：国内公务接待支出"
        f"{{{{ {_SG}.reception.completion.actual|wan }}}}万元（含外宾接待支出{{{{ {_SG}.counts.foreign_reception_amount|wan }}}}万元）。"
        f"{{% if {_SG}.domestic_reception_use %}}主要用于{{{{ {_SG}.domestic_reception_use|clause }}}}，{{% endif %}}"
        f"公务接待{{{{ {_SG}.counts.domestic_groups + {_SG}.counts.foreign_groups }}}}批次、"
        f"{{{{ {_SG}.counts.domestic_people + {_SG}.counts.foreign_people }}}}人次，其中：接待外宾"
        f"{{{{ {_SG}.counts.foreign_groups }}}}批次、{{{{ {_SG}.counts.foreign_people }}}}人次。", "s7.2.reception"),
    *_fund_section("fund", "政府性基金", "八"),
    *_fund_section("soe", "国有资本经营", "九"),
    (H2, "十、预算绩效管理情况说明"),
    (P, "{% set f = fig.performance %}{{ dept_name }}{{ year }}年度预算绩效管理工作开展情况如下："
        "{% if f.text %}{{ f.text|clause }}。{% endif %}"
        "{% if f.count %}对{{ f.count }}个项目开展绩效自评，涉及资金{{ f.completion.budget|wan }}万元，"
        "平均得分{{ f.mean_score|score }}分（其中{% for g in f.grade_counts %}“{{ g.grade }}”{{ g.count }}个"
        "{{ '；' if not loop.last else '' }}{% endfor %}）。{% endif %}", "s10"),
    (H2, "十一、其他重要事项的情况说明"),
    (H3, "（一）机关运行经费支出情况"),
    (P, "{% set a = fig.agency %}{% if not a.amount %}{{ dept_name }}{{ year }}年度无机关运行经费支出。{% else %}"
        "{{ year }}年度{{ dept_name }}机关运行经费支出{{ a.amount|wan }}万元{% if a.change %}，"
        "{% if a.change.flat %}与{{ year - 1 }}年度持平。{% else %}比{{ year - 1 }}年度{{ a.change.verb }}"
        "{{ a.change.delta|wan }}万元{% if not a.change.zero_base %}，{{ a.change.trend }}{{ a.change.rate|pct }}{% endif %}。"
        "{% if a.reason %}主要原因：{{ a.reason|clause }}。{% endif %}{% endif %}{% else %}。{% endif %}{% endif %}", "s11.1"),
    (H3, "（二）政府采购支出情况"),
    (P, "{% set g = fig.procurement %}{% if not g.total %}{{ dept_name }}{{ year }}年度无政府采购支出。{% else %}"
        "{{ dept_name }}{{ year }}年度政府采购金额（以合同签订为准）为{{ g.total|wan }}万元，其中：货物采购金额"
        "{{ g.goods|wan }}万元、工程采购金额{{ g.works|wan }}万元、服务采购金额{{ g.services|wan }}万元。"
        "授予中小企业合同金额{{ g.sme|wan }}万元，占政府采购金额的{{ g.sme_share|pct }}"
        "{% if g.small_share is not none %}，其中：授予小微企业合同金额{{ g.small|wan }}万元，"
        "占授予中小企业合同金额的{{ g.small_share|pct }}{% endif %}。{% endif %}", "s11.2"),
    (H3, "（三）国有资产占有使用情况"),
    (P, "{% set v = fig.assets %}截至{{ year }}年12月31日，{{ dept_name }}共有车辆{{ v.vehicles_total }}辆，"
        "其中：部级领导干部用车{{ v.provincial_leader }}辆、主要领导干部用车{{ v.main_leader }}辆、"
        "机要通信用车{{ v.confidential }}辆、应急保障用车{{ v.emergency }}辆、执法执勤用车{{ v.law_enforcement }}辆、"
        "特种专业技术用车{{ v.special }}辆、离退休干部用车{{ v.retired }}辆、其他用车{{ v.other }}辆。"
        "单价100万元（含）以上设备（不含车辆）{{ v.equipment_over_1m }}台（套）。", "s11.3"),
]

GLOSSARY = [
    (H1, "第四部分 名词解释"),
    (P, "{%p for e in glossary %}"),
    (P, "{{ loop.index|cn_num }}、{{ e.term }}：{{ e.text }}"),
    (P, "{%p endfor %}"),
]

ATTACHMENT: list[tuple[str, ...]] = []
