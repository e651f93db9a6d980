"""The deployment's administrative tree (units) and its people, as the County holds them:
lookups by code, subtrees, ancestors, and loading units and people (all rows or none)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from framework.errors import CountyError, NotFound
from framework.kernel.deployment_check import tree_problems
from framework.models import Person, Unit, converter


class UnitTree:
    """Mixin of :class:`framework.kernel.county.County`: ``self.store`` holds the ``units`` and
    ``people`` tables; ``self.units`` / ``self.people`` are loaded from them."""

    #: while ``county init`` loads the methods' county-file tables: the file's ``[[people]]`` by
    #: id — a method's row may add roles to one of them, not rename or move them
    people_guard: dict[str, Person] | None = None

    def _load_tree(self) -> None:
        conn = self.store.db.conn
        self.units: dict[str, Unit] = {
            code: Unit(code, name, level, parent)
            for code, name, level, parent in conn.execute("select code, name, level, parent from units")
        }
        # roles and skills are JSON lists, most of them the same few: each distinct text read once
        lists: dict[str | None, list] = {}

        def listed(text: str | None) -> list:
            got = lists.get(text)
            if got is None:
                got = lists[text] = json.loads(text or "[]")
            return list(got)  # each Person its own list

        self.people: dict[str, Person] = {
            pid: Person(pid, name, unit, listed(roles), listed(skills), phone)
            for pid, name, unit, roles, skills, phone in conn.execute(
                "select id, name, unit, roles, skills, phone from people")
        }
        self._children: dict[str | None, list[str]] = {}
        self._ancestry: dict[str | None, tuple[str, ...]] = {}  # ancestors(), per code, for this tree
        for u in self.units.values():
            self._children.setdefault(u.parent, []).append(u.code)

    def import_units(self, rows: Iterable[dict], where: str, lines: list[int] | None = None,
                     report: dict | None = None) -> int:
        """Load or update units (``code, name, level, parent``). All rows or none. Returns the
        count of rows.

        A known unit is **merged**: a column the row does not carry keeps the stored value (a
        file of ``code, name`` renames without touching parents); a ``parent`` column that is
        present but empty makes the unit a root. A new unit needs ``code``, ``name`` and
        ``level``. The result is checked as ``county init`` checks a deployment (duplicate
        codes, parents that exist, no cycle, levels known and in methods.md §1.1's order) and
        every problem is named at once, ``FILE:LINE: key: reason`` (CountyError, exit 2).
        ``lines``: each row's line in the file (default 2, 3, …). ``report``, when given, is
        filled with ``added`` / ``changed`` (code -> changed fields) / ``unchanged``."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        units, problems = [], []
        for i, r in zip(lines, rows):
            code = str(r.get("code") or "").strip()
            old = self.units.get(code)
            need = ("code",) if old else ("code", "name", "level")
            missing = [k for k in need if not str(r.get(k) or "").strip()]
            if missing:
                problems.append(f"{where}: line {i}: missing {', '.join(missing)}")
                continue
            parent = (str(r.get("parent") or "").strip() or None) if "parent" in r else (old.parent if old else None)
            units.append(Unit(code, str(r.get("name") or "").strip() or old.name, str(r.get("level") or "").strip()
                              or old.level, parent))
        if not problems:
            problems = self._tree_problems(units=units, lines=lines, where=where)
        if problems:
            raise CountyError("\n".join(problems))
        changes = _changes({u.code: self.units.get(u.code) for u in units}, units, "code")
        with self.store.transaction():
            for u in units:
                self.store.upsert("units", converter.unstructure(u), pk="code")
        self._load_tree()
        if report is not None:
            report.update(changes)
        return len(units)

    def import_people(self, rows: Iterable[dict], where: str, lines: list[int] | None = None,
                      report: dict | None = None) -> int:
        """Load or update people (``id, name, unit, roles, skills, phone``; lists separated by
        ``;`` or ``,``). All rows or none. Returns the count of rows.

        A known person is **merged**: a column the row does not carry keeps the stored value (a
        file of ``id, name, unit, phone`` keeps everyone's roles and skills). A new person needs
        ``id``, ``name`` and ``unit``. Checked as ``county init`` checks a deployment (duplicate
        ids, units that exist, roles known) with every problem named at once; ``report`` as
        for :meth:`import_units`."""
        rows = list(rows)
        lines = list(lines) if lines is not None else list(range(2, len(rows) + 2))
        people, problems = [], []
        for i, r in zip(lines, rows):
            pid = str(r.get("id") or "").strip()
            old = self.people.get(pid)
            need = ("id",) if old else ("id", "name", "unit")
            missing = [k for k in need if not str(r.get(k) or "").strip()]
            if missing:
                problems.append(f"{where}: line {i}: missing {', '.join(missing)}")
                continue

            guarded = (self.people_guard or {}).get(pid)
            moved = [k for k in ("name", "unit") if guarded is not None and str(r.get(k) or "").strip()
                     and str(r[k]).strip() != getattr(guarded, k)]
            if moved:
                problems.append(f"id {pid!r} is {guarded.name} at {guarded.unit} in [[people]]; "  # the loader says where
                                f"a method's row may add roles or skills to a person, not change their "
                                f"{' or '.join(moved)} (use another id)")
                continue

            def keep(key, value, old=old):
                return value if key in r else (getattr(old, key) if old else value)
            people.append(Person(pid, str(r.get("name") or "").strip() or old.name,
                                 str(r.get("unit") or "").strip() or old.unit,
                                 keep("roles", _split(r.get("roles"))), keep("skills", _split(r.get("skills"))),
                                 keep("phone", str(r.get("phone") or "").strip() or None)))
        if not problems:
            problems = self._tree_problems(people=people, lines=lines, where=where)
        if problems:
            raise CountyError("\n".join(problems))
        changes = _changes({p.id: self.people.get(p.id) for p in people}, people, "id")
        with self.store.transaction():
            for p in people:
                self.store.upsert("people", converter.unstructure(p), pk="id")
        self._load_tree()
        if report is not None:
            report.update(changes)
        return len(people)

    def _tree_problems(self, *, units=(), people=(), lines, where) -> list[str]:
        """The deployment check's unit and people rules applied to the rows of a file, against
        the tree already loaded; ``FILE:LINE: key: reason`` each."""
        return tree_problems(self.deployment, self.registry, self.units, units, people, lines, where)

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
        """An iterator over ``code`` and then each unit above it up to the root (unknown codes
        yield themselves only; None or ``""`` nothing). The path is worked out once per code
        and tree (forgotten when the tree is loaded again): a year's appraisal at 1 M cases
        asked for paths 83 k times, the methods' hooks through ``ctx.ancestors`` too (issue 13)."""
        path = self._ancestry.get(code)
        if path is None:
            path = self._ancestry[code] = tuple(self._walk_up(code))
        return iter(path)

    def _walk_up(self, code: str | None):
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


def _changes(before: dict, after: list, key: str) -> dict:
    """``{"added": [keys], "changed": {key: [fields]}, "unchanged": n}`` between the stored
    records (``before``: key -> record or None) and the loaded ones."""
    out = {"added": [], "changed": {}, "unchanged": 0}
    for rec in after:
        k, old = getattr(rec, key), before.get(getattr(rec, key))
        if old is None:
            out["added"].append(k)
            continue
        fields = [f for f in converter.unstructure(rec) if getattr(rec, f) != getattr(old, f)]
        if fields:
            out["changed"][k] = fields
        else:
            out["unchanged"] += 1
    return out
