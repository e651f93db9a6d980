"""What the county's inspectors (纪检) run (issue 14): ``county verify`` (the hash chain and
the seals, :mod:`framework.store.chain`), ``county check`` (SQLite's integrity check and the
domain's invariants) and ``county backup`` (SQLite's online backup API).

Every problem is a :class:`Finding`: a kind, the case and event it names and one line of text.
None of these functions writes to the database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from framework.errors import CountyError
from framework.models import OPEN_STATUSES
from framework.kernel.audit_state import casework_problems, milestone_problems, row_disagreements
from framework.kernel.audit_tallies import tally_problems
from framework.store.chain import (
    APPEND_ONLY_TRIGGERS,
    EVENT_FIELDS,
    GENESIS,
    counter,
    event_hash,
    fold_problem,
    log_problems,
    state_digest,
)

#: The kinds ``county verify`` reports.
VERIFY_KINDS = ("edited", "deleted", "reordered", "row", "unsealed", "tail", "orphan", "gap", "milestone",
                "signoff", "attachment", "integrity", "deployment", "fold")


@attrs.frozen
class Finding:
    """One problem: ``kind`` (:data:`VERIFY_KINDS`, or a ``county check`` kind: ``integrity``,
    ``holder``, ``due``, ``order``, ``milestone``, ``schema``, ``tallies``), the ``case`` id and ``event`` id it names
    (None when not one), and ``message``: one line naming them."""

    kind: str
    case: str | None
    event: int | None
    message: str


def _label(e: dict) -> str:
    return f"event {e['id']} ({e['type']} at {e['at']})"


# -- county verify -------------------------------------------------------------------------
def verify(store) -> list[Finding]:
    """Check every event's hash and link and every case row's seal (``store``: a
    :class:`~framework.store.db.Store`). Returns the findings, one per edited, deleted or
    reordered event, per case whose row disagrees with its events, per case or event never
    sealed, per event naming no case and per missing case number (a deleted case); empty when
    all agree. Kinds:

    * ``edited`` — an event whose content no longer gives its hash (note, type, time… changed);
    * ``deleted`` — an event whose link points at no event of its case: one or more before it
      are gone (the first event too, when its link is not the chain's start);
    * ``reordered`` — an event whose link points at another event of its case that comes
      after it (events moved or swapped);
    * ``tail`` — the case's row was sealed after an event that is gone (the last events
      deleted), or events were added after the seal by something other than the kernel;
    * ``row`` — the case row's state (status, handler, unit, due…) is not the state sealed with
      its events: changed without an event;
      the columns that disagree with the events are named (:mod:`framework.kernel.audit_state`);
      a row changed **and re-sealed** is named too when its status, satisfaction, resolved_at,
      handler, unit or lead_id disagree with what its (intact) chain of events says;
    * ``milestone`` — a milestone the sweep's ``overdue`` event says was missed, now met,
      pending or gone (the 按期率);
    * ``signoff`` / ``attachment`` — a sign-off or attachment row that disagrees with its
      events (a forged ``signed_at``, a changed sha256/uri/caption, a row added or deleted);
    * ``fold`` — the events as a whole no longer fold to ``meta.events_fold`` (a case's chain
      recomputed after an edit or deletion: :func:`framework.store.chain.fold_problem`);
    * ``deployment`` — a row of the deployment log (who ran ``county init --update``) edited,
      deleted or moved;
    * ``unsealed`` — a case row or event without its hash (written outside the kernel);
    * ``orphan`` — an event of a case that has no row; ``gap`` — a case number missing, the
      highest too when the case counter (``meta.case_counter``, :mod:`framework.store.chain`)
      is above every case left.

    Everything is read in one read transaction: one committed state, while others write."""
    with _snapshot(store.db.conn) as conn:
        return _verify(conn)


@contextlib.contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction on ``conn`` (WAL: one committed state however long the reading takes),
    unless one is open already."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("begin")
    try:
        yield conn
    finally:
        conn.execute("rollback")


def _verify(conn: sqlite3.Connection) -> list[Finding]:
    out: list[Finding] = []
    cases: dict[str, dict] = {}
    cur = conn.execute("select * from cases order by seq")
    cols = [d[0] for d in cur.description]
    for values in cur:
        row = dict(zip(cols, values))
        cases[row["id"]] = row
    seen: set[str] = set()
    for case_id, events in _events_by_case(conn):
        seen.add(case_id)
        row = cases.get(case_id)
        if row is None:
            out.append(Finding("orphan", case_id, events[0]["id"],
                               f"case {case_id}: {len(events)} event(s) from {_label(events[0])} name a case that has no "
                               f"row (the case row was deleted)"))
            continue
        before = len(out)
        head = _check_chain(case_id, events, out)
        _check_row(row, head, events, out, moved=any(f.kind == "reordered" for f in out[before:]),
                   chain_ok=len(out) == before)
    for case_id, row in cases.items():
        if case_id not in seen:
            _check_row(row, GENESIS, [], out, chain_ok=True)
    out += [Finding("milestone", cid, eid, text) for cid, eid, text in milestone_problems(conn)]
    out += [Finding("deployment", None, None, text) for _, text in log_problems(conn)]
    if conn.execute("select 1 from sqlite_master where name = 'signoffs'").fetchone():
        out += [Finding(kind, cid, eid, text) for kind, cid, eid, text in casework_problems(conn)]
    seqs = sorted(r["seq"] for r in cases.values() if r["seq"] is not None)
    have = set(seqs)
    top, top_id = counter(conn)
    if top > (seqs[-1] if seqs else 0):
        out.append(Finding("gap", top_id, None, f"case number {top}{' (' + top_id + ')' if top_id else ''} is missing: "
                                                f"the case counter says {top} case(s) were numbered, the highest left "
                                                f"is {seqs[-1] if seqs else 'none'} (the top case was deleted)"))
    for n in range(1, seqs[-1] if seqs else 0):
        if n not in have:
            out.append(Finding("gap", None, None, f"case number {n} is missing (cases run 1–{seqs[-1]}): "
                                                  f"a case row was deleted"))
    fold = fold_problem(conn) if not out else None  # whatever broke a chain or a row is named above
    if fold:
        out.append(Finding("fold", None, None, fold))
    return out


def _events_by_case(conn: sqlite3.Connection) -> Iterator[tuple[str, list[dict]]]:
    cur = conn.execute(f"select id, {', '.join(EVENT_FIELDS)}, prev_hash, hash from events order by case_id, id")
    names = ["id", *EVENT_FIELDS, "prev_hash", "hash"]
    batch: list[dict] = []
    for values in cur:
        e = dict(zip(names, values))
        if batch and batch[0]["case_id"] != e["case_id"]:
            yield batch[0]["case_id"], batch
            batch = []
        batch.append(e)
    if batch:
        yield batch[0]["case_id"], batch


def _check_chain(case_id: str, events: list[dict], out: list[Finding]) -> str:
    """Walk one case's events in id order; returns the hash of its last event as stored."""
    stored = {e["hash"]: i for i, e in enumerate(events) if e["hash"]}
    expect = GENESIS
    for i, e in enumerate(events):
        if e["hash"] is None:
            out.append(Finding("unsealed", case_id, e["id"], f"case {case_id}: {_label(e)} has no hash "
                                                             f"(appended outside the kernel)"))
            expect = GENESIS
            continue
        if event_hash(e["prev_hash"] or GENESIS, [e[f] for f in EVENT_FIELDS]) != e["hash"]:
            out.append(Finding("edited", case_id, e["id"], f"case {case_id}: {_label(e)} was edited: its content "
                                                           f"no longer gives its hash"))
        elif (e["prev_hash"] or GENESIS) != expect:
            j = stored.get(e["prev_hash"])
            before = f"after {_label(events[i - 1])}" if i else "as the case's first event"
            if j is not None and j > i:
                out.append(Finding("reordered", case_id, e["id"],
                                   f"case {case_id}: {_label(e)} is out of place: it stands {before} but was "
                                   f"appended after {_label(events[j])} (events moved or swapped)"))
            elif j is not None:
                out.append(Finding("reordered", case_id, e["id"],
                                   f"case {case_id}: {_label(e)} was appended right after {_label(events[j])}, "
                                   f"not {before} (events moved)"))
            else:
                out.append(Finding("deleted", case_id, e["id"],
                                   f"case {case_id}: event(s) deleted before {_label(e)}"
                                   + (f" (after {_label(events[i - 1])})" if i else " (the case's first events)")))
        expect = e["hash"]
    return events[-1]["hash"] or GENESIS


def _check_row(row: dict, head: str, events: list[dict], out: list[Finding], moved: bool = False,
               chain_ok: bool = False) -> None:
    """The row's seal, and its head against the events' (``moved``: the chain has reordered
    events already named, so a head found among them says nothing more). ``chain_ok``: the
    case's chain is intact, so a row whose event-carried columns disagree with its events
    (:func:`~framework.kernel.audit_state.row_disagreements`) is named even when re-sealed."""
    cid = row["id"]
    if row.get("state_hash") is None:
        out.append(Finding("unsealed", cid, None, f"case {cid}: its row has no seal (written outside the kernel)"))
        return
    hints = row_disagreements(row, events)
    if (state_digest(row) == row["state_hash"] and hints and chain_ok
            and (row.get("head_hash") or GENESIS) == head):
        out.append(Finding("row", cid, None, f"case {cid}: its row disagrees with its events ({'; '.join(hints)}): "
                                             f"changed and re-sealed without an event"))
    elif state_digest(row) != row["state_hash"]:
        out.append(Finding("row", cid, None, f"case {cid}: its row was changed without an event "
                                             f"(status {row['status']}, handler {row['handler'] or '-'}, unit {row['unit']}"
                                             f"{'; ' + '; '.join(hints) if hints else ''}): it is not the state sealed "
                                             f"with its events"))
    if (row.get("head_hash") or GENESIS) != head:
        at = next((e for e in events if e["hash"] == row.get("head_hash")), None)
        if at is not None and moved:
            pass
        elif at is not None:
            out.append(Finding("tail", cid, None, f"case {cid}: events after {_label(at)} were added outside "
                                                  f"the kernel (the row was sealed at that event)"))
        else:
            last = f" after {_label(events[-1])}" if events else ""
            out.append(Finding("tail", cid, None, f"case {cid}: its last event(s){last} were deleted (the row was "
                                                  f"sealed after an event that is gone)"))


def _data(e: dict) -> dict:
    try:
        d = json.loads(e["data"] or "{}")
    except (TypeError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}


def compare(store, copy: str | Path) -> list[Finding]:
    """The live database against an earlier copy of it (``county backup``, kept elsewhere):
    every event of the copy must still be there with the same hash — a careful forger who
    recomputed the whole chain after an edit is caught here. Returns a ``rewritten`` finding per
    event whose hash changed, ``deleted`` per event of the copy that is gone; and per case row of
    the copy with no event since, ``rewritten`` naming each column changed (a row re-sealed
    after a change), ``deleted`` when the row is gone. CountyError when
    the copy cannot be read or has no chain."""
    path = Path(copy)
    if not path.is_file():
        raise CountyError(f"--against {copy}: no such file")
    try:
        old = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        rows = old.execute("select id, case_id, type, at, hash from events order by id")
    except sqlite3.Error as e:
        raise CountyError(f"--against {copy}: not a county database with the audit chain ({e})") from None
    out: list[Finding] = []
    with _snapshot(store.db.conn) as conn:
        live = conn.execute("select id, hash from events order by id")
        cur = live.fetchone()
        for eid, cid, type_, at, h in rows:
            while cur is not None and cur[0] < eid:
                cur = live.fetchone()
            label = f"event {eid} ({type_} at {at})"
            if cur is None or cur[0] != eid:
                out.append(Finding("deleted", cid, eid, f"case {cid}: {label} of the copy {path.name} is gone"))
            elif cur[1] != h:
                out.append(Finding("rewritten", cid, eid, f"case {cid}: {label} is not the one in the copy "
                                                         f"{path.name}: rewritten since"))
        out += _compare_rows(conn, old, path.name)
    old.close()
    return out


#: Columns a case row may change in without an event: the seal's own, and what the sweep writes
#: for a milestone of action ``none`` (missed, counted, no 督办 event).
_ROW_MAY_CHANGE = frozenset({"state_hash", "head_hash", "overdue_count", "updated_at"})


def _compare_rows(conn: sqlite3.Connection, old: sqlite3.Connection, name: str) -> list[Finding]:
    """Each case row of the copy ``old`` whose last event is still the live row's last event
    (nothing happened to the case since) must be the live row, column for column: a
    ``rewritten`` finding naming the columns changed, even when re-sealed; a case of the copy
    with no live row is ``deleted``."""
    out: list[Finding] = []
    try:
        cur = old.execute("select * from cases order by seq")
    except sqlite3.Error:
        return out
    cols = [d[0] for d in cur.description]
    live_cols = [r[1] for r in conn.execute("pragma table_info(cases)")]
    for values in cur:
        was = dict(zip(cols, values))
        row = conn.execute("select * from cases where id = ?", [was["id"]]).fetchone()
        if row is None:
            out.append(Finding("deleted", was["id"], None, f"case {was['id']} of the copy {name} has no row here "
                                                           f"(deleted since)"))
            continue
        now = dict(zip(live_cols, row))
        if now.get("head_hash") != was.get("head_hash"):
            continue  # events since: the chain is compared event by event above
        changed = [c for c in cols if c not in _ROW_MAY_CHANGE and now.get(c) != was[c]]
        if changed:
            out.append(Finding("rewritten", was["id"], None,
                               f"case {was['id']}: its row is not the one in the copy {name} though no event was "
                               f"added since: {', '.join(f'{c} {was[c]!r} → {now.get(c)!r}' for c in changed)}"))
    return out


def backfill_note(store) -> str | None:
    """One line saying which events the schema migration chained after the fact (their chain
    proves nothing about before it), or None when it back-filled none."""
    b = store.get_meta("audit_backfill")
    if isinstance(b, str):
        b = json.loads(b)
    if not b or not b.get("events"):
        return None
    return (f"{b['events']} event(s) up to id {b['last_event_id']} were chained when the database was upgraded "
            f"(back-filled): their hashes prove nothing about changes before the upgrade, only since")


# -- the file itself -----------------------------------------------------------------------
def integrity(path: str | Path, *, quick: bool = True) -> list[Finding]:
    """SQLite's own check of the database file at ``path`` (``PRAGMA quick_check``, or
    ``integrity_check`` when not ``quick``), on a connection of its own: one ``integrity``
    Finding per problem line (SQLite's report split; its ``*** in database …`` headers left
    out), or one naming the error when the file cannot even be read (``database disk image is
    malformed``). Empty when the file is sound. Run before ``county verify`` so that a damaged
    file is reported as damage (advising ``county check``), not as deleted events."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        return [Finding("integrity", None, None, f"the database file cannot be opened ({e})")]
    try:
        return _integrity_lines(conn, quick=quick)
    finally:
        conn.close()


def _integrity_lines(conn: sqlite3.Connection, *, quick: bool) -> list[Finding]:
    what = "quick check" if quick else "integrity check"
    advice = "; the file is damaged, not a verdict on tampering: run `county check`, restore a backup" if quick else ""
    try:
        lines = [line for (text,) in conn.execute(f"pragma {what.replace(' ', '_')}")
                 for line in str(text).splitlines()]
    except sqlite3.DatabaseError as e:
        return [Finding("integrity", None, None, f"SQLite {what}: {e}{advice}")]
    return [Finding("integrity", None, None, f"SQLite {what}: {line.strip()}{advice}") for line in lines
            if line.strip() and line.strip() != "ok" and not line.startswith("***")]


# -- county check --------------------------------------------------------------------------
def check(county: Any) -> list[Finding]:
    """``PRAGMA integrity_check`` and the domain's invariants (``county``: the County). Kinds:

    * ``integrity`` — a line of SQLite's integrity check other than ``ok``;
    * ``holder`` — an open case without a tier (its chain has tiers), or without a holder: no
      handler, its unit not at its tier's level, and no recorded reason (an event since its
      arrival at the tier of type ``no_handler`` — what the kernel records when a tier has no
      unit, :mod:`framework.kernel.guards` — or whose data has ``no_handler`` or kind
      ``no_handler``);
    * ``due`` — a milestone (not ``anchor="before"``) due at or before the case's arrival, or
      the case's ``due_at`` not after its arrival at its tier;
    * ``order`` — an event dated before the case's event before it (by id);
    * ``schema`` — a missing append-only trigger of ``events`` (its rows could then be changed
      or deleted unseen until ``county verify``);
    * ``milestone`` — a pending milestone of a closed case, or of an open case at another tier;
      a pending primary milestone whose instant is not the case's ``due_at``; more than one
      pending primary; an open case with a ``due_at`` and no primary milestone of its tier due
      then (its milestones deleted: the sweep would never act on it); ``overdue_count`` not the
      number of missed milestones;
    * ``tallies`` — a missing trigger of the kept counts (they could then go stale), or a kept
      count whose rows differ from a recount (:mod:`framework.kernel.audit_tallies`)."""
    with _snapshot(county.store.db.conn) as db:
        out = _integrity_lines(db, quick=False)
        present = {r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")}
        out += [Finding("schema", None, None, f"the events' append-only trigger {t} is missing: events can be "
                                                  f"changed or deleted unseen (restore a backup)") for t in APPEND_ONLY_TRIGGERS if t not in present]
        out += _holder_problems(county)
        out += _due_problems(db)
        out += _order_problems(db)
        out += _milestone_problems(db)
        out += [Finding(kind, None, None, text) for kind, text in tally_problems(db, county.calendar.tz)]
    return out


def _ts(text: str | None) -> float | None:
    return dt.datetime.fromisoformat(text).timestamp() if text else None


def _holder_problems(county) -> list[Finding]:
    out = []
    statuses = list(OPEN_STATUSES)
    rows = county.store.query(f"select id, method, level, unit, handler, tier_arrived_at from cases where status in "
                              f"({','.join('?' * len(statuses))}) order by seq", statuses)
    for r in rows:
        try:
            chain = county.chain_method(r["method"])
        except CountyError:
            chain = None
        tier = chain.tier(r["level"]) if chain is not None and r["level"] else None
        if chain is not None and chain.tiers and tier is None:
            out.append(Finding("holder", r["id"], None, f"case {r['id']}: open at "
                               f"{'tier ' + repr(r['level']) if r['level'] else 'no tier'}, not a tier of the "
                               f"{chain.name} chain ({', '.join(t.name for t in chain.tiers)})"))
            continue
        if r["handler"]:
            continue
        unit = county.units.get(r["unit"])
        if tier is not None and unit is not None and unit.level == tier.level:
            continue  # the tier's unit holds it (责任单位)
        if tier is None and r["unit"]:
            continue
        since = _ts(r["tier_arrived_at"]) or 0
        if any((e["type"] == "no_handler" or "no_handler" in d or d.get("kind") == "no_handler")
               and _ts(e["at"]) >= since - 1e-6
               for e in county.store.query("select at, type, data from events where case_id = ? order by id", [r["id"]])
               for d in [_data(e)]):
            continue
        out.append(Finding("holder", r["id"], None,
                           f"case {r['id']}: open at tier {r['level']} with no handler, held by "
                           f"{r['unit'] or 'no unit'} ({unit.level if unit else '-'}, not a "
                           f"{tier.level if tier else '-'}) and no recorded reason"))
    return out


def _due_problems(db: sqlite3.Connection) -> list[Finding]:
    out = []
    for cid, name, level, due, due_ts, created in db.execute(
            "select m.case_id, m.name, m.level, m.due_at, m.due_ts, c.created_ts from milestones m "
            "join cases c on c.id = m.case_id where m.anchor != 'before' and m.due_ts <= c.created_ts order by m.id"):
        out.append(Finding("due", cid, None, f"case {cid}: milestone {name!r} of tier {level} is due {due}, not after "
                                             f"the case arrived"))
    for cid, due, arrived in db.execute("select id, due_at, tier_arrived_at from cases where due_at is not null "
                                        "and tier_arrived_at is not null order by seq"):
        if _ts(due) <= _ts(arrived) and not db.execute(
                "select 1 from milestones where case_id = ? and due_at = ? and anchor = 'before'", [cid, due]).fetchone():
            out.append(Finding("due", cid, None, f"case {cid}: due {due}, not after its arrival at its tier ({arrived})"))
    return out


def _order_problems(db: sqlite3.Connection) -> list[Finding]:
    out = []
    prev: tuple | None = None
    for eid, cid, at, type_ in db.execute("select id, case_id, at, type from events order by case_id, id"):
        ts = _ts(at)
        if prev is not None and prev[1] == cid and ts < prev[2]:
            out.append(Finding("order", cid, eid, f"case {cid}: event {eid} ({type_} at {at}) is dated before "
                                                  f"event {prev[0]} ({prev[3]} at {prev[4]}) appended before it"))
        if prev is None or prev[1] != cid or ts >= prev[2]:
            prev = (eid, cid, ts, type_, at)
    return out


def _milestone_problems(db: sqlite3.Connection) -> list[Finding]:
    out = []
    statuses = list(OPEN_STATUSES)
    marks = ",".join("?" * len(statuses))
    for cid, status, name, level in db.execute(
            f"select c.id, c.status, m.name, m.level from milestones m join cases c on c.id = m.case_id "
            f"where m.state = 'pending' and c.status not in ({marks}) order by c.seq, m.id", statuses):
        out.append(Finding("milestone", cid, None, f"case {cid} is {status} but milestone {name!r} of tier {level} "
                                                   f"is still pending"))
    for cid, clevel, name, level in db.execute(
            f"select c.id, c.level, m.name, m.level from milestones m join cases c on c.id = m.case_id "
            f"where m.state = 'pending' and c.status in ({marks}) and m.level is not c.level order by c.seq, m.id",
            statuses):
        out.append(Finding("milestone", cid, None, f"case {cid} is at tier {clevel} but milestone {name!r} of tier "
                                                   f"{level} is still pending"))
    for cid, n in db.execute("select case_id, count(*) from milestones where state = 'pending' and is_primary = 1 "
                             "group by case_id having count(*) > 1"):
        out.append(Finding("milestone", cid, None, f"case {cid}: {n} pending primary milestones (at most one)"))
    for cid, name, mdue, cdue in db.execute(
            f"select c.id, m.name, m.due_at, c.due_at from milestones m join cases c on c.id = m.case_id "
            f"where m.state = 'pending' and m.is_primary = 1 and c.status in ({marks}) and m.level is c.level "
            f"and (c.due_ts is null or m.due_ts != c.due_ts) order by c.seq", statuses):
        out.append(Finding("milestone", cid, None, f"case {cid}: due {cdue or '-'}, but its pending primary "
                                                   f"milestone {name!r} is due {mdue}"))
    # an open case's due instant is its tier's primary milestone's (pending, or missed and
    # flagged): none there means the milestones were deleted, and the sweep would never act (a
    # pending primary due at another instant is the finding above)
    for cid, clevel, cdue in db.execute(
            f"select c.id, c.level, c.due_at from cases c where c.status in ({marks}) and c.due_ts is not null "
            f"and not exists (select 1 from milestones m where m.case_id = c.id and m.level is c.level "
            f"and m.is_primary = 1 and (m.due_ts = c.due_ts or m.state = 'pending')) order by c.seq", statuses):
        out.append(Finding("milestone", cid, None, f"case {cid} is due {cdue} at tier {clevel or '-'} but has no "
                                                   f"primary milestone due then (deleted? the sweep cannot act on it)"))
    for cid, count, missed in db.execute(
            "select c.id, c.overdue_count, (select count(*) from milestones m where m.case_id = c.id and "
            "m.state = 'missed') from cases c where coalesce(c.overdue_count, 0) != (select count(*) from "
            "milestones m where m.case_id = c.id and m.state = 'missed') order by c.seq"):
        out.append(Finding("milestone", cid, None, f"case {cid}: overdue_count {count} but {missed} missed milestone(s)"))
    return out
