"""yijiasi's cadence and layered appraisal through the CLI on the sample deployment: the annual
agreement due 01-31 (L453), one contact a week, one work day a fortnight (14-day windows from
2024-01-01), one concentrated event a quarter (L455), the leader's community first each year, the
annual assessment by layer and the community's opinion and veto (L457) — as duties on exact
days and as the appraisal's rates, every figure computed by hand."""

from pathlib import Path

import pytest

TOML = Path(__file__).resolve().parents[1] / "plugins" / "contrib" / "yijiasi" / "data" / "huaian.toml"


@pytest.fixture(scope="module")
def county(county_module):
    run = county_module(TOML)

    def at(day, *args):
        return run("yijiasi", *args, "--now", f"{day}T18:00", "--json").data

    at("2024-03-05", "event", "--team", "dq", "--title", "健康咨询进社区", "--on", "2024-03-05")
    at("2025-01-20", "agreement", "--team", "dq", "--year", "2025", "--community", "ha.sd.dq")
    at("2025-02-03", "agreement", "--team", "dq", "--year", "2025", "--community", "ha.sd.xq")
    at("2025-01-15", "event", "--team", "dq", "--title", "法律援助进社区", "--community", "ha.sd.xq")
    at("2025-02-20", "event", "--team", "dq", "--title", "义务家教", "--participants", "30")
    for person, day in (("wjw-he", "2025-03-04"), ("law-zhou", "2025-03-09"), ("zzb-ins", "2025-03-10")):
        at(day, "contact", "--person", person)
    for person, day in (("zzb-ins", "2025-02-23"), ("wjw-he", "2025-02-24"), ("law-zhou", "2025-03-09")):
        at(day, "workday", "--person", person)
    at("2025-03-01", "post", "--community", "ha.sd.dq", "--holder", "孙某", "--post", "opinion_collection")
    at("2025-03-01", "post", "--community", "ha.sd.dq", "--holder", "吴某", "--post", "矛盾调解")
    at("2025-03-12", "check", "--team", "dq", "--mode", "observation", "--finding", "活动记录齐全")
    at("2025-06-15", "member", "remove", "--person", "stu-wang", "--team", "dq", "--note", "工作不积极")
    for person in ("law-zhou", "stu-li"):
        for community in ("ha.sd.dq", "ha.sd.xq"):
            at("2025-12-20", "opinion", "--person", person, "--year", "2025", "--purpose", "assessment",
               "--opinion", "agree", "--community", community)
    at("2025-12-22", "assess", "--person", "law-zhou", "--year", "2025", "--appraiser", "justice_bureau",
       "--result", "excellent")
    at("2025-12-22", "assess", "--person", "stu-li", "--year", "2025", "--appraiser", "university",
       "--result", "competent")
    return run


def duties(county, day, kind):
    return sorted((d["unit"], d["subject"], d["done"]) for d in county("duties", "--date", day, "--json").data
                  if d["method"] == "yijiasi" and d["kind"] == kind)


def figures(county, unit, period, now):
    return {m["metric"]: (m["numerator"], m["denominator"], m["value"])
            for m in county("appraise", "--unit", unit, "--period", period, "--now", now, "--json").data
            if m["method"] == "yijiasi" and m["subject"] == unit}


def test_the_annual_agreement_is_due_on_31_january(county):
    # 东区 signed 01-20, 西区 only 02-03: late (每年初, L453; the day is the setting agreement_by)
    assert duties(county, "2025-01-31", "agreement") == [("ha.sd.dq", "dq:2025", True), ("ha.sd.xq", "dq:2025", False)]
    assert duties(county, "2025-01-30", "agreement") == []
    assert duties(county, "2024-01-31", "agreement") == [("ha.sd.dq", "dq:2024", False), ("ha.sd.xq", "dq:2024", False)]


def test_one_contact_a_week_due_on_sunday(county):
    # week Mon 03-03 … Sun 03-09: 何某 on Tue, 周某 on the Sunday itself; 唐某's Monday 03-10 counts for the next
    assert duties(county, "2025-03-09", "contact") == [
        ("ha.sd.dq", "law-zhou", True), ("ha.sd.dq", "stu-li", False), ("ha.sd.dq", "stu-wang", False),
        ("ha.sd.dq", "wjw-he", True), ("ha.sd.dq", "zzb-ins", False)]
    assert [s for _, s, done in duties(county, "2025-03-16", "contact") if done] == ["zzb-ins"]
    assert duties(county, "2025-03-08", "contact") == []


def test_one_work_day_in_each_fortnight(county):
    # 2025-03-09 is day 433 from 2024-01-01 (433 = 30 × 14 + 13): the window 02-24 … 03-09
    assert duties(county, "2025-03-09", "workday") == [
        ("ha.sd.dq", "law-zhou", True), ("ha.sd.dq", "stu-li", False), ("ha.sd.dq", "stu-wang", False),
        ("ha.sd.dq", "wjw-he", True), ("ha.sd.dq", "zzb-ins", False)]
    assert [s for _, s, done in duties(county, "2025-02-23", "workday") if done] == ["zzb-ins"]
    assert duties(county, "2025-03-02", "workday") == [] and duties(county, "2025-03-16", "workday") == []


def test_one_event_a_quarter_and_the_leaders_community_first(county):
    assert duties(county, "2025-03-31", "event") == [("ha.sd.dq", "dq", True)]
    # 2025's first event was at 西区社区, not the leader's 东区社区 (率先开展, L457)
    assert duties(county, "2025-03-31", "lead_event") == [("ha.sd.dq", "dq", False)]
    assert duties(county, "2024-03-31", "lead_event") == [("ha.sd.dq", "dq", True)]
    assert duties(county, "2025-06-30", "event") == [("ha.sd.dq", "dq", False)]
    assert duties(county, "2025-05-31", "event") == []


def test_a_member_replaced_owes_nothing_after_leaving(county):
    assert "stu-wang" in [s for _, s, _ in duties(county, "2025-06-08", "contact")]
    assert "stu-wang" not in [s for _, s, _ in duties(county, "2025-06-15", "contact")]
    # the annual assessment (L457) is owed by the student and lawyer members still in the team
    assert duties(county, "2025-12-31", "assessment") == [("ha.sd.dq", "law-zhou", True), ("ha.sd.dq", "stu-li", True)]


def test_the_first_quarter_in_figures(county):
    got = figures(county, "ha.sd", "2025Q1", "2025-04-01")
    assert got["agreement_rate"] == (1, 2, 0.5)
    assert got["lead_event_rate"] == (0, 1, 0.0)
    assert got["quarterly_event_rate"] == (1, 1, 1.0)
    # 13 Sundays × 5 members; done: 何某 and 周某 (week to 03-09), 唐某 (week to 03-16)
    assert got["weekly_contact_rate"] == (3, 65, 3 / 65)
    # fortnights ending 01-12, 01-26, 02-09, 02-23, 03-09, 03-23 × 5 members
    assert got["fortnight_workday_rate"] == (3, 30, 0.1)
    assert got["annual_assessment_rate"] == (0, 0, None)
    assert (got["service_events"][2], got["checks"][2], got["posts_claimed"][2]) == (2, 1, 2)


def test_a_quarter_still_running_owes_only_what_fell_due(county):
    """2025Q1 asked on 2025-03-10 (a Monday; found by an inspector: a running period counted
    every obligation to its end as owed and missed): Sundays 01-05 … 03-09 are 10 × 5 members,
    done by 何某 and 周某 (week to 03-09) — 唐某's contact of 03-10 is for the week to 03-16,
    not due yet; fortnights ending 01-12 … 03-09 are 5 × 5, done 3 (唐某 02-23, 何某 02-24,
    周某 03-09); the quarter's event (due 03-31) is not owed yet; the agreement (01-31) is."""
    got = figures(county, "ha.sd", "2025Q1", "2025-03-10T09:00")
    assert got["weekly_contact_rate"] == (2, 50, 0.04)
    assert got["fortnight_workday_rate"] == (3, 25, 0.12)
    assert got["quarterly_event_rate"] == (0, 0, None)
    assert got["agreement_rate"] == (1, 2, 0.5)
    assert (got["service_events"][2], got["checks"][2], got["posts_claimed"][2]) == (2, 1, 2)  # records: the period's


def test_layered_assessment_refusals(county):
    # a student is assessed by the university, not the justice bureau (L457)
    r = county("yijiasi", "assess", "--person", "stu-li", "--year", "2024", "--appraiser", "justice_bureau",
               "--result", "excellent", "--now", "2025-01-05T10:00", ok=1)
    assert "a 大学生党员义工 is assessed by 高校 (university), not 市司法局" in r.stderr
    # the community is asked first (需征求共建社区的意见)
    r = county("yijiasi", "assess", "--person", "wjw-he", "--year", "2025", "--appraiser", "partner_unit",
               "--result", "competent", "--now", "2025-12-28T10:00", ok=1)
    assert "ask 东区社区 (ha.sd.dq) for its opinion on the 2025 考核 first" in r.stderr
    r = county("yijiasi", "assess", "--person", "law-zhou", "--year", "2025", "--appraiser", "justice_bureau",
               "--result", "excellent", "--now", "2025-12-28T10:00", ok=1)
    assert "the 2025 assessment is already recorded" in r.stderr


def test_the_communitys_veto_on_commendation(county):
    def opinion(community, value):
        county("yijiasi", "opinion", "--person", "zzb-ins", "--year", "2025", "--purpose", "commendation",
               "--opinion", value, "--community", community, "--now", "2025-12-29T10:00")

    opinion("ha.sd.dq", "agree")
    r = county("yijiasi", "commend", "--person", "zzb-ins", "--year", "2025", "--appraiser", "org_dept",
               "--now", "2025-12-29T11:00", ok=1)
    assert "ask 西区社区 (ha.sd.xq) for its opinion on the 2025 表彰 first" in r.stderr
    opinion("ha.sd.xq", "disagree")
    r = county("yijiasi", "commend", "--person", "zzb-ins", "--year", "2025", "--appraiser", "org_dept",
               "--now", "2025-12-29T11:00", ok=1)
    assert "西区社区 disagrees with the 2025 表彰 (community veto" in r.stderr
    opinion("ha.sd.xq", "agree")   # asked again: the later opinion stands
    county("yijiasi", "commend", "--person", "zzb-ins", "--year", "2025", "--appraiser", "org_dept",
           "--now", "2025-12-30T11:00")
    got = figures(county, "ha.sd", "2025", "2026-01-01")
    assert got["commendations"][2] == 1
    assert got["annual_assessment_rate"] == (2, 2, 1.0)


def test_the_veto_setting_and_the_twelve_posts(init_county):
    text = TOML.read_text(encoding="utf-8").replace('community_veto = "commendation"', 'community_veto = "both"')
    text = text.replace("other_posts = []", "other_posts = " + str([f"岗位{i}" for i in range(9)]).replace("'", '"'))
    county = init_county(text)
    for c, v in (("ha.sd.dq", "agree"), ("ha.sd.xq", "disagree")):
        county("yijiasi", "opinion", "--person", "wjw-he", "--year", "2025", "--purpose", "assessment",
               "--opinion", v, "--community", c, "--now", "2025-12-20T10:00")
    r = county("yijiasi", "assess", "--person", "wjw-he", "--year", "2025", "--appraiser", "partner_unit",
               "--result", "competent", "--now", "2025-12-21T10:00", ok=1)
    assert "西区社区 disagrees with the 2025 考核 (community veto, [plugins.yijiasi] community_veto = 'both')" in r.stderr
    # 4 named posts + 9 more would be 13 kinds: the casebook has 12 (L455)
    r = county("yijiasi", "post", "--community", "ha.sd.dq", "--holder", "孙某", "--post", "culture",
               "--now", "2025-12-21T10:00", ok=2)
    assert "[plugins.yijiasi] other_posts: at most 8 (12种岗位, L455), got 9" in r.stderr


def test_records_refused(county):
    # the "4" (L449) are four kinds; a fifth is bad input
    r = county("yijiasi", "member", "add", "--person", "dq-shu", "--team", "dq", "--kind", "resident",
               "--now", "2025-03-01T10:00", ok=2)
    assert "'resident' is not one of 'department', 'instructor', 'student', 'lawyer'" in r.stderr
    # the four named posts (L455) by code or label; an unnamed one is not a post while other_posts is empty
    for holder, post in (("郑某", "finance_oversight"), ("冯某", "文化娱乐")):
        county("yijiasi", "post", "--community", "ha.sd.xq", "--holder", holder, "--post", post,
               "--now", "2025-04-02T10:00")   # after the first quarter the figures test reads
    r = county("yijiasi", "post", "--community", "ha.sd.xq", "--holder", "冯某", "--post", "卫生监督",
               "--now", "2025-04-02T10:00", ok=2)
    assert ("post '卫生监督': use one of opinion_collection 民情收集, culture 文化娱乐, mediation 矛盾调解, "
            "finance_oversight 财务监督") in r.stderr
    # a day after --now, a second work day on one day, someone not in a team, a second agreement
    r = county("yijiasi", "contact", "--person", "wjw-he", "--on", "2025-03-05", "--now", "2025-03-04T18:00", ok=1)
    assert "on 2025-03-05: after today (2025-03-04)" in r.stderr
    r = county("yijiasi", "workday", "--person", "law-zhou", "--on", "2025-03-09", "--now", "2025-03-10T18:00", ok=1)
    assert "person law-zhou: a work day on 2025-03-09 is already recorded" in r.stderr
    r = county("yijiasi", "contact", "--person", "dq-shu", "--now", "2025-03-10T18:00", ok=1)
    assert "person dq-shu: not a member of a service team on 2025-03-10" in r.stderr
    r = county("yijiasi", "agreement", "--team", "dq", "--year", "2025", "--community", "ha.sd.dq",
               "--now", "2025-03-10T18:00", ok=1)
    assert "team dq: the 2025 agreement with 东区社区 is already signed" in r.stderr
    r = county("yijiasi", "contact", "--person", "stu-wang", "--on", "2025-06-16", "--now", "2025-06-16T18:00", ok=1)
    assert "person stu-wang: not a member of a service team on 2025-06-16" in r.stderr


def test_a_disagreement_only_recorded_with_community_veto_none(init_county):
    county = init_county(TOML.read_text(encoding="utf-8").replace('community_veto = "commendation"',
                                                                   'community_veto = "none"'))
    for c, v in (("ha.sd.dq", "agree"), ("ha.sd.xq", "disagree")):
        county("yijiasi", "opinion", "--person", "law-zhou", "--year", "2025", "--purpose", "commendation",
               "--opinion", v, "--community", c, "--now", "2025-12-20T10:00")
    row = county("yijiasi", "commend", "--person", "law-zhou", "--year", "2025", "--appraiser", "justice_bureau",
                 "--note", "全省优秀律师", "--now", "2025-12-21T10:00", "--json").data
    assert (row["person"], row["purpose"], row["appraiser"], row["note"]) == (
        "law-zhou", "commendation", "justice_bureau", "全省优秀律师")


def test_the_county_file_loads_again_unchanged(county):
    out = county("init", "--update", "--config", TOML, "--now", "2026-01-05T09:00").stdout
    assert "yijiasi：teams 新增 0，变更 0，未变 1；members 新增 0，变更 0，未变 5" in out
    # stu-wang, replaced in June 2025 (及时调整), stays replaced: the file's row is the membership that ended
    assert [(m["person"], m["left_on"]) for m in county("yijiasi", "member", "list", "--team", "dq", "--json").data
            if m["person"] == "stu-wang"] == [("stu-wang", "2025-06-15")]
