"""shequ365 stage rules (L377, L381): intake checks, forms, assignment, deadlines, settings,
imports, duties at quarter and year end, assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from framework.errors import CountyError

BASE = """
[deployment]
name = "宁波市"
code = "nb"
methods = ["shequ365"]

[[units]]
code = "nb"
name = "宁波市"
level = "county"
[[units]]
code = "nb.c1"
name = "和平社区"
level = "community"
parent = "nb"
[[units]]
code = "nb.c2"
name = "安宁社区"
level = "community"
parent = "nb"
[[units]]
code = "nb.wj"
name = "水务集团"
level = "department"
parent = "nb"

[[people]]
id = "w1"
name = "孙丽"
unit = "nb.c1"
roles = ["social_worker"]
[[people]]
id = "w2"
name = "高强"
unit = "nb.c2"
roles = ["social_worker"]
[[people]]
id = "boss"
name = "马主任"
unit = "nb.c1"
roles = ["community_leader"]
"""


@pytest.fixture
def cli(init_county, tmp_path):
    def setup(plugin_toml: str = ""):
        county_cli = init_county(BASE + plugin_toml)
        (tmp_path / "g.csv").write_text("code,name,community,worker\ng1,和平一片,nb.c1,w1\n", encoding="utf-8")
        county_cli("shequ365", "grids", "import", tmp_path / "g.csv", "--now", "2026-11-01T08:00")
        (tmp_path / "h.csv").write_text("id,grid,address,head,phone,kinds,worker,moved_in\n"
                                        "a1,g1,和平社区3幢,钱某,,elderly_alone,w1,\n", encoding="utf-8")
        county_cli("shequ365", "households", "import", tmp_path / "h.csv", "--now", "2026-11-01T08:00")
        return county_cli

    return setup


def add(run, *args, ok=True):
    return run("case", "add", "--method", "shequ365", "--unit", "nb.c1", "--now", "2026-11-02T10:00", "--json", *args, ok=ok)


def test_intake_refusals_name_the_field(cli):
    run = cli()
    r = add(run, "--title", "x", "--channel", "mandatory_visit", ok=2)
    assert "--set visit_reason" in r.stderr
    r = add(run, "--title", "x", "--channel", "five_questions", ok=2)
    assert "--set resident_kind" in r.stderr
    r = add(run, "--title", "x", "--category", "employment", ok=2)
    assert "--set committed_date" in r.stderr
    r = add(run, "--title", "x", "--set", "form=follow_up", "--set", "committed_date=2026-11-01", ok=2)
    assert "before the day the case was taken in" in r.stderr
    r = add(run, "--title", "x", "--set", "grid=nope", ok=2)
    assert "unknown grid 'nope'" in r.stderr
    r = add(run, "--title", "x", "--set", "form=fast", ok=2)
    assert "--set form" in r.stderr
    r = add(run, "--title", "x", "--category", "employment", "--set", "committed_date=2026-11-09",
            "--set", "follow_up_by=unit", ok=2)
    assert "--set lead" in r.stderr
    r = add(run, "--title", "x", "--set", "household=a1", "--set", "grid=g9", ok=2)
    assert "household a1 is in grid g1" in r.stderr
    assert run("case", "list", "--json").data == []
    assert "Traceback" not in r.output


def test_forms_from_category_and_assignment_by_grid(cli):
    run = cli()
    pipe = add(run, "--title", "楼道灯坏", "--category", "repair", "--set", "household=a1").data
    assert (pipe["level"], pipe["handler"], pipe["extra"]["grid"]) == ("time_limited", "w1", "g1")
    assert pipe["due_at"] == "2026-11-05T23:59:59+08:00"  # 3 calendar days from 11-02
    # no grid: the only social worker of the unit
    other = add(run, "--title", "咨询低保政策", "--category", "consultation").data
    assert other["handler"] == "w1"
    # an uncategorised matter takes the default form
    assert add(run, "--title", "其他").data["level"] == "time_limited"
    # follow-up by a unit
    water = add(run, "--title", "水压不足", "--category", "living_difficulty", "--set", "follow_up_by=unit",
                "--set", "lead=nb.wj", "--set", "committed_date=2026-11-16").data
    assert (water["level"], water["unit"], water["handler"], water["due_at"]) == (
        "follow_up", "nb.wj", None, "2026-11-16T23:59:59+08:00")
    # follow-up by an individual defaults to the grid worker; a team is led by its lead
    ind = add(run, "--title", "帮办残疾证", "--category", "health_care", "--set", "grid=g1",
              "--set", "committed_date=2026-11-10").data
    assert (ind["handler"], ind["extra"]["follow_up_by"]) == ("w1", "individual")
    team = add(run, "--title", "独居老人照护", "--category", "health_care", "--set", "follow_up_by=team",
               "--set", "lead=boss", "--set", "team=社工+志愿者", "--set", "committed_date=2026-11-30").data
    assert team["handler"] == "boss"
    assert [e["note"] for e in run("case", "show", team["id"], "--json").data["events"] if e["type"] == "assigned"] == [
        "组团协办（团队：社工+志愿者）"]
    # a civil dispute goes to the community coordination meeting, chaired by the leader
    dispute = add(run, "--title", "楼上漏水纠纷", "--category", "civil_dispute").data
    assert (dispute["level"], dispute["handler"], dispute["due_at"]) == ("coordination", "boss", None)
    # --set form overrides the category
    forced = add(run, "--title", "小纠纷当场调解", "--category", "civil_dispute", "--set", "form=time_limited").data
    assert forced["level"] == "time_limited"


def test_settings_change_the_limit_and_escalate_on_miss(cli):
    run = cli("[plugins.shequ365]\ntime_limited_days = 1\nmiss_action = \"escalate\"\n")
    c = add(run, "--title", "井盖松动", "--category", "safety", "--set", "grid=g1",
            "--set", "committed_date=2026-11-06").data
    assert c["due_at"] == "2026-11-03T23:59:59+08:00"
    assert run("sweep", "--now", "2026-11-03T23:59:59", "--json").data["actions"] == []
    acts = run("sweep", "--now", "2026-11-04T00:00:00", "--json").data["actions"]
    assert [(a["from"], a["to"], a["action"]) for a in acts] == [("time_limited", "follow_up", "escalate")]
    shown = run("case", "show", c["id"], "--json").data
    # the follow-up tier takes the committed date recorded at intake
    assert (shown["level"], shown["handler"], shown["due_at"]) == ("follow_up", "w1", "2026-11-06T23:59:59+08:00")
    acts = run("sweep", "--now", "2026-11-07T00:00:00", "--json").data["actions"]
    assert [(a["from"], a["to"]) for a in acts] == [("follow_up", "coordination")]
    shown = run("case", "show", c["id"], "--json").data
    assert (shown["level"], shown["handler"], shown["due_at"]) == ("coordination", "boss", None)
    assert run("sweep", "--now", "2026-12-30T00:00:00", "--json").data["actions"] == []


def test_escalated_follow_up_without_committed_date_has_no_due(cli):
    run = cli()
    c = add(run, "--title", "路灯不亮", "--category", "repair", "--set", "grid=g1").data
    shown = run("case", "escalate", c["id"], "--reason", "需供电公司跟进", "--now", "2026-11-03T09:00", "--json").data
    assert (shown["level"], shown["due_at"], shown["handler"]) == ("follow_up", None, "w1")


def test_imports_are_all_or_nothing_and_name_line_and_column(cli, tmp_path):
    run = cli()
    bad = tmp_path / "bad.csv"
    bad.write_text("id,grid,kinds,worker\nb1,g1,needy,w1\nb2,g1,rich,w1\n", encoding="utf-8")
    r = run("shequ365", "households", "import", bad, ok=2)
    assert r.stderr.strip() == f"error: {bad}: line 3: kinds: 'rich' is not one of needy, elderly_alone, unemployed, retiree, correction"
    bad.write_text("id,grid\nb1,g7\n", encoding="utf-8")
    assert "line 2: grid: 'g7' is not a known grid" in run("shequ365", "households", "import", bad, ok=2).stderr
    assert [h["id"] for h in run("shequ365", "households", "list", "--json").data] == ["a1"]
    bad.write_text("code,name,community,worker\ng2,二片,nb.c9,w1\n", encoding="utf-8")
    assert "line 2: community: 'nb.c9' is not a known unit" in run("shequ365", "grids", "import", bad, ok=2).stderr
    bad.write_text("id,name,kind,community,line\nw1,孙丽,social_worker,nb.c1,\n", encoding="utf-8")
    assert "line 2: line: a social worker needs a line of business (管线)" in run(
        "shequ365", "members", "import", bad, ok=2).stderr
    bad.write_text("id,name,kind,community,roles\np1,党员甲,registered_party_member,nb.c1,cook\n", encoding="utf-8")
    assert "roles: 'cook' is not one of" in run("shequ365", "members", "import", bad, ok=2).stderr
    bad.write_text("id,name,kind,community,work_post\np2,党员乙,employed_party_member,nb.c1,市财政局\n", encoding="utf-8")
    assert "service_post" in run("shequ365", "members", "import", bad, ok=2).stderr


def test_link_reports_the_25_household_standard(cli, tmp_path):
    run = cli()
    f = tmp_path / "more.csv"
    f.write_text("id,grid\n" + "".join(f"x{i},g1\n" for i in range(24)), encoding="utf-8")
    run("shequ365", "households", "import", f)
    r = run("shequ365", "households", "link", "--worker", "w1", *[f"x{i}" for i in range(23)], "--json").data
    assert r == {"worker": "w1", "linked": 24, "minimum": 25, "meets_standard": False}
    r = run("shequ365", "households", "link", "--worker", "w1", "x23", "--json").data
    assert (r["linked"], r["meets_standard"]) == (25, True)
    assert "unknown" in run("shequ365", "households", "link", "--worker", "w1", "zz", ok=2).stderr


def test_mandatory_visit_task_due_and_visit(cli):
    run = cli()
    t = run("shequ365", "households", "event", "a1", "--reason", "hospitalised", "--now", "2026-11-02T08:00", "--json").data
    assert (t["triggered_on"], t["due_on"]) == ("2026-11-02", "2026-11-09")  # 7 calendar days
    run("shequ365", "households", "event", "a1", "--reason", "hospitalised", "--now", "2026-11-02T09:00", ok=1)
    ds = run("shequ365", "duties", "--date", "2026-11-10", "--json").data
    # the visit task is overdue; a1's monthly visit is due by 11-30, not missed yet
    assert [(m["kind"], m["subject"], m["due_on"]) for m in ds["missed"]] == [
        ("mandatory_visit", "a1", "2026-11-09")]
    v = run("shequ365", "visit", "record", "a1", "--worker", "w1", "--reason", "hospitalised",
            "--now", "2026-11-10T10:00", "--json").data
    assert v["questions"] == ["必问身体情况"] and len(v["tasks_fulfilled"]) == 1
    ds = run("shequ365", "duties", "--date", "2026-11-10", "--json").data
    assert ds["missed"] == []
    assert [(d["kind"], d["done"]) for d in ds["duties"] if d["kind"].endswith("visit")] == [
        ("mandatory_visit", True), ("linked_visit", True)]
    # a visit case from a mandatory visit carries its reason
    v = run("shequ365", "visit", "record", "a1", "--worker", "w1", "--reason", "hospitalised", "--now", "2026-11-11T10:00",
            "--issue", "出院后需要护理", "--category", "health_care", "--set", "committed_date=2026-11-20", "--json").data
    assert (v["case"]["channel"], v["case"]["extra"]["visit_reason"], v["case"]["extra"]["visit_id"]) == (
        "mandatory_visit", "hospitalised", v["visit"])
    # an answer to one of the five questions raises a five_questions case
    v = run("shequ365", "visit", "record", "a1", "--worker", "w1", "--now", "2026-11-12T10:00", "--issue", "独居老人腿脚不便",
            "--category", "health_care", "--set", "resident_kind=elderly_alone", "--set", "committed_date=2026-11-20",
            "--json").data
    assert (v["case"]["channel"], v["case"]["extra"]["resident_kind"], v["case"]["due_at"]) == (
        "five_questions", "elderly_alone", "2026-11-20T23:59:59+08:00")
    # the human line names the case's handling form (tier) and handler in Chinese, codes after
    out = run("shequ365", "visit", "record", "a1", "--worker", "w1", "--now", "2026-11-13T10:00", "--issue", "楼道灯坏",
              "--category", "repair").stdout
    assert out == "走访 4：w1 2026-11-13 走访住户 a1；事项 nb-000003（限时办结 time_limited，承办人 孙丽 w1，限 2026-11-16T23:59:59+08:00）\n"
    # and the month view of the duties: per-day counts by Chinese kind
    month = run("shequ365", "duties", "--month", "2026-11", "--now", "2026-12-01T08:00").stdout.splitlines()
    assert month[0].startswith("2026-11-01  已办 ") and "早巡 " in month[0] and "patrol" not in month[0]
    assert "月底漏办（" in "\n".join(month)


def test_cadence_duties_at_quarter_and_year_end(cli):
    run = cli()
    ds = run("shequ365", "duties", "--date", "2026-12-31", "--unit", "nb.c1", "--json").data["duties"]
    kinds = [d["kind"] for d in ds if d["kind"] not in ("linked_visit",)]
    # Thursday 2026-12-31: one grid (2 patrols) + leader (2), huddle, month end, quarter end, year end
    assert kinds == ["patrol_morning", "patrol_evening", "patrol_morning", "patrol_evening", "huddle",
                     "joint", "forum", "review", "assembly"]
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "quarterly", "--period", "2026q4",
        "--satisfied", "12", "--basically", "3", "--unsatisfied", "1", "--now", "2026-12-25T15:00")
    run("shequ365", "meeting", "record", "--community", "nb.c1", "--kind", "assembly", "--now", "2026-12-28T09:00")
    ds = run("shequ365", "duties", "--date", "2026-12-31", "--unit", "nb.c1", "--json").data["duties"]
    assert {d["kind"]: d["done"] for d in ds if d["kind"] in ("forum", "review", "assembly")} == {
        "forum": False, "review": True, "assembly": True}
    # 2026-12-31 is not a Friday, 2026-12-25 is
    assert "weekly" in [d["kind"] for d in run("shequ365", "duties", "--date", "2026-12-25", "--json").data["duties"]]
    # the other community has no data yet: nothing is due there
    assert run("duties", "--date", "2026-12-31", "--unit", "nb.c2", "--json").data == []
    # once it has (a huddle on 12-01; no grids, no leader): its huddle and month/quarter/year meetings
    run("shequ365", "meeting", "record", "--community", "nb.c2", "--kind", "huddle", "--now", "2026-12-01T17:00")
    ds = run("duties", "--date", "2026-12-31", "--unit", "nb.c2", "--json").data
    assert [d["kind"] for d in ds] == ["huddle", "joint", "forum", "review", "assembly"]
    assert run("duties", "--date", "2026-11-30", "--unit", "nb.c2", "--json").data == []


def test_assessment_rows_in_appraisal(cli):
    run = cli()
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--subject", "w1",
        "--satisfied", "40", "--basically", "8", "--unsatisfied", "2", "--now", "2026-12-28T10:00")
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", "--score", "93.5",
        "--now", "2026-12-28T10:00")
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026Q4", "--score", "1", ok=2)
    run("shequ365", "assess", "--community", "nb.c1", "--kind", "annual", "--period", "2026", ok=2)
    ms = run("appraise", "--period", "2026", "--now", "2026-12-31T12:00", "--json").data
    rows = {(m["metric"], m["subject"]): m for m in ms if m["method"] == "shequ365"}
    r = rows[("representative_rating", "w1")]
    assert (r["subject_kind"], r["numerator"], r["denominator"], r["value"]) == ("person", 48, 50, 0.96)
    s = rows[("assessment_score", "nb.c1")]
    assert (s["subject_kind"], s["value"]) == ("unit", 93.5)
    # the year's quarterly review is not in a single month's figures
    ms = run("appraise", "--period", "2026-12", "--now", "2026-12-31T12:00", "--json").data
    assert not [m for m in ms if m["metric"] == "representative_rating"]


def test_meeting_needs_known_case_and_hearing_resolution(cli):
    run = cli()
    assert "--resolution" in run("shequ365", "meeting", "record", "--community", "nb.c1", "--kind", "hearing", ok=2).stderr
    assert "unknown case" in run("shequ365", "meeting", "record", "--community", "nb.c1", "--kind", "joint",
                                 "--case", "nb-000099", ok=2).stderr
    r = run("shequ365", "duties", ok=2)
    assert "exactly one of --date" in r.stderr


def test_deadline_hook_directly(make_county):
    county = make_county(BASE, now="2026-11-02T10:00")
    ctx = county.ctx("shequ365")
    from plugins.shequ365 import county_deadline

    case = county.add_case("shequ365", "nb.c1", "测试", category="repair")
    at = dt.datetime.fromisoformat("2026-11-02T23:30:00+08:00")
    d = county_deadline(ctx, case, "time_limited", at)
    assert [(m.name, m.due_at.isoformat(), m.action, m.primary) for m in d.milestones] == [
        ("time_limited", "2026-11-05T23:59:59+08:00", "flag", True)]
    assert county_deadline(ctx, case, "coordination", at).milestones == []
    with pytest.raises(CountyError):
        county.add_case("shequ365", "nb.c1", "测试", fields={"committed_date": "2026-13-01"})
