"""Sealing the case rows bulk intake inserts from the values in hand (issue 13).

The audit chain (:mod:`framework.store.chain`, issue 14) seals every case row a transaction
changed just before it commits: it re-reads the row (``select *``), digests it
(:func:`~framework.store.chain.row_digester`) with its last event's hash as ``head_hash`` and
writes both back. Bulk intake inserts each new case row whole, with all its events in the same
write, so it knows the row SQLite will return — provided SQLite stores each value as given. It
then inserts the row already sealed, by the same digest function over the same values in the
table's column order, and leaves the case off the transaction's list of cases to seal
(``temp.county_dirty``, which the event writer's ``chain_rows(note=False)`` does not fill) — all
but the highest-numbered case of each write, which the generic seal still re-seals (to the same
values) so that it raises the case counter and extends the events fold exactly as before.

When is a value stored as given (and read back as the same Python value)? ``None``; ``str`` in
a column of TEXT affinity; ``int`` (not ``bool``) in one of INTEGER affinity; a finite
``float`` in one of REAL affinity. Any other value (a number in a TEXT column, text in a
numeric one, NaN, …) leaves its case to the generic seal, as does a ``cases`` table whose
columns are not the ones bulk intake writes plus the seal's two (a later migration), or that
has a trigger of its own: such a row is never sealed by a guess. ``tests/test_bulk_seal.py``
compares the two seals row by row.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from hashlib import sha256
from json.encoder import encode_basestring
from math import isfinite
from typing import Any

from framework.store.chain import GENESIS, UNSEALED_COLUMNS, row_digester
from framework.store.tallies import TRIGGERS as KEEPERS

#: The seal's own columns, written last in bulk intake's INSERT.
SEAL_COLUMNS = ("head_hash", "state_hash")
_DIRTY_TRIGGER = "county_dirty_case_update"  # the chain's own (temporary) trigger on cases


def affinity(declared: str | None) -> str:
    """SQLite's column affinity for a declared type (https://sqlite.org/datatype3.html §3.1):
    ``INTEGER``, ``TEXT``, ``BLOB``, ``REAL`` or ``NUMERIC``."""
    t = (declared or "").upper()
    if "INT" in t:
        return "INTEGER"
    if "CHAR" in t or "CLOB" in t or "TEXT" in t:
        return "TEXT"
    if not t or "BLOB" in t:
        return "BLOB"
    if "REAL" in t or "FLOA" in t or "DOUB" in t:
        return "REAL"
    return "NUMERIC"


class Sealer:
    """The seal of rows inserted as ``columns`` (bulk intake's INSERT column list, without the
    seal's two) on ``conn``'s ``cases`` table. ``usable`` is False when the table is not exactly
    those columns plus :data:`SEAL_COLUMNS`, or has a trigger other than the chain's own and the
    kept counts' (:data:`framework.store.tallies.TRIGGERS`, which change no case row): then
    every row is left to the generic seal."""

    def __init__(self, conn: sqlite3.Connection, columns: Sequence[str]):
        info = list(conn.execute("pragma main.table_info(cases)"))
        table = [r[1] for r in info]
        triggers = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'trigger' and tbl_name = 'cases' union all "
            "select name from sqlite_temp_master where type = 'trigger' and tbl_name = 'cases'")]
        self.usable = (sorted(table) == sorted([*columns, *SEAL_COLUMNS]) and len(set(columns)) == len(columns)
                       and all(t == _DIRTY_TRIGGER or t in KEEPERS for t in triggers)
                       and set(UNSEALED_COLUMNS) <= set(SEAL_COLUMNS))
        if not self.usable:
            return
        kinds = {r[1]: affinity(r[2]) for r in info}
        #: the digest of ``row + (head,)``: the chain's own digester over those column names (it
        #: sorts them by name and leaves out ``state_hash``, as the generic seal does)
        self._digest = row_digester([*columns, "head_hash"])
        self._fast = fast_digester([*columns, "head_hash"])
        self._prefixes = _prefixes([*columns, "head_hash"])
        self._kinds = [kinds[c] for c in columns]
        #: a row's value types -> (fast_digester's text and writers with a text head, the float
        #: values' indexes), or False when a value might not be stored as given
        self._plans: dict[tuple[type, ...], tuple | bool] = {}

    def state_hash(self, row: Sequence[Any], head: str) -> str | None:
        """``cases.state_hash`` of ``row`` (the INSERT's values) with ``head_hash`` = ``head``,
        exactly as :func:`framework.store.chain.seal` computes it from the stored row; None
        when a value might not be stored as given (the generic seal then does it)."""
        types = tuple(map(type, row))
        plan = self._plans.get(types)
        if plan is None:
            plan = self._plan(types)
        if plan is False:
            return None
        text, writers, floats = plan
        for i in floats:
            if not isfinite(row[i]):
                return None  # NaN is stored as NULL
        if type(head) is not str:
            return self._fast((*row, head))
        values = (*row, head)  # (fast_digester's digest, inline: one look-up of the types a row)
        return sha256((text % tuple([w(values[i]) for i, w in writers])).encode("utf-8", "surrogatepass")).hexdigest()

    def _plan(self, types: tuple[type, ...]) -> tuple | bool:
        """:attr:`_plans`' entry for rows of these value types (made once per types)."""
        if not all(_as_given(t, kind) for t, kind in zip(types, self._kinds)):
            plan: tuple | bool = False
        else:
            floats = tuple(i for i, t in enumerate(types) if t is float)
            plan = (*_plan(self._prefixes, (*types, str)), floats)
        if len(self._plans) > 256:
            self._plans.clear()
        self._plans[types] = plan
        return plan


def fast_digester(cols: Sequence[str]):
    """:func:`framework.store.chain.row_digester` for rows whose values are all ``None``,
    ``str``, ``int`` or finite ``float`` (what :meth:`Sealer.state_hash` lets through), the
    compact JSON written directly: each value as the json module's C encoder writes it
    (``encode_basestring``, ``int.__repr__``, ``float.__repr__``), without building the pairs'
    lists first (twice as fast; ``tests/test_bulk_seal.py`` compares the two on many values).
    Raises KeyError for a value of another type."""
    prefixes = _prefixes(cols)
    sha = hashlib.sha256
    # value types -> (the text with a %s per non-NULL value, (index, writer) of each)
    plans: dict[tuple[type, ...], tuple[str, list]] = {}

    def digest(values: Sequence[Any], types: tuple[type, ...] | None = None) -> str:
        """The digest of ``values`` (``types``: their types, when the caller has them)."""
        if types is None:
            types = tuple(map(type, values))
        plan = plans.get(types)
        if plan is None:
            if len(plans) > 256:
                plans.clear()
            plan = plans[types] = _plan(prefixes, types)
        text, writers = plan
        return sha((text % tuple([w(values[i]) for i, w in writers])).encode("utf-8", "surrogatepass")).hexdigest()

    return digest


_WRITE = {str: encode_basestring, int: int.__repr__, float: float.__repr__}


def _prefixes(cols: Sequence[str]) -> list[tuple[int, str]]:
    """``(index, '["name",')`` of each sealed column, sorted by name (:func:`fast_digester`)."""
    return [(i, "[" + encode_basestring(name) + ",") for name, i in sorted((c, i) for i, c in enumerate(cols))
            if name not in UNSEALED_COLUMNS]


def _plan(prefixes: list[tuple[int, str]], types: Sequence[type]) -> tuple[str, list]:
    """The digest's text for values of these ``types`` (a %s per non-NULL value) and the
    ``(index, writer)`` of each such value (KeyError for a type without a writer)."""
    kept = [(i, p) for i, p in prefixes if types[i] is not _NONE]
    text = "case-v1[" + ",".join(p.replace("%", "%%") + "%s]" for _, p in kept) + "]"
    return text, [(i, _WRITE[types[i]]) for i, _ in kept]


_NONE = type(None)


def _as_given(t: type, kind: str) -> bool:
    """Whether SQLite stores a value of type ``t`` in a column of affinity ``kind`` as given
    (and returns it as the same Python value; finite floats: checked by the caller)."""
    return t is type(None) or (t is str and kind == "TEXT") or (t is int and kind == "INTEGER") or (
        t is float and kind == "REAL")


def head_hashes(chained: Sequence[Sequence[Any]]) -> dict[str, str]:
    """Each case's last event hash among chained event rows (``case_id`` first, ``hash`` last,
    in order): the ``head_hash`` the generic seal would read; a case without one gets
    :data:`~framework.store.chain.GENESIS` from the caller."""
    return {r[0]: r[-1] for r in chained}


__all__ = ["GENESIS", "SEAL_COLUMNS", "Sealer", "affinity", "head_hashes"]
