"""Issue 14, "Faults and load": the sweep in bounded transactions, a lock timeout as a
retryable refusal (exit 75), isolation per plugin and per case (sweep, boards), the same
submission twice (--request-id, the duplicate warning), a tier with no unit (init warning,
the case's recorded reason), WAL refused on a network file system.

Two methods defined here share one chain: 48 hours at the village, then 3 calendar days at the
township (flag). ``bad`` raises in its deadline hook at the township, so its escalations fail.
A case taken in at 2024-03-01 10:00 is due at the village 2024-03-03 10:00; the sweep at
2024-03-04 09:00 escalates it (the township's milestone: 2024-03-07 23:59:59).
"""

import datetime as dt
import sqlite3
import types

import pytest
from deployments import mini_zhongjiang, three_levels

from framework import hookimpl
from framework.kernel.registry import Registry
from framework.kernel.sweep import SWEEP_PAUSE
from framework.models import (
    Board,
    BoardSection,
    Deadline,
    MethodInfo,
    Milestone,
    Requester,
    Tier,
)
from framework.store import mounts
from framework.store.db import Store


def method(name: str, *, bad_deadline: bool = False, bad_board: bool = False):
    mod = types.ModuleType(f"test_faults_{name}")

    @hookimpl
    def county_method():
        return MethodInfo(name=name, title_zh=f"测试{name}", title=name, source_county="测试县", source_lines="L0",
                          stages=("deadline", "publicity"),
                          tiers=[Tier("village", "村", "village"), Tier("township", "镇", "township")])

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.hours(arrived_at, 48), "escalate", "township", True)])
        if bad_deadline:
            raise RuntimeError("township rules missing")
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])

    @hookimpl
    def county_publicity(ctx, unit, period, cases):
        if bad_board:
            raise ValueError("template lost")
        return [Board(name, f"{name} 公示", unit.code, period,
                      [BoardSection("办件", [("id", "编号")], [{"id": c.id} for c in cases()])])]

    mod.county_method, mod.county_deadline, mod.county_publicity = county_method, county_deadline, county_publicity
    return mod


def registry():
    return Registry(extra_plugins={"good": method("good"), "bad": method("bad", bad_deadline=True, bad_board=True)},
                    entry_points=False)


@pytest.fixture
def two(make_county):
    county = make_county(three_levels(["good", "bad"]), now="2024-03-01T10:00", registry=registry())
    for m in ("good", "bad", "good"):
        county.add_case(m, "cs.t1.v1", f"{m} 路灯")
    return county


# -- isolation -----------------------------------------------------------------------------------


def test_one_plugin_raising_in_the_sweep_does_not_roll_back_the_others(two):
    two.clock.fixed = dt.datetime(2024, 3, 4, 9, 0)
    acts = two.sweep()
    assert [(a["case"], a["action"], a["to"]) for a in acts] == [
        ("cs-000001", "escalate", "township"), ("cs-000003", "escalate", "township")]
    assert two.sweep_failures == [{"case": "cs-000002", "milestone": "close", "plugin": "bad",
                                   "hook": "county_deadline", "error": "RuntimeError: township rules missing"}]
    good, bad = two.get_case("cs-000001"), two.get_case("cs-000002")
    assert (good.level, good.due_at.isoformat()) == ("township", "2024-03-07T23:59:59+08:00")
    assert (bad.level, bad.status, bad.due_at.isoformat()) == ("village", "registered", "2024-03-03T10:00:00+08:00")
    failed = [e for e in bad.events if e.type == "sweep_failed"]
    assert [(e.at.isoformat(), e.note, e.data) for e in failed] == [(
        "2024-03-04T09:00:00+08:00", "插件 'bad' 在 county_deadline 中出错：RuntimeError: township rules missing",
        {"plugin": "bad", "hook": "county_deadline", "milestone": "close", "error": "RuntimeError: township rules missing"})]
    # the failed milestone stays pending: the next sweep tries it again (and records it again)
    assert two.store.query("select state from milestones where case_id = 'cs-000002'") == [{"state": "pending"}]
    assert two.sweep() == [] and len(two.sweep_failures) == 1


def test_the_sweep_command_reports_each_failure_and_exits_1(init_county, cli_registry):
    cli_registry(registry())
    run = init_county(three_levels(["good", "bad"]))
    for m in ("good", "bad"):
        run("case", "add", "--method", m, "--unit", "cs.t1.v1", "--title", "路灯", "--now", "2024-03-01T10:00")
    r = run("sweep", "--now", "2024-03-04T09:00", "--json", ok=1)
    assert [a["case"] for a in __import__("json").loads(r.stdout)["actions"]] == ["cs-000001"]
    assert r.stderr.splitlines()[-2:] == [
        "error: sweep: cs-000002 close: 插件 'bad' 在 county_deadline 中出错：RuntimeError: township rules missing",
        "error: sweep: 1 个时限失败（1 件事项），1 项已处理；失败的时限仍待办，留待下次督办"]


def test_one_publicity_hook_raising_loses_only_its_own_board(two, init_county, cli_registry):
    boards = two.boards("cs.t1.v1", "2024-03")
    assert [(b.method, [r["id"] for r in b.sections[0].rows]) for b in boards] == [("good", ["cs-000001", "cs-000003"])]
    assert two.board_failures == [{"unit": "cs.t1.v1", "period": "2024-03", "plugin": "bad", "hook": "county_publicity",
                                   "error": "plugin 'bad' failed in county_publicity: ValueError: template lost"}]
    cli_registry(registry())
    r = init_county(three_levels(["good", "bad"]), name="cli.toml")(
        "board", "--unit", "cs.t1.v1", "--period", "2024-03", "--format", "json", "--now", "2024-03-05", ok=1)
    assert '"good 公示"' in r.stdout and "bad 公示" not in r.stdout
    assert r.stderr.splitlines()[-2:] == [
        "error: board cs.t1.v1 2024-03: plugin 'bad' failed in county_publicity: ValueError: template lost",
        "error: board: 1 method(s) failed; 1 board(s) posted without them"]


# -- bounded transactions and the lock ---------------------------------------------------------------


def test_the_sweep_commits_in_bounded_batches(make_county, monkeypatch):
    county = make_county(three_levels(["good"]), now="2024-03-01T10:00", registry=Registry(
        extra_plugins={"good": method("good")}, entry_points=False))
    for i in range(5):
        county.add_case("good", "cs.t1.v1", f"路灯{i}")
    commits = []
    county.store.db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    pauses = []
    monkeypatch.setattr("framework.kernel.sweep.time.sleep", pauses.append)
    county.clock.fixed = dt.datetime(2024, 3, 4, 9, 0)
    assert len(county.sweep(batch=2)) == 5
    assert (len(commits), pauses) == (3, [SWEEP_PAUSE, SWEEP_PAUSE])  # 2 + 2 + 1 milestones, a pause between
    assert county.sweep(batch=2) == []  # idempotent for one now


def test_a_lock_that_times_out_is_a_retryable_refusal(init_county, county_db, monkeypatch):
    run = init_county(mini_zhongjiang())
    monkeypatch.setenv("COUNTY_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(county_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category",
                "livelihood", "--now", "2024-03-01T10:00", ok=75)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.stderr.strip() == (f"error: database busy: another writer held {county_db} longer than the busy timeout "
                                f"(database is locked); nothing was written — try again")
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category", "livelihood",
        "--now", "2024-03-01T10:00")  # retried: taken in as the first case
    assert run("case", "list", "--json").data[0]["id"] == "zj-000001"
    monkeypatch.setenv("COUNTY_BUSY_TIMEOUT", "soon")
    assert run("case", "list", ok=2).stderr.strip() == (
        "error: COUNTY_BUSY_TIMEOUT: 'soon' is not a number of seconds (0 or more, e.g. 30)")


# -- the same submission twice -----------------------------------------------------------------------

ADD = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯不亮", "--category", "livelihood",
       "--requester-name", "王长贵", "--requester-phone", "13812345678")


def test_a_request_id_returns_the_first_case(init_county):
    run = init_county(mini_zhongjiang())
    first = run(*ADD, "--request-id", "app-7f3a", "--now", "2024-03-01T10:00", "--json").data
    again = run(*ADD, "--request-id", "app-7f3a", "--now", "2024-03-01T10:00:05", "--json")
    assert (again.data["id"], again.data["existing"], first["id"]) == ("zj-000001", True, "zj-000001")
    assert again.stderr.strip() == ("note: --request-id 'app-7f3a' 已于 2024-03-01T10:00:00+08:00 受理为事项 "
                                    "zj-000001，未写入新内容")
    assert len(run("case", "list", "--json").data) == 1
    assert run(*ADD, "--request-id", " ", "--now", "2024-03-01T10:01", ok=2).stderr.strip() == (
        "error: --request-id: empty; give the client's key for this submission, or leave it out")


def test_a_duplicate_within_ten_minutes_is_refused_unless_allowed(init_county):
    run = init_county(mini_zhongjiang())
    run(*ADD, "--now", "2024-03-01T10:00")
    r = run(*ADD, "--now", "2024-03-01T10:09:59", ok=1)
    assert r.stderr.strip() == (
        "error: case add: case zj-000001 (taken in at 2024-03-01T10:00:00+08:00) has the same requester phone, title "
        "and unit, within 10 minutes: a duplicate? give --allow-duplicate to take it in anyway (or --request-id to "
        "make retries safe)")
    assert run(*ADD, "--allow-duplicate", "--now", "2024-03-01T10:05", "--json").data["id"] == "zj-000002"
    assert run(*ADD, "--now", "2024-03-01T10:20", "--json").data["id"] == "zj-000003"  # 15 minutes after the 2nd
    other = [a if a != "13812345678" else "13912345678" for a in ADD]
    assert run(*other, "--now", "2024-03-01T10:21", "--json").data["id"] == "zj-000004"  # another requester


# -- a tier with no unit -----------------------------------------------------------------------------


def test_init_warns_and_the_case_records_why_it_has_nobody(county_cli, tmp_path):
    toml = mini_zhongjiang().replace('[[units]]\ncode = "zj.sza"\nname = "县三账办"\nlevel = "ledger_office"\nparent = "zj"\n', "")
    assert "zj.sza" not in toml
    (tmp_path / "county.toml").write_text(toml, encoding="utf-8")
    run = county_cli
    r = run("init", "--config", tmp_path / "county.toml")
    assert [line for line in r.stderr.splitlines() if "has no unit of level" in line] == [
        f"warning: taizhang's tier {t} has no unit of level {lv}: escalations there will have no handler"
        for t, lv in (("ledger_office (县三账办)", "ledger_office"), ("department (相关部门)", "department"),
                      ("joint_meeting (联席会议)", "joint_meeting"))]
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category", "livelihood",
        "--now", "2024-02-26T10:00")
    run("sweep", "--now", "2024-03-03T01:00")  # village (5 d) missed -> township
    acts = run("sweep", "--now", "2024-03-19T01:00", "--json").data["actions"]  # township's 15 d -> 三账办
    assert [(a["milestone"], a["to"]) for a in acts][-1] == ("report_up", "ledger_office")
    c = run("case", "show", "zj-000001", "--json").data
    reason = "本部署没有层级为 ledger_office 的单位承接县三账办 ledger_office 层级：事项暂无责任人"
    assert (c["level"], c["handler"], c["extra"]["no_handler_reason"]) == ("ledger_office", None, reason)
    assert [(e["type"], e["at"], e["note"]) for e in c["events"] if e["type"] == "no_handler"] == [
        ("no_handler", "2024-03-19T01:00:00+08:00", reason)]


# -- WAL on a network file system ------------------------------------------------------------------


def test_the_mount_table_names_the_file_system(tmp_path):
    table = tmp_path / "mounts"
    table.write_text("/dev/sda1 / ext4 rw 0 0\nserver:/srv /srv/county nfs4 rw 0 0\n"
                     "sshfs#me@h: /mnt/my\\040files fuse.sshfs rw 0 0\n", encoding="utf-8")
    assert mounts.mount_type("/srv/county/a/county.db", str(table)) == "nfs4"
    assert mounts.mount_type("/srv/countyx/county.db", str(table)) == "ext4"  # a prefix is not a mount point
    assert mounts.mount_type("/mnt/my files/county.db", str(table)) == "fuse.sshfs"
    assert mounts.mount_type("/x.db", str(tmp_path / "absent")) is None


@pytest.mark.parametrize("fstype, journal", [("nfs4", "delete"), ("fuse.sshfs", "delete"), ("9p", "delete"),
                                             ("ext4", "wal")])
def test_wal_is_refused_on_a_network_file_system(tmp_path, monkeypatch, fstype, journal):
    monkeypatch.setattr(mounts, "mount_type", lambda path, mounts="/proc/mounts": fstype)
    store = Store(str(tmp_path / "c.db"))
    assert store.db.execute("pragma journal_mode").fetchone()[0] == journal
    assert store.warnings == ([] if journal == "wal" else [
        (f"--db {tmp_path / 'c.db'}: on a {fstype} file system, where SQLite's WAL can corrupt the database; using "
        f"the rollback journal (slower, safe) — keep the database on a local disk")])


def test_requester_phone_check_is_unchanged_by_the_duplicate_rule(make_county):
    """The Python API checks duplicates only when asked (``duplicate_window``): imports and
    plugins' own intake are not refused."""
    county = make_county(mini_zhongjiang(), now="2024-03-01T10:00")
    req = Requester("王长贵", "13812345678")
    a = county.add_case("taizhang", "zj.fx.llg", "路灯", category="livelihood", requester=req)
    b = county.add_case("taizhang", "zj.fx.llg", "路灯", category="livelihood", requester=req)
    assert (a.id, b.id) == ("zj-000001", "zj-000002")
    with pytest.raises(Exception, match="case zj-000001 .* same requester phone"):
        county.add_case("taizhang", "zj.fx.llg", "路灯", category="livelihood", requester=req,
                        duplicate_window=dt.timedelta(minutes=10))


# -- load: writers while a long sweep runs -------------------------------------------------------------

OPEN = """
import datetime as dt, json, os, sqlite3, sys, time
sys.path.insert(0, {tests!r})
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.store.db import Store
county = County(Store({db!r}, busy_timeout_ms=2000), Registry(), actor="tester")
"""
SWEEPER = OPEN + """
county.clock.fixed = dt.datetime(2024, 3, 3, 1, 0)
move = county._move
def slow_move(*a, **kw):  # each escalation takes 8 ms more: a long sweep on any machine
    time.sleep(0.008)
    return move(*a, **kw)
county._move = slow_move
t = time.monotonic()
open({go!r}, "w").close()  # the writers start now
acts = county.sweep()
print(json.dumps({{"actions": len(acts), "seconds": round(time.monotonic() - t, 2)}}))
"""
WRITER = OPEN + """
county.clock.fixed = dt.datetime(2024, 3, 3, 2, 0)
waits, failures, ids = [], 0, []
while not os.path.exists({go!r}):  # wait for the sweep to start
    time.sleep(0.01)
for i in range(6):
    time.sleep(0.1)  # spread over the sweep
    for op in ("add", "resolve"):
        t = time.monotonic()
        try:
            if op == "add":
                ids.append(county.add_case("taizhang", "zj.fx.llg", "写入{n}-" + str(i), category="livelihood").id)
            else:
                county.resolve(ids[-1], "办结")
        except (sqlite3.OperationalError, IndexError) as e:  # IndexError: its add failed
            failures += 1
            print(op, type(e).__name__, e, round(time.monotonic() - t, 3), file=sys.stderr)
        waits.append(round(time.monotonic() - t, 3))
print(json.dumps({{"waits": waits, "failures": failures, "ids": ids}}))
"""


def test_writers_are_not_locked_out_by_a_long_sweep(tmp_path):
    """300 village cases overdue at 2024-03-03 01:00 (taken in 02-26 10:00, due 03-02 23:59:59)
    are escalated by a sweep (each escalation slowed by 8 ms: 2.4 s and more in all, longer
    than the writers' busy timeout) in one process while three others each add and resolve six cases
    with a 2 s busy timeout: none fails (the sweep yields between bounded transactions),
    nothing is lost or doubled. Waits are printed, not asserted (wall time is the machine's)."""
    import json
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    from framework.kernel.bulk import CaseSpec
    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County

    db = str(tmp_path / "load.db")
    county = County.init(Store(db), deployment_from_dict(tomllib.loads(mini_zhongjiang())), Registry(),
                         now=dt.datetime(2024, 3, 1, 10, 0), actor="tester")
    specs = [CaseSpec("taizhang", "zj.fx.llg", f"旧件{i}", category="livelihood",
                      created_at=dt.datetime(2024, 2, 26, 10, 0)) for i in range(300)]
    assert sum(1 for t in county.add_cases(specs) if t.case) == 300
    county.store.db.conn.close()
    tests = str(Path(__file__).parent)
    env = {"COUNTY_ACTOR": "tester", "PATH": "/usr/bin:/bin"}
    go = str(tmp_path / "go")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER.format(tests=tests, db=db, n=n, go=go)],
                                stdout=subprocess.PIPE, text=True, env=env) for n in range(3)]
    sweeper = subprocess.Popen([sys.executable, "-c", SWEEPER.format(tests=tests, db=db, go=go)],
                               stdout=subprocess.PIPE, text=True, env=env)
    results = [json.loads(w.communicate(timeout=60)[0]) for w in writers]
    swept = json.loads(sweeper.communicate(timeout=60)[0])
    for r in results:
        print("writer waits (s):", r["waits"])
    print("sweep:", swept)
    assert [r["failures"] for r in results] == [0, 0, 0]
    assert swept["actions"] == 300
    check = Store(db)
    ids = [i for r in results for i in r["ids"]]
    assert len(ids) == len(set(ids)) == 18
    q = check.db.execute
    assert q("select count(*) from cases").fetchone()[0] == 318
    assert q("select count(*), count(distinct case_id) from events where type = 'escalated'").fetchone() == (300, 300)
    assert q("select count(*) from cases where status = 'resolved'").fetchone()[0] == 18
    assert q("select count(*) from cases where level = 'township'").fetchone()[0] == 300
