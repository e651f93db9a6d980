"""The deployment's administrative tree (units) and its people, as the County holds them:
lookups by code, subtrees, ancestors, and loading units and people (all rows or none)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from framework.errors import CountyError, NotFound
from framework.models import Person, Unit, converter


class UnitTree:
    """Mixin of :class:`framework.kernel.county.County`: ``self.store`` holds the ``units`` and
    ``people`` tables; ``self.units`` / ``self.people`` are loaded from them."""

    def _load_tree(self) -> None:
        self.units: dict[str, Unit] = {
            r["code"]: Unit(r["code"], r["name"], r["level"], r["parent"]) for r in self.store.query("select * from units")
        }
        self.people: dict[str, Person] = {
            r["id"]: Person(r["id"], r["name"], r["unit"], json.loads(r["roles"] or "[]"),
                            json.loads(r["skills"] or "[]"), r["phone"])
            for r in self.store.query("select * from people")
        }
        self._children: dict[str | None, list[str]] = {}
        for u in self.units.values():
            self._children.setdefault(u.parent, []).append(u.code)

    def import_units(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load units (code, name, level, parent). All rows or none. Returns the count.
        ``lines``: each row's line in the file, for errors (default: 2, 3, …)."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        units = []
        for i, r in zip(lines, rows):
            missing = [k for k in ("code", "name", "level") if not (r.get(k) or "").strip()]
            if missing:
                raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
            code = r["code"].strip()
            if any(c.isspace() for c in code):
                raise CountyError(f"{where}: line {i}: code {code!r} contains a space (use e.g. zj.fx.llg)")
            units.append(Unit(code, r["name"].strip(), r["level"].strip(), (r.get("parent") or "").strip() or None))
        known = set(self.units) | {u.code for u in units}
        for i, u in zip(lines, units):
            if u.parent and u.parent not in known:
                raise CountyError(f"{where}: line {i}: parent {u.parent!r} of {u.code!r} is not a known unit")
        with self.store.transaction():
            for u in units:
                self.store.upsert("units", converter.unstructure(u), pk="code")
        self._load_tree()
        return len(units)

    def import_people(self, rows: Iterable[dict], where: str, lines: list[int] | None = None) -> int:
        """Load people (id, name, unit, roles, skills, phone; lists separated by ; or ,).
        All rows or none. ``lines``: each row's line in the file, for errors (default: 2, 3, …)."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        people = []
        for i, r in zip(lines, rows):
            missing = [k for k in ("id", "name", "unit") if not str(r.get(k) or "").strip()]
            if missing:
                raise CountyError(f"{where}: line {i}: missing {', '.join(missing)}")
            if r["unit"] not in self.units:
                raise CountyError(f"{where}: line {i}: unit {r['unit']!r} is not a known unit")
            people.append(Person(str(r["id"]).strip(), r["name"].strip(), r["unit"], _split(r.get("roles")),
                                 _split(r.get("skills")), (str(r.get("phone") or "").strip() or None)))
        with self.store.transaction():
            for p in people:
                self.store.upsert("people", converter.unstructure(p), pk="id")
        self._load_tree()
        return len(people)

    def unit(self, code: str) -> Unit:
        """The unit ``code``; NotFound (exit 2) when there is none."""
        try:
            return self.units[code]
        except KeyError:
            raise NotFound(f"unknown unit {code!r} (see `county units list`)") from None

    def person(self, pid: str) -> Person:
        """The person ``pid``; NotFound (exit 2) when there is none."""
        try:
            return self.people[pid]
        except KeyError:
            raise NotFound(f"unknown person {pid!r} (see `county people list`)") from None

    def ancestor(self, code: str, level: str) -> Unit | None:
        cur = self.units.get(code)
        while cur is not None:
            if cur.level == level:
                return cur
            cur = self.units.get(cur.parent) if cur.parent else None
        only = [u for u in self.units.values() if u.level == level]
        return only[0] if len(only) == 1 else None

    def ancestors(self, code: str | None):
        """Yield ``code`` and then each unit above it up to the root (unknown codes yield
        themselves only)."""
        seen = set()
        while code and code not in seen:
            seen.add(code)
            yield code
            u = self.units.get(code)
            code = u.parent if u else None

    def subtree(self, code: str) -> list[str]:
        out, stack = [], [code]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self._children.get(c, []))
        return out

    def children(self, code: str | None) -> list[str]:
        """Codes of the units directly below ``code`` (None: the roots)."""
        return list(self._children.get(code, []))

    def roots(self) -> list[Unit]:
        return [self.units[c] for c in self._children.get(None, [])]


def _split(v) -> list[str]:
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return [x.strip() for x in str(v or "").replace(";", ",").split(",") if x.strip()]
