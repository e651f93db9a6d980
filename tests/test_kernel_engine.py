"""Kernel behaviour: composition, transactions, bad input, the operator CLI contract."""

import datetime as dt
import json
import sqlite3
import threading
import time
import types

import pytest

from framework import hookimpl
from framework.errors import CountyError, PluginError, Refusal
from framework.models import Deadline, MethodInfo, Milestone, Requester, Tier
from framework.kernel.registry import Registry
from deployments import mini_zhongjiang

BASE = """
[deployment]
name = "测试县"
code = "cs"
methods = {methods}

[[units]]
code = "cs"
name = "测试县"
level = "county"
[[units]]
code = "cs.sza"
name = "县三账办"
level = "ledger_office"
parent = "cs"
[[units]]
code = "cs.t1"
name = "一镇"
level = "township"
parent = "cs"
[[units]]
code = "cs.t1.v1"
name = "一村"
level = "village"
parent = "cs.t1"

[[people]]
id = "p1"
name = "杨某"
unit = "cs.t1.v1"
roles = ["village_cadre"]
"""


def toml(methods='["taizhang"]', extra=""):
    return BASE.replace("{methods}", methods) + extra


# -- a tiny method defined in the test: two tiers, 48 hours then 3 calendar days ----------


def make_plugin(name="mini", raise_in=None):
    mod = types.ModuleType(f"test_plugin_{name}")

    @hookimpl
    def county_method():
        return MethodInfo(name=name, title_zh="测试法", title="Test method", source_county="测试县",
                          source_lines="L0", stages=("deadline",),
                          tiers=[Tier("village", "村", "village"), Tier("township", "镇", "township")])

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        """48 hours at the village, then 3 calendar days at the township."""
        if raise_in == "deadline":
            raise RuntimeError("boom")
        if level == "village":
            return Deadline([Milestone("close", ctx.calendar.hours(arrived_at, 48), "escalate", "township", True)])
        return Deadline([Milestone("close", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])

    mod.county_method, mod.county_deadline = county_method, county_deadline
    return mod


def test_plugins_list_json_names_every_builtin_method(county_cli):
    data = county_cli("plugins", "list", "--json").data
    by_name = {r["name"]: r for r in data}
    assert by_name["taizhang"]["stages"] == ["intake", "triage", "assignment", "deadline", "publicity", "appraisal"]
    assert by_name["taizhang"]["tiers"] == ["village", "township", "ledger_office", "department", "joint_meeting",
                                            "county_leadership"]
    for name in ("taizhang", "dianti", "daiban", "xiangkai", "shequ365"):
        assert name in by_name


def test_binding_gives_one_methods_stage_to_another(make_county):
    reg = Registry({"mini": make_plugin()})
    county = make_county(toml('["taizhang", "mini"]', '\n[bindings]\nmini.deadline = "taizhang"\n'),
                         now="2026-11-02T10:00", registry=reg)
    case = county.add_case("mini", "cs.t1.v1", "路灯坏了")
    # taizhang's village rule: end of the 5th calendar day, not mini's 48 hours
    assert case.level == "village"
    assert case.due_at.isoformat() == "2026-11-07T23:59:59+08:00"


def test_own_rules_without_binding(make_county):
    county = make_county(toml('["mini"]'), now="2026-11-02T10:00", registry=Registry({"mini": make_plugin()}))
    case = county.add_case("mini", "cs.t1.v1", "路灯坏了")
    assert case.due_at.isoformat() == "2026-11-04T10:00:00+08:00"
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-04T10:00:01+08:00")
    acts = county.sweep()
    assert [(a["from"], a["to"]) for a in acts] == [("village", "township")]
    case = county.get_case(case.id)
    assert case.unit == "cs.t1" and case.due_at.isoformat() == "2026-11-07T23:59:59+08:00"
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-08T00:00:00+08:00")
    assert [a["action"] for a in county.sweep()] == ["flag"]
    assert county.sweep() == []
    assert county.get_case(case.id).level == "township"


def test_hook_that_raises_leaves_no_half_written_case(make_county):
    county = make_county(toml('["mini"]'), now="2026-11-02T10:00",
                         registry=Registry({"mini": make_plugin(raise_in="deadline")}))
    with pytest.raises(PluginError, match="plugin 'mini' failed in county_deadline: RuntimeError: boom"):
        county.add_case("mini", "cs.t1.v1", "路灯坏了")
    db = county.store.db
    assert db.execute("select count(*) from cases").fetchone()[0] == 0
    assert db.execute("select count(*) from events").fetchone()[0] == 0
    assert db.execute("select count(*) from milestones").fetchone()[0] == 0


def test_bad_input_errors(make_county):
    county = make_county(toml(), now="2026-11-02T10:00")
    with pytest.raises(CountyError, match="'nosuch' is not enabled"):
        county.add_case("nosuch", "cs.t1.v1", "x")
    with pytest.raises(CountyError, match="unknown unit 'cs.nowhere'"):
        county.add_case("taizhang", "cs.nowhere", "x")
    with pytest.raises(CountyError, match="--category: 'roads' is not a category of taizhang"):
        county.add_case("taizhang", "cs.t1.v1", "x", category="roads")
    with pytest.raises(CountyError, match="--set colour: not a field of taizhang"):
        county.add_case("taizhang", "cs.t1.v1", "x", fields={"colour": "red"})
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="livelihood")
    with pytest.raises(CountyError, match="unknown person 'ghost'"):
        county.assign(case.id, handler="ghost")
    county.resolve(case.id, "done")
    with pytest.raises(Refusal, match="is resolved; cannot resolve"):
        county.resolve(case.id, "again")


def test_every_change_is_an_event_with_the_actor(make_county, monkeypatch):
    county = make_county(toml(), now="2026-11-02T10:00")
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="livelihood",
                           requester=Requester("张三丰", "13812345678"))
    county.assign(case.id, handler="p1", note="村支书承办")
    county.resolve(case.id, "已解决")
    county.confirm(case.id, "satisfied")
    got = county.get_case(case.id)
    assert [e.type for e in got.events] == ["registered", "assigned", "resolved", "confirmed"]
    assert {e.actor for e in got.events} == {"tester"}
    assert got.status == "confirmed" and got.satisfaction == "satisfied" and got.resolved_level == "village"


def test_settled_on_the_spot_has_no_deadline(make_county):
    county = make_county(toml(), now="2026-11-02T10:00")
    case = county.add_case("taizhang", "cs.t1.v1", "邻里纠纷当场调解", category="stability",
                           fields={"on_the_spot": "yes"})
    assert case.status == "resolved" and case.due_at is None
    assert case.resolved_at.isoformat() == "2026-11-02T10:00:00+08:00"


def test_writers_wait_for_each_other(make_county, county_db):
    county = make_county(toml(), now="2026-11-02T10:00")
    other = sqlite3.connect(str(county_db), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = []

    def release():
        time.sleep(0.4)
        released.append(time.monotonic())
        other.execute("COMMIT")

    t = threading.Thread(target=release)
    t.start()
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="livelihood")  # waits, then succeeds
    done = time.monotonic()
    t.join()
    assert case.id == "cs-000001" and released and done >= released[0]


# -- CLI contract ------------------------------------------------------------------------


def test_cli_errors_are_one_line_with_exit_codes(county_cli, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[deployment\nname=", encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=2)
    assert r.stderr.count("\n") == 1 and "malformed TOML" in r.stderr
    cfg.write_text(toml('["taizhang", "nosuch"]'), encoding="utf-8")
    r = county_cli("init", "--config", cfg, ok=2)
    assert "[deployment] methods: method 'nosuch' is not installed" in r.stderr
    cfg.write_text(toml(), encoding="utf-8")
    county_cli("init", "--config", cfg)
    r = county_cli("case", "add", "--method", "taizhang", "--unit", "cs.none", "--title", "x", ok=2)
    assert r.stderr == "error: unknown unit 'cs.none' (see `county units list`)\n"
    r = county_cli("case", "show", "cs-000009", ok=2)
    assert "unknown case 'cs-000009'" in r.stderr
    county_cli("case", "add", "--method", "taizhang", "--unit", "cs.t1.v1", "--title", "x", "--category", "needy")
    county_cli("case", "resolve", "cs-000001", "--note", "ok")
    r = county_cli("case", "resolve", "cs-000001", "--note", "again", ok=1)
    assert "is resolved" in r.stderr and "Traceback" not in r.output
    r = county_cli("sweep", "--now", "yesterday", ok=2)
    assert "--now: 'yesterday' is not an ISO 8601 time" in r.stderr


def test_cli_json_is_one_document_with_chinese(init_county):
    county_cli = init_county(toml())
    r = county_cli("case", "add", "--method", "taizhang", "--unit", "cs.t1.v1", "--title", "修路",
                   "--category", "livelihood", "--now", "2026-11-30T22:00", "--json")
    assert json.loads(r.stdout)["title"] == "修路"
    assert r.data["due_at"] == "2026-12-05T23:59:59+08:00"  # crosses the month end
    assert set(["id", "method", "channel", "category", "title", "unit", "level", "status", "handler", "created_at",
                "due_at", "resolved_at", "satisfaction", "events", "extra"]) <= set(r.data)
    listed = county_cli("case", "list", "--overdue", "--now", "2026-12-06T00:00", "--json").data
    assert [c["id"] for c in listed] == ["cs-000001"]


def test_broken_plugin_does_not_stop_the_cli(county_cli, cli_registry):
    reg = Registry({"mini": make_plugin()})
    reg.broken["brokenone"] = "import failed: ModuleNotFoundError: No module named 'nope'"
    cli_registry(reg)
    r = county_cli("plugins", "list")
    assert "brokenone" in r.output and "BROKEN" in r.output and "mini" in r.output


def test_shell_runs_the_same_commands(tmp_path):
    import subprocess
    import sys

    cfg = tmp_path / "c.toml"
    cfg.write_text(toml(), encoding="utf-8")
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "framework.cli", "init", "--config", str(cfg), "--db", str(db)], check=True,
                   capture_output=True)
    r = subprocess.run([sys.executable, "-m", "framework.cli", "shell", "--db", str(db)],
                       input="case add --method taizhang --unit cs.t1.v1 --title 修桥 --category livelihood --now 2026-11-02T09:00\n"
                             "case list\n:q\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "cs-000001  已登记 registered  村(社区) village" in r.stdout and "共 1 件" in r.stdout


def test_bindings_are_checked(make_county):
    with pytest.raises(CountyError, match=r"\[bindings\] mini.publicity: use METHOD.STAGE with a stage of intake"):
        make_county(toml('["taizhang", "mini"]', '\n[bindings]\nmini.publicity = "taizhang"\n'),
                    registry=Registry({"mini": make_plugin()}))
    with pytest.raises(CountyError, match="binding target 'daiban' is not enabled"):
        make_county(toml('["taizhang", "mini"]', '\n[bindings]\nmini.deadline = "daiban"\n'),
                    registry=Registry({"mini": make_plugin()}))


def test_plugin_settings_are_checked_at_init(make_county):
    with pytest.raises(CountyError, match=r"\[plugins.taizhang\] village_days = 'five': must be a whole number"):
        make_county(toml(extra='\n[plugins.taizhang]\nvillage_days = "five"\n'))
    with pytest.raises(CountyError, match=r"\[plugins.taizhang\] village_days = -3: must not be negative"):
        make_county(toml(extra='\n[plugins.taizhang]\nvillage_days = -3\n'))
    with pytest.raises(CountyError, match=r"\[plugins.taizhang\] village_days = 5.5: must be a whole number"):
        make_county(toml(extra='\n[plugins.taizhang]\nvillage_days = 5.5\n'))
    with pytest.raises(CountyError, match=r"\[plugins.taizhang\] colour: not a setting of taizhang"):
        make_county(toml(extra='\n[plugins.taizhang]\ncolour = "red"\n'))
    county = make_county(toml(extra='\n[plugins.taizhang]\nvillage_days = 3\n'), now="2026-11-02T10:00")
    assert county.add_case("taizhang", "cs.t1.v1", "x", category="needy").due_at.isoformat() == "2026-11-05T23:59:59+08:00"


def test_no_action_before_the_case_was_taken_in(make_county):
    county = make_county(toml(), now="2027-12-31T10:00")
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="needy")
    county.clock.fixed = dt.datetime.fromisoformat("2013-01-01T10:00+08:00")
    with pytest.raises(Refusal, match="was taken in at 2027-12-31T10:00:00\\+08:00; cannot resolve it"):
        county.resolve(case.id, "done")
    with pytest.raises(Refusal, match="cannot escalate it"):
        county.escalate(case.id)
    with pytest.raises(Refusal, match="cannot record 'deliberated' at 2013-01-01T10:00:00\\+08:00"):
        county.record_event(case.id, "deliberated", "两委议账")
    assert county.get_case(case.id).status == "registered"


def test_unit_codes_without_spaces(make_county):
    with pytest.raises(CountyError, match=r"\[\[units\]\] #5 code: 'x y' must be non-empty with no spaces"):
        make_county(toml() + '\n[[units]]\ncode = "x y"\nname = "坏"\nlevel = "village"\nparent = "cs.t1"\n')


@pytest.mark.parametrize("phone, id_number, message", [
    ("12345", None, "--requester-phone: '12345' is not a phone number"),
    ("138-1234-5678x", None, "--requester-phone"),
    (None, "123", "--requester-id-number: '123' is not an ID-card number"),
    (None, "51062319900101123", "--requester-id-number"),  # 17 characters
])
def test_requester_phone_and_id_are_checked(make_county, phone, id_number, message):
    county = make_county(toml(), now="2026-11-02T10:00")
    with pytest.raises(CountyError, match=message):
        county.add_case("taizhang", "cs.t1.v1", "x", category="needy", requester=Requester("张三", phone, id_number))
    assert county.store.db.execute("select count(*) from cases").fetchone()[0] == 0


def test_requester_phone_and_id_forms_accepted(make_county):
    county = make_county(toml(), now="2026-11-02T10:00")
    for phone, idn in (("13812345678", "51062319900101123X"), ("0838-1234567", "510623900101123"),
                       ("+86 138 1234 5678", None), ("0000-00000000", None)):
        county.add_case("taizhang", "cs.t1.v1", "x", category="needy", requester=Requester("张三", phone, idn))
    assert county.store.db.execute("select count(*) from cases").fetchone()[0] == 4


def test_escalation_leaves_the_lower_tiers_handler_behind(make_county):
    county = make_county(toml(), now="2026-11-02T10:00")
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="needy")
    county.assign(case.id, handler="p1")
    up = county.escalate(case.id, "村里解决不了")
    assert (up.level, up.unit, up.handler) == ("township", "cs.t1", None)


def test_times_of_operator_actions_are_checked(make_county):
    county = make_county(toml(), now="2026-11-02T10:00")
    case = county.add_case("taizhang", "cs.t1.v1", "x", category="needy")
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-08T09:00+08:00")
    county.sweep()  # village limit missed: township since 2026-11-08T09:00
    with pytest.raises(Refusal, match="reached tier township at 2026-11-08T09:00:00\\+08:00"):
        county.resolve(case.id, "done", at=dt.datetime.fromisoformat("2026-11-07T09:00+08:00"))
    with pytest.raises(Refusal, match="is after now"):
        county.resolve(case.id, "done", at=dt.datetime.fromisoformat("2026-11-09T09:00+08:00"))
    with pytest.raises(Refusal, match="escalation goes up the chain, not to village"):
        county.escalate(case.id, to_level="village")
    county.clock.fixed = dt.datetime.fromisoformat("2026-11-09T10:00+08:00")
    county.resolve(case.id, "done", at=dt.datetime.fromisoformat("2026-11-08T15:00+08:00"))
    with pytest.raises(Refusal, match="cannot be confirmed earlier"):
        county.confirm(case.id, "satisfied", at=dt.datetime.fromisoformat("2026-11-08T14:00+08:00"))
    with pytest.raises(CountyError, match="status 'resolved' must be an open status"):
        county.record_event(case.id, "note", status="resolved")


def test_deadline_with_an_unknown_action_or_tier_is_a_plugin_error(make_county):
    mod = make_plugin()

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        """A broken rule: escalates to a tier that is not in the chain."""
        return Deadline([Milestone("close", ctx.calendar.hours(arrived_at, 1), "escalate", "province", True)])

    mod.county_deadline = county_deadline
    county = make_county(toml('["mini"]'), now="2026-11-02T10:00", registry=Registry({"mini": mod}))
    with pytest.raises(PluginError, match="to_level 'province' is not a tier of the mini chain"):
        county.add_case("mini", "cs.t1.v1", "x")
    assert county.store.db.execute("select count(*) from cases").fetchone()[0] == 0


def test_opening_applies_a_plugins_new_migrations(make_county, county_db):
    from framework.kernel.county import County
    from framework.store.db import Store

    mod = make_plugin()
    make_county(toml('["mini"]'), registry=Registry({"mini": mod}))

    @hookimpl
    def county_migrations(migrations):
        """Version 2 of the plugin adds a table."""
        @migrations()
        def m001_mini_notes(db):
            db["mini_notes"].create({"id": int, "text": str}, pk="id")

    mod.county_migrations = county_migrations
    county = County(Store(str(county_db)), Registry({"mini": mod}))
    assert county.store.db["mini_notes"].exists()


def test_console_script_errors_before_any_command_are_one_line(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "framework.cli", *args], capture_output=True, text=True,
                              cwd=tmp_path)

    r = run("--bogus")
    assert (r.returncode, r.stderr) == (2, "error: county: No such option '--bogus'. (see `county --help`)\n")
    r = run("case")
    assert r.returncode == 2 and r.stderr == "error: county case: missing command (see `county case --help`)\n"
    assert "Cases (事项)" in r.stdout
    assert run("--version").returncode == 0


def test_a_tier_reached_only_by_its_methods_command(make_county):
    mod = make_plugin()

    @hookimpl
    def county_method():
        """Two tiers; the second only through the method's own command."""
        return MethodInfo(name="mini", title_zh="测试法", title="Test method", source_county="测试县",
                          source_lines="L0", stages=("deadline",),
                          tiers=[Tier("topic", "议题", "village"), Tier("supervised", "督办", "village", by_command_only=True)])

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        """No limit on a topic; three days once supervised."""
        if level == "supervised":
            return Deadline([Milestone("finish", ctx.calendar.calendar_days(arrived_at, 3), "flag", None, True)])
        return Deadline()

    mod.county_method, mod.county_deadline = county_method, county_deadline
    county = make_county(toml('["mini"]'), now="2026-11-02T10:00", registry=Registry({"mini": mod}))
    case = county.add_case("mini", "cs.t1.v1", "x")
    with pytest.raises(Refusal, match="reached only through mini's own command"):
        county.escalate(case.id)
    moved = county.escalate(case.id, "督办通知书", to_level="supervised")  # what the method's command does
    assert (moved.level, moved.due_at.isoformat()) == ("supervised", "2026-11-05T23:59:59+08:00")


def test_min_cases_to_rank_is_at_least_one(make_county):
    with pytest.raises(CountyError, match="min_cases_to_rank: must be a whole number >= 1"):
        make_county(toml().replace('code = "cs"\n', 'code = "cs"\nmin_cases_to_rank = 0\n', 1))


def test_a_bad_set_value_names_the_key_and_what_it_must_be(make_county):
    county = make_county(mini_zhongjiang(), now="2026-11-02T10:00:00+08:00")
    with pytest.raises(CountyError) as e:
        county.add_case("taizhang", "zj.fx.llg", "修路", category="livelihood", fields={"on_the_spot": "maybe"})
    assert str(e.value) == "--set on_the_spot='maybe': must be yes or no (true/false, 1/0) (taizhang)"


WORKDAY_PLUGIN = '''
"""Answers within 3 working days (a plugin registered in code for the calendar-warning test)."""
from framework import Deadline, MethodInfo, Milestone, Tier, hookimpl


@hookimpl
def county_method():
    """Three working days at the village."""
    return MethodInfo(name="wd", title_zh="工作日", title="wd", source_county="-", source_lines="-", version="1",
                      stages=["deadline"], tiers=[Tier("village", "村", "village")])


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """3 working days."""
    return Deadline([Milestone("reply", ctx.calendar.working_days(arrived_at, 3), "flag", primary=True)])
'''


def test_a_year_without_a_holiday_schedule_is_one_warning_line_on_the_case_and_in_the_output(
        make_county, county_cli, cli_registry):
    module = types.ModuleType("wd")
    exec(WORKDAY_PLUGIN, module.__dict__)
    reg = cli_registry(Registry({"wd": module}, entry_points=False))
    make_county(mini_zhongjiang(("wd",)), registry=reg)
    want = ("the holiday library has no official China schedule for 2031: working days that year use weekends "
            "and the fixed festivals only; add [calendar] overrides")
    r = county_cli("case", "add", "--method", "wd", "--unit", "zj.fx.llg", "--title", "修路", "--now", "2031-03-03T10:00",
                   "--json")
    assert r.stderr == f"warning: {want}\n"  # one line, no Python warning with a file path
    assert r.data["warnings"] == [want]
    # Mon 03-03 + 3 working days (weekends only, as the warning says) = Thu 03-06, end of day
    assert r.data["due_at"] == "2031-03-06T23:59:59+08:00"
    assert [(e["type"], e["note"], e["data"]) for e in r.data["events"] if e["type"] == "warning"] == [
        ("warning", "节假日库尚无 2031 年的官方放假调休安排：该年工作日仅按周末和固定节日推算，请在 [calendar] 中补充",
         {"kind": "calendar", "year": 2031})]  # the operator's stderr line stays the calendar's own
    # a year the library knows: no warning
    r = county_cli("case", "add", "--method", "wd", "--unit", "zj.fx.llg", "--title", "修桥", "--now", "2026-03-02T10:00",
                   "--json")
    assert r.stderr == "" and "warnings" not in r.data


def test_a_case_cannot_arrive_after_now(make_county):
    """An import row dated next year (a typo, a wrong --now) is refused, by add_case and bulk alike."""
    county = make_county(mini_zhongjiang(), now="2026-11-30T10:00:00+08:00")
    future = dt.datetime(2027, 2, 1, 9, 0, tzinfo=county.calendar.tz)
    want = ("created_at 2027-02-01T09:00:00+08:00: after now (2026-11-30T10:00:00+08:00); a case cannot arrive "
            "in the future (check the time, or --now)")
    with pytest.raises(CountyError) as e:
        county.add_case("taizhang", "zj.fx.llg", "路灯坏", category="livelihood", created_at=future)
    assert str(e.value) == want
    from framework.kernel.bulk import CaseSpec

    taken = list(county.add_cases([CaseSpec("taizhang", "zj.fx.llg", "路灯坏", category="livelihood", created_at=future)]))
    assert [str(t.error) for t in taken] == [want] and county.list_cases() == []


@pytest.mark.parametrize("option", ["--category", "--channel"])
def test_an_empty_category_or_channel_is_not_one(county_cli, tmp_path, option):
    cfg = tmp_path / "county.toml"
    cfg.write_text(mini_zhongjiang(), encoding="utf-8")
    county_cli("init", "--config", cfg)
    r = county_cli("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯不亮", option, "",
                   "--now", "2026-11-02T10:00", ok=2)
    assert r.stderr == f"error: {option}: empty; leave it out and the method's triage chooses\n"
    assert county_cli("case", "list", "--json").data == []
