"""The bulk intake path (issue 13): ``County.add_cases`` and the importer on it write exactly
what ``add_case`` (then ``resolve``/``confirm`` for a historical row) writes case by case.

One deployment enables the five methods; dianti has a skilled-people register (its assignment
picks the least-loaded member: a hook that reads the database between cases) and daiban two
agents at one village (least loaded too). Every table of the database — ``cases``, ``events``,
``milestones`` (ids included), ``imported_rows``, the plugins' own — must come out identical,
whatever the batch size, with refused rows in the middle of a batch, historical rows resolved
and confirmed in their batch, a hook that reads, writes its own table and raises, a re-import
and an import killed half way.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from framework.cli.main import cli
from framework.errors import CountyError
from framework.interchange import import_file, prepare_row, read_records, take_row
from framework.interchange.jsonstream import json_array_items
from framework.interchange.mappings import identity_mapping
from framework.interchange.readers import open_records
from framework.interchange.rows import RowContext
from framework.interchange.take import ensure_table
from framework.kernel.bulk import CaseSpec
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.models import Requester
from framework.store import Store

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a Monday
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=TZ)

TOML = """
[deployment]
name = "测试县"
code = "tc"
timezone = "Asia/Shanghai"
methods = ["taizhang", "dianti", "daiban", "xiangkai", "shequ365"]

[[units]]
code = "tc"
name = "测试县"
level = "county"
[[units]]
code = "tc.sza"
name = "县三账办"
level = "ledger_office"
parent = "tc"
[[units]]
code = "tc.t"
name = "富兴镇"
level = "township"
parent = "tc"
[[units]]
code = "tc.t.v1"
name = "柳林沟村"
level = "village"
parent = "tc.t"
[[units]]
code = "tc.t.v2"
name = "石墙村"
level = "village"
parent = "tc.t"
[[units]]
code = "tc.t.v1.g1"
name = "一组"
level = "group"
parent = "tc.t.v1"
[[units]]
code = "tc.t.c1"
name = "金桥社区"
level = "community"
parent = "tc.t"

[[people]]
id = "v1-sj"
name = "杨书记"
unit = "tc.t.v1"
roles = ["village_party_secretary", "village_cadre"]
[[people]]
id = "v2-sj"
name = "石书记"
unit = "tc.t.v2"
roles = ["village_party_secretary"]
[[people]]
id = "t-gb"
name = "镇干部"
unit = "tc.t"
roles = ["township_cadre"]
[[people]]
id = "sza"
name = "三账办"
unit = "tc.sza"
roles = ["ledger_office_staff"]
[[people]]
id = "a1"
name = "代办甲"
unit = "tc.t.v1"
roles = ["agent"]
[[people]]
id = "a2"
name = "代办乙"
unit = "tc.t.v1"
roles = ["agent"]
[[people]]
id = "sw1"
name = "社工"
unit = "tc.t.c1"
roles = ["social_worker"]
[[people]]
id = "cl1"
name = "社区书记"
unit = "tc.t.c1"
roles = ["community_leader"]
"""

REGISTER = """id,name,unit,group,group_name,skills,party_member,cultivation,cultivation_status,phone,leader
m1,牟仕林,tc.t.v1,livestock,畜牧技术服务小组,"生猪,养殖,兽医",yes,reserve_cadre,in_training,13800000001,yes
m2,罗永文,tc.t.v1,livestock,,"生猪,饲料",no,activist,in_training,,
m3,田大勇,tc.t.v1,livestock,,"牛,养殖",yes,capable,achieved,,
m5,张明,tc.t.v1,mediation,纠纷调解小组,"调解,纠纷",yes,,,,yes
m6,李华,tc.t.v1,mediation,,调解,no,,,,
"""


# -- set-up ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The deployment initialised and dianti's register loaded, through the CLI, once."""
    d = tmp_path_factory.mktemp("bulk")
    (d / "county.toml").write_text(TOML, encoding="utf-8")
    (d / "register.csv").write_text(REGISTER, encoding="utf-8")
    env = {"COUNTY_DB": str(d / "template.db"), "COUNTY_ACTOR": "tester", "COUNTY_NOW": "2026-03-01T08:00"}
    runner = CliRunner()
    for args in (["init", "--config", d / "county.toml"], ["dianti", "member", "import", d / "register.csv"],
                 ["dianti", "group", "add", "--unit", "tc.t.v1", "--code", "livestock", "--skills", "生猪,养殖,畜牧"]):
        r = runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        assert r.exit_code == 0, r.output
    return d / "template.db"


@pytest.fixture
def fresh(template, tmp_path):
    """``fresh(name)``: a County on a copy of the template (clock fixed at NOW)."""
    opened = []

    def make(name: str) -> County:
        path = tmp_path / f"{name}.db"
        src, dst = sqlite3.connect(template), sqlite3.connect(path)
        src.backup(dst)
        src.close(), dst.close()
        county = County(Store(str(path)), Registry(), now=NOW, actor="tester")
        opened.append(county)
        return county

    yield make
    for c in opened:
        c.store.db.conn.close()


def dump(county: County) -> dict[str, list[tuple]]:
    """Every table of the database, every column, in rowid order."""
    db = county.store.db.conn
    names = [r[0] for r in db.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
                                      "order by name")]
    return {n: db.execute(f"select * from [{n}] order by rowid").fetchall() for n in names}


def case_by_case(county: County, specs: list[CaseSpec]) -> list[str | None]:
    """What the importer did before the bulk path: per spec, in one transaction, ``add_case``,
    then ``resolve`` and ``confirm`` for a historical one. Returns each spec's error (or None)."""
    out = []
    for s in specs:
        try:
            with county.store.transaction():
                case = county.add_case(s.method, s.unit, s.title, channel=s.channel, category=s.category,
                                       description=s.description, requester=s.requester, fields=s.fields,
                                       source_id=s.source_id, created_at=s.created_at)
                if s.resolved_at is not None and case.is_open:
                    case = county.resolve(case.id, s.resolution_note, at=s.resolved_at)
                if s.satisfaction and case.status == "resolved":
                    county.confirm(case.id, s.satisfaction, s.confirmation_note, at=s.resolved_at)
        except CountyError as e:
            out.append(str(e))
        else:
            out.append(None)
    return out


def in_bulk(county: County, specs: list[CaseSpec], batch: int) -> list[str | None]:
    return [None if t.error is None else str(t.error) for t in county.add_cases(specs, batch=batch)]


def spec(i: int, method: str, unit: str, title: str, *, resolved_after: dt.timedelta | None = None,
         **kw) -> CaseSpec:
    created = T0 + dt.timedelta(hours=7 * i, minutes=i)
    resolved = created + resolved_after if resolved_after is not None else None
    kw.setdefault("source_id", f"src-{i:03d}")
    return CaseSpec(method, unit, title, created_at=created, resolved_at=resolved,
                    resolution_note="已办结" if resolved is not None else None, confirmation_note="回访满意", **kw)


def five_methods(rounds: int = 4) -> list[CaseSpec]:
    """Cases of the five methods, open and historical, with refused ones among them."""
    out: list[CaseSpec] = []
    day = dt.timedelta(days=1)
    refusals = [
        dict(method="taizhang", unit="tc.t.v1", title="分类不对", category="bogus"),
        dict(method="taizhang", unit="tc.nowhere", title="无此单位", category="needy"),
        dict(method="taizhang", unit="tc.t.v1", title="长" * 201, category="needy"),
        dict(method="daiban", unit="tc.t.v1", title="电话不对", requester=Requester("李", "12")),
    ]
    for k in range(rounds):
        n = k * 14
        rq = Requester("王长贵", f"1381234{k:04d}", address="柳林沟村三组")
        out += [
            spec(n, "taizhang", "tc.t.v1", f"道路破损{k}", category="livelihood", requester=rq),
            # answered after the village's 5 days: the close milestone is missed, then confirmed
            spec(n + 1, "taizhang", "tc.t.v2", f"低保申请{k}", category="needy", resolved_after=12 * day,
                 satisfaction="satisfied"),
            # settled on the spot at intake, the satisfaction confirmed now
            spec(n + 2, "taizhang", "tc.t.v1", f"当场办结{k}", category="needy", fields={"on_the_spot": "yes"},
                 satisfaction="basically"),
            spec(n + 3, "dianti", "tc.t.v1", f"生猪养殖技术指导{k}",
                 fields={"service_date": (T0 + dt.timedelta(days=40)).date().isoformat()}),
            spec(n + 4, "dianti", "tc.t.v1", f"纠纷调解{k}", resolved_after=2 * day),
            spec(n + 5, "daiban", "tc.t.v1", f"代办户口簿{k}", requester=rq),
            spec(n + 6, "daiban", "tc.t.v1", f"代办社保{k}", fields={"scope": "county"}, resolved_after=6 * day,
                 satisfaction="unsatisfied"),
            spec(n + 7, "xiangkai", "tc.t.v2", f"修路议题{k}", channel="hotline"),
            spec(n + 8, "shequ365", "tc.t.c1", f"楼道灯坏{k}", resolved_after=dt.timedelta(hours=20)),
            spec(n + 9, "shequ365", "tc.t.c1", f"协调停车{k}", fields={"form": "coordination"}),
            spec(n + 10, **refusals[k % len(refusals)]),
            # the same source id again: refused as taken
            spec(n + 11, "taizhang", "tc.t.v1", f"重复{k}", category="needy", source_id=f"src-{n:03d}"),
            # a resolution the kernel refuses: after now
            spec(n + 12, "taizhang", "tc.t.v1", f"未来答复{k}", category="needy", resolved_after=200 * day),
            spec(n + 13, "dianti", "tc.t.v1", f"服务日期早于受理{k}", fields={"service_date": "2020-01-01"}),
        ]
    return out


# -- the bulk path writes what add_case writes ------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 5, 2000])
def test_bulk_writes_exactly_what_add_case_writes(fresh, batch):
    specs = five_methods()
    one, many = fresh("one"), fresh("many")
    errors = case_by_case(one, specs)
    assert in_bulk(many, specs, batch) == errors
    assert dump(many) == dump(one)
    # the set-up is what it should be: every method took cases, refusals are there, the
    # least-loaded choices spread over the members and agents, historical rows were closed
    rows = many.store.query("select method, status, handler, overdue_count from cases")
    assert {r["method"] for r in rows} == {"taizhang", "dianti", "daiban", "xiangkai", "shequ365"}
    assert {r["handler"] for r in rows if r["method"] == "daiban"} == {"a1", "a2"}
    assert len({r["handler"] for r in rows if r["method"] == "dianti"}) > 1
    assert {r["status"] for r in rows} >= {"assigned", "registered", "resolved", "confirmed"}
    assert sum(e is not None for e in errors) == 4 * 4
    assert any("is not a category of taizhang" in e for e in errors if e)
    assert any("was already taken in" in e for e in errors if e)
    assert any("is after now" in e for e in errors if e)


def test_bulk_seals_its_rows_from_the_values_in_hand_and_verify_agrees(fresh, monkeypatch):
    """taizhang's hooks read nothing, so each write is one INSERT of sealed rows: the generic
    seal (framework.store.chain.seal) re-seals only the highest-numbered case of each
    transaction, to the same values, and county verify finds nothing."""
    import framework.store.db as store_db
    from framework.kernel.audit import verify

    real, generic = store_db.seal, []
    monkeypatch.setattr(store_db, "seal", lambda conn: generic.append(real(conn)) or generic[-1])
    specs = [spec(i, "taizhang", f"tc.t.v{1 + i % 2}", f"问题{i}", category="needy",
                  resolved_after=dt.timedelta(days=i) if i % 2 else None, satisfaction="satisfied" if i % 4 == 1 else None)
             for i in range(10)]
    many = fresh("many")
    assert in_bulk(many, specs, 4) == [None] * 10
    assert generic == [1, 1, 1]  # three transactions (4 + 4 + 2 cases), the top case of each
    monkeypatch.undo()
    one = fresh("one")
    assert case_by_case(one, specs) == [None] * 10
    assert dump(many) == dump(one)  # head_hash, state_hash, the case counter and the fold included
    assert verify(many.store) == []
    states = many.store.query("select status, count(*) as n from cases group by status order by status")
    assert [(r["status"], r["n"]) for r in states] == [("assigned", 5), ("confirmed", 3), ("resolved", 2)]


def test_a_value_sqlite_stores_otherwise_is_sealed_by_the_generic_seal(fresh, monkeypatch):
    """A triage hook giving an integer priority (SQLite stores '7' in the TEXT column): bulk
    intake leaves that row to the generic seal, which digests the stored text — the same bytes
    as case by case, and county verify agrees."""
    import framework.store.db as store_db
    from framework.kernel.audit import verify
    from framework.models import TriageResult
    from plugins.taizhang import stages

    monkeypatch.setattr(stages, "triage",
                        lambda ctx, case: TriageResult(priority=7) if case.title.endswith("7") else None)
    real, generic = store_db.seal, []
    monkeypatch.setattr(store_db, "seal", lambda conn: generic.append(real(conn)) or generic[-1])
    specs = [spec(i, "taizhang", "tc.t.v1", f"问题{i}", category="needy") for i in (1, 7, 3)]
    many = fresh("many")
    assert in_bulk(many, specs, 10) == [None] * 3
    assert generic == [2]  # the top case (the third) and the one with priority 7
    assert many.store.query("select priority from cases where title = '问题7'")[0]["priority"] == "7"
    one = fresh("one")
    assert case_by_case(one, specs) == [None] * 3
    assert dump(many) == dump(one)
    assert verify(many.store) == []


def test_a_refused_row_leaves_the_rest_of_its_batch(fresh):
    specs = five_methods(rounds=1)
    county = fresh("c")
    taken = list(county.add_cases(specs, batch=len(specs)))
    refused = [t for t in taken if t.error is not None]
    assert [t.spec.title for t in refused] == ["分类不对", "重复0", "未来答复0", "服务日期早于受理0"]
    ids = [t.case.id for t in taken if t.error is None]
    assert ids == [f"tc-{n:06d}" for n in range(1, 11)]  # numbered without gaps
    stored = county.store.query("select id, title from cases order by seq")
    assert [r["id"] for r in stored] == ids
    assert not {r["title"] for r in stored} & {t.spec.title for t in refused}
    # nothing of a refused case: no events or milestones without their case
    assert county.store.query("select count(*) as n from events where case_id not in (select id from cases)")[0]["n"] == 0
    assert county.store.query("select count(*) as n from milestones where case_id not in (select id from cases)")[0]["n"] == 0


def test_historical_rows_are_resolved_and_confirmed_in_their_batch(fresh):
    county = fresh("c")
    specs = [spec(1, "taizhang", "tc.t.v2", "低保申请", category="needy", resolved_after=dt.timedelta(days=12),
                  satisfaction="satisfied"),
             spec(2, "shequ365", "tc.t.c1", "楼道灯坏", resolved_after=dt.timedelta(hours=20))]
    (a, b) = list(county.add_cases(specs))
    assert (a.case.status, a.case.satisfaction, b.case.status) == ("confirmed", "satisfied", "resolved")
    got = county.get_case(a.case.id)
    assert [e.type for e in got.events] == ["registered", "assigned", "resolved", "confirmed"]
    assert got.resolved_at == specs[0].resolved_at and got.resolved_level == "village"
    ms = county.store.query("select name, state, closed_at from milestones where case_id = ?", [a.case.id])
    assert [(m["name"], m["state"]) for m in ms] == [("close", "missed")]
    assert ms[0]["closed_at"] == specs[0].resolved_at.isoformat()
    assert county.store.query("select overdue_count from cases where id = ?", [a.case.id])[0]["overdue_count"] == 1
    assert county.store.query("select state from milestones where case_id = ?", [b.case.id])[0]["state"] == "met"


# -- re-import, hooks that raise, interruptions ------------------------------------------------------


def test_a_second_run_takes_nothing_twice(fresh):
    county = fresh("c")
    specs = five_methods(rounds=2)
    first = list(county.add_cases(specs, batch=7))
    before = dump(county)
    again = list(county.add_cases(specs, batch=7))
    assert all(t.error is not None for t in again)
    assert {str(t.error) for t, f in zip(again, first) if f.error is None} == {
        f"source id {t.spec.source_id!r} was already taken in" for t, f in zip(again, first) if f.error is None}
    assert dump(county) == before


def _probing_deadline(monkeypatch, exc: type[BaseException] = RuntimeError):
    """dianti's deadline hook first counts the cases it can see (``ctx.cases``) and writes the
    count into its own table (``ctx.db``), then raises ``exc`` for a title with 'boom'."""
    from plugins.dianti import stages

    real = stages.deadline

    def deadline(ctx, case, level, arrived_at):
        seen = ctx.cases.count()
        ctx.db.insert("dianti_reviews", {"id": f"probe-{case.id}", "unit": case.unit, "kind": "probe",
                                         "period": case.title, "at": arrived_at.isoformat(), "actor": ctx.actor,
                                         "note": str(seen)})
        if "boom" in case.title:
            raise exc("boom")
        return real(ctx, case, level, arrived_at)

    monkeypatch.setattr(stages, "deadline", deadline)


def test_a_hook_raising_mid_batch_leaves_no_half_written_case(fresh, monkeypatch):
    _probing_deadline(monkeypatch)
    specs = five_methods(rounds=2)
    specs.insert(5, spec(90, "dianti", "tc.t.v1", "boom 生猪", source_id="boom-1"))
    specs.insert(17, spec(91, "dianti", "tc.t.v1", "boom 调解", source_id="boom-2"))
    one, many = fresh("one"), fresh("many")
    errors = case_by_case(one, specs)
    assert in_bulk(many, specs, 50) == errors
    assert errors[5] == "plugin 'dianti' failed in county_deadline: RuntimeError: boom"
    assert dump(many) == dump(one)  # the probes saw the same number of cases case by case
    db = many.store
    assert db.query("select count(*) as n from cases where title like 'boom%'")[0]["n"] == 0
    assert db.query("select count(*) as n from dianti_reviews where period like 'boom%'")[0]["n"] == 0
    probes = db.query("select note from dianti_reviews where kind = 'probe' order by rowid")
    assert [int(p["note"]) for p in probes] == sorted(int(p["note"]) for p in probes) and len(probes) > 2


def test_an_interrupted_batch_is_rolled_back_whole_and_the_rerun_takes_the_rest(fresh, monkeypatch):
    specs = five_methods(rounds=2)
    clean = fresh("clean")
    in_bulk(clean, specs, 4)
    _probing_deadline(monkeypatch, KeyboardInterrupt)
    county = fresh("c")
    stop = spec(92, "dianti", "tc.t.v1", "boom 停电", source_id="stop")
    with pytest.raises(KeyboardInterrupt):
        in_bulk(county, specs[:10] + [stop] + specs[10:], 4)
    # batches 1 and 2 (specs 0–7) are in, the third (8, 9, stop, 10) is not, nor anything after
    titles = {r["title"] for r in county.store.query("select title from cases")}
    assert titles == {s.title for s in specs[:8] if s.title != "分类不对"}
    assert county.store.query("select count(*) as n from events where case_id not in (select id from cases)")[0]["n"] == 0
    monkeypatch.undo()
    in_bulk(county, specs, 4)
    got = dump(county)
    want = dump(clean)
    got.pop("dianti_reviews"), want.pop("dianti_reviews")  # the probes of the interrupted run
    assert got == want


# -- the importer on the bulk path --------------------------------------------------------------------

COLUMNS = ["source_id", "title", "created_at", "resolved_at", "resolution_note", "unit", "category",
           "requester_name", "requester_phone", "satisfaction"]


def write_csv(path: Path, n: int, *, bad_lines: tuple[int, ...] = ()) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i in range(n):
            created = T0 + dt.timedelta(hours=5 * i)
            resolved = created + dt.timedelta(days=i % 9) if i % 3 == 0 else None
            w.writerow([f"r{i:05d}", f"问题{i}", created.isoformat(), resolved.isoformat() if resolved else "",
                        "已答复" if resolved else "", f"tc.t.v{1 + i % 2}",
                        "nonsense" if i in bad_lines else ("livelihood", "needy", "stability")[i % 3],
                        "张三", f"1390000{i:04d}", "satisfied" if i % 6 == 0 else ""])
    return path


def test_import_file_writes_what_take_row_wrote(fresh, tmp_path):
    src = write_csv(tmp_path / "rows.csv", 60, bad_lines=(7, 31))
    new, old = fresh("new"), fresh("old")
    rep = import_file(new, src, method="taizhang", batch=16)
    assert (rep.rows, rep.taken, len(rep.refused), rep.skipped) == (60, 58, 2, 0)
    assert [r.line for r in rep.refused] == [9, 33]
    ensure_table(old)
    rc = RowContext(old, identity_mapping("csv"), method="taizhang")
    for rec in read_records(src).records:
        row = prepare_row(rec, rc)
        try:
            take_row(old, row, file="rows.csv", fmt="csv", mapping=rc.mapping.name)
        except CountyError:
            pass
    assert dump(new) == dump(old)
    again = import_file(new, src, method="taizhang", batch=16)
    assert (again.taken, again.skipped, len(again.refused)) == (0, 58, 2)
    assert dump(new) == dump(old)


def test_all_or_nothing_takes_nothing_when_a_row_is_refused(fresh, tmp_path):
    county = fresh("c")
    rep = import_file(county, write_csv(tmp_path / "rows.csv", 40, bad_lines=(33,)), method="taizhang", batch=8,
                      all_or_nothing=True)
    assert (rep.taken, [r.line for r in rep.refused]) == (0, [35])
    assert county.store.query("select count(*) as n from cases")[0]["n"] == 0


def test_repeated_source_ids_are_refused_across_batches_and_reimport_skips(fresh, tmp_path):
    src = tmp_path / "dupes.csv"
    write_csv(src, 30)
    lines = src.read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(lines + [lines[3], lines[25]]) + "\n", encoding="utf-8")  # r00002, r00024 again
    county = fresh("c")
    rep = import_file(county, src, method="taizhang", batch=4)
    assert rep.taken == 30
    assert [(r.line, r.reason) for r in rep.refused] == [
        (32, "'r00002' repeats line 4 of this file; taken once"), (33, "'r00024' repeats line 26 of this file; taken once")]
    again = import_file(county, src, method="taizhang", batch=4)
    assert (again.taken, again.skipped, [r.line for r in again.refused]) == (0, 30, [32, 33])


KILLER = """
import os, signal, sys
from plugins.taizhang import stages
real = stages.intake
def intake(ctx, case, fields):
    if case.title == "问题25":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(ctx, case, fields)
stages.intake = intake
import datetime as dt
from framework.kernel.county import County
from framework.kernel.registry import Registry
from framework.interchange import import_file
from framework.store import Store
now = dt.datetime.fromisoformat(sys.argv[3])
import_file(County(Store(sys.argv[1]), Registry(), now=now, actor="tester"), sys.argv[2], method="taizhang", batch=10)
"""


def test_an_import_killed_half_way_keeps_whole_batches_and_the_rerun_takes_the_rest(fresh, tmp_path):
    src = write_csv(tmp_path / "rows.csv", 40)
    clean = fresh("clean")
    import_file(clean, src, method="taizhang", batch=10)
    county = fresh("killed")
    path = county.store.path
    county.store.db.conn.close()
    proc = subprocess.run([sys.executable, "-c", KILLER, path, str(src), NOW.isoformat()], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    county = County(Store(path), Registry(), now=NOW, actor="tester")
    q = county.store.query
    assert q("select count(*) as n from cases")[0]["n"] == 20  # two whole batches, nothing of the third
    assert q("select count(*) as n from imported_rows")[0]["n"] == 20
    assert q("select count(*) as n from events where case_id not in (select id from cases)")[0]["n"] == 0
    rep = import_file(county, src, method="taizhang", batch=10)
    assert (rep.taken, rep.skipped) == (20, 20)
    assert dump(county) == dump(clean)
    county.store.db.conn.close()


# -- streamed readers -------------------------------------------------------------------------------


def test_a_csv_syntax_error_at_the_end_takes_no_row(fresh, tmp_path):
    src = write_csv(tmp_path / "rows.csv", 50)
    with open(src, "a", encoding="utf-8") as f:
        f.write('r99999,"never closed,2026-03-02T09:00:00+08:00,,,tc.t.v1,needy,,,\n')
    county = fresh("c")
    with pytest.raises(CountyError, match=r"line 52: CSV syntax error: a quoted field opened on this line is never closed"):
        import_file(county, src, method="taizhang")
    assert county.store.query("select count(*) as n from cases")[0]["n"] == 0


def test_json_is_read_in_chunks_with_the_lines_of_the_whole_text_reader(tmp_path):
    items = [{"title": f"第{i}条" + "长" * (i % 2000), "n": i, "tags": ["a", {"b": i}], "x": None} for i in range(3000)]
    text = '{"meta": {"source": [1]}, "count": 3000,\n "requests": [\n' + ",\n".join(
        json.dumps(it, ensure_ascii=False, indent=1 if i % 2 else None) for i, it in enumerate(items)) + "\n]}\n"
    assert len(text) > 2 << 20  # several chunks of 1 MB
    f = tmp_path / "big.json"
    f.write_text(text, encoding="utf-8")
    stream = open_records(f)
    assert (stream.format, stream.count, stream.columns) == ("json", 3000, ["title", "n", "tags", "x"])
    got = list(stream)
    want_lines = [line for line, _ in json_array_items(text, str(f), "requests")]
    assert [r.line for r in got] == want_lines and [r.item for r in got] == list(range(1, 3001))
    assert [r.data["n"] for r in got] == list(range(3000))
    assert got[7].data["tags"] == '["a", {"b": 7}]'
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace('"n": 2500,', '"n": 2500', 1), encoding="utf-8")
    with pytest.raises(CountyError) as e:
        open_records(bad)
    with pytest.raises(CountyError) as whole:
        json_array_items(bad.read_text(encoding="utf-8"), str(bad))
    assert str(e.value) == str(whole.value) and "malformed JSON" in str(e.value)
