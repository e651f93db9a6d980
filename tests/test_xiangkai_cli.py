"""乡会村开 (Jingning, casebook L233–264) end to end through the CLI: topics in, a year's plan
checked, meetings scheduled and held, supervision notices with deadlines, the sweep's overdue
flags, callbacks, the boards and the appraisal figures. Every expected value is worked out by
hand from the rules in plugins/xiangkai/README.md."""

import json

import pytest

from deployments import JINGNING

TOML = JINGNING


@pytest.fixture
def xk(init_county):
    return init_county(TOML)


def topic(run, unit, title, channel, category, *sets, now="2026-11-02T10:00", extra=()):
    args = ["case", "add", "--method", "xiangkai", "--unit", unit, "--title", title, "--channel", channel,
            "--category", category, *extra, "--now", now, "--json"]
    for s in sets:
        args += ["--set", s]
    return run(*args).data


def err_json(result):
    return json.loads(result.stdout)


# -- intake and triage (征集议题、梳理议题, L246) ------------------------------------------------------
def test_topic_intake_and_priority(xk):
    t = topic(xk, "jn.hx.gt", "康庄公路资金缺口", "visit", "livelihood", "urgency=urgent", "importance=major",
              "collector=hx-02")
    assert t["id"] == "jn-000001"
    assert (t["level"], t["status"], t["due_at"], t["handler"]) == ("topic", "registered", None, None)
    assert (t["channel"], t["category"], t["priority"]) == ("visit", "livelihood", "high")
    assert t["extra"] == {"collector": "hx-02", "urgency": "urgent", "importance": "major"}
    # the Chinese class label is accepted; defaults normal/minor → low
    t2 = topic(xk, "jn.hx.gt", "毛竹低产", "hotline", "经济建设")
    assert (t2["category"], t2["priority"]) == ("economy", "low")
    t3 = topic(xk, "jn.hx.at", "支部换届", "online", "organisation", "platform=weibo", "urgency=急", "importance=轻")
    assert t3["priority"] == "medium" and t3["extra"]["platform"] == "weibo"
    t4 = topic(xk, "jn.hx.at", "村道路灯", "opinion_box", "livelihood", "importance=重")
    assert t4["priority"] == "medium"


@pytest.mark.parametrize("args, where", [
    (["--category", "livelihood"], "--channel"),
    (["--channel", "visit", "--category", "security"], "--category"),
    (["--channel", "visit", "--set", "urgency=soon"], "urgency"),
    (["--channel", "hotline", "--set", "platform=weibo"], "platform"),
    (["--channel", "online", "--set", "platform=tiktok"], "platform"),
    (["--channel", "visit", "--set", "notice_no=1"], "notice_no"),
])
def test_topic_intake_refuses_bad_input(xk, args, where):
    r = xk("case", "add", "--method", "xiangkai", "--unit", "jn.hx.gt", "--title", "x", *args, ok=2)
    assert where in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1


# -- the year's plan (月月有主题、村村有安排, L246) -------------------------------------------------------
def test_plan_every_village_and_every_month(xk):
    for m in range(1, 12):
        xk("xiangkai", "month", f"2026-{m:02d}", "--theme", f"主题{m}")
    xk("xiangkai", "month", "2026-03", "--theme", "春耕政策宣讲", "--village", "jn.hx.gt", "--village", "jn.hx.at")
    r = xk("xiangkai", "plan", "--year", "2026", "--json", ok=1)
    report = err_json(r)
    assert report["ok"] is False
    assert report["villages_without_meeting"] == ["jn.dd.lh"]
    assert report["months_without_theme"] == [12]
    assert report["months"][2] == {"month": 3, "theme": "春耕政策宣讲", "villages": ["jn.hx.at", "jn.hx.gt"]}
    assert "plan 2026" in r.stderr and "jn.dd.lh" in r.stderr
    # the township's own check passes on villages but not on the missing theme
    assert err_json(xk("xiangkai", "plan", "--year", "2026", "--unit", "jn.hx", "--json", ok=1))["villages_without_meeting"] == []
    # a meeting scheduled in the village counts as its arrangement
    xk("xiangkai", "meeting", "add", "--village", "jn.dd.lh", "--type", "theme_briefing", "--at", "2026-12-10T19:00",
       "--now", "2026-11-30T09:00")
    report = err_json(xk("xiangkai", "plan", "--year", "2026", "--json", ok=1))
    assert report["villages_without_meeting"] == [] and report["months_without_theme"] == [12]
    xk("xiangkai", "month", "2026-12", "--theme", "年终评议")
    ok = xk("xiangkai", "plan", "--year", "2026", "--json").data
    assert ok["ok"] is True
    assert [v["meetings"] for v in ok["villages"]] == [["M-0001"], [], []]
    assert [v["planned_months"] for v in ok["villages"]] == [[], [3], [3]]
    # another year has nothing: all three villages and all twelve months are missing
    other = err_json(xk("xiangkai", "plan", "--year", "2027", "--json", ok=1))
    assert other["villages_without_meeting"] == ["jn.dd.lh", "jn.hx.at", "jn.hx.gt"]
    assert other["months_without_theme"] == list(range(1, 13))


def test_plan_month_input_errors(xk):
    assert "MONTH" in xk("xiangkai", "month", "2026", "--theme", "x", ok=2).stderr
    assert "jn.hx" in xk("xiangkai", "month", "2026-01", "--theme", "x", "--village", "jn.hx", ok=2).stderr


# -- scheduling (因时制宜, L250) -------------------------------------------------------------------------
def test_schedule_prefers_slack_season_rainy_days_and_evenings(xk):
    june_day = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--situation", "major_policy",
                  "--at", "2026-06-10T10:00", "--place", "村委会", "--now", "2026-06-01T09:00", "--json").data
    assert june_day["type"] == "situation_analysis" and june_day["scheduled_at"] == "2026-06-10T10:00:00+08:00"
    assert len(june_day["warnings"]) == 1 and "L250" in june_day["warnings"][0]
    human = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "situation_analysis",
               "--at", "2026-06-11T10:00", "--place", "村委会", "--now", "2026-06-01T09:00")
    assert "warning:" in human.stderr
    for extra in (["--at", "2026-06-10T19:00"], ["--at", "2026-06-10T10:00", "--rainy"], ["--at", "2026-12-10T10:00"]):
        m = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "development_planning",
               "--place", "村委会", *extra, "--now", "2026-06-01T09:00", "--json").data
        assert m["warnings"] == [], extra
    # type and situation must agree; a type without a default place needs --place
    assert "--situation" in xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing",
                               "--situation", "dispute", "--at", "2026-12-01T19:00", "--now", "2026-11-30T09:00", ok=2).stderr
    assert "--place" in xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "situation_analysis",
                           "--at", "2026-12-01T19:00", "--now", "2026-11-30T09:00", ok=2).stderr
    assert "--village" in xk("xiangkai", "meeting", "add", "--village", "jn.hx", "--type", "theme_briefing",
                             "--at", "2026-12-01T19:00", "--now", "2026-11-30T09:00", ok=2).stderr


# -- the whole cycle ----------------------------------------------------------------------------------------
def test_meeting_notice_sweep_board_and_appraisal(xk):
    t1 = topic(xk, "jn.hx.gt", "张三丰反映康庄公路资金缺口，电话13812345678", "visit", "livelihood",
               "urgency=urgent", "importance=major", extra=("--requester-name", "张三丰", "--requester-phone", "13812345678"))["id"]
    t2 = topic(xk, "jn.hx.gt", "毛竹低产改造", "hotline", "economy")["id"]
    t3 = topic(xk, "jn.hx.at", "村级组织活动场所", "online", "organisation", "platform=qq_group")["id"]
    t4 = topic(xk, "jn.dd.lh", "文化活动中心", "opinion_box", "livelihood")["id"]
    assert (t1, t2, t3, t4) == ("jn-000001", "jn-000002", "jn-000003", "jn-000004")

    # schedule: the situation gives the type (L250), the type the invitees (L248) and place (L250)
    m1 = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--situation", "project_resistance",
            "--at", "2026-11-05T19:30", "--topic", t1, "--topic", t2, "--invite", "expert", "--invitee", "县交通局",
            "--title", "康庄公路现场推进", "--now", "2026-11-03T09:00", "--json").data
    assert m1["id"] == "M-0001" and m1["status"] == "planned"
    assert (m1["type"], m1["type_zh"], m1["place"]) == ("project_promotion", "项目推进会", "项目一线现场")
    assert m1["invitees"] == ["township_leadership", "township_cadre", "village_two_committees", "stakeholder",
                              "contractor", "respected_villager", "expert"]
    assert m1["invitees_zh"][-1] == "县交通局"
    assert m1["township"] == "jn.hx" and m1["warnings"] == []
    assert m1["announced_via_zh"] == ["广播", "宣传栏", "公开栏"]
    assert [t["case_id"] for t in m1["topics"]] == [t1, t2]
    m2 = xk("xiangkai", "meeting", "add", "--village", "jn.hx.at", "--type", "consultation",
            "--at", "2026-11-09T20:00", "--place", "村文化礼堂", "--topic", t3, "--announce", "broadcast", "--now", "2026-11-03T09:00",
            "--json").data
    assert m2["announced_via"] == ["broadcast"]
    assert m2["invitees"] == ["township_leadership", "township_cadre", "npc_deputy", "party_congress_deputy",
                              "villager_representative", "group_leader"]
    # a topic is on one planned meeting at a time; a meeting takes topics of its village (or above) only
    assert "M-0001" in xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing",
                          "--at", "2026-11-20T19:00", "--topic", t1, "--now", "2026-11-03T09:00", ok=1).stderr
    assert t4 in xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing",
                    "--at", "2026-11-20T19:00", "--topic", t4, "--now", "2026-11-03T09:00", ok=2).stderr
    shown = xk("case", "show", t1, "--json").data
    assert shown["events"][-1]["type"] == "scheduled" and shown["extra"]["meeting_id"] == "M-0001"

    # hold: not before its time; every topic settled or deferred (一事一议)
    assert "scheduled for 2026-11-05T19:30:00+08:00" in xk("xiangkai", "meeting", "hold", "M-0001",
                                                           "--resolution", f"{t1}=x", "--defer", t2,
                                                           "--now", "2026-11-05T19:00", ok=1).stderr
    assert t2 in xk("xiangkai", "meeting", "hold", "M-0001", "--resolution", f"{t1}=x",
                    "--now", "2026-11-05T21:30", ok=2).stderr
    held = xk("xiangkai", "meeting", "hold", "M-0001", "--resolution", f"{t1}=乡财政补助30万元，村民投工投劳",
              "--defer", t2, "--attended", "46", "--now", "2026-11-05T21:30", "--json").data
    assert held["status"] == "held" and held["held_at"] == "2026-11-05T21:30:00+08:00" and held["attended"] == 46
    assert [(t["case_id"], t["outcome"], t["resolution"]) for t in held["topics"]] == [
        (t1, "settled", "乡财政补助30万元，村民投工投劳"), (t2, "deferred", None)]
    assert xk("case", "show", t1, "--json").data["status"] == "in_progress"
    xk("xiangkai", "meeting", "hold", "M-0001", "--defer", t1, "--defer", t2, "--now", "2026-11-06T08:00", ok=1)

    # supervision notices (三定, L253): only for settled topics, once
    assert "not settled" in xk("xiangkai", "notice", "issue", t2, "--responsible", "hx-02", "--due", "2026-11-20",
                               "--standard", "x", "--now", "2026-11-06T09:00", ok=1).stderr
    n1 = xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--due", "2026-11-20",
            "--standard", "路面硬化4.5米，验收合格", "--now", "2026-11-06T09:00", "--json").data
    assert n1["number"] == "景宁县乡会村开督办〔2026〕1号"
    assert n1["due_at"] == "2026-11-20T23:59:59+08:00" and n1["due_spec"] == "2026-11-20"
    assert (n1["responsible"], n1["responsible_name"], n1["meeting_id"]) == ("hx-02", "雷干部", "M-0001")
    c1 = xk("case", "show", t1, "--json").data
    assert (c1["level"], c1["handler"], c1["status"], c1["due_at"]) == (
        "supervised", "hx-02", "in_progress", "2026-11-20T23:59:59+08:00")
    assert [e["type"] for e in c1["events"]][-3:] == ["escalated", "assigned", "supervision_notice"]
    assert c1["extra"]["quality_standard"] == "路面硬化4.5米，验收合格"
    xk("xiangkai", "notice", "issue", t1, "--responsible", "hx-02", "--within-days", "3", "--standard", "x",
       "--now", "2026-11-06T09:00", ok=1)

    xk("xiangkai", "meeting", "hold", "M-0002", "--resolution", f"{t3}=村部腾出两间作党员活动室",
       "--now", "2026-11-09T21:00")
    # 5 working days from Tuesday 2026-11-10: 11, 12, 13, 16, 17 November
    n3 = xk("xiangkai", "notice", "issue", t3, "--responsible", "hx-01", "--within-working-days", "5",
            "--standard", "挂牌并投入使用", "--now", "2026-11-10T08:00", "--json").data
    assert n3["due_at"] == "2026-11-17T23:59:59+08:00" and n3["number"] == "景宁县乡会村开督办〔2026〕2号"
    xk("case", "resolve", t3, "--note", "活动室已挂牌使用", "--now", "2026-11-16T10:00")
    cb3 = xk("xiangkai", "callback", t3, "--note", "群众反映良好", "--visitor", "hx-01", "--satisfaction", "satisfied",
             "--now", "2026-11-18T15:00", "--json").data
    assert cb3["case_status"] == "confirmed"
    assert "no supervision notice" in xk("xiangkai", "callback", t2, "--note", "x", ok=1).stderr

    # the sweep flags the missed completion deadline and leaves the topic where it is
    assert xk("sweep", "--now", "2026-11-20T23:59:59", "--json").data["actions"] == []
    acts = xk("sweep", "--now", "2026-11-21T00:00:00", "--json").data["actions"]
    assert [(a["case"], a["milestone"], a["action"], a["due_at"], a["from"], a["to"]) for a in acts] == [
        (t1, "completion", "flag", "2026-11-20T23:59:59+08:00", "supervised", "supervised")]
    assert xk("sweep", "--now", "2026-11-21T00:00:00", "--json").data["actions"] == []
    overdue = xk("case", "list", "--overdue", "--now", "2026-11-21T00:00:00", "--json").data
    assert [c["id"] for c in overdue] == [t1]
    ev = xk("case", "show", t1, "--json").data["events"][-1]
    assert (ev["type"], ev["level"]) == ("overdue", "supervised")
    cb1 = xk("xiangkai", "callback", t1, "--note", "资金已到位，正在施工", "--visitor", "hx-01",
             "--now", "2026-11-22T10:00", "--json").data
    assert cb1["case_status"] == "in_progress"

    # boards: the notice before, the resolutions and the notices after (L252, L253)
    boards = xk("board", "--unit", "jn.hx", "--period", "2026-11", "--json", "--now", "2026-11-25T09:00").data
    boards = [b for b in boards if b["method"] == "xiangkai"]
    assert [b["title"] for b in boards] == ["鹤溪镇 乡会村开 会议预告（2026-11）", "鹤溪镇 乡会村开 议定事项与督办（2026-11）"]
    pre = boards[0]["sections"][0]["rows"]
    assert [(r["meeting"], r["case_id"], r["time"], r["place"]) for r in pre] == [
        ("M-0001", t1, "2026-11-05 19:30", "项目一线现场"), ("M-0001", t2, "2026-11-05 19:30", "项目一线现场"),
        ("M-0002", t3, "2026-11-09 20:00", "村文化礼堂")]
    assert pre[0]["topic"] == "张某反映康庄公路资金缺口，电话138****5678"
    assert pre[2]["invitees"] == "乡镇班子、乡镇干部、人大代表、党代表、村民代表、村民小组长"
    assert (pre[0]["announced_via"], pre[2]["announced_via"]) == ("广播、宣传栏、公开栏", "广播")
    results, notices = boards[1]["sections"]
    assert [(r["case_id"], r["outcome"], r["held_at"]) for r in results["rows"]] == [
        (t1, "议定", "2026-11-05 21:30"), (t2, "另行研究", "2026-11-05 21:30"), (t3, "议定", "2026-11-09 21:00")]
    assert [(r["number"], r["case_id"], r["responsible"], r["due_at"], r["state"], r["callbacks"])
            for r in notices["rows"]] == [
        ("景宁县乡会村开督办〔2026〕1号", t1, "雷干部", "2026-11-20T23:59:59+08:00", "逾期未办结", 1),
        ("景宁县乡会村开督办〔2026〕2号", t3, "蓝书记", "2026-11-17T23:59:59+08:00", "按期办结", 1)]
    gt_boards = [b for b in xk("board", "--unit", "jn.hx.gt", "--period", "2026-11", "--json").data
                 if b["method"] == "xiangkai"]
    assert [r["case_id"] for r in gt_boards[0]["sections"][0]["rows"]] == [t1, t2]
    assert [b for b in xk("board", "--unit", "jn.dd", "--period", "2026-11", "--json").data
            if b["method"] == "xiangkai"] == []

    # satisfaction ratings (L262: 90%+ / 86%+ / 95%+ in Jingning 2011)
    r = xk("xiangkai", "rating", "--unit", "jn.hx.gt", "--subject", "party_org", "--satisfied", "40",
           "--basically", "5", "--unsatisfied", "5", "--period", "2026", "--now", "2026-12-28T10:00", "--json").data
    assert (r["rate"], r["reference"]) == (0.9, 0.9)
    xk("xiangkai", "rating", "--unit", "jn.hx.gt", "--subject", "villager_committee", "--satisfied", "30",
       "--basically", "13", "--unsatisfied", "7", "--period", "2026")
    xk("xiangkai", "rating", "--unit", "jn.hx", "--subject", "township_leadership", "--satisfied", "57",
       "--unsatisfied", "3", "--period", "2026")
    assert "--unit" in xk("xiangkai", "rating", "--unit", "jn.hx", "--subject", "villager_committee",
                          "--satisfied", "1", ok=2).stderr

    metrics = xk("appraise", "--period", "2026", "--unit", "jn.hx", "--now", "2026-11-25T09:00", "--json").data
    got = {(m["subject"], m["metric"]): (m["numerator"], m["denominator"], m["value"])
           for m in metrics if m["method"] == "xiangkai"}
    assert got[("jn.hx", "topics_collected")][2] == 3
    assert got[("jn.hx.gt", "topics_collected")][2] == 2
    assert got[("jn.hx.at", "topics_collected")][2] == 1
    assert got[("jn.hx", "meetings_held")][2] == 2
    assert got[("jn.hx", "topics_settled")][2] == 2 and got[("jn.hx.gt", "topics_settled")][2] == 1
    assert got[("jn.hx", "notices_issued")][2] == 2
    assert got[("jn.hx", "notice_on_time_rate")] == (1, 2, 0.5)
    assert got[("jn.hx.gt", "notice_on_time_rate")] == (0, 1, 0.0)
    assert got[("jn.hx.at", "notice_on_time_rate")] == (1, 1, 1.0)
    assert got[("jn.hx", "village_coverage")] == (2, 2, 1.0)
    assert got[("jn.hx.gt", "rating_party_org")] == (45, 50, 0.9)
    assert got[("jn.hx", "rating_villager_committee")] == (43, 50, 0.86)
    assert got[("jn.hx", "rating_township_leadership")] == (57, 60, 0.95)
    # the kernel's common figures agree: 3 topics, 1 resolved (confirmed), 1 of 2 on time
    assert got[("jn.hx", "cases")][2] == 3 and got[("jn.hx", "resolved")][2] == 1
    assert got[("jn.hx", "on_time_rate")] == (1, 2, 0.5)
    whole = {(m["subject"], m["metric"]): m for m in
             xk("appraise", "--period", "2026", "--now", "2026-11-25T09:00", "--json").data if m["method"] == "xiangkai"}
    assert whole[("jn", "topics_collected")]["value"] == 4
    assert (whole[("jn", "village_coverage")]["numerator"], whole[("jn", "village_coverage")]["denominator"]) == (2, 3)
    assert whole[("jn.dd", "village_coverage")]["value"] == 0.0
    # a quarter inside 2026 does not take the annual ratings
    q4 = xk("appraise", "--period", "2026Q4", "--unit", "jn.hx", "--now", "2026-11-25T09:00", "--json").data
    assert not [m for m in q4 if m["metric"].startswith("rating_")]

    # duties: the meeting of the day (done once held) and notices falling due
    d5 = xk("duties", "--date", "2026-11-05", "--json").data
    assert [(d["kind"], d["subject"], d["done"]) for d in d5 if d["method"] == "xiangkai"] == [("meeting", "M-0001", True)]
    # 2026-11-20 is also t1's second return-visit day (notice issued 11-06, every 7 days: 11-13,
    # 11-20); its only callback was on 11-22, outside (11-13, 11-20], so not done
    d20 = xk("duties", "--date", "2026-11-20", "--json").data
    assert [(d["kind"], d["subject"], d["done"]) for d in d20 if d["method"] == "xiangkai"] == [
        ("supervision_due", t1, False), ("callback", t1, False)]
    # the day after each meeting: its settled topics need a notice or a reason (both have one)
    d6 = xk("duties", "--date", "2026-11-06", "--json").data
    assert [(d["kind"], d["subject"], d["done"]) for d in d6 if d["method"] == "xiangkai"] == [
        ("notice_or_reason", t1, True)]
    # t3 (M-0002, held 11-09; notice 11-10, resolved 11-16): D1 = 11-10 + 7 = 11-17 is its
    # closing return visit (resolved 11-16, not before D0 = 11-10); its callback of 11-18 came a
    # day late, so not done. D2 = 11-24 does not exist (resolved 11-16 is before D1 = 11-17).
    d10 = xk("duties", "--date", "2026-11-10", "--json").data
    assert [(d["kind"], d["subject"], d["done"]) for d in d10 if d["method"] == "xiangkai"] == [
        ("notice_or_reason", t3, True)]
    for day, want in (("2026-11-17", [(t3, False)]), ("2026-11-24", [])):
        got = [(d["subject"], d["done"]) for d in xk("duties", "--date", day, "--json").data if d["kind"] == "callback"]
        assert got == want, day


def test_unknown_meeting_and_case_are_one_line_errors(xk):
    r = xk("xiangkai", "meeting", "show", "M-9999", ok=2)
    assert r.stderr.strip() == "error: unknown meeting 'M-9999' (see `county xiangkai meeting list`)"
    r = xk("xiangkai", "notice", "issue", "jn-000099", "--responsible", "hx-01", "--due", "2026-12-01",
           "--standard", "x", ok=2)
    assert "jn-000099" in r.stderr and "Traceback" not in r.output


def test_cancelled_meeting_frees_its_topics_and_does_not_count(xk):
    t = topic(xk, "jn.dd.lh", "文化活动中心选址", "visit", "livelihood")["id"]
    xk("xiangkai", "meeting", "add", "--village", "jn.dd.lh", "--situation", "dispute", "--at", "2026-11-12T19:00",
       "--topic", t, "--now", "2026-11-03T09:00")
    assert "jn.dd.lh" not in err_json(xk("xiangkai", "plan", "--year", "2026", "--json", ok=1))["villages_without_meeting"]
    c = xk("xiangkai", "meeting", "cancel", "M-0001", "--reason", "连日抢收，改期", "--now", "2026-11-10T09:00", "--json").data
    assert c["status"] == "cancelled"
    assert xk("case", "show", t, "--json").data["events"][-1]["type"] == "unscheduled"
    assert "jn.dd.lh" in err_json(xk("xiangkai", "plan", "--year", "2026", "--json", ok=1))["villages_without_meeting"]
    assert [b for b in xk("board", "--unit", "jn.dd", "--period", "2026-11", "--json").data
            if b["method"] == "xiangkai"] == []
    m2 = xk("xiangkai", "meeting", "add", "--village", "jn.dd.lh", "--type", "relationship_coordination",
            "--at", "2026-11-20T19:00", "--topic", t, "--now", "2026-11-10T09:00", "--json").data
    assert (m2["id"], m2["place"]) == ("M-0002", "村级办公楼")
    xk("xiangkai", "meeting", "hold", "M-0002", "--resolution", f"{t}=选址村小旧址", "--now", "2026-11-20T21:00")
    assert "held" in xk("xiangkai", "meeting", "cancel", "M-0002", "--reason", "x", ok=1).stderr


# -- regressions ------------------------------------------------------------------------------------------
def test_a_meeting_in_the_past_is_refused_and_recorded_only_by_holding_it(xk):
    """Regression: `meeting add --at 2026-06-05…` at now 2026-11-02 made a past meeting 'planned'
    with only the slack-season warning. Now exit 1; a past meeting is back-dated with --now."""
    t = topic(xk, "jn.hx.gt", "毛竹低产改造", "hotline", "economy", now="2026-06-01T09:00")["id"]
    r = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing", "--at", "2026-06-05T19:00",
           "--topic", t, "--now", "2026-11-02T10:00", ok=1)
    assert r.stderr == ("error: --at 2026-06-05T19:00: 2026-06-05T19:00:00+08:00 is before now (2026-11-02T10:00:00+08:00); "
                        "a meeting is scheduled ahead of time (会前公告, L252). To record a meeting already held, add and "
                        "hold it with --now set to when it happened\n")
    assert xk("xiangkai", "meeting", "list", "--json").data == []
    assert [e["type"] for e in xk("case", "show", t, "--json").data["events"]] == ["registered", "triaged"]
    # a start at now itself is not in the past
    assert xk("xiangkai", "meeting", "add", "--village", "jn.hx.at", "--type", "theme_briefing",
              "--at", "2026-11-02T10:00", "--now", "2026-11-02T10:00", "--json").data["id"] == "M-0001"
    # the back-dated way: scheduled before it began, held after it began
    m = xk("xiangkai", "meeting", "add", "--village", "jn.hx.gt", "--type", "theme_briefing", "--at", "2026-06-05T19:00",
           "--topic", t, "--now", "2026-06-04T09:00", "--json").data
    assert (m["id"], m["status"], m["scheduled_at"]) == ("M-0002", "planned", "2026-06-05T19:00:00+08:00")
    held = xk("xiangkai", "meeting", "hold", "M-0002", "--resolution", f"{t}=改造200亩", "--now", "2026-06-05T21:00",
              "--json").data
    assert (held["status"], held["held_at"]) == ("held", "2026-06-05T21:00:00+08:00")


def test_village_and_month_errors_name_what_is_wrong(xk):
    """Regression: a unit that is not a village gave 'not one of village'; a bad month named --period."""
    r = xk("xiangkai", "month", "2026-11", "--theme", "x", "--village", "jn.hx", ok=2)
    assert r.stderr == "error: --village jn.hx: unit is a township, not a village\n"
    r = xk("xiangkai", "meeting", "add", "--village", "jn", "--type", "theme_briefing", "--at", "2026-12-01T19:00",
           "--now", "2026-11-30T09:00", ok=2)
    assert r.stderr == "error: --village jn: unit is a county, not a village\n"
    r = xk("xiangkai", "month", "2026-13", "--theme", "x", ok=2)
    assert r.stderr == "error: MONTH 2026-13: not a month (give YYYY-MM, e.g. 2026-11)\n"
