"""Issue 14, the inspector's second round (纪检, /tmp attack scripts): holes in ``county verify``
closed — each test reproduces one attack made with raw sqlite3 (or the CLI) and fails without
its fix.

Dates by hand (taizhang L29: village 5 calendar days): a case taken in at 柳林沟村 on
2024-02-26 10:00 is due 2024-03-02 23:59:59; the sweep at 03-03 01:00 escalates it to the
township (events 1 registered, 2 assigned, 3 overdue, 4 escalated, 5 assigned)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from deployments import mini_zhongjiang


def test_the_sweep_refuses_to_write_before_the_latest_event(init_county, county_db):
    run = init_county(mini_zhongjiang())
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category",
        "livelihood", "--now", "2024-02-26T10:00")
    run("case", "assign", "zj-000001", "--unit", "zj.fx.llg", "--note", "村里接手", "--now", "2024-03-04T09:00")  # event 2 (event 1: registered)
    r = run("sweep", "--now", "2024-03-03T01:00", ok=1)  # village limit missed, but 03-04 is recorded
    assert r.stderr.splitlines()[0] == (
        "error: sweep: zj-000001 close: 跳过：case zj-000001: its latest event is "
        "'assigned' at 2024-03-04T09:00:00+08:00; cannot sweep it at 2024-03-03T01:00:00+08:00, before that "
        "(event 2; events stay in time order: use a --now at or after it, and for a late entry put the real date in the note)")
    con = sqlite3.connect(county_db)
    assert con.execute("select count(*), max(id) from events").fetchone() == (2, 2)  # nothing written
    assert con.execute("select state from milestones").fetchall() == [("pending",)]
    con.close()
    assert run("sweep", "--now", "2024-03-05T01:00", "--json").data["actions"][0]["action"] == "escalate"


# -- rows and milestones changed and re-sealed --------------------------------------------------
@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """Kernel-written, the file closed: zj-000001 taken in 11-02 10:00 (event 1 registered),
    resolved 11-03 10:00 (2), confirmed ``satisfied`` 11-03 12:00 (3); zj-000002 taken in
    11-03 13:00 (4; taizhang L29: village 5 days → ``close`` due 11-08 23:59:59), escalated by
    the sweep of 11-20 (5 overdue, 6 escalated, 7 assigned), its milestone ``close`` missed;
    11-21 09:00 its sign-off lists h01 张三户 and h02 李四户 (8), h01 signs at 10:00 (9);
    zj-000001 gets attachment 1 at 11-21 10:00 (10: a photo, sha256 ``a…a``, caption 现场照片)."""
    import tomllib

    from framework.kernel.config import deployment_from_dict
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store
    from framework.timerules import parse_instant

    path = tmp_path_factory.mktemp("tamper") / "base.db"
    county = County.init(Store(str(path)), deployment_from_dict(tomllib.loads(mini_zhongjiang())), Registry(),
                         actor="tester")

    def at(text):
        county.clock.fixed = parse_instant(text, county.calendar.tz)

    llg = dict(method="taizhang", unit="zj.fx.llg", category="livelihood")
    at("2026-11-02T10:00")
    county.add_case(title="路灯", **llg)
    at("2026-11-03T10:00")
    county.resolve("zj-000001", "修好")
    at("2026-11-03T12:00")
    county.confirm("zj-000001", "satisfied")
    at("2026-11-03T13:00")
    county.add_case(title="水渠", **llg)
    at("2026-11-20T00:00")
    county.sweep()
    at("2026-11-21T09:00")
    county.require_signoff("zj-000002", [("h01", "张三户"), ("h02", "李四户")])  # event 8
    at("2026-11-21T10:00")
    county.sign("zj-000002", "h01")  # event 9
    county.attach("zj-000001", "https://img.example.cn/a.jpg", "a" * 64, "image/jpeg", 3, caption="现场照片")  # 10
    county.store.db.conn.close()
    return path


@pytest.fixture
def raw(base, tmp_path):
    """A copy of ``base`` and a raw sqlite3 connection to it (autocommit)."""
    path = tmp_path / "forged.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    con = sqlite3.connect(path, isolation_level=None)
    con.row_factory = sqlite3.Row
    yield path, con
    con.close()


def reseal(con, case_id):
    """What a careful forger does after changing a row: recompute its seal."""
    from framework.store.chain import state_digest
    row = dict(con.execute("select * from cases where id = ?", [case_id]).fetchone())
    con.execute("update cases set state_hash = ? where id = ?", [state_digest(row), case_id])


def verify(path):
    from framework.kernel import audit
    from framework.store.db import Store
    store = Store(str(path))
    try:
        return [(f.kind, f.case, f.event, f.message) for f in audit.verify(store)]
    finally:
        store.db.conn.close()


def test_the_base_verifies_clean(base):
    assert verify(base) == []


def test_a_resealed_satisfaction_is_named(raw):
    path, con = raw
    con.execute("update cases set satisfaction = 'unsatisfied' where id = 'zj-000001'")  # 满意率 changed
    reseal(con, "zj-000001")
    assert verify(path) == [("row", "zj-000001", None,
                             "case zj-000001: its row disagrees with its events (satisfaction unsatisfied but event 3 "
                             "(confirmed at 2026-11-03T12:00:00+08:00) says satisfied): changed and re-sealed without "
                             "an event")]


def test_a_resealed_status_without_its_events_is_named(raw):
    path, con = raw
    con.execute("update cases set status = 'confirmed', satisfaction = 'satisfied', resolved_at = "
                "'2026-11-09T10:00:00+08:00' where id = 'zj-000002'")
    reseal(con, "zj-000002")
    assert verify(path) == [("row", "zj-000002", None,
                             "case zj-000002: its row disagrees with its events (status confirmed but no "
                             "resolved/confirmed/closed event says so; satisfaction satisfied but no confirmation "
                             "event rated it; resolved_at 2026-11-09T10:00:00+08:00 but no resolved event): changed "
                             "and re-sealed without an event")]


def test_a_resealed_handler_and_lead_are_named(raw):
    path, con = raw
    con.execute("update cases set handler = 'fx-99', lead_id = 'zj-000001' where id = 'zj-000002'")
    reseal(con, "zj-000002")
    assert verify(path) == [("row", "zj-000002", None,
                             "case zj-000002: its row disagrees with its events (handler fx-99 but event 7 (assigned "
                             "at 2026-11-20T00:00:00+08:00) says -; lead_id zj-000001 but no linked event names a "
                             "lead): changed and re-sealed without an event")]


def test_a_missed_milestone_made_met_is_named(raw):
    path, con = raw
    con.execute("update milestones set state = 'met', closed_at = '2026-11-07T08:00:00+08:00' "
                "where case_id = 'zj-000002' and state = 'missed'")  # 按期率 changed
    con.execute("update cases set overdue_count = 0 where id = 'zj-000002'")
    reseal(con, "zj-000002")
    assert verify(path) == [("milestone", "zj-000002", 5,
                             "case zj-000002: milestone 'close' due 2026-11-08T23:59:59+08:00 is met but event 5 "
                             "(overdue at 2026-11-20T00:00:00+08:00) says it was missed (changed without an event: "
                             "the 按期率)")]


def test_a_request_id_reused_with_other_content_is_refused(init_county, county_db):
    run = init_county(mini_zhongjiang())
    add = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--category", "livelihood")
    run(*add, "--title", "路灯", "--request-id", "app-1", "--now", "2024-02-26T10:00")
    again = run(*add, "--title", " 路灯 ", "--request-id", "app-1", "--now", "2024-02-26T10:01", "--json")
    assert again.data["id"] == "zj-000001"  # the same submission retried: the first case
    r = run("case", "add", "--method", "taizhang", "--unit", "zj.fx", "--title", "水渠", "--category", "livelihood",
            "--request-id", "app-1", "--now", "2024-02-26T10:02", ok=1)
    assert r.stderr.strip() == (
        "error: case add: --request-id 'app-1' was used for case zj-000001, with other content (unit 'zj.fx.llg' "
        "there, 'zj.fx' here; title '路灯' there, '水渠' here): give this submission its own request id")
    con = sqlite3.connect(county_db)
    assert con.execute("select count(*) from cases").fetchone() == (1,)
    con.close()


def damaged_copy(base, tmp_path):
    """A copy of ``base`` whose ``events`` page has its cell pointers zeroed (what a bad disk
    sector does; the inspector's dmg4.db): SQLite reports 'Offset 0 out of range'."""
    path = tmp_path / "damaged.db"
    with sqlite3.connect(base) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
        dst.execute("pragma journal_mode=delete")
    con = sqlite3.connect(path)
    root, size = (con.execute("select rootpage from sqlite_master where name = 'events'").fetchone()[0],
                  con.execute("pragma page_size").fetchone()[0])
    con.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * size + 8  # a leaf page: its cell pointer array follows the 8-byte header
    data[start:start + 14] = bytes(14)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_file_is_reported_as_damage_not_deletion(base, tmp_path, county_cli):
    path = damaged_copy(base, tmp_path)
    r = county_cli("verify", "--db", path, ok=1)
    lines = r.stdout.splitlines()
    assert lines and all(line.startswith("integrity: SQLite quick check: ") and line.endswith(
        "; the file is damaged, not a verdict on tampering: run `county check`, restore a backup") for line in lines)
    assert "out of range" in lines[0]
    assert r.stderr == f"发现问题 {len(lines)} 处\n"
    c = county_cli("check", "--db", path, ok=1)  # not "unexpected DatabaseError", exit 2
    assert c.stdout.splitlines() and all(line.startswith("integrity: SQLite integrity check: ")
                                         and "\n" not in line for line in c.stdout.splitlines())
    assert "unexpected" not in c.output


def test_a_forged_signature_and_a_deleted_party_are_named(raw):
    path, con = raw
    con.execute("update signoffs set signed_at = '2026-11-21T11:00:00+08:00' where party_id = 'h02'")  # forged
    con.execute("update signoffs set signed_at = '2026-11-21T08:00:00+08:00' where party_id = 'h01'")
    assert verify(path) == [
        ("signoff", "zj-000002", 9, "case zj-000002: party h01 张三户 signed_at 2026-11-21T08:00:00+08:00 but event 9 "
                                    "(signed at 2026-11-21T10:00:00+08:00) says 2026-11-21T10:00:00+08:00"),
        ("signoff", "zj-000002", None, "case zj-000002: party h02 李四户 signed_at 2026-11-21T11:00:00+08:00 but no "
                                       "signed event records the signature (forged)")]
    con.execute("delete from signoffs where party_id = 'h02'")
    con.execute("update signoffs set signed_at = '2026-11-21T10:00:00+08:00' where party_id = 'h01'")
    assert verify(path) == [("signoff", "zj-000002", 8, "case zj-000002: sign-off party h02 李四户 listed by event 8 "
                                                        "has no row (deleted)")]


def test_a_changed_or_deleted_attachment_is_named(raw):
    path, con = raw
    con.execute("update attachments set uri = 'https://img.example.cn/b.jpg', sha256 = ?, caption = '别的照片'",
                ["b" * 64])
    assert verify(path) == [("attachment", "zj-000001", 10, "case zj-000001: attachment 1's sha256, uri, caption "
                                                            "differ from event 10 (attached): changed without an event")]
    con.execute("delete from attachments")
    assert verify(path) == [("attachment", "zj-000001", 10, "case zj-000001: attachment 1 recorded by event 10 has "
                                                            "no row (deleted)")]


def test_the_deleted_top_case_is_named_and_its_number_not_reused(raw):
    path, con = raw
    con.execute("drop trigger events_no_delete")
    for table in ("events", "milestones"):
        con.execute(f"delete from {table} where case_id = 'zj-000002'")  # the highest-numbered case, whole
    con.execute("delete from signoffs where case_id = 'zj-000002'")
    con.execute("delete from cases where id = 'zj-000002'")
    assert verify(path) == [("gap", "zj-000002", None, "case number 2 (zj-000002) is missing: the case counter says 2 "
                                                       "case(s) were numbered, the highest left is 1 (the top case was "
                                                       "deleted)")]
    from framework.kernel.county import County
    from framework.kernel.registry import Registry
    from framework.store.db import Store
    county = County(Store(str(path)), Registry(), now=__import__("datetime").datetime(2026, 11, 22, 9, 0),
                    actor="tester")
    assert county.add_case("taizhang", "zj.fx.llg", "新的", category="livelihood").id == "zj-000003"
    county.store.db.conn.close()


def test_against_a_copy_names_the_columns_of_a_resealed_row(raw, base):
    path, con = raw
    con.execute("update cases set title = '假标题', category = 'other' where id = 'zj-000001'")  # no event carries them
    reseal(con, "zj-000001")
    assert verify(path) == []  # alone: the seal was recomputed and no event says otherwise
    from framework.kernel import audit
    from framework.store.db import Store
    store = Store(str(path))
    try:
        got = [(f.kind, f.case, f.message) for f in audit.compare(store, base)]
    finally:
        store.db.conn.close()
    assert got == [("rewritten", "zj-000001", "case zj-000001: its row is not the one in the copy base.db though no "
                                              "event was added since: category 'livelihood' → 'other', title '路灯' → "
                                              "'假标题'")]


def test_the_duplicate_check_compares_phones_by_their_digits(init_county):
    run = init_county(mini_zhongjiang())
    add = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "路灯", "--category", "livelihood")
    run(*add, "--requester-phone", "13812345678", "--now", "2024-02-26T10:00")
    r = run(*add, "--requester-phone", "+86 138-1234-5678", "--now", "2024-02-26T10:05", ok=1)
    assert r.stderr.strip().startswith("error: case add: case zj-000001 (taken in at 2024-02-26T10:00:00+08:00) has "
                                       "the same requester phone, title and unit, within 10 minutes")
    run(*add, "--requester-phone", "13812345679", "--now", "2024-02-26T10:06")  # another phone: taken in


def test_phone_key():
    from framework.kernel.guards import phone_key
    assert [phone_key(p) for p in ("+86 138-1234-5678", "0086 13812345678", "(0838) 555-1234", "8613812345678")] == [
        "13812345678", "13812345678", "08385551234", "13812345678"]


OPERATORS = """
[operators]
fx-zhang = {name = "张某", unit = "zj.fx"}
"""


def test_init_on_a_database_with_operators_needs_one_of_them_and_is_logged(init_county, tmp_path, monkeypatch,
                                                                            county_db):
    run = init_county(mini_zhongjiang() + OPERATORS)
    bare = tmp_path / "bare.toml"
    bare.write_text(mini_zhongjiang(), encoding="utf-8")  # the operator list removed
    monkeypatch.delenv("COUNTY_ACTOR")
    r = run("init", "--config", bare, "--update", ok=1)
    assert r.stderr.strip() == ("error: init: this database's deployment lists operators (fx-zhang) and no "
                                "COUNTY_ACTOR is set: set COUNTY_ACTOR to one of them to change the deployment (who "
                                "does is logged)")
    monkeypatch.setenv("COUNTY_ACTOR", "tester")
    assert "COUNTY_ACTOR='tester' is not one of them" in run("init", "--config", bare, "--update", ok=1).stderr
    monkeypatch.setenv("COUNTY_ACTOR", "fx-zhang")
    run("init", "--config", bare, "--update", "--now", "2026-11-02T10:00")
    con = sqlite3.connect(county_db)
    assert con.execute("select id, at, actor, note from deployment_log").fetchall() == [
        (1, "2026-11-02T10:00:00+08:00", "fx-zhang", f"init --config {bare}: operators fx-zhang → none; [operators] 已变更")]
    assert run("verify").exit_code == 0
    con.execute("update deployment_log set actor = 'somebody'")
    con.commit()
    con.close()
    assert run("verify", ok=1).stdout == ("deployment: deployment log row 1 (2026-11-02T10:00:00+08:00, by somebody) "
                                          "was edited: its content no longer gives its hash\n")


def test_a_recomputed_chain_and_reseal_is_named_by_the_fold(raw):
    """The inspector's careful forger: a note edited, the case's chain recomputed, the row
    re-sealed, the triggers put back — and a deleted confirmation the same way."""
    from framework.store.chain import EVENT_FIELDS, event_hash
    path, con = raw
    con.execute("drop trigger events_no_update")
    con.execute("update events set note = '伪造的答复' where id = 2")
    prev = ""
    for e in con.execute("select * from events where case_id = 'zj-000001' order by id").fetchall():
        h = event_hash(prev, [e[f] for f in EVENT_FIELDS])
        con.execute("update events set prev_hash = ?, hash = ? where id = ?", [prev, h, e["id"]])
        prev = h
    con.execute("update cases set head_hash = ? where id = 'zj-000001'", [prev])
    reseal(con, "zj-000001")
    assert verify(path) == [("fold", None, None,
                             "the events up to id 10 are not the ones sealed (10 there now; their hashes no longer fold "
                             "to meta.events_fold): events were edited, deleted or inserted and a case's chain "
                             "recomputed — compare with a backup (county verify --against COPY) to see which")]
