"""The wording of the default template (河南/中央样式), as (style, text-with-Jinja) paragraphs.

Used only by build_template.py; after building, the wording lives in templates/report.docx where
editors change it in Word. Tags: {%p … %} makes a whole paragraph conditional or repeated.
"""

H1, H2, H3, P = "Heading 1", "Heading 2", "Heading 3", "Normal"

COVER = [
    ("封面", ""), ("封面", ""), ("封面", ""),
    ("封面", "{{ dept_name }}"), ("封面", "{{ year }}年度{{ kind }}决算"),
    ("封面", ""), ("封面", ""), ("封面", ""), ("封面", ""), ("封面", ""),
    ("封面日期", "{{ compiled_on }}"),
]


def _chart(name: str, caption: str) -> list[tuple[str, str]]:
    """Return the paragraphs of one structure chart and its caption (dropped when the chart has no data)."""
    return [(P, f"{{%p if charts.{name} %}}"), ("图", f"{{{{ charts.{name} }}}}"), ("图题", caption),
            (P, "{%p endif %}")]


PROFILE = [
    (H1, "第一部分 {{ dept_name }}概况"),
    (H2, "一、部门职责"),
    (P, "{%p for d in duties %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
    (H2, "二、机构设置"),
    (P, "{%p for d in structure %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
    (P, "{%p for d in units %}"), (P, "{{ d }}"), (P, "{%p endfor %}"),
]

_CHANGE = (
    "{% if c.flat %}{{ what }}持平。{% else %}{{ what }}{{ each }}{{ c.verb }}{{ c.delta|wan }}万元"
    "{% if c.zero_base %}（上年无此项）{% else %}，{{ c.trend }}{{ c.rate|pct }}{% endif %}。"
    "{% if reason %}主要原因是{{ reason|clause }}。{% endif %}{% endif %}"
)


def _change(subject: str, change: str, reason: str, each: str = "各") -> str:
    """Return the 与上年度相比 clause for a Change, wording chosen by its sign."""
    return (
        f"{{% set c = {change} %}}{{% set reason = {reason} %}}{{% set what = '{subject}' %}}{{% set each = '{each}' %}}"
        f"{{% if c %}}与上年度相比，{_CHANGE}{{% endif %}}"
    )


def _rate(completion: str, words: str = "完成年初预算的") -> str:
    """Return "，完成年初预算的90.13%" unless the budget is 0."""
    return f"{{% if not {completion}.zero_budget %}}，{words}{{{{ {completion}.rate|pct }}}}{{% endif %}}"


def _diff(completion: str, reason: str, budget_word: str = "预算数") -> str:
    """Return the 决算数与预算数 sentence: 无差异 when equal, else the reason when one is given."""
    return (
        f"{{% if {completion}.equal %}}决算数与{budget_word}无差异。"
        f"{{% elif {reason} %}}决算数与{budget_word}存在差异的主要原因是{{{{ {reason}|clause }}}}。{{% endif %}}"
    )


_S = "fig.sangong"

NARRATIVE = [
    (H1, "第三部分 {{ year }}年度部门决算情况说明"),
    (H2, "一、收入支出决算总体情况说明"),
    (P, "{{ year }}年度收、支总计均为{{ fig.overall.total|wan }}万元。"
        + _change("收、支总计", "fig.overall.change", "fig.overall.reason")),
    (H2, "二、收入决算情况说明"),
    (P, "{{ year }}年度收入合计{{ fig.income.total|wan }}万元{% for p in fig.income.parts %}"
        "{{ '，其中：' if loop.first else '；' }}{{ p.name }}{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。"),
    *_chart("income", "图1：收入决算结构图"),
    (H2, "三、支出决算情况说明"),
    (P, "{{ year }}年度支出合计{{ fig.expense.total|wan }}万元{% for p in fig.expense.parts %}"
        "{{ '，其中：' if loop.first else '；' }}{{ p.name }}{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。"),
    *_chart("expense", "图2：支出决算结构图"),
    (H2, "四、财政拨款收入支出决算总体情况说明"),
    (P, "{{ year }}年度财政拨款收、支总计均为{{ fig.fiscal.total|wan }}万元。"
        + _change("财政拨款收、支总计", "fig.fiscal.change", "fig.fiscal.reason")),
    (H2, "五、一般公共预算财政拨款支出决算情况说明"),
    (H3, "（一）总体情况。"),
    (P, "{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元，"
        "占支出合计的{{ fig.general.share_of_expense|pct }}。"
        + _change("一般公共预算财政拨款支出", "fig.general.change", "fig.general.reason", each="")),
    (H3, "（二）结构情况。"),
    (P, "{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元"
        "{% for p in fig.general.classes %}{{ '，主要用于以下方面：' if loop.first else '；' }}"
        "{{ p.name }}（类）支出{{ p.amount|wan }}万元，占{{ p.share|pct }}{% endfor %}。"),
    *_chart("general", "图3：财政拨款支出决算结构图"),
    (H3, "（三）具体情况。"),
    (P, "{{ year }}年度一般公共预算财政拨款支出年初预算为{{ fig.general.completion.budget|wan }}万元，"
        "支出决算为{{ fig.general.total|wan }}万元" + _rate("fig.general.completion") + "。"
        "{% if fig.general.budget_reason %}决算数与年初预算数存在差异的主要原因是"
        "{{ fig.general.budget_reason|clause }}。{% endif %}其中："),
    (P, "{%p for item in fig.general.details %}"),
    (P, "{{ loop.index }}. {{ item.path[0] }}（类）{{ item.path[1] }}（款）{{ item.path[2] }}（项）。"
        "{% set k = item.completion %}{% if k %}年初预算为{{ k.budget|wan }}万元，支出决算为{{ k.actual|wan }}万元"
        "{% if k.zero_budget %}，{% else %}，完成年初预算的{{ k.rate|pct }}。{% endif %}"
        "{% if k.equal %}决算数与年初预算数无差异。{% elif item.reason %}决算数与年初预算数存在差异的主要原因是"
        "{{ item.reason|clause }}。{% elif k.zero_budget %}。{% endif %}"
        "{% else %}支出决算为{{ k.actual|wan }}万元。{% endif %}"),
    (P, "{%p endfor %}"),
    (H2, "六、一般公共预算财政拨款基本支出决算情况说明"),
    (P, "{{ year }}年度一般公共预算财政拨款基本支出{{ fig.basic.total|wan }}万元。"
        "其中：人员经费{{ fig.basic.personnel_total.amount|wan }}万元"
        "{% if fig.basic.personnel_total.names %}，主要包括：{{ fig.basic.personnel_total.names|join_names }}{% endif %}；"
        "公用经费{{ fig.basic.public_total.amount|wan }}万元"
        "{% if fig.basic.public_total.names %}，主要包括：{{ fig.basic.public_total.names|join_names }}{% endif %}。"),
    (H2, "七、政府性基金预算财政拨款支出决算情况说明"),
    (P, "{% if fig.fund.empty %}{{ org_self }}{{ year }}年度没有政府性基金预算财政拨款收入，"
        "也没有使用政府性基金预算财政拨款安排的支出。{% else %}"
        "{{ year }}年度政府性基金预算财政拨款支出年初预算为{{ fig.fund.completion.budget|wan }}万元，"
        "支出决算为{{ fig.fund.actual|wan }}万元" + _rate("fig.fund.completion") + "。"
        "{% if fig.fund.note %}主要用于：{{ fig.fund.note|clause }}。{% endif %}{% endif %}"),
    (H2, "八、国有资本经营预算财政拨款支出决算情况说明"),
    (P, "{% if fig.soe.empty %}{{ year }}年度国有资本经营预算财政拨款支出年初预算为"
        "{{ fig.soe.completion.budget|wan }}万元，支出决算为0万元。{{ org_self }}{{ year }}年度没有国有资本经营收入，"
        "也没有使用国有资本经营安排的支出。{% else %}{{ year }}年度国有资本经营预算财政拨款支出年初预算为"
        "{{ fig.soe.completion.budget|wan }}万元，支出决算为{{ fig.soe.actual|wan }}万元"
        + _rate("fig.soe.completion") + "。{% if fig.soe.note %}{{ fig.soe.note|clause }}。{% endif %}{% endif %}"),
    (H2, "九、一般公共预算财政拨款“三公”经费支出决算情况说明"),
    (H3, "（一）一般公共预算财政拨款“三公”经费支出决算总体情况说明。"),
    (P, "{% if fig.sangong.none %}{{ org_self }}{{ year }}年度无一般公共预算财政拨款“三公”经费支出。{% else %}"
        "{{ year }}年度一般公共预算财政拨款“三公”经费支出预算为{{ fig.sangong.completion.budget|wan }}万元，"
        "支出决算为{{ fig.sangong.completion.actual|wan }}万元" + _rate("fig.sangong.completion", "完成预算的") + "。"
        "{% if not fig.sangong.completion.equal and fig.sangong.reason %}{{ year }}年度一般公共预算财政拨款“三公”经费"
        "支出决算数与预算数存在差异的主要原因是{{ fig.sangong.reason|clause }}。{% endif %}{% endif %}"),
    (H3, "（二）一般公共预算财政拨款“三公”经费支出决算具体情况说明。"),
    (P, "{{ year }}年度一般公共预算财政拨款“三公”经费支出决算中，"
        "因公出国（境）费支出决算{{ fig.sangong.abroad.completion.actual|wan }}万元"
        + _rate("fig.sangong.abroad.completion", "完成预算的")
        + "{% if fig.sangong.abroad.share is not none %}，占{{ fig.sangong.abroad.share|pct }}{% endif %}；"
        "公务用车购置及运行费支出决算{{ fig.sangong.car.completion.actual|wan }}万元"
        + _rate("fig.sangong.car.completion", "完成预算的")
        + "{% if fig.sangong.car.share is not none %}，占{{ fig.sangong.car.share|pct }}{% endif %}；"
        "公务接待费支出决算{{ fig.sangong.reception.completion.actual|wan }}万元"
        + _rate("fig.sangong.reception.completion", "完成预算的")
        + "{% if fig.sangong.reception.share is not none %}，占{{ fig.sangong.reception.share|pct }}{% endif %}。"
        "具体情况如下："),
    (P, "1. 因公出国（境）费预算为{{ fig.sangong.abroad.completion.budget|wan }}万元，"
        "支出决算为{{ fig.sangong.abroad.completion.actual|wan }}万元"
        + _rate("fig.sangong.abroad.completion", "完成预算的") + "。"
        + _diff("fig.sangong.abroad.completion", "fig.sangong.abroad.reason")
        + "全年因公出国（境）团组{{ fig.sangong.counts.abroad_groups }}个，累计{{ fig.sangong.counts.abroad_people }}人次。"),
    (P, "2. 公务用车购置及运行费预算为{{ fig.sangong.car.completion.budget|wan }}万元，"
        "支出决算为{{ fig.sangong.car.completion.actual|wan }}万元"
        + _rate("fig.sangong.car.completion", "完成预算的") + "。"
        + _diff("fig.sangong.car.completion", "fig.sangong.car.reason") + "其中："),
    (P, "公务用车购置支出{{ fig.sangong.car_buy.completion.actual|wan }}万元，"
        "购置车辆{{ fig.sangong.counts.cars_bought }}台。"),
    (P, "公务用车运行维护支出{{ fig.sangong.car_run.completion.actual|wan }}万元。"
        "{% if fig.sangong.car_run_use %}主要用于{{ fig.sangong.car_run_use|clause }}。{% endif %}"
        "{{ year }}年期末，部门开支财政拨款的公务用车保有量为{{ fig.sangong.counts.cars_held }}辆。"),
    (P, "3. 公务接待费预算为{{ fig.sangong.reception.completion.budget|wan }}万元，"
        "支出决算为{{ fig.sangong.reception.completion.actual|wan }}万元"
        + _rate("fig.sangong.reception.completion", "完成预算的") + "。"
        + _diff("fig.sangong.reception.completion", "fig.sangong.reception.reason") + "其中："),
    (P, "外宾接待支出{{ fig.sangong.counts.foreign_reception_amount|wan }}万元。"
        "{{ year }}年共接待国（境）外来访团组{{ fig.sangong.counts.foreign_groups }}个、"
        "来访外宾{{ fig.sangong.counts.foreign_people }}人次（不包括陪同人员）。"),
    (P, "其他国内公务接待支出{{ fig.sangong.counts.domestic_reception_amount|wan }}万元。"
        "{% if fig.sangong.domestic_reception_use %}主要用于{{ fig.sangong.domestic_reception_use|clause }}。{% endif %}"
        "{{ year }}年共接待国内来访团组{{ fig.sangong.counts.domestic_groups }}个、"
        "来宾{{ fig.sangong.counts.domestic_people }}人次（不包括陪同人员）。"),
    (H2, "十、机关运行经费支出情况说明"),
    (P, "{% set a = fig.agency %}{% if not a.amount %}{{ org_self }}{{ year }}年度无机关运行经费支出。"
        "{% else %}{{ year }}年度机关运行经费支出{{ a.amount|wan }}万元{% if a.change %}，"
        "{% if a.change.flat %}与{{ year - 1 }}年度持平。{% else %}比{{ year - 1 }}年度{{ a.change.verb }}"
        "{{ a.change.delta|wan }}万元{% if not a.change.zero_base %}，{{ a.change.trend }}{{ a.change.rate|pct }}{% endif %}。"
        "{% if a.reason %}主要原因是{{ a.reason|clause }}。{% endif %}{% endif %}{% else %}。{% endif %}{% endif %}"),
    (H2, "十一、政府采购支出情况说明"),
    (P, "{% set g = fig.procurement %}{% if not g.total %}{{ org_self }}{{ year }}年度无政府采购支出。{% else %}"
        "{{ year }}年度政府采购支出总额{{ g.total|wan }}万元，其中：政府采购货物支出{{ g.goods|wan }}万元、"
        "政府采购工程支出{{ g.works|wan }}万元、政府采购服务支出{{ g.services|wan }}万元。"
        "授予中小企业合同金额{{ g.sme|wan }}万元，占政府采购支出总额的{{ g.sme_share|pct }}"
        "{% if g.small_share is not none %}，其中：授予小微企业合同金额{{ g.small|wan }}万元，"
        "占授予中小企业合同金额的{{ g.small_share|pct }}{% endif %}。{% endif %}"),
    (H2, "十二、国有资产占用情况说明"),
    (P, "{% set v = fig.assets %}{{ year }}年期末，{{ org_self }}共有车辆{{ v.vehicles_total }}辆，"
        "其中：省级领导干部用车{{ v.provincial_leader }}辆、主要领导干部用车{{ v.main_leader }}辆、"
        "机要通信用车{{ v.confidential }}辆、应急保障车{{ v.emergency }}辆、执法执勤用车{{ v.law_enforcement }}辆、"
        "特种专业技术用车{{ v.special }}辆、离退休干部用车{{ v.retired }}辆、其他用车{{ v.other }}辆；"
        "单位价值100万元（含）以上设备{{ v.equipment_over_1m }}台（套）。"),
    (H2, "十三、预算绩效情况说明"),
    (H3, "（一）绩效评价工作开展情况"),
    (P, "{% set f = fig.performance %}根据预算绩效管理要求，本{{ kind }}对{{ year }}年度一般公共预算项目支出"
        "全面开展绩效自评，其中，项目{{ f.general.count }}个，共涉及资金{{ f.general.executed|wan }}万元"
        "{% if f.general.share is not none %}，占一般公共预算项目支出总额的{{ f.general.share|pct }}{% endif %}。"
        "{% if f.fund.count %}组织对{{ year }}年度{{ f.fund.names|join_names }}{{ f.fund.count }}个政府性基金预算项目"
        "开展绩效自评，共涉及资金{{ f.fund.executed|wan }}万元{% if f.fund.share is not none %}，"
        "占政府性基金预算项目支出总额的{{ f.fund.share|pct }}{% endif %}。{% endif %}"
        "{% if f.soe.count %}组织对{{ year }}年度{{ f.soe.names|join_names }}{{ f.soe.count }}个国有资本经营预算项目"
        "开展绩效自评，共涉及资金{{ f.soe.executed|wan }}万元{% if f.soe.share is not none %}，"
        "占国有资本经营预算项目支出总额的{{ f.soe.share|pct }}{% endif %}。"
        "{% else %}{{ year }}年度本{{ kind }}无国有资本经营预算项目。{% endif %}"),
    (P, "{%p if fig.performance.count %}"),
    (P, "{% set f = fig.performance %}组织对{{ f.org.dept_eval_projects_text or '' }}{{ f.count }}个项目开展了部门评价，"
        "涉及一般公共预算支出{{ f.general.executed|wan }}万元，政府性基金预算支出{{ f.fund.executed|wan }}万元，"
        "国有资本经营预算支出{{ f.soe.executed|wan }}万元。从评价情况来看，{{ year }}年度{{ org_self }}所有项目均纳入"
        "绩效自评，全年安排项目{{ f.count }}个，项目全年预算资金总额{{ f.completion.budget|wan }}万元，"
        "全年实际执行总数为{{ f.completion.actual|wan }}万元"
        "{% if not f.completion.zero_budget %}，预算执行率为{{ f.completion.rate|pct }}{% endif %}。"
        "根据相关规定，绩效评价结果实行百分制和四级分类，分别是：90（含）-100分为优、80（含）-90分为良、"
        "60（含）-80分为中、60分以下为差。参与此次绩效自评的项目中，{% for g in f.grade_counts %}"
        "等级{{ g.grade }}{{ g.count }}个{{ '，' if not loop.last else '' }}{% endfor %}，"
        "最终项目自评平均得分为{{ f.mean_score|score }}分，评价结果为{{ f.mean_grade }}。"),
    (P, "{%p endif %}"),
    (P, "{%p if fig.performance.org.org_score is not none %}"),
    (P, "{% set o = fig.performance.org %}组织对{{ dept_name }}{{ o.org_units }}个单位开展整体支出绩效评价，"
        "涉及一般公共预算支出{{ o.org_general|wan }}万元，政府性基金预算支出{{ o.org_fund|wan }}万元。"
        "从评价情况来看，{{ org_self }}{{ year }}年年初预算资金{{ o.org_initial_budget|wan }}万元；经年中调整，"
        "增加预算资金{{ o.org_adjustment|wan }}万元；全年预算资金总额{{ o.org_full_budget|wan }}万元。"
        "全年实际执行数为{{ o.org_executed|wan }}万元"
        "{% if not fig.performance.org_completion.zero_budget %}，预算执行率为"
        "{{ fig.performance.org_completion.rate|pct }}{% endif %}。依据自评指标体系，通过对预算执行情况、投入管理指标、"
        "产出指标、效益指标进行全面综合评价，{{ year }}年度{{ org_self }}整体自评得分为{{ o.org_score|score }}分，"
        "评价等级为“{{ fig.performance.org_grade }}”。其中，预算执行情况得分{{ o.score_execution|score }}分；"
        "投入管理指标得分{{ o.score_input|score }}分，产出指标得分{{ o.score_output|score }}分，"
        "效益指标得分{{ o.score_effect|score }}分。"),
    (P, "{%p endif %}"),
    (H3, "（二）项目绩效自评结果"),
    (P, "{%p for p in fig.performance.projects %}"),
    (P, "{{ p.name }}项目绩效自评情况：根据年初设定的绩效目标，项目绩效自评得分为{{ p.score|score }}分。"
        "项目全年预算数为{{ p.completion.budget|wan }}万元，执行数为{{ p.completion.actual|wan }}万元"
        "{% if not p.completion.zero_budget %}，完成预算的{{ p.completion.rate|pct }}{% endif %}。"
        "{% if p.achieved %}项目绩效目标完成情况：{{ p.achieved|clause }}。{% endif %}"
        "{% if p.problems %}发现的主要问题及原因：{{ p.problems|clause }}。{% endif %}"
        "{% if p.measures %}下一步改进措施：{{ p.measures|clause }}。{% endif %}"),
    (P, "{%p endfor %}"),
    (P, "{{ year }}年度《项目支出绩效自评表》详见“第五部分 附件”。"),
    (H3, "（三）部门评价结果"),
    (P, "{{ year }}年度{{ org_self }}项目支出绩效评价报告详见“第五部分 附件”。"),
]

#: Paragraph keys for wording overrides (文字调整): the start of a paragraph's text → its key.
_KEYS = {
    '{{ year }}年度收、支总计均为{': 's1',
    '{{ year }}年度收入合计{{ f': 's2',
    '{{ year }}年度支出合计{{ f': 's3',
    '{{ year }}年度财政拨款收、支总': 's4',
    '{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元，占支出合计的': 's5.1',
    '{{ year }}年度一般公共预算财政拨款支出{{ fig.general.total|wan }}万元{% for ': 's5.2',
    '{{ year }}年度一般公共预算财政拨款支出年初预算为{': 's5.3',
    '{{ loop.index }}. {{': 's5.3.item',
    '{{ year }}年度一般公共预算财政拨款基本支出{{ f': 's6',
    '{% if fig.fund.empty': 's7',
    '{% if fig.soe.empty ': 's8',
    '{% if fig.sangong.no': 's9.1',
    '{{ year }}年度一般公共预算财政拨款“三公”经费支出': 's9.2',
    '1. 因公出国（境）费预算为{{ fig': 's9.2.abroad',
    '2. 公务用车购置及运行费预算为{{ f': 's9.2.car',
    '公务用车购置支出{{ fig.sango': 's9.2.carbuy',
    '公务用车运行维护支出{{ fig.san': 's9.2.carrun',
    '3. 公务接待费预算为{{ fig.sa': 's9.2.reception',
    '外宾接待支出{{ fig.sangong': 's9.2.foreign',
    '其他国内公务接待支出{{ fig.san': 's9.2.domestic',
    '{% set a = fig.agenc': 's10',
    '{% set g = fig.procu': 's11',
    '{% set v = fig.asset': 's12',
    '{% set f = fig.performance %}根': 's13.1',
    '{% set f = fig.performance %}组': 's13.1.dept',
    '{% set o = fig.perfo': 's13.1.org',
    '{{ p.name }}项目绩效自评情况': 's13.2.project',
    '{{ year }}年度《项目支出绩效自': 's13.2.note',
    '{{ year }}年度{{ org_s': 's13.3',
}


def _keyed(item: tuple[str, ...]) -> tuple[str, ...]:
    key = next((k for prefix, k in _KEYS.items() if item[1].startswith(prefix)), None)
    return (*item[:2], key) if key and len(item) == 2 else item


NARRATIVE = [_keyed(item) for item in NARRATIVE]


GLOSSARY = [
    (H1, "第四部分 名词解释"),
    (P, "{%p for e in glossary %}"),
    (P, "{{ loop.index|cn_num }}、{{ e.term }}：{{ e.text }}"),
    (P, "{%p endfor %}"),
]

ATTACHMENT = [
    (H1, "第五部分 附件"),
    ("表名", "{{ year }}年度项目支出绩效自评结果汇总表"),
    ("@attachment_table", ""),
    ("表注", "注：执行率 = 全年执行数 ÷ 全年预算数；等级按90（含）以上为优、80（含）—90为良、60（含）—80为中、60以下为差。"),
    (P, "{%p for e in fig.self_evals %}"),
    ("附件标题", "项目支出绩效自评表"),
    ("表注", "（{{ year }}年度）"),
    ("@self_evaluation_table", ""),
    (P, "{%p endfor %}"),
    (P, "{%p for e in fig.self_evals if e.report %}"),
    ("附件标题", "财政项目支出绩效自评报告"),
    (P, "项目名称：{{ e.project }}"),
    (P, "项目单位：{{ e.implementer }}"),
    (P, "主管部门：{{ e.department }}"),
    (P, "{{ e.date }}"),
    (H3, "一、项目基本情况"),
    (H3, "（一）项目概况"),
    (P, "{{ e.overview }}"),
    (H3, "（二）项目预算安排及使用情况"),
    ("表注", "表1-2-1 年度预算安排及使用情况统计表（单位：万元）"),
    ("@report_funds_table", ""),
    (H3, "（三）资金管理情况"),
    ("表注", "表1-2-2 资金管理情况表"),
    ("@report_management_table", ""),
    (H3, "（四）项目绩效目标"),
    (P, "1. 项目年度绩效目标"),
    (P, "{{ e.goal }}"),
    (P, "2. 项目年度绩效目标完成情况"),
    (P, "{{ e.achieved }}"),
    (H3, "二、总体评价结论和指标分析"),
    (H3, "（一）总体评价结论"),
    (P, "综合考虑资金管理、产出、效果、满意度等各方面因素，通过数据采集及分析，最终评分结果：{{ e.project }}"
        "绩效自评价结果为：总得分{{ e.total_score|score }}分，属于“{{ e.grade }}”。"),
    (H3, "（二）指标分析"),
    (P, "{%p for g in e.groups %}"),
    (P, "{{ loop.index }}. {{ g.name }}"),
    (P, "{%p for sg in g.subgroups %}"),
    (P, "（{{ loop.index }}）{{ sg.name }}"),
    (P, "{%p for i in sg.entries %}"),
    (P, "{{ i.level3 }}指标值{{ i.target or '' }}，完成值{{ i.actual or '' }}，分值{{ i.weight|score }}分，"
        "得分{{ i.score|score }}分{% if i.deviation %}，扣分原因为：{{ i.deviation|clause }}{% endif %}"
        "{{ '。' if loop.last else '；' }}"),
    (P, "{%p endfor %}"),
    (P, "{%p endfor %}"),
    (P, "{%p endfor %}"),
    (H3, "三、存在的问题和建议"),
    (H3, "（一）存在的问题"),
    (P, "{{ e.problems }}"),
    (H3, "（二）改进建议"),
    (P, "{%p for a in e.advice %}"),
    (P, "{{ loop.index }}. {{ a.title }}"),
    (P, "{{ a.text }}"),
    (P, "{%p endfor %}"),
    (P, "{%p endfor %}"),
]
