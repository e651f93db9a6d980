"""Issue 13's table in one command: a million cases at the speed of SQLite.

    python benchmarks/run.py [--cases 1000000] [--cache DIR] [--only WHAT,...] [--rebuild]

``--cases N`` (default 100,000; the issue's figures are for 1,000,000) sets the sizes:

* two databases of one county with the five methods: the **big** one holds N cases, the
  **small** one N/10. Both hold the same year (2025) of N/10 cases, taken in through the
  product (``framework.interchange.replay``: every arrival, reply and confirmation in time
  order with the nightly sweeps between them, so late cases were escalated when they would
  have been); the big one adds the history before it: the year's closed cases copied back
  52, 104, … weeks with sqlite3 (new ids, every instant shifted, nothing else changed) until
  it holds N. Of the year's cases N/100 are open taizhang cases at the village tier taken in
  on 27–30 December: N/1000 of them are overdue at 2026-01-02 00:00 and all N/100 at
  2026-01-05 00:00 (1,000 and 10,000 at N = 1 M);
* CSV files of taizhang rows (70 % historical: replied, most of them rated; 5 % settled on
  the spot; the rest open) for the import: min(N, 100,000) rows for the speed ratios, and
  N/10, 3N/10 and N rows for the import's peak memory.

Everything built goes to the cache folder (default ``~/.cache/county-methods-bench``, or
``$COUNTY_BENCH_CACHE``) and is reused by the next run (``--rebuild`` builds again).

Every measurement runs in its own process (``run.py --child …``; a ``county`` command runs
there through ``framework.cli.main``, as the console script does). Times are CPU seconds, as
the machine is shared: a whole process's from ``os.wait4`` (the import and its baselines,
start-up), a timed section's from ``time.process_time`` (sweep, appraisal, board, GROUP BY:
after the imports and, for the sweep, after opening the database); the fastest of
``--repeat`` runs counts. Memory is the process's peak RSS (``VmHWM``; ``ru_maxrss`` would
carry the parent's peak across fork and exec). Each ratio is measured against its baseline in
the same run. The table printed at the end (what / now / target / met?) is also written to
``CACHE/nN/results.md`` with every figure, wall clock included, in ``results.json``.
Printed, never asserted.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GEN_VERSION = "4"  # bump when what the cache holds changes
CODE = "bm"
YEAR = 2025
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = "2026-01-05T00:00:00+08:00"  # --now of every measured command
SWEEP_AT = ("2026-01-02T00:00:00+08:00", "2026-01-05T00:00:00+08:00")  # N/1000, N/100 overdue
OPEN_FROM = dt.datetime(YEAR, 12, 27, tzinfo=TZ)  # the open cases arrive from here on
BOARD_PERIOD = f"{YEAR}-06"
METHODS = ["taizhang", "daiban", "shequ365", "dianti", "xiangkai"]
SHARES = {"taizhang": 0.55, "daiban": 0.20, "shequ365": 0.12, "dianti": 0.08, "xiangkai": 0.05}
ACTOR = "bench"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰玉萍红建国志文春梅海燕德林成辉鹏飞俊峰秀云亮"
PLACE = "东西南北中新太平安和兴富永长青石金龙凤河山泉柳桃李花田丰宝福庆乐康宁顺利同心红光胜利团结光明民主"
TOPICS = {
    "livelihood": ["村道硬化路面破损", "饮水管网漏水", "危房改造申请", "土地流转纠纷协调", "农电线路老化", "灌溉渠堵塞",
                   "养老保险缴费咨询", "医疗保险报销", "路灯不亮", "垃圾清运不及时", "产业结构调整技术指导", "土地撂荒"],
    "needy": ["低保申请", "五保户住房修缮", "重度残疾人护理补贴", "低收入困难户临时救助", "困难家庭子女就学"],
    "stability": ["邻里宅基地纠纷", "因迁移引发纠纷", "老上访户诉求", "劳教释放人员安置", "牛吃邻居玉米赔偿纠纷"],
}
DAIBAN_TITLES = {"household_register": "代办户口簿", "mail_parcel": "代收发包裹", "collect_goods": "代领物资",
                 "medical_aid": "代办大病医疗救助申请", "other": "代办社保卡"}
SHEQU_TITLES = {"repair": "楼道灯维修", "environment": "小区垃圾堆放", "safety": "电动车楼道充电隐患",
                "consultation": "医保政策咨询", "living_difficulty": "独居老人生活困难", "employment": "失业人员求职",
                "health_care": "失能老人照护", "civil_dispute": "楼上漏水邻里纠纷"}
DIANTI_GROUPS = {"technical": ("种植", "养殖"), "legal": ("法律咨询", "合同"), "mediation": ("调解", "纠纷"),
                 "patrol": ("巡逻", "安全"), "poverty": ("帮扶", "就业")}
DIANTI_TITLES = {"technical": "果树修剪技术指导", "legal": "土地承包合同法律咨询", "mediation": "邻里纠纷调解",
                 "patrol": "夜间治安巡逻", "poverty": "困难户就业帮扶"}
XIANGKAI_TITLES = {"livelihood": "村里修建文化礼堂", "economy": "发展民宿产业", "organisation": "村务公开栏更新"}


# == the county ========================================================================================


def county_tree() -> dict:
    """A county of realistic shape: ledger office, joint meeting, 8 departments; 16 rural
    townships of 14 villages (2 villager groups each); 4 urban subdistricts of 6 communities
    (4 grids each); the people each method's assignment needs (village secretaries and cadres,
    township cadres, daiban agents and service teams, social workers, 10 skilled members in
    each village of 4 townships for dianti)."""
    rnd = random.Random(13)
    names = set()

    def place(suffix: str) -> str:
        while True:
            n = rnd.choice(PLACE) + rnd.choice(PLACE) + suffix
            if n not in names:
                names.add(n)
                return n

    def person_name() -> str:
        return rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")

    units = [{"code": CODE, "name": "基准县", "level": "county"},
             {"code": f"{CODE}.sza", "name": "县三账办", "level": "ledger_office", "parent": CODE},
             {"code": f"{CODE}.lxh", "name": "县联席会议", "level": "joint_meeting", "parent": CODE}]
    people = [{"id": f"{CODE}.sza.s1", "name": person_name(), "unit": f"{CODE}.sza", "roles": ["ledger_office_staff"]}]
    for i, dept in enumerate(["住建局", "人社局", "教育局", "卫健局", "交通运输局", "生态环境局", "农业农村局", "民政局"]):
        code = f"{CODE}.d{i + 1}"
        units.append({"code": code, "name": "县" + dept, "level": "department", "parent": CODE})
        people.append({"id": f"{code}.s1", "name": person_name(), "unit": code, "roles": ["department_staff"]})
    villages, groups, communities, dianti_villages = [], [], [], []
    members, grids = [], []
    for t in range(20):
        rural = t < 16
        tcode = f"{CODE}.t{t + 1:02d}"
        units.append({"code": tcode, "name": place("镇" if rural else "街道"), "level": "township", "parent": CODE})
        people += [{"id": f"{tcode}.gb", "name": person_name(), "unit": tcode, "roles": ["township_cadre"]},
                   {"id": f"{tcode}.ld", "name": person_name(), "unit": tcode, "roles": ["township_leadership"]}]
        if rural:
            people += [{"id": f"{tcode}.db", "name": person_name(), "unit": tcode, "roles": ["agent", "centre_director"]},
                       {"id": f"{tcode}.fw1", "name": person_name(), "unit": tcode, "roles": ["service_team"]},
                       {"id": f"{tcode}.fw2", "name": person_name(), "unit": tcode, "roles": ["service_team"]}]
            for v in range(14):
                vcode = f"{tcode}.v{v + 1:02d}"
                vname = place("村")
                units.append({"code": vcode, "name": vname, "level": "village", "parent": tcode})
                villages.append(vcode)
                people += [{"id": f"{vcode}.sj", "name": person_name(), "unit": vcode, "roles": ["village_party_secretary"]},
                           {"id": f"{vcode}.gb", "name": person_name(), "unit": vcode, "roles": ["village_cadre"]},
                           {"id": f"{vcode}.db", "name": person_name(), "unit": vcode, "roles": ["agent"]}]
                for g in range(2):
                    gcode = f"{vcode}.g{g + 1}"
                    units.append({"code": gcode, "name": f"{vname}{'一二'[g]}组", "level": "group", "parent": vcode})
                    groups.append(gcode)
                    people.append({"id": f"{gcode}.db", "name": person_name(), "unit": gcode, "roles": ["agent"]})
                if t < 4:
                    dianti_villages.append(vcode)
                    for gi, (gcode, skills) in enumerate(DIANTI_GROUPS.items()):
                        for k in range(2):
                            members.append({"id": f"{vcode}.nr{gi}{k}", "name": person_name(), "unit": vcode,
                                            "group": gcode, "skills": ",".join(skills),
                                            "party_member": "yes" if k == 0 else "no", "leader": "yes" if k == 0 else "",
                                            "phone": f"139{rnd.randrange(10**8):08d}"})
        else:
            for c in range(6):
                ccode = f"{tcode}.c{c + 1:02d}"
                cname = place("社区")
                units.append({"code": ccode, "name": cname, "level": "community", "parent": tcode})
                communities.append(ccode)
                people += [{"id": f"{ccode}.sj", "name": person_name(), "unit": ccode, "roles": ["village_party_secretary"]},
                           {"id": f"{ccode}.zr", "name": person_name(), "unit": ccode, "roles": ["community_leader"]}]
                for w in range(4):
                    people.append({"id": f"{ccode}.sg{w + 1}", "name": person_name(), "unit": ccode,
                                   "roles": ["social_worker"]})
                    grids.append({"code": f"{ccode}.w{w + 1}", "name": f"{cname}第{w + 1}网格", "community": ccode,
                                  "worker": f"{ccode}.sg{w + 1}", "planned_households": "250"})
    return {"units": units, "people": people, "villages": villages, "groups": groups, "communities": communities,
            "dianti_villages": dianti_villages, "members": members, "grids": grids}


def _toml(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def write_config(path: Path, tree: dict) -> None:
    lines = ["# benchmarks/run.py: the benchmark county (generated)", "[deployment]",
             'name = "基准县"', f'code = "{CODE}"', 'timezone = "Asia/Shanghai"', f"methods = {_toml(METHODS)}",
             f'actor = "{ACTOR}"']
    for table in ("units", "people"):
        for row in tree[table]:
            lines += ["", f"[[{table}]]"] + [f"{k} = {_toml(v)}" for k, v in row.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_csv(path: Path, rows) -> None:
    """Write dict rows (an iterable; every row has the first row's keys) as UTF-8 CSV."""
    it = iter(rows)
    first = next(it)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(first))
        w.writeheader()
        w.writerow(first)
        w.writerows(it)
    tmp.replace(path)


# == rows ==============================================================================================


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def _arrival(rnd: random.Random, first: dt.datetime, days: int) -> dt.datetime:
    return first + dt.timedelta(days=rnd.randrange(days), seconds=rnd.randrange(7 * 3600, 21 * 3600))


def _requester(rnd: random.Random) -> dict:
    return {"requester_name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
            "requester_phone": f"13{rnd.randrange(10**9):09d}"}


def _rated(rnd: random.Random) -> str:
    if rnd.random() >= 0.85:
        return ""
    r = rnd.random()
    return "satisfied" if r < 0.70 else "basically" if r < 0.92 else "unsatisfied"


def taizhang_row(rnd: random.Random, i: int, tree: dict, at: dt.datetime, *, kind: str, prefix: str) -> dict:
    """kind: ``closed`` (replied: most within the village's 5 days, some after escalation to
    the township or the ledger office), ``spot`` (settled on the spot), ``open``."""
    unit = rnd.choice(tree["villages"]) if rnd.random() < 0.85 else rnd.choice(tree["communities"])
    r = rnd.random()
    ledger = "livelihood" if r < 0.7 else "needy" if r < 0.9 else "stability"
    r = rnd.random()
    channel = ("hotline" if r < 0.3 else "mailbox" if r < 0.45 else "contact_card" if r < 0.6
               else "letters_visits" if r < 0.75 else "info_board" if r < 0.8 else "five_visits")
    title = rnd.choice(TOPICS[ledger])
    row = {"source_id": f"{prefix}:{i}", "title": title, "description": f"{title}，请尽快处理。", "category": ledger,
           "channel": channel, "unit": unit, "created_at": _iso(at), "resolved_at": "", "resolution_note": "",
           "satisfaction": "", **_requester(rnd), "extra.visit_type": "", "extra.on_the_spot": ""}
    if channel == "five_visits":
        row["extra.visit_type"] = rnd.choice(["capable_person", "veteran", "petitioner", "poor_household", "villager"])
    if kind == "spot":
        row["extra.on_the_spot"] = "yes"
    elif kind == "closed":
        r = rnd.random()
        hours = (rnd.uniform(2, 4.5 * 24) if r < 0.65 else rnd.uniform(5.5 * 24, 14 * 24) if r < 0.9
                 else rnd.uniform(16 * 24, 25 * 24))
        row["resolved_at"] = _iso(at + dt.timedelta(hours=hours))
        row["resolution_note"] = "已办结，群众认可"
        row["satisfaction"] = _rated(rnd)
    return row


def daiban_row(rnd, i, tree, at) -> dict:
    r = rnd.random()
    mode = "fixed_point" if r < 0.6 else "home_visit" if r < 0.85 else "mobile"
    if mode == "home_visit":
        unit = rnd.choice(tree["groups"])
    elif mode == "fixed_point" and rnd.random() < 0.2:
        unit = rnd.choice(tree["villages"]).rsplit(".", 1)[0]  # the township's centre
    else:
        unit = rnd.choice(tree["villages"])
    scope = "township" if rnd.random() < 0.7 else "county"
    cat = rnd.choice(list(DAIBAN_TITLES))
    late = rnd.random() < 0.15
    if scope == "township":
        hours = rnd.uniform(25, 72) if late else rnd.uniform(1, 20)
    else:
        hours = rnd.uniform(5 * 24, 8 * 24) if late else rnd.uniform(20, 4 * 24)
    return {"source_id": f"daiban:{i}", "title": DAIBAN_TITLES[cat], "category": cat, "channel": mode, "unit": unit,
            "created_at": _iso(at), "resolved_at": _iso(at + dt.timedelta(hours=hours)), "resolution_note": "已代办",
            "satisfaction": _rated(rnd), **_requester(rnd), "extra.scope": scope,
            "extra.special_group": "elderly" if mode == "home_visit" and rnd.random() < 0.5 else ""}


def shequ_row(rnd, i, tree, at) -> dict:
    c = rnd.choice(tree["communities"])
    r = rnd.random()
    cat = (rnd.choice(["repair", "environment", "safety", "consultation"]) if r < 0.7
           else rnd.choice(["living_difficulty", "employment", "health_care"]) if r < 0.9 else "civil_dispute")
    committed = ""
    if cat in ("living_difficulty", "employment", "health_care"):
        committed = (at.date() + dt.timedelta(days=10)).isoformat()
        hours = rnd.uniform(3 * 24, 12 * 24)
    elif cat == "civil_dispute":
        hours = rnd.uniform(5 * 24, 20 * 24)
    else:
        hours = rnd.uniform(4 * 24, 8 * 24) if rnd.random() < 0.15 else rnd.uniform(2, 3 * 24)
    channel = rnd.choice(["hotline", "service_station", "morning_patrol", "evening_patrol", "linked_visit"])
    return {"source_id": f"shequ365:{i}", "title": SHEQU_TITLES[cat], "category": cat, "channel": channel, "unit": c,
            "created_at": _iso(at), "resolved_at": _iso(at + dt.timedelta(hours=hours)), "resolution_note": "已办结",
            "satisfaction": _rated(rnd), **_requester(rnd), "extra.grid": f"{c}.w{rnd.randrange(4) + 1}",
            "extra.committed_date": committed, "extra.follow_up_by": "individual" if committed else ""}


def dianti_row(rnd, i, tree, at) -> dict:
    v = rnd.choice(tree["dianti_villages"])
    g = rnd.choice(list(DIANTI_GROUPS))
    day = at.date() + dt.timedelta(days=rnd.randrange(2, 10))
    done = dt.datetime.combine(day, dt.time(rnd.randrange(9, 17)), tzinfo=TZ)
    if rnd.random() < 0.15:
        done += dt.timedelta(days=rnd.randrange(1, 4))
    return {"source_id": f"dianti:{i}", "title": DIANTI_TITLES[g], "category": g,
            "channel": "window" if rnd.random() < 0.8 else "letters_visits", "unit": v, "created_at": _iso(at),
            "resolved_at": _iso(done), "resolution_note": "服务已完成", "satisfaction": _rated(rnd), **_requester(rnd),
            "extra.service_date": day.isoformat()}


def xiangkai_row(rnd, i, tree, at) -> dict:
    cat = rnd.choice(list(XIANGKAI_TITLES))
    return {"source_id": f"xiangkai:{i}", "title": XIANGKAI_TITLES[cat], "category": cat,
            "channel": rnd.choice(["visit", "hotline", "opinion_box"]), "unit": rnd.choice(tree["villages"]),
            "created_at": _iso(at), "resolved_at": _iso(at + dt.timedelta(hours=rnd.uniform(7 * 24, 25 * 24))),
            "resolution_note": "乡会村开议定并办结", "satisfaction": _rated(rnd), **_requester(rnd)}


def seed_rows(tree: dict, small: int, overdue: tuple[int, int]) -> dict[str, list[dict]]:
    """The year's cases (``small`` of them) per method: the closed ones arrive 1 Jan – 30 Nov
    and are replied by 26 Dec; ``overdue[1]`` open taizhang cases arrive 27–30 Dec
    (``overdue[0]`` of them on the 27th, due at the end of 1 January)."""
    rnd = random.Random(2025)
    first = dt.datetime(YEAR, 1, 1, tzinfo=TZ)
    closed = small - overdue[1]
    counts = {m: int(closed * SHARES[m]) for m in METHODS}
    counts["taizhang"] += closed - sum(counts.values())
    out: dict[str, list[dict]] = {}
    makers = {"daiban": daiban_row, "shequ365": shequ_row, "dianti": dianti_row, "xiangkai": xiangkai_row}
    for m in METHODS:
        arrivals = sorted(_arrival(rnd, first, 334) for _ in range(counts[m]))
        if m == "taizhang":
            rows = [taizhang_row(rnd, i, tree, at, kind="spot" if rnd.random() < 0.05 else "closed", prefix="taizhang")
                    for i, at in enumerate(arrivals)]
            late = sorted([_arrival(rnd, OPEN_FROM, 1) for _ in range(overdue[0])]
                          + [_arrival(rnd, OPEN_FROM + dt.timedelta(days=1), 3) for _ in range(overdue[1] - overdue[0])])
            rows += [taizhang_row(rnd, len(rows) + i, tree, at, kind="open", prefix="taizhang")
                     for i, at in enumerate(late)]
        else:
            rows = [makers[m](rnd, i, tree, at) for i, at in enumerate(arrivals)]
        out[m] = rows
    return out


def import_rows(tree: dict, n: int):
    """``n`` taizhang rows over 2025 (arrivals 1 Jan – 6 Dec, replies by 31 Dec): 70 % replied
    (most rated), 5 % settled on the spot, 25 % open."""
    rnd = random.Random(n)
    first = dt.datetime(YEAR, 1, 1, tzinfo=TZ)
    arrivals = sorted(_arrival(rnd, first, 340) for _ in range(n))
    for i, at in enumerate(arrivals):
        r = rnd.random()
        yield taizhang_row(rnd, i, tree, at, kind="closed" if r < 0.70 else "spot" if r < 0.75 else "open", prefix="imp")


# == processes =========================================================================================


class Measure(dict):
    """One child process: ``wall``/``cpu`` seconds, ``rss`` (peak MB), ``rc``, ``data`` (its last
    JSON line, if any)."""


def run_child(cmd: list[str], log: Path, *, env: dict | None = None) -> Measure:
    """Run ``cmd``; CPU time and maxrss are the child's own (os.wait4), not the parent's."""
    with log.open("ab") as err:
        err.write(("\n$ " + " ".join(cmd) + "\n").encode())
        err.flush()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env or child_env(), cwd=str(REPO))
        out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        p.stdout.close()
    text = out.decode("utf-8", "replace")
    data = None
    try:
        data = json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.strip().splitlines() if data is None else []):
        if line.startswith("{"):
            try:
                data = json.loads(line)
                break
            except ValueError:
                pass
    rss = (data or {}).get("peak_mb") or ru.ru_maxrss / 1024  # see peak_mb()
    return Measure(wall=wall, cpu=ru.ru_utime + ru.ru_stime, rss=rss, rc=p.returncode, data=data, out=text[-2000:])


def child_env() -> dict:
    env = dict(os.environ)
    env["COUNTY_ACTOR"] = ACTOR
    for k in ("COUNTY_DB", "COUNTY_NOW"):
        env.pop(k, None)
    return env


def county_exe() -> str:
    exe = Path(sys.executable).with_name("county")
    return str(exe) if exe.exists() else (shutil.which("county") or "county")


def me(kind: str, *args) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(list(args))]


def must(m: Measure, what: str) -> Measure:
    if m["rc"] != 0:
        raise SystemExit(f"benchmark step failed: {what} (exit {m['rc']}); see the log.\n{m['out'][-600:]}")
    return m


def copy_db(src: Path, dst: Path) -> None:
    for s in ("", "-wal", "-shm"):
        Path(str(dst) + s).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    wal = Path(str(src) + "-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copyfile(wal, Path(str(dst) + "-wal"))


def settle(path: Path) -> None:
    """Write a fresh copy through to the disk before it is measured: else the measured process's
    first fsync (the sweep's first commit checkpointing its WAL) also writes back every page of
    the copy, 2.6 GB of the 1 M database (0.15 s of system CPU, the 1 M sweep 1.5× the 100 k
    one)."""
    for s in ("", "-wal"):
        f = Path(str(path) + s)
        if f.exists():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def checkpoint(path: Path) -> None:
    c = sqlite3.connect(str(path))
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()


# == children (run as `run.py --child KIND ARGS`) =====================================================


def _open_county(db: str, now: str):
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store
    return County(Store(db), Registry(), now=dt.datetime.fromisoformat(now), actor=ACTOR)


def child_seed(db: str, files: list[list[str]], placeholder_seq: int) -> dict:
    """The year through the product: every method's rows prepared by the interchange and
    replayed in time order with the nightly sweeps (as ``county case import --replay-sweeps``
    and ``county demo`` do), one time line for all methods. A placeholder case holds seq
    ``placeholder_seq`` meanwhile so that the year's ids follow the history's."""
    import attrs

    from framework.interchange import (
        ImportReport,
        RowContext,
        ensure_table,
        identity_mapping,
        prepare_row,
        read_records,
        replay,
    )
    from framework.interchange.mappings import check_columns
    county = _open_county(db, "2026-01-01T00:00:00+08:00")
    sdb = county.store.db
    sdb.execute("insert into cases (id, seq, method, title, status) values (?,?,?,?,?)",
                [f"{CODE}-placeholder", placeholder_seq, "taizhang", "placeholder", "closed"])
    ensure_table(county)
    rows = []
    for k, (method, path) in enumerate(files):
        src = read_records(path, "csv")
        mapping = check_columns(src, identity_mapping("csv"))
        rc = RowContext(county, mapping, method=method)
        for rec in src.records:
            row = prepare_row(rec, rc)
            rows.append(attrs.evolve(row, line=(k + 1) * 10_000_000 + row.line))
    report = ImportReport("seed", "csv", "utf-8", "bench", None, rows=len(rows))
    t0 = time.perf_counter()
    counts = replay(county, rows, file="seed.csv", fmt="csv", mapping="bench", report=report)
    secs = time.perf_counter() - t0
    sdb.execute("delete from cases where id = ?", [f"{CODE}-placeholder"])
    refused = [r.message("seed") for r in report.refused]
    return {"seconds": secs, "refused": len(refused), "refused_first": refused[:5],
            **{k: v for k, v in counts.items() if k != "years"}}


def child_history(db: str, first_seq: int, total: int) -> dict:
    """Copy the year's closed cases (their events and milestones) back 52·k weeks with sqlite3
    until ``db`` holds ``total`` cases; the copies get seqs 1 … first_seq-1 in time order."""
    want = first_seq - 1
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    cols = {t: [d[0] for d in con.execute(f"select * from {t} limit 0").description]
            for t in ("cases", "events", "milestones")}
    indexes = con.execute("select name, sql from sqlite_master where type = 'index' and sql is not null "
                          "and tbl_name in ('cases', 'events', 'milestones')").fetchall()
    seed = con.execute("select * from cases where seq >= ? and status in ('resolved', 'confirmed', 'closed') "
                       "order by seq", [first_seq]).fetchall()
    ids = {r[cols['cases'].index('id')] for r in seed}
    ev_cols = [c for c in cols["events"] if c != "id"]
    ms_cols = [c for c in cols["milestones"] if c != "id"]
    events: dict[str, list] = {}
    for r in con.execute(f"select {', '.join(ev_cols)} from events order by id"):
        if r[ev_cols.index("case_id")] in ids:
            events.setdefault(r[ev_cols.index("case_id")], []).append(r)
    miles: dict[str, list] = {}
    for r in con.execute(f"select {', '.join(ms_cols)} from milestones order by id"):
        if r[ms_cols.index("case_id")] in ids:
            miles.setdefault(r[ms_cols.index("case_id")], []).append(r)
    if not seed:
        raise SystemExit("no closed case in the year to copy back")
    for name, _sql in indexes:
        con.execute(f"drop index {name}")
    c_iso = [i for i, c in enumerate(cols["cases"]) if c in ("created_at", "tier_arrived_at", "due_at", "resolved_at", "updated_at")]
    c_ts = [i for i, c in enumerate(cols["cases"]) if c in ("created_ts", "resolved_ts", "due_ts")]
    ci, cs, csrc = (cols["cases"].index(c) for c in ("id", "seq", "source_id"))
    e_iso = [ev_cols.index("at")]
    e_case = ev_cols.index("case_id")
    m_iso = [i for i, c in enumerate(ms_cols) if c in ("due_at", "closed_at")]
    m_ts = [i for i, c in enumerate(ms_cols) if c == "due_ts"]
    m_case = ms_cols.index("case_id")
    ins_c = f"insert into cases ({', '.join(cols['cases'])}) values ({', '.join('?' * len(cols['cases']))})"
    ins_e = f"insert into events ({', '.join(ev_cols)}) values ({', '.join('?' * len(ev_cols))})"
    ins_m = f"insert into milestones ({', '.join(ms_cols)}) values ({', '.join('?' * len(ms_cols))})"
    passes = -(-want // len(seed))
    seq = 0
    t0 = time.perf_counter()
    n_ev = n_ms = 0
    for k in range(passes, 0, -1):  # the oldest year first: seqs follow time
        delta = dt.timedelta(weeks=52 * k)
        secs = delta.total_seconds()

        def shift(s, delta=delta):
            return None if s is None else (dt.datetime.fromisoformat(s) - delta).isoformat()

        part = seed if k < passes else seed[len(seed) - (want - seq):]
        bc, be, bm = [], [], []
        for r in part:
            seq += 1
            new_id = f"{CODE}-{seq:06d}"
            row = list(r)
            old_id = row[ci]
            row[ci], row[cs] = new_id, seq
            if row[csrc] is not None:
                row[csrc] = f"{row[csrc]}@-{k}y"
            for i in c_iso:
                row[i] = shift(row[i])
            for i in c_ts:
                if row[i] is not None:
                    row[i] -= secs
            bc.append(row)
            for e in events.get(old_id, ()):
                e = list(e)
                e[e_case] = new_id
                for i in e_iso:
                    e[i] = shift(e[i])
                be.append(e)
            for m in miles.get(old_id, ()):
                m = list(m)
                m[m_case] = new_id
                for i in m_iso:
                    m[i] = shift(m[i])
                for i in m_ts:
                    if m[i] is not None:
                        m[i] -= secs
                bm.append(m)
            if len(bc) >= 20_000:
                _flush(con, ins_c, ins_e, ins_m, bc, be, bm)
                n_ev += len(be)
                n_ms += len(bm)
                bc, be, bm = [], [], []
        _flush(con, ins_c, ins_e, ins_m, bc, be, bm)
        n_ev += len(be)
        n_ms += len(bm)
    t1 = time.perf_counter()
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    n = con.execute("select count(*) from cases").fetchone()[0]
    con.close()
    return {"copied": seq, "events": n_ev, "milestones": n_ms, "cases": n, "insert_s": t1 - t0,
            "index_s": time.perf_counter() - t1}


def _flush(con, ins_c, ins_e, ins_m, bc, be, bm) -> None:
    con.execute("BEGIN")
    con.executemany(ins_c, bc)
    con.executemany(ins_e, be)
    con.executemany(ins_m, bm)
    con.execute("COMMIT")


def _parse(s: str):
    return dt.datetime.fromisoformat(s) if s else None


def child_raw(path: str, db: str) -> dict:
    """The baseline: the same rows as case rows with sqlite-utils ``insert_all`` into the
    kernel's tables (its indexes), one ``registered`` event each, WAL, 1,000 rows per
    transaction."""
    import sqlite_utils
    t0 = time.perf_counter()
    d = sqlite_utils.Database(db)
    d.execute("PRAGMA journal_mode=WAL")
    cases, events = d["cases"], d["events"]
    n = 0
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.DictReader(f)
        while True:
            batch = [r for _, r in zip(range(1000), rd)]
            if not batch:
                break
            cs, es = [], []
            for r in batch:
                n += 1
                at = _parse(r["created_at"])
                res = _parse(r["resolved_at"]) or (at if r.get("extra.on_the_spot") else None)
                extra = {k[6:]: v for k, v in r.items() if k.startswith("extra.") and v}
                cid = f"{CODE}-{n:06d}"
                cs.append({
                    "id": cid, "seq": n, "method": "taizhang", "channel": r["channel"], "category": r["category"],
                    "title": r["title"], "description": r["description"], "unit": r["unit"], "level": "village",
                    "status": ("confirmed" if r["satisfaction"] else "resolved") if res else "assigned",
                    "handler": f"{r['unit']}.sj", "priority": None, "created_at": r["created_at"],
                    "created_ts": at.timestamp(), "resolved_ts": res.timestamp() if res else None,
                    "tier_arrived_at": r["created_at"], "due_at": None, "due_ts": None,
                    "resolved_at": res.isoformat() if res else None, "resolved_level": "village" if res else None,
                    "satisfaction": r["satisfaction"] or None, "origin_unit": r["unit"], "overdue_count": 0,
                    "requester_name": r["requester_name"], "requester_phone": r["requester_phone"],
                    "requester_id_number": None, "requester_address": None, "requester_anonymous": 0,
                    "source_id": r["source_id"], "extra": json.dumps(extra, ensure_ascii=False), "updated_at": NOW})
                es.append({"case_id": cid, "at": r["created_at"], "type": "registered", "actor": ACTOR, "level": "village",
                           "unit": r["unit"], "note": f"channel={r['channel']}", "data": "{}"})
            with d.atomic():
                cases.insert_all(cs, batch_size=1000)
                events.insert_all(es, batch_size=1000)
    return {"rows": n, "seconds": time.perf_counter() - t0}


def _rows_api(path: str):
    from framework.models import Requester
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            yield r, Requester(name=r["requester_name"] or None, phone=r["requester_phone"] or None)


def child_api(path: str, db: str) -> dict:
    """The Python API: ``County.add_case`` in a loop (then ``resolve`` and ``confirm`` for a
    replied row, as the import does), 1,000 rows per transaction."""
    county = _open_county(db, NOW)
    t0 = time.perf_counter()
    n = 0
    rows = _rows_api(path)
    done = False
    while not done:
        with county.store.transaction():
            for _ in range(1000):
                item = next(rows, None)
                if item is None:
                    done = True
                    break
                r, req = item
                fields = {k[6:]: v for k, v in r.items() if k.startswith("extra.") and v}
                c = county.add_case("taizhang", r["unit"], r["title"], channel=r["channel"], category=r["category"],
                                    description=r["description"], requester=req, fields=fields,
                                    source_id=r["source_id"], created_at=_parse(r["created_at"]))
                at = _parse(r["resolved_at"])
                if at and c.is_open:
                    c = county.resolve(c.id, r["resolution_note"] or "已办结", at=at)
                    if r["satisfaction"]:
                        county.confirm(c.id, r["satisfaction"], None, at=at)
                n += 1
    return {"rows": n, "seconds": time.perf_counter() - t0}


def bulk_available() -> bool:
    return (REPO / "framework" / "kernel" / "bulk.py").exists()


def child_bulk(path: str, db: str) -> dict:
    """The kernel's bulk intake API (``County.add_cases`` / ``framework.kernel.bulk.add_cases``)
    fed the same rows as :func:`child_api`, streamed from the file, in its default batches."""
    from framework.kernel import bulk
    county = _open_county(db, NOW)
    add = getattr(county, "add_cases", None) or (lambda specs: bulk.add_cases(county, specs))

    def specs():
        for r, req in _rows_api(path):
            yield bulk.CaseSpec(
                "taizhang", r["unit"], r["title"], channel=r["channel"], category=r["category"],
                description=r["description"], requester=req,
                fields={k[6:]: v for k, v in r.items() if k.startswith("extra.") and v},
                source_id=r["source_id"], created_at=_parse(r["created_at"]), resolved_at=_parse(r["resolved_at"]),
                resolution_note=r["resolution_note"] or None, satisfaction=r["satisfaction"] or None)

    t0 = time.perf_counter()
    taken = refused = 0
    for t in add(specs()):
        taken += t.case is not None
        refused += t.error is not None
    return {"seconds": time.perf_counter() - t0, "taken": taken, "refused": refused}


def child_sweep(db: str, now: str, trace: bool) -> dict:
    """``County.sweep()`` at ``now``, timed alone (the database opened before)."""
    county = _open_county(db, now)
    stmts = []
    if trace:
        # the sweep's own statements: the kept counts (framework.store.tallies) dropped on this
        # copy first, their triggers with them (Python's trace repeats a statement for each
        # trigger program it runs); the timed runs keep them, as a county that appraised does
        from framework.store.tallies import forget_all
        forget_all(county.store.db.conn)
        county.store.db.conn.set_trace_callback(stmts.append)
    t0, c0 = time.perf_counter(), time.process_time()
    acts = county.sweep()
    out = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "actions": len(acts), "escalations": sum(a["action"] == "escalate" for a in acts),
           "flags": sum(a["action"] == "flag" for a in acts)}
    if trace:
        low = [s.lower() for s in stmts]
        out["statements"] = len(stmts)
        out["schema_lookups"] = sum(("sqlite_master" in s or s.lstrip().startswith("pragma")) for s in low)
        shapes = collections.Counter(" ".join(s.split())[:90] for s in stmts)  # what each escalation runs
        out["statement_shapes"] = shapes.most_common(30)
    return out


def child_cli(args: list[str]) -> dict:
    """One ``county`` command in this process (what the console script runs), timed from
    after the imports to its end; its stdout is kept and, when it is a JSON report, its counts
    returned. "After the imports": the command's own modules too — the CLI root imports a
    command's family on first use (``framework.cli.root``), so it is looked up before the clock
    starts, as the start-up row measures import time apart (the methods' plugins are still
    imported inside: which ones is the deployment's)."""
    import contextlib
    import io

    import click

    from framework.cli.main import cli
    with click.Context(cli) as ctx:
        cli.get_command(ctx, args[0])  # imports the command's modules (lazy root), nothing else
    buf = io.StringIO()
    t0, c0 = time.perf_counter(), time.process_time()
    rc = 0
    with contextlib.redirect_stdout(buf):
        try:
            cli.main(args=args, prog_name="county", standalone_mode=False)
        except SystemExit as e:
            rc = e.code or 0
        except click.ClickException as e:
            rc = e.exit_code
            print(f"error: {e.format_message()}", file=sys.stderr)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    if rc:
        print(buf.getvalue()[-3000:], file=sys.stderr)
        raise SystemExit(rc)
    out = {"seconds": secs, "cpu": cpu}
    try:
        rep = json.loads(buf.getvalue())
        if isinstance(rep, dict):
            out.update({k: rep[k] for k in ("taken", "resolved", "skipped") if k in rep})
            out["refused"] = len(rep.get("refused") or [])
    except ValueError:
        pass
    return out


def peak_mb() -> float | None:
    """This process's own peak resident memory (VmHWM of its address space). ``ru_maxrss`` is
    not used: Linux carries the parent's peak into a child across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def child_groupby(db: str, start: float, end: float) -> dict:
    """One GROUP BY over the case table (the year's cases by unit and method), best of 5."""
    con = sqlite3.connect(db)
    best = None
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        rows = con.execute("select origin_unit, method, count(*) from cases where created_ts >= ? and created_ts < ? "
                           "group by origin_unit, method", [start, end]).fetchall()
        s = {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
        best = s if best is None or s["cpu"] < best["cpu"] else best
    return {**best, "groups": len(rows)}


CHILDREN = {"seed": child_seed, "history": child_history, "raw": child_raw, "api": child_api,
            "bulk": child_bulk, "sweep": child_sweep, "cli": child_cli, "groupby": child_groupby}


# == building the cache ================================================================================


class Bench:
    def __init__(self, cases: int, cache: Path, rebuild: bool, repeat: int = 2):
        self.n = cases
        self.repeat = max(repeat, 1)
        self.small = max(cases // 10, 1000)
        self.overdue = (max(cases // 1000, 1), max(cases // 100, 10))
        self.import_n = min(cases, 100_000)
        self.mem_sizes = sorted({cases // 10, 3 * cases // 10, cases})
        self.root = cache
        self.dir = cache / f"n{cases}"
        self.work = self.dir / "work"
        self.out = self.dir / "out"
        for d in (self.dir, self.work, self.out, cache / "imports"):
            d.mkdir(parents=True, exist_ok=True)
        self.log = self.dir / "run.log"
        self.rebuild = rebuild
        self.tree = county_tree()
        self.manifest_path = self.dir / "manifest.json"
        self.manifest = {}
        if self.manifest_path.exists() and not rebuild:
            self.manifest = json.loads(self.manifest_path.read_text())
            if self.manifest.get("version") != GEN_VERSION:
                self.manifest = {}

    def say(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    def save(self) -> None:
        self.manifest["version"] = GEN_VERSION
        self.manifest_path.write_text(json.dumps(self.manifest, indent=1, ensure_ascii=False))

    # -- the empty deployment (shared by every size) ----------------------------------------------------
    def empty_db(self) -> Path:
        db = self.root / "empty.db"
        stamp = self.root / "empty.version"
        if db.exists() and stamp.exists() and stamp.read_text() == GEN_VERSION and not self.rebuild:
            return db
        self.say("building the empty county (units, people, dianti register, shequ365 grids)")
        for s in ("", "-wal", "-shm"):
            Path(str(db) + s).unlink(missing_ok=True)
        cfg = self.root / "bench.toml"
        write_config(cfg, self.tree)
        write_csv(self.root / "members.csv", self.tree["members"])
        write_csv(self.root / "grids.csv", self.tree["grids"])
        at = "--now=2024-12-31T09:00:00+08:00"
        must(run_child([county_exe(), "init", "--config", str(cfg), "--db", str(db), at], self.log), "county init")
        complete = True
        for args in (["dianti", "member", "import", str(self.root / "members.csv")],
                     ["shequ365", "grids", "import", str(self.root / "grids.csv")]):
            m = run_child([county_exe(), *args, "--db", str(db), at], self.log)
            if m["rc"]:  # the cases are still taken in, less realistically (no group, no grid worker)
                complete = False
                print(f"  warning: `county {' '.join(args[:3])}` failed (exit {m['rc']}); going on without it; "
                      f"the next run builds the county again")
        checkpoint(db)
        if complete:
            stamp.write_text(GEN_VERSION)
        return db

    # -- the two databases -----------------------------------------------------------------------------
    def databases(self) -> tuple[Path, Path]:
        small, big = self.dir / "small.db", self.dir / "big.db"
        if self.manifest.get("built") and small.exists() and big.exists():
            return small, big
        empty = self.empty_db()
        t0 = time.perf_counter()
        rows = seed_rows(self.tree, self.small, self.overdue)
        files = []
        for m, rs in rows.items():
            p = self.dir / f"seed-{m}.csv"
            write_csv(p, rs)
            files.append([m, str(p)])
        first_seq = self.n - self.small + 1
        copy_db(empty, small)
        self.say(f"building the year {YEAR}: {self.small:,} cases of five methods replayed through the product "
                 f"(this is the slow part of a first run)")
        m = must(run_child(me("seed", str(small), files, first_seq - 1), self.log), "seed")
        seed = m["data"]
        if seed["refused"]:
            print(f"  warning: {seed['refused']} seed rows refused, e.g. {seed['refused_first'][:2]}")
        checkpoint(small)
        self.say(f"  {seed['cases']:,} cases, {seed['escalations']:,} escalations, {seed['flags']:,} flags in "
                 f"{seed['sweeps']:,} nightly sweeps; {m['wall']:.0f} s")
        copy_db(small, big)
        self.say(f"building the history: {self.n - self.small:,} more cases in the big database (sqlite3)")
        h = must(run_child(me("history", str(big), first_seq, self.n), self.log), "history")["data"]
        self.say(f"  {h['cases']:,} cases, +{h['events']:,} events, +{h['milestones']:,} milestones; "
                 f"{h['insert_s']:.0f} s inserts, {h['index_s']:.0f} s indexes")
        con = sqlite3.connect(str(small))
        pend = [con.execute("select count(*) from milestones where state = 'pending' and due_ts < ?",
                            [dt.datetime.fromisoformat(t).timestamp()]).fetchone()[0] for t in SWEEP_AT]
        start, end = _month_bounds(BOARD_PERIOD)
        village = con.execute(
            "select origin_unit, count(*) n from cases where method = 'taizhang' and created_ts >= ? and created_ts < ? "
            "group by origin_unit order by n desc, origin_unit limit 1", [start, end]).fetchone()
        con.close()
        self.manifest.update({
            "built": time.strftime("%Y-%m-%d %H:%M"), "commit": _git_head(), "seed": seed, "history": h,
            "pending_due": pend, "board_unit": village[0], "board_unit_cases": village[1],
            "build_seconds": round(time.perf_counter() - t0),
            "size_mb": {k: round(os.path.getsize(p) / 1e6) for k, p in (("small", small), ("big", big))}})
        self.save()
        return small, big

    def import_csv(self, n: int) -> Path:
        p = self.root / "imports" / f"taizhang-{n}-v{GEN_VERSION}.csv"
        if not p.exists() or self.rebuild:
            self.say(f"writing {n:,} taizhang rows")
            write_csv(p, import_rows(self.tree, n))
        return p

    def fresh(self, name: str) -> Path:
        """A copy of the empty county at the kernel's current schema: opened once by ``county
        check`` so that its migrations (e.g. m007's indexes) are applied before anything is
        measured — the raw baseline then writes the same indexes the import does."""
        db = self.work / f"{name}.db"
        copy_db(self.empty_db(), db)
        must(run_child([county_exe(), "check", "--db", str(db)], self.log), "county check (migrations)")
        return db


def _month_bounds(period: str) -> tuple[float, float]:
    y, m = map(int, period.split("-"))
    a = dt.datetime(y, m, 1, tzinfo=TZ)
    b = dt.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=TZ)
    return a.timestamp(), b.timestamp()


def _git_head() -> str:
    """The commit measured, with ``+ uncommitted changes`` when framework/ or plugins/ differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=False, cwd=REPO, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "framework", "plugins"], check=False, cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
    return head + (" + uncommitted changes" if dirty else "")


# == measuring =========================================================================================


def fmt_k(n: int) -> str:
    return f"{n // 1_000_000} M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000} k" if n >= 1000 else str(n)


def import_args(src: Path, db: Path) -> list[str]:
    return ["case", "import", str(src), "--method", "taizhang", "--db", str(db), "--now", NOW, "--json"]


def measure_imports(b: Bench, res: dict) -> None:
    n = b.import_n
    src = b.import_csv(n)
    b.say(f"import: {n:,} rows with sqlite-utils insert_all (baseline)")
    db = b.fresh("raw")
    raw = must(run_child(me("raw", str(src), str(db)), b.log), "raw insert_all")
    b.say(f"  {raw['cpu']:.1f} s CPU, {raw['wall']:.1f} s, {raw['rss']:.0f} MB; {_counts(db)}")
    b.say(f"import: {n:,} rows with `county case import`")
    db = b.fresh("import")
    imp = must(run_child(me("cli", import_args(src, db)), b.log), "county case import")
    taken = imp["data"].get("taken")
    b.say(f"  {imp['cpu']:.1f} s CPU, {imp['wall']:.1f} s, {imp['rss']:.0f} MB, {taken} taken; {_counts(db)}")
    res["import"] = {"rows": n, "raw": dict(raw), "cli": dict(imp), "taken": taken}
    res["import_mem"] = {n: imp["rss"]}
    b.say(f"import: {n:,} rows with County.add_case in a loop")
    db = b.fresh("api")
    api = must(run_child(me("api", str(src), str(db)), b.log), "add_case loop")
    b.say(f"  {api['cpu']:.1f} s CPU, {api['wall']:.1f} s, {api['rss']:.0f} MB; {_counts(db)}")
    res["import"]["api"] = dict(api)
    if bulk_available():
        b.say(f"import: {n:,} rows with the bulk API")
        db = b.fresh("bulk")
        bk = run_child(me("bulk", str(src), str(db)), b.log)
        if bk["rc"] == 0 and bk["data"]:
            res["import"]["bulk"] = dict(bk)
            b.say(f"  {bk['cpu']:.1f} s CPU, {bk['wall']:.1f} s, {bk['rss']:.0f} MB; {_counts(db)}")
        else:
            b.say(f"  the bulk API did not run: {(bk['data'] or {}) or bk['out'][-300:]}")
    for size in b.mem_sizes:
        if size in res["import_mem"]:
            continue
        src = b.import_csv(size)
        b.say(f"import memory: {size:,} rows with `county case import`")
        db = b.fresh(f"import{size}")
        m = must(run_child(me("cli", import_args(src, db)), b.log), f"county case import {size}")
        res["import_mem"][size] = m["rss"]
        b.say(f"  {m['wall']:.0f} s, {m['rss']:.0f} MB")
        db.unlink(missing_ok=True)
    for p in b.work.glob("*.db*"):
        p.unlink()


def _counts(db: Path) -> str:
    con = sqlite3.connect(str(db))
    n = [con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("cases", "events", "milestones")]
    con.close()
    return f"{n[0]:,} cases, {n[1]:,} events, {n[2]:,} milestones"


def _best(b: Bench, cmd: list[str], what: str, before=None) -> dict:
    """The fastest of ``b.repeat`` runs of a child that reports ``seconds`` (its data, with the
    run's ``rss``); ``before()`` runs ahead of each (e.g. a fresh copy of the database)."""
    best = None
    for _ in range(b.repeat):
        if before:
            before()
        m = must(run_child(cmd, b.log), what)
        if best is None or m["data"]["cpu"] < best["cpu"]:
            best = {**m["data"], "rss": m["rss"]}
    return best


#: At least this many runs of each sweep (small and big interleaved), the fastest counting: a
#: sweep of 100 escalations takes 20 ms, where one busy moment of the shared machine shows.
SWEEP_RUNS = 5


def measure_sweeps(b: Bench, small: Path, big: Path, res: dict) -> None:
    """``County.sweep()`` at the two instants on a fresh copy of each database: max(--repeat,
    :data:`SWEEP_RUNS`) runs of each, the small and the big database's runs interleaved (A/B),
    the fastest (CPU) counting."""
    out = {}
    scratch = b.work / "sweep.db"
    for label, at in zip(("few", "many"), SWEEP_AT):
        best: dict[str, dict] = {}
        for _ in range(max(b.repeat, SWEEP_RUNS)):
            for name, db in (("small", small), ("big", big)):
                copy_db(db, scratch)
                settle(scratch)
                m = must(run_child(me("sweep", str(scratch), at, False), b.log), f"sweep {name} {at}")
                if name not in best or m["data"]["cpu"] < best[name]["cpu"]:
                    best[name] = {**m["data"], "rss": m["rss"]}
        for name in ("small", "big"):
            r = out[f"{label}_{name}"] = best[name]
            b.say(f"sweep at {at[:10]} on {name}: {r['escalations']:,} escalations, {r['flags']:,} flags, "
                  f"{r['cpu']:.2f} s CPU ({r['seconds']:.2f} s), {r['rss']:.0f} MB")
    copy_db(small, scratch)
    m = must(run_child(me("sweep", str(scratch), SWEEP_AT[0], True), b.log), "sweep traced")
    out["traced"] = m["data"]
    for s in ("", "-wal", "-shm"):
        Path(str(scratch) + s).unlink(missing_ok=True)
    res["sweep"] = out


def forget_kept_counts(db: Path) -> None:
    """Drop ``db``'s kept counts (``county_tallies``; nothing when the table is not made yet)."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("delete from county_tallies")
    except sqlite3.OperationalError:
        pass
    finally:
        con.close()


def measure_reports(b: Bench, small: Path, big: Path, res: dict) -> None:
    """``county appraise`` (table to a file, html, and the metrics alone with --json), the
    GROUP BY, and one village-month board, on both databases."""
    out = {}
    # --force: each variant is run several times into the same file (an existing --out is refused without it).
    # "cold": the kept counts (framework.store.tallies) dropped before each run, as after a change
    # to the period's cases; the others read back what the runs before kept (a closed period
    # appraised again: the table, the html, the workbook, a board, `county serve`).
    variants = {"cold": ["--out", "{f}.txt", "--force"], "table": ["--out", "{f}.txt", "--force"],
                "html": ["--format", "html", "--out", "{f}.html", "--force"], "json": ["--json"]}
    for fmt, extra in variants.items():
        for name, db in (("small", small), ("big", big)):
            f = str(b.out / f"appraise-{name}")
            args = ["appraise", "--period", str(YEAR), "--db", str(db), "--now", NOW] + [x.format(f=f) for x in extra]
            r = _best(b, me("cli", args), f"appraise {fmt} {name}",
                      before=(lambda db=db: forget_kept_counts(db)) if fmt == "cold" else None)
            out[f"appraise_{fmt}_{name}"] = r
            b.say(f"appraise {YEAR} ({fmt}) on {name}: {r['cpu']:.2f} s CPU ({r['seconds']:.2f} s), {r['rss']:.0f} MB")
    start, end = (dt.datetime(y, 1, 1, tzinfo=TZ).timestamp() for y in (YEAR, YEAR + 1))
    for name, db in (("small", small), ("big", big)):
        m = must(run_child(me("groupby", str(db), start, end), b.log), "group by")
        out[f"groupby_{name}"] = m["data"]
        b.say(f"GROUP BY on {name}: {m['data']['cpu'] * 1000:.1f} ms CPU")
    unit = b.manifest["board_unit"]
    files = {}
    for name, db in (("small", small), ("big", big)):
        f = b.out / f"board-{name}.html"
        args = ["board", "--unit", unit, "--period", BOARD_PERIOD, "--format", "html", "--db", str(db), "--now", NOW,
                "--out", str(f), "--force"]
        r = out[f"board_{name}"] = _best(b, me("cli", args), f"board {name}")
        files[name] = f.read_bytes()
        b.say(f"board {unit} {BOARD_PERIOD} on {name}: {r['cpu']:.3f} s CPU ({r['seconds']:.3f} s), {r['rss']:.0f} MB")
    out["board_identical"] = files["small"] == files["big"]
    out["board_bytes"] = len(files["small"])
    res["reports"] = out


def measure_startup(b: Bench, res: dict) -> None:
    """``county --help`` vs the bare imports, in this environment: CPU of each process
    (os.wait4), 11 runs each, alternating; the fastest counts (the median is kept too)."""
    cmds = {"help": [county_exe(), "--help"],
            "base": [sys.executable, "-c", "import click, pluggy, sqlite_utils, attrs, cattrs"]}
    runs: dict[str, list] = {"help": [], "base": []}
    for _ in range(11):
        for k, cmd in cmds.items():
            runs[k].append(must(run_child(cmd, b.log), " ".join(cmd)))
    res["startup"] = {k: {"cpu": min(m["cpu"] for m in v), "median": statistics.median(m["cpu"] for m in v),
                          "seconds": min(m["wall"] for m in v)} for k, v in runs.items()}
    h, s = res["startup"]["help"], res["startup"]["base"]
    b.say(f"county --help {h['cpu'] * 1000:.0f} ms CPU (median {h['median'] * 1000:.0f}); "
          f"bare imports {s['cpu'] * 1000:.0f} ms CPU (median {s['median'] * 1000:.0f})")


# == the table =========================================================================================


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(b: Bench, res: dict) -> list[tuple[str, str, str, str]]:
    """Issue 13's rows: what, now (this run), target, met?."""
    rows = []
    big_n, small_n = fmt_k(b.n), fmt_k(b.small)
    if "import" in res:
        imp = res["import"]
        raw, cli, api = imp["raw"]["cpu"], imp["cli"]["cpu"], imp["api"]["cpu"]
        what = (f"`county case import` of {fmt_k(imp['rows'])} taizhang rows vs sqlite-utils `insert_all` of the same "
                f"rows (the kernel's indexes, +1 event each, WAL, batches of 1,000): CPU")
        now = (f"{raw / cli:.3f}× raw ({cli / raw:.1f}× slower: {cli:.1f} s vs {raw:.1f} s CPU; "
               f"{imp['rows'] / imp['cli']['wall']:,.0f} rows/s)")
        rows.append((what, now, "≥ 0.5× raw (≤ 2× slower)", _yes(raw / cli >= 0.5)))
        rows.append(("the same through the Python API (`add_case` in a loop, 1,000 per transaction)",
                     f"{raw / api:.3f}× raw ({api / raw:.1f}× slower: {api:.1f} s CPU)", "(see the bulk API)", "—"))
        if "bulk" in imp:
            bk = imp["bulk"]["cpu"]
            rows.append(("the same through the bulk API", f"{raw / bk:.3f}× raw ({bk:.1f} s CPU)", "≥ 0.5× raw",
                         _yes(raw / bk >= 0.5)))
        else:
            rows.append(("the same through the bulk API", "not there yet (framework/kernel/bulk.py)", "≥ 0.5× raw",
                         _yes(False)))
        mem = res["import_mem"]
        top = max(mem)
        rows.append(("peak memory of that import (peak RSS of the `county case import` process)",
                     ", ".join(f"{mem[k]:.0f} MB at {fmt_k(k)}" for k in sorted(mem)),
                     f"flat: under 150 MB at {fmt_k(top)}", _yes(mem[top] < 150)))
    if "sweep" in res:
        s = res["sweep"]
        for label, want in (("few", b.overdue[0]), ("many", b.overdue[1])):
            big, small = s[f"{label}_big"], s[f"{label}_small"]
            r = big["cpu"] / small["cpu"]
            now = (f"{r:.2f}× ({big['cpu']:.2f} s vs {small['cpu']:.2f} s, {big['escalations']:,} escalations; "
                   f"{big['rss']:.0f} vs {small['rss']:.0f} MB)")
            rows.append((f"the sweep, {want:,} overdue among {big_n} vs {small_n} cases", now, "≤ 1.1×", _yes(r <= 1.1)))
        big, t = s["many_big"], s["traced"]
        per = big["cpu"] / max(big["escalations"], 1) * 1000
        esc = max(t["escalations"], 1)
        now = f"{per:.3f} ms; {t['statements'] / esc:.1f} statements each ({t['schema_lookups'] / esc:.1f} schema lookups)"
        rows.append((f"cost per escalation ({b.overdue[1]:,} overdue among {big_n})", now,
                     "half the issue's 0.45 ms: ≤ 0.225 ms", _yes(per <= 0.225)))
    if "reports" in res:
        rp = res["reports"]
        for fmt, label in (("cold", "a year's `county appraise`, its counts not kept (the first after a change)"),
                           ("table", "a year's `county appraise`, its counts kept (a closed period appraised again)"),
                           ("html", "the same, `--format html`"),
                           ("json", "the same, `--json` (the metrics alone, no report)")):
            if f"appraise_{fmt}_big" not in rp:
                continue
            big, small = rp[f"appraise_{fmt}_big"], rp[f"appraise_{fmt}_small"]
            r = big["cpu"] / small["cpu"]
            now = f"{r:.2f}× ({big['cpu']:.2f} s vs {small['cpu']:.2f} s; {big['rss']:.0f} vs {small['rss']:.0f} MB)"
            rows.append((f"{label} on {big_n} vs on {small_n} cases (the same year's cases in both)", now, "≤ 1.2×",
                         _yes(r <= 1.2)))
        parts, ok = [], True
        for name, n in (("small", small_n), ("big", big_n)):
            g = rp[f"groupby_{name}"]["cpu"]
            r, rj = rp[f"appraise_table_{name}"]["cpu"] / g, rp[f"appraise_json_{name}"]["cpu"] / g
            cold = rp.get(f"appraise_cold_{name}")
            ok = ok and r <= 5
            parts.append(f"{r:,.1f}× at {n} (--json: {rj:,.1f}×" + (f"; not kept: {cold['cpu'] / g:,.1f}×" if cold else "")
                         + f"; GROUP BY {g * 1000:.1f} ms)")
        what = ("the same appraisal, its counts kept, vs one `GROUP BY` count over the case table (the year's cases "
                "by unit and method)")
        rows.append((what, "; ".join(parts), "within 5×", _yes(ok)))
        big, small = rp["board_big"], rp["board_small"]
        r, mr = big["cpu"] / small["cpu"], big["rss"] / small["rss"]
        same = "byte-identical" if rp["board_identical"] else "DIFFERENT"
        now = (f"{r:.2f}× ({big['cpu'] * 1000:.0f} vs {small['cpu'] * 1000:.0f} ms), "
               f"{small['rss']:.0f} → {big['rss']:.0f} MB; output {same}")
        what = f"one village-month board ({b.manifest.get('board_unit')}, {BOARD_PERIOD}, html) on {big_n} vs {small_n} cases"
        rows.append((what, now, "within 1.2×, memory flat (≤ 1.1×), byte-identical",
                     _yes(r <= 1.2 and mr <= 1.1 and rp["board_identical"])))
    if "startup" in res:
        h, s = res["startup"]["help"], res["startup"]["base"]
        r = h["cpu"] / s["cpu"]
        heavy = [m for m in ("numpy", "scipy", "matplotlib", "sklearn") if importlib.util.find_spec(m)]
        env = f"; this environment has {', '.join(heavy)}" if heavy else ""
        rows.append(("`county --help` vs `python -c \"import click, pluggy, sqlite_utils, attrs, cattrs\"` (fastest of 11)",
                     f"{r:.2f}× ({h['cpu'] * 1000:.0f} vs {s['cpu'] * 1000:.0f} ms CPU{env})",
                     "within 1.3×", _yes(r <= 1.3)))
    return rows


def render_table(rows) -> str:
    lines = ["| what | now | target | met? |", "|---|---|---|---|"]
    lines += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1e6:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores ({cpu or platform.machine()}){mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


STEPS = ("import", "sweep", "reports", "startup")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=100_000, help="cases in the big database (1000000 for the issue's figures)")
    ap.add_argument("--cache", default=os.environ.get("COUNTY_BENCH_CACHE") or str(Path.home() / ".cache" / "county-methods-bench"))
    ap.add_argument("--only", help=f"comma-separated subset of {', '.join(STEPS)}")
    ap.add_argument("--rebuild", action="store_true", help="build the cached databases and files again")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each sweep, appraisal and board; the fastest counts")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("child_args", nargs="?", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        out = CHILDREN[a.child](*json.loads(a.child_args))
        print(json.dumps({**out, "peak_mb": peak_mb()}, ensure_ascii=False, default=str), flush=True)
        return 0
    steps = a.only.split(",") if a.only else list(STEPS)
    bad = [s for s in steps if s not in STEPS]
    if bad:
        ap.error(f"--only: unknown {', '.join(bad)} (use {', '.join(STEPS)})")
    t0 = time.perf_counter()
    b = Bench(a.cases, Path(a.cache).expanduser(), a.rebuild, a.repeat)
    b.say(f"{a.cases:,} cases (small database: {b.small:,}); cache {b.dir}; log {b.log}")
    res: dict = {}
    if "sweep" in steps or "reports" in steps:
        small, big = b.databases()
        man = b.manifest
        b.say(f"databases ({man['built']}, commit {man['commit']}): small {man['size_mb']['small']:,} MB, "
              f"big {man['size_mb']['big']:,} MB; pending milestones due before the sweeps: {man['pending_due']}")
        if "sweep" in steps:
            measure_sweeps(b, small, big, res)
        if "reports" in steps:
            measure_reports(b, small, big, res)
    if "import" in steps:
        measure_imports(b, res)
    if "startup" in steps:
        measure_startup(b, res)
    rows = table(b, res)
    text = render_table(rows)
    head = (f"{time.strftime('%Y-%m-%d')}, commit {_git_head()}, {machine()}; --cases {a.cases}; "
            f"{time.perf_counter() - t0:.0f} s")
    note = ("Times are CPU seconds of the measured process or section (best of --repeat), memory its peak RSS; "
            "wall clock is in results.json.")
    print()
    print(head)
    print()
    print(text)
    print()
    print(note)
    (b.dir / "results.md").write_text(f"{head}\n\n{text}\n\n{note}\n", encoding="utf-8")
    (b.dir / "results.json").write_text(json.dumps({"head": head, "results": res, "manifest": b.manifest},
                                                   indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
