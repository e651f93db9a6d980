"""What one sweep (督办) reads once instead of per case (issue 13: the cost per escalation).

* :class:`SweepRun` — per call of ``County.sweep()``: each method's chain, and one
  :class:`SweepContext` per method (settings merged once, ``ctx.people.find`` by an index of
  the people by unit), handed to the assignment and deadline hooks of every case it escalates.
* :class:`CaseStep` — one milestone's step and its savepoint, opened only when something
  written in the step may have to be undone: the kernel's writes that precede the tier's hooks
  (the ``overdue`` event, the old tier's milestones closed) wait until the hooks return, unless
  a hook reads the kernel's tables or writes anything (``ctx.cases`` / ``events`` /
  ``milestones`` / ``signoffs`` / ``attachments``, ``ctx.actions``, a write through ``ctx.db``,
  ``ctx.transaction()``): then the savepoint is opened and those writes made first, so the hook
  sees what it always saw, and a hook that raises still leaves the case untouched. A step that
  needs no savepoint writes no statement journal (SQLite spills one of more than 64 KiB to a
  temporary file: most of a savepoint's cost).
* :class:`SweepChunk` — per sweep transaction: the milestones of the transaction, their cases'
  rows, the instant of each case's latest event (for the time-order check) and the hash of its
  last one (the chain's previous hash for its next event), read in three queries inside the
  transaction (so a case resolved by another writer before it began is
  seen as resolved). A case the sweep has written since (an earlier milestone of the same
  case, a failure) is read again on its own, and so is every case once a plugin's hook wrote
  anything (:meth:`SweepChunk.hooks_wrote`): what it hands out is always what a read at
  that moment would give.

Kernel-internal; :mod:`framework.kernel.sweep` uses it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from framework.kernel.bulk_context import IndexedPeople
from framework.kernel.context import CountyContext, MethodContext, People, PluginTables
from framework.models import MethodInfo
from framework.store.chain import GENESIS

#: SQLite's bound-parameter limit is far above this; one ``in (…)`` list per query.
_IN_CHUNK = 900


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(ids), _IN_CHUNK):
        yield ids[i:i + _IN_CHUNK]


#: The savepoint of one step inside the sweep's transaction.
SAVEPOINT = "county_sweep_case"


class CaseStep:
    """One milestone's step (module docstring). ``pending``: the kernel's writes waiting for
    the hooks (a callable), run by :meth:`flush`; ``savepoint``: whether it is open;
    ``written``: whether the step wrote outside a savepoint (nothing can then be undone);
    ``hook_wrote``: whether a hook used a writing part of ``ctx``."""

    __slots__ = ("conn", "hook_wrote", "pending", "savepoint", "written")

    def __init__(self, conn):
        self.conn = conn
        self.pending = None
        self.savepoint = self.written = self.hook_wrote = False

    def open(self) -> None:
        """The savepoint (once), then the pending writes: before anything that may need undoing."""
        if not self.savepoint:
            if self.written:
                raise RuntimeError("sweep: a savepoint asked for after writes made outside one")
            self.conn.execute(f"SAVEPOINT {SAVEPOINT}")
            self.savepoint = True
        self.flush()

    def flush(self) -> None:
        """Make the pending writes now (outside a savepoint unless :meth:`open` came first)."""
        if self.pending is not None:
            write, self.pending = self.pending, None
            if not self.savepoint:
                self.written = True
            write()

    def hook_writes(self) -> None:
        """A hook is about to write (``ctx.actions``, ``ctx.db``, ``ctx.transaction``)."""
        self.open()
        self.hook_wrote = True

    def release(self) -> None:
        if self.savepoint:
            self.conn.execute(f"RELEASE {SAVEPOINT}")

    def undo(self) -> bool:
        """Undo what the step wrote; False when it cannot (writes made outside a savepoint)."""
        if self.savepoint:
            if self.conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                self.conn.execute(f"ROLLBACK TO {SAVEPOINT}")
                self.conn.execute(f"RELEASE {SAVEPOINT}")
            return True
        return not self.written


class _Reads:
    """``ctx.cases`` / ``events`` / ``milestones`` / ``signoffs`` / ``attachments`` in a sweep:
    the step's pending writes are made (in its savepoint) before any use."""

    __slots__ = ("_inner", "_run")

    def __init__(self, inner: Any, run: SweepRun):
        self._inner, self._run = inner, run

    def __getattr__(self, name: str) -> Any:
        if self._run.step is not None:
            self._run.step.open()
        return getattr(self._inner, name)


class _Acts(_Reads):
    """``ctx.actions`` in a sweep: the step's savepoint and pending writes before any call."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr
        run = self._run

        def act(*args, **kwargs):
            if run.step is not None:
                run.step.hook_writes()
            return attr(*args, **kwargs)

        return act


_READS_SQL = ("select", "pragma", "explain")  # a WITH may write: it opens the savepoint


class _Tables(PluginTables):
    """``ctx.db`` in a sweep: a write opens the step's savepoint first (so a step undone takes
    the plugin's rows with it)."""

    def __init__(self, store: Any, method: str, run: SweepRun):
        super().__init__(store, method)
        self._run = run

    def _writing(self) -> None:
        if self._run.step is not None:
            self._run.step.hook_writes()

    def execute(self, sql: str, params: Any = ()):
        if not sql.lstrip().lower().startswith(_READS_SQL):
            self._writing()
        return super().execute(sql, params)

    def insert(self, table: str, row: dict, **kw) -> Any:
        self._writing()
        return super().insert(table, row, **kw)

    def upsert(self, table: str, row: dict, pk) -> None:
        self._writing()
        super().upsert(table, row, pk)

    def update(self, table: str, pk: Any, values: dict) -> None:
        self._writing()
        super().update(table, pk, values)


class SweepContext(CountyContext):
    """The ``ctx`` of one method for one sweep: made once (not per hook call), ``now`` the
    sweep's instant, ``ctx.actor`` the County's read when used (as ``County.ctx`` gives it),
    ``ctx.people.find(unit=…)`` through an index by unit (the same people in the same order as
    the scan of every person); its reads and writes of the database go through the current
    :class:`CaseStep` first (module docstring)."""

    def __init__(self, county: Any, info: MethodInfo, now: dt.datetime, run: SweepRun):
        super().__init__(county, info, county.settings(info.name), now, None)
        self._people = IndexedPeople(county.people)
        self._run = run
        for name in ("cases", "events", "milestones", "signoffs", "attachments"):
            setattr(self, name, _Reads(getattr(self, name), run))
        self.actions = _Acts(self.actions, run)
        self.db = _Tables(county.store, info.name, run)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._run.step is not None:
            self._run.step.hook_writes()
        with super().transaction():
            yield

    @property
    def people(self) -> People:
        if self._people._people is not self._county.people:  # people loaded again meanwhile
            self._people = IndexedPeople(self._county.people)
        return self._people


class SweepRun:
    """What one ``County.sweep()`` at ``now`` reuses across its cases: chains and contexts."""

    def __init__(self, county: Any, now: dt.datetime):
        self.county, self.now = county, now
        #: The step under way (its hooks' reads and writes go through it), or None.
        self.step: CaseStep | None = None
        self._contexts: dict[str, SweepContext] = {}
        self._chains: dict[str, MethodInfo] = {}

    def chain(self, case_method: str) -> MethodInfo:
        """``County.chain_method(case_method)``, looked up once per sweep."""
        info = self._chains.get(case_method)
        if info is None:
            info = self._chains[case_method] = self.county.chain_method(case_method)
        return info

    def ctx(self, method: str, now: dt.datetime) -> MethodContext:
        """The context handed to ``method``'s hooks (the signature of ``County.ctx``); one per
        method for the whole sweep when ``now`` is the sweep's, else a fresh one."""
        if now != self.now:
            return self.county.ctx(method, now)
        c = self._contexts.get(method)
        if c is None:
            c = self._contexts[method] = SweepContext(self.county, self.county.require_method(method), now, self)
        return c


class SweepChunk:
    """The rows one sweep transaction works on (module docstring). ``ids``: its milestones'
    ids, read now (inside the transaction)."""

    def __init__(self, conn, ids: list[int]):
        self._conn = conn
        self._milestones: dict[int, dict] = {}
        self._cases: dict[str, dict] = {}
        self._latest: dict[str, float] = {}
        self._head: dict[str, str] = {}
        self._reread: set[str] = set()  # cases written since the chunk was read
        self._all_stale = False
        m_cols = c_cols = None
        for part in _chunks(ids):
            cur = conn.execute(f"select * from milestones where id in ({','.join('?' * len(part))})", part)
            m_cols = m_cols or [d[0] for d in cur.description]
            for r in cur:
                self._milestones[r[0]] = dict(zip(m_cols, r))
        case_ids = sorted({m["case_id"] for m in self._milestones.values()})
        for part in _chunks(case_ids):
            marks = ",".join("?" * len(part))
            cur = conn.execute(f"select * from cases where id in ({marks})", part)
            c_cols = c_cols or [d[0] for d in cur.description]
            for r in cur:
                row = dict(zip(c_cols, r))
                self._cases[row["id"]] = row
            self._read_latest(part)

    def _read_latest(self, case_ids: list[str]) -> None:
        """The instant (Unix seconds) of each case's latest event, as
        :func:`~framework.kernel.guards.latest_event` finds it, and the hash of its last event
        by id, as :func:`~framework.store.chain.heads` finds it."""
        latest, head = self._latest, self._head
        for cid, at, h in self._conn.execute(
                f"select case_id, at, hash from events where case_id in ({','.join('?' * len(case_ids))}) "
                f"order by case_id, id", case_ids):
            t = dt.datetime.fromisoformat(at).timestamp()
            if t > latest.get(cid, float("-inf")):
                latest[cid] = t
            head[cid] = h or GENESIS

    def get(self, mid: int) -> tuple[dict | None, dict | None, float | None, str]:
        """``(milestone row, its case's row, the instant of the case's latest event, the hash of
        its last event)`` as the database holds them now: the milestone None when it is gone,
        the case row None when the case is, the instant None and the hash :data:`GENESIS`
        when it has no event."""
        m = self._milestones.get(mid)
        if m is None or self._all_stale or m["case_id"] in self._reread:
            return self._read_one(mid)
        cid = m["case_id"]
        return m, self._cases.get(cid), self._latest.get(cid), self._head.get(cid, GENESIS)

    def _read_one(self, mid: int) -> tuple[dict | None, dict | None, float | None, str]:
        conn = self._conn
        cur = conn.execute("select * from milestones where id = ?", [mid])
        row = cur.fetchone()
        if row is None:
            return None, None, None, GENESIS
        m = dict(zip([d[0] for d in cur.description], row))
        cur = conn.execute("select * from cases where id = ?", [m["case_id"]])
        row = cur.fetchone()
        case = dict(zip([d[0] for d in cur.description], row)) if row is not None else None
        latest, head = None, GENESIS
        for at, h in conn.execute("select at, hash from events where case_id = ? order by id", [m["case_id"]]):
            t = dt.datetime.fromisoformat(at).timestamp()
            latest = t if latest is None or t > latest else latest
            head = h or GENESIS
        return m, case, latest, head

    def written(self, case_id: str) -> None:
        """The sweep wrote ``case_id`` (or tried to): read it again when it comes up."""
        self._reread.add(case_id)

    def hooks_wrote(self) -> None:
        """A plugin's hook wrote to the database: every later case is read again."""
        self._all_stale = True
