"""TEMPORARY reference copy of the old CLI-driven demo seeding (seed_methods), for moving each
method's part into its plugin's county_demo hook. Not imported; deleted when all five are moved."""
# flake8: noqa
# fmt: off
# -- the other four methods: a small, fixed month of work in the demo month ----------------------

#: Made-up contacts put on seeded cases, to show that no board prints them (masking).
DEMO_PHONE = "13907450123"
DEMO_ID_NUMBER = "431229196803150017"


class _Cli:
    """``county …`` run in-process (click's CliRunner against :data:`framework.cli.core.cli`) on the
    demo database at a given ``--now``; returns the ``--json`` document, raises on failure."""

    def __init__(self, db: Path):
        from click.testing import CliRunner

        from framework.cli.main import cli

        self.db, self.cli, self.runner, self.calls = str(db), cli, CliRunner(), 0

    def __call__(self, *args, now: str):
        args = [str(a) for a in args] + ["--db", self.db, "--now", now, "--json"]
        r = self.runner.invoke(self.cli, args, catch_exceptions=False, env={"COUNTY_ACTOR": "demo"})
        self.calls += 1
        if r.exit_code != 0:
            raise CountyError(f"county demo: seeding failed: county {' '.join(args)} -> exit {r.exit_code}: "
                              f"{(r.stderr or r.output).strip()}")
        return json.loads(r.stdout) if r.stdout.strip() else None


def _real_topics(rows, month: str, tz, n: int = 3) -> list[tuple[str, str | None]]:
    """The first ``n`` real messages (title, requester) taken in during ``month``, in time order
    then by 留言编号, whose title holds no run of digits (never a phone or ID in a topic)."""
    picked = []
    for r in sorted((r for r in rows if r.created_at is not None), key=lambda r: (r.created_at, str(r.source_id or ""))):
        if r.created_at.astimezone(tz).strftime("%Y-%m") != month or re.search(r"\d{5,}", r.title or ""):
            continue
        picked.append((r.title, r.requester.name))
        if len(picked) == n:
            break
    return picked


def seed_methods(db: Path, month: str, real_topics: list[tuple[str, str | None]]) -> dict:
    """Give dianti, daiban, xiangkai and shequ365 a small, fixed month of work in ``month``
    (YYYY-MM, the demo month), each through its own CLI commands (and the kernel's ``county
    case …``) run in-process. Days are fixed; only the month follows the data. Returns counts
    per method for the summary."""
    run = _Cli(db)
    y, m = (int(x) for x in month.split("-"))
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    nxt = dt.date(y, m, last) + dt.timedelta(days=1)

    def at(day: int, hm: str = "09:00") -> str:
        return f"{y:04d}-{m:02d}-{day:02d}T{hm}:00+08:00"

    def add(method, unit, title, when, *sets, channel=None, category=None, name=None, phone=None, id_number=None):
        args = ["case", "add", "--method", method, "--unit", unit, "--title", title]
        args += ["--channel", channel] if channel else []
        args += ["--category", category] if category else []
        args += ["--requester-name", name] if name else []
        args += ["--requester-phone", phone] if phone else []
        args += ["--requester-id-number", id_number] if id_number else []
        for kv in sets:
            args += ["--set", kv]
        return run(*args, now=when)["id"]

    counts: dict[str, dict] = {}

    # dianti 点题服务 at 观音村: a register of three groups led by party members, the window rota,
    # the supervision centre, eight requests routed and served, villagers' ratings
    v = "demo.ts.gy"
    register = [  # id, name, group, skills, party member, leader
        ("gy-n1", "罗某", "technical", "planting,livestock", "yes", True),
        ("gy-n2", "梁某", "technical", "planting,fruit_trees", "no", False),
        ("gy-n3", "宋某", "technical", "livestock", "no", False),
        ("gy-n4", "韩某", "legal", "legal_aid,contract", "yes", True),
        ("gy-n5", "唐某", "legal", "legal_aid", "no", False),
        ("gy-n6", "曹某", "mediation", "mediation", "yes", True),
        ("gy-n7", "邓某", "mediation", "mediation,neighbourhood", "no", False),
    ]
    start = at(1, "08:00")
    for code, skills in (("technical", "planting,livestock,fruit_trees,种植,养殖"), ("legal", "legal_aid,contract,法律,合同"),
                         ("mediation", "mediation,纠纷,调解")):
        run("dianti", "group", "add", "--unit", v, "--code", code, "--skills", skills, now=start)
    for pid, name, group, skills, party, leader in register:
        run("dianti", "member", "add", "--id", pid, "--name", name, "--unit", v, "--group", group, "--skills", skills,
            "--party-member", party, *(["--leader"] if leader else []), now=start)
    run("dianti", "centre", "add", "--unit", v, "--centre", "supervision", "--person", "gy-n6", "--role", "leader", now=start)
    for wd in ("mon", "wed", "fri"):
        run("dianti", "rota", "--unit", v, "--weekday", wd, "--person", "ts-gy-01", now=start)
    requests = [  # day, title, skill, resolved day, ratings
        (2, "柑橘树冬季修剪指导", "planting", 4, (5, 5, 4)),
        (3, "生猪冬季防疫", "livestock", 5, (5, 4)),
        (5, "土地流转合同审查", "legal_aid", 9, (4, 5, 5)),
        (9, "蔬菜大棚保温技术", "planting", 12, (4,)),
        (10, "邻里宅基地界址纠纷调解", "mediation", 16, (3, 4)),
        (12, "山羊养殖技术咨询", "livestock", 13, (5, 5, 5)),
        (16, "外出务工工资拖欠法律咨询", "legal_aid", 20, (5,)),
        (23, "果树病虫害防治", "planting", None, ()),
    ]
    dianti_ids = []
    for i, (day, title, skill, done, ratings) in enumerate(requests):
        req = {"planting": "上门现场指导", "livestock": "入户技术服务", "legal_aid": "一周内书面意见", "mediation": "双方到场调解"}[skill]
        cid = add("dianti", v, title, at(day, "10:00"), f"skill={skill}", f"requirement={req}", f"service_date={y:04d}-{m:02d}-{min(day + 5, last):02d}",
                  channel="window", name=("村民" + "甲乙丙丁戊己庚辛"[i]), phone=DEMO_PHONE if i == 0 else None)
        dianti_ids.append(cid)
        run("dianti", "measure", cid, "--note", "服务小组上门服务", now=at(day, "15:00"))
        if done:
            run("case", "resolve", cid, "--note", f"{title}：已完成", now=at(done, "17:00"))
            for k, score in enumerate(ratings):
                run("dianti", "rate", cid, "--score", score, "--rater", f"村民{k + 1}", now=at(done, "18:00"))
    run("dianti", "supervise", dianti_ids[-1], "--note", "服务监督中心督促按期服务", "--person", "gy-n6", now=at(last, "10:00"))
    counts["dianti"] = {"requests": len(requests), "resolved": sum(1 for r in requests if r[3]),
                        "ratings": sum(len(r[4]) for r in requests), "members": len(register), "groups": 3}

    # daiban 村民事务代办 at 太平镇新建村: group agents, ten tracking cards (both scopes, two
    # completed late, one still open past due), the month's card check, a complaint rectified
    errands = [  # day, hour, group, title, scope, mode, category, hours to completion (None: open)
        (2, "09:00", "demo.ts.xj.g1", "代办新生儿户口登记", "county", "home_visit", "household_register", 50),
        (3, "10:00", "demo.ts.xj.g1", "代领养老保险资格认证表", "township", "fixed_point", "other", 5),
        (4, "14:00", "demo.ts.xj.g2", "代取邮政包裹", "township", "home_visit", "mail_parcel", 3),
        (6, "09:30", "demo.ts.xj.g2", "代办医疗救助申请", "county", "home_visit", "medical_aid", 73),
        (9, "11:00", "demo.ts.xj.g1", "代缴新农合参保费", "township", "fixed_point", "other", 30),
        (11, "15:00", "demo.ts.xj.g2", "代办残疾人证年审", "county", "home_visit", "other", 66),
        (13, "08:30", "demo.ts.xj.g1", "代购化肥种子", "township", "fixed_point", "collect_goods", 6),
        (17, "10:00", "demo.ts.xj.g2", "代办低保年审材料", "township", "home_visit", "other", 30),
        (20, "16:00", "demo.ts.xj.g1", "代办身份证换领", "county", "home_visit", "household_register", 66),
        (27, "09:00", "demo.ts.xj.g2", "代领高龄补贴", "township", "fixed_point", "other", None),
    ]
    cards, late = [], []
    for i, (day, hm, grp, title, scope, mode, cat, hours) in enumerate(errands):
        when = at(day, hm)
        cid = add("daiban", grp, title, when, f"scope={scope}", f"mode={mode}", f"group={grp}",
                  *(["special_group=elderly"] if mode == "home_visit" else []), category=cat,
                  name=("户主" + "子丑寅卯辰巳午未申酉"[i]), phone=DEMO_PHONE if i % 3 == 0 else None,
                  id_number=DEMO_ID_NUMBER if i == 1 else None)
        cards.append(cid)
        if hours is not None:
            done = dt.datetime.fromisoformat(when) + dt.timedelta(hours=hours)
            run("daiban", "sign", cid, "--satisfaction", "satisfied" if hours < 48 or scope == "county" else "basically",
                "--outcome", "已办结并送达", "--hours", 2, now=done.isoformat())
            if (scope == "township" and hours > 24) or (scope == "county" and hours > 96):
                late.append(cid)
    run("sweep", now=f"{nxt.isoformat()}T00:00:00+08:00")
    run("daiban", "check", "--month", month, "--unit", "demo.ts", now=f"{nxt.isoformat()}T09:00:00+08:00")
    comp = run("daiban", "complaint", "add", "--complainant", "户主巳", "--kind", "overdue", "--case", late[0],
               "--text", "缴费代办超过24小时才回复", now=at(12, "09:00"))
    comp_id = str(comp.get("id") or comp.get("complaint", {}).get("id"))
    run("daiban", "complaint", "investigate", comp_id, "--upheld", "--finding", "代办员未按时回复",
        "--severity", "minor", "--accountability", "批评教育", now=at(13, "09:00"))
    run("daiban", "complaint", "rectify", comp_id, "--measure", "代办员当面致歉并建立回复提醒", "--days", 7, now=at(13, "10:00"))
    run("daiban", "complaint", "close", comp_id, "--result", "已整改，群众满意", now=at(18, "10:00"))
    counts["daiban"] = {"cards": len(cards), "late": len(late), "open": sum(1 for e in errands if e[7] is None),
                        "complaints": 1}

    # xiangkai 乡会村开 at 新建村: topics (real message titles where the data have them), one
    # evening meeting in the slack month, two settled with supervision notices (三定), one callback
    xv = "demo.ts.xj"
    topics = list(real_topics) or []
    seeded_topics = [("村道路灯损坏夜间出行不便", None), ("村小学校车接送安排", None), ("集中居住点污水处理", None)]
    topics = (topics + seeded_topics)[:3]
    run("xiangkai", "month", month, "--theme", "冬季民生实事", "--village", xv, now=at(1, "08:00"))
    tids = [add("xiangkai", xv, title, at(2, f"{9 + k:02d}:00"), "platform=forum", "urgency=urgent" if k == 0 else "urgency=normal",
                "importance=major", "collector=ts-xj-01", channel="online", category="livelihood", name=who)
            for k, (title, who) in enumerate(topics)]
    mt = run("xiangkai", "meeting", "add", "--village", xv, "--type", "theme_briefing", "--at", at(10, "19:00"),
             "--title", "冬季民生实事议事会", *sum((["--topic", t] for t in tids), []), now=at(3, "09:00"))
    mid = mt.get("id") or mt.get("meeting", {}).get("id")
    run("xiangkai", "meeting", "hold", mid, "--resolution", f"{tids[0]}=由村委会牵头限期办理",
        "--resolution", f"{tids[1]}=报乡镇协调相关部门办理", "--defer", tids[2], "--attended", 46, now=at(10, "21:00"))
    run("xiangkai", "notice", "issue", tids[0], "--responsible", "ts-xj-01", "--standard", "办结并答复留言群众",
        "--within-days", 7, now=at(11, "09:00"))
    run("xiangkai", "notice", "issue", tids[1], "--responsible", "ts-01", "--standard", "协调方案落实",
        "--due", f"{y:04d}-{m:02d}-20", now=at(11, "09:30"))
    run("case", "resolve", tids[0], "--note", "已按议定事项办结", now=at(16, "16:00"))
    run("xiangkai", "callback", tids[0], "--note", "回访群众，反映问题已解决", "--visitor", "ts-01",
        "--satisfaction", "satisfied", now=at(18, "10:00"))
    counts["xiangkai"] = {"topics": len(tids), "real_topics": min(len(real_topics), 3), "meetings": 1, "notices": 2,
                          "callbacks": 1}

    # shequ365 at 和平社区: its two grids, six households linked to the two social workers, the
    # month's visits and patrols (some missed), two cases from visits, the month-end joint meeting
    hp = "demo.cg.hp"
    tmpdir = tempfile.TemporaryDirectory(prefix="county-demo-")
    tmp = Path(tmpdir.name)
    created = f"{y:04d}-{m:02d}-01"
    members = [("cg-hp-g1", "孙某", "social_worker", "民政"), ("cg-hp-g2", "钱某", "social_worker", "综治")]
    (tmp / "members.csv").write_text(
        "id,name,kind,community,line,grid,block,roles,work_post,service_post,created_at\n" + "".join(
            f"{pid},{n},{k},{hp},{line},,,,,,{created}\n" for pid, n, k, line in members), encoding="utf-8")
    (tmp / "grids.csv").write_text(
        "code,name,community,worker,planned_households,created_at\n"
        f"demo.cg.hp.g1,和平社区第一网格,{hp},cg-hp-g1,250,{created}\n"
        f"demo.cg.hp.g2,和平社区第二网格,{hp},cg-hp-g2,250,{created}\n", encoding="utf-8")
    households = [("hp-101", "demo.cg.hp.g1", "和平路1号101", "住户甲", "elderly_alone", "cg-hp-g1"),
                  ("hp-102", "demo.cg.hp.g1", "和平路1号102", "住户乙", "", "cg-hp-g1"),
                  ("hp-103", "demo.cg.hp.g1", "和平路3号201", "住户丙", "needy", "cg-hp-g1"),
                  ("hp-201", "demo.cg.hp.g2", "新华街8号101", "住户丁", "retiree", "cg-hp-g2"),
                  ("hp-202", "demo.cg.hp.g2", "新华街8号302", "住户戊", "unemployed", "cg-hp-g2"),
                  ("hp-203", "demo.cg.hp.g2", "新华街10号102", "住户己", "", "cg-hp-g2")]
    (tmp / "households.csv").write_text(
        "id,grid,address,head,phone,kinds,worker,moved_in,created_at\n" + "".join(
            f"{h},{g},{a},{head},{DEMO_PHONE},{k},{w},,{created}\n" for h, g, a, head, k, w in households),
        encoding="utf-8")
    run("shequ365", "members", "import", tmp / "members.csv", now=at(1, "08:00"))
    run("shequ365", "grids", "import", tmp / "grids.csv", now=at(1, "08:00"))
    run("shequ365", "households", "import", tmp / "households.csv", now=at(1, "08:00"))
    tmpdir.cleanup()
    visits = {"hp-101": 3, "hp-102": 5, "hp-103": 10, "hp-201": 4, "hp-202": 12}  # hp-203 not visited: missed
    issues = {"hp-101": ("楼道声控灯损坏", "repair", ()),
              "hp-202": ("失业人员再就业培训申请", "employment", (f"committed_date={y:04d}-{m:02d}-20",))}
    shequ_cases = []
    for h, day in visits.items():
        worker = next(w for hh, *_, w in households if hh == h)
        extra = []
        if h in issues:
            title, cat, sets = issues[h]
            extra = ["--issue", title, "--category", cat] + sum((["--set", s] for s in sets), [])
        r = run("shequ365", "visit", "record", h, "--worker", worker, "--note", "每月联户走访", *extra, now=at(day, "10:00"))
        if h in issues:
            cid = (r.get("case") or {}).get("id") if isinstance(r.get("case"), dict) else r.get("case_id") or r.get("case")
            shequ_cases.append(cid)
    patrols = 0
    for day in range(1, last + 1):
        for grid, worker in (("demo.cg.hp.g1", "cg-hp-g1"), ("demo.cg.hp.g2", "cg-hp-g2")):
            for shift, hm in (("morning", "07:30"), ("evening", "19:30")):
                if (day * 7 + len(shift) + (grid[-1] == "2") * 3) % 9 == 0:  # a fixed few missed
                    continue
                run("shequ365", "patrol", "record", grid, "--shift", shift, "--worker", worker, now=at(day, hm))
                patrols += 1
    run("case", "resolve", shequ_cases[0], "--note", "已更换声控灯", now=at(4, "15:00"))
    run("shequ365", "meeting", "record", "--community", hp, "--kind", "joint", "--item", "冬季消防安全检查安排",
        "--item", "困难家庭春节慰问名单", "--case", shequ_cases[0], now=at(last, "16:00"))
    counts["shequ365"] = {"households": len(households), "visits": len(visits), "patrols": patrols,
                          "patrols_due": 2 * 2 * last, "cases": len(shequ_cases)}
    counts["cli_calls"] = run.calls
    return counts


