"""The stages' defaults and the checks the kernel keeps for every method.

A bound plugin that does not implement a stage gets the default here; every hook result is
checked with :func:`expect`. ``structure_extra`` is public (plugins' intake uses it).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from sqlite_utils.migrations import Migrations

from framework.errors import CountyError, PluginError, Refusal
from framework.kernel.registry import Registry
from framework.models import (
    Assignment,
    Case,
    Event,
    IntakeResult,
    MethodInfo,
    Requester,
    SatisfactionScale,
    converter,
    # ``county`` parameters below are the County facade (framework.kernel.county), handed in by it;
    # it is not imported here, so the kernel's modules form no import cycle.
)

# -- defaults ---------------------------------------------------------------------------


_PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")
_ID_RE = re.compile(r"^([0-9]{17}[0-9Xx]|[0-9]{15})$")
_NON_DIGIT = re.compile(r"\D")


def check_requester(r: Requester | None) -> None:
    """Refuse a phone number that is not 7–15 digits (spaces, dashes, brackets and a leading
    + allowed) or an ID-card number that is not 18 characters (17 digits + digit/X) or 15
    digits. Full-width forms (``１３８ １２３４ ５６７８``, ``（０７３１）``, ``Ｘ``, an ideographic
    space) are read as their ASCII forms (NFKC) and ``r`` keeps those, so that what is stored,
    compared and masked is one spelling. Raises CountyError naming the field."""
    if r is None:
        return
    for field in ("phone", "id_number"):
        value = getattr(r, field)
        if value and not value.isascii():
            setattr(r, field, unicodedata.normalize("NFKC", value).strip())
    if r.phone:
        digits = _NON_DIGIT.sub("", r.phone)
        if not _PHONE_RE.match(r.phone.strip()) or not 7 <= len(digits) <= 15:
            raise CountyError(f"--requester-phone: {r.phone!r} is not a phone number (7–15 digits)")
    if r.id_number and not _ID_RE.match(r.id_number.strip()):
        raise CountyError(f"--requester-id-number: {r.id_number!r} is not an ID-card number "
                          f"(18 characters: 17 digits and a digit or X; or 15 digits)")


#: The longest case title, in characters (a board cell, a list line); the rest goes in the description.
MAX_TITLE = 200


def check_case_text(title: str, requester: Requester | None) -> None:
    """A case's own checks (:meth:`~framework.kernel.lifecycle.CaseLifecycle._check_new_case` without the method and the
    unit, which bulk intake checks once per batch): a title of 1 to :data:`MAX_TITLE`
    characters (stripped), the requester's phone/ID number. CountyError naming the option."""
    if not (title or "").strip():
        raise CountyError("--title: a case needs a title")
    if len(title.strip()) > MAX_TITLE:
        raise CountyError(f"--title: {len(title.strip())} characters; a title is at most {MAX_TITLE} "
                          f"(put the rest in --description)")
    check_requester(requester)


def default_intake(info: MethodInfo, case: Case, fields: dict[str, str]) -> IntakeResult:
    """Kernel default for intake: ``fields`` structured into ``info.extra_type`` (unknown or
    ill-typed keys are a CountyError naming the key)."""
    return IntakeResult(extra=structure_extra(info, fields))


#: How a field's type is named in an error (``--set KEY=VALUE``).
_KIND = {int: "a whole number", float: "a number", bool: "yes or no (true/false, 1/0)", str: "text",
         dt.date: "a date like 2026-11-05", dt.datetime: "a time like 2026-11-05T09:00"}


#: structure_extra's results by (extra_type, the fields' items) for text fields: a bulk import
#: repeats a few combinations of sheet values thousands of times (issue 13). Only results of
#: plain immutable values are kept (a copy of the dict is handed out), at most _EXTRA_CACHE_MAX.
_extra_cache: dict[tuple, dict[str, Any]] = {}
_EXTRA_CACHE_MAX = 512
_PLAIN = (str, int, float, bool, type(None))


def structure_extra(info: MethodInfo, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate ``fields`` against the method's ``extra_type`` and return them as a plain dict
    (unset fields get the class's defaults). Raises CountyError naming the bad key.

    The same text fields of the same type give the same dict: results made only of str, int,
    float, bool and None are remembered (a fresh copy returned each time); errors and fields
    with other values than text are not."""
    if info.extra_type is None:
        return dict(fields)
    key = hit = None
    if all(type(v) is str for v in fields.values()):  # text (``--set``, a file's cells): 1 == True, "1" != "True"
        key = (info.extra_type, *fields.items())
        hit = _extra_cache.get(key)
    if hit is not None:
        return dict(hit)
    out = _structure_extra(info, fields)
    if key is not None and all(type(v) in _PLAIN for v in out.values()):
        if len(_extra_cache) >= _EXTRA_CACHE_MAX:
            _extra_cache.clear()
        _extra_cache[key] = dict(out)
    return out


def _structure_extra(info: MethodInfo, fields: dict[str, Any]) -> dict[str, Any]:
    known = {f.name: f for f in attrs.fields(info.extra_type)}
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise CountyError(f"--set {unknown[0]}: not a field of {info.name} (fields: {', '.join(known)})")
    try:
        obj = converter.structure(dict(fields), info.extra_type)
    except Exception as e:
        attrs.resolve_types(info.extra_type)
        msgs = []
        for exc in getattr(e, "exceptions", [e]):
            note = "; ".join(getattr(exc, "__notes__", []) or [])
            m = re.search(r"@ attribute (\w+)", note)
            if m and m.group(1) in known:
                key = m.group(1)
                kind = known[key].type
                args = [a for a in typing.get_args(kind) if a is not type(None)]
                kind = args[0] if len(args) == 1 else kind  # X | None: X
                want = _KIND.get(kind, getattr(kind, "__name__", str(kind)))
                msgs.append(f"--set {key}={fields.get(key)!r}: must be {want}")
            else:
                msgs.append(f"--set: {exc}")
        raise CountyError(f"{'; '.join(msgs)} ({info.name})") from None
    return {k: v for k, v in converter.unstructure(obj).items() if v is not None}


def default_assignment(county: Any, chain: MethodInfo, case: Case, level: str | None) -> Assignment:
    """Kernel default: the nearest unit at the tier's unit level on the way up from the case's
    unit (or the only unit at that level); otherwise keep the unit. No handler."""
    tier = chain.tier(level)
    if tier is None or county.units[case.unit].level == tier.level:
        return Assignment()
    u = county.ancestor(case.unit, tier.level)
    return Assignment(unit=u.code if u else None, handler=None)


def expect(value, cls, plugin: str, hook: str) -> None:
    if not isinstance(value, cls):
        raise PluginError(plugin, f"county_{hook}", f"returned {type(value).__name__}, expected {cls.__name__}")


def require_method(registry: Registry, name: str) -> MethodInfo:
    """The MethodInfo of an installed method — loaded now when the registry left it out (a
    method the deployment no longer enables whose cases remain: :meth:`Registry.load`);
    CountyError naming it when it is missing or broken."""
    if name in registry.methods:
        return registry.methods[name]
    if name in registry.unloaded and registry.load(name):
        return registry.methods[name]
    if name in registry.broken:
        raise CountyError(f"method {name!r} is installed but broken: {registry.broken[name]}")
    if name in registry.skipped:
        raise CountyError(f"method {name!r} is installed but not loaded: {registry.skipped[name]}")
    raise CountyError(f"method {name!r} is not installed (installed: {', '.join(sorted(registry.methods)) or 'none'})")


def plugin_migrations(registry: Registry, methods: Iterable[str]):
    out = []
    for name in methods:
        if registry.implements(name, "migrations"):
            m = Migrations(name)
            registry.call_one(name, "migrations", migrations=m)
            out.append(m)
    return out


def require_note(note: str | None) -> None:
    """A resolution says what was done: CountyError without a note."""
    if not (note or "").strip():
        raise CountyError("case resolve: --note is required (what was done)")


def check_resolution(case: Case, when: dt.datetime, now: dt.datetime,
                     ts: Callable[[dt.datetime], float] = dt.datetime.timestamp) -> None:
    """A resolution at ``when`` falls after the case was taken in and reached its tier, and
    not after ``now``: Refusal naming the instant otherwise. Shared by ``County.resolve`` and
    the bulk intake's historical rows. Compared as instants (timestamps): two times of one
    zone in its repeated autumn hour compare by their fold too (issue 14). ``ts``: what gives
    an instant's Unix time (bulk intake's remembers them, :class:`~framework.store.rows.Instants`)."""
    at = ts(when)
    if case.created_at and at < ts(case.created_at):
        raise Refusal(f"case {case.id} was taken in at {case.created_at.isoformat()}; "
                      f"it cannot be resolved earlier ({when.isoformat()})")
    if case.tier_arrived_at and at < ts(case.tier_arrived_at):
        raise Refusal(f"case {case.id} reached tier {case.level} at {case.tier_arrived_at.isoformat()}; "
                      f"it cannot be resolved there earlier ({when.isoformat()})")
    if at > ts(now):
        raise Refusal(f"case {case.id}: resolution time {when.isoformat()} is after now ({now.isoformat()})")


def check_satisfaction(info: MethodInfo, satisfaction: str | None) -> str:
    """The level code of ``satisfaction`` (a code or Chinese label of ``info.satisfaction``,
    the method's :class:`~framework.models.SatisfactionScale`; default conventions §1's three).
    CountyError listing the method's levels otherwise. Shared by ``County.confirm`` and bulk
    intake."""
    code = info.satisfaction.code(satisfaction) if satisfaction is not None else None
    if code is None:
        levels = ", ".join(f"{c} {label}" for c, label in info.satisfaction.levels)
        raise CountyError(f"--satisfaction: {satisfaction!r} is not a level of {info.name} (use {levels})")
    return code


def rate_case(case: Case, code: str, scale: SatisfactionScale, when: dt.datetime, actor: str,
              note: str | None) -> bool:
    """The one writer of a confirmation rated ``code`` at ``when`` (nothing stored: the case
    and its ``events`` to write). A level in ``scale.closes``: status ``confirmed`` and a
    ``confirmed`` event. Any other **reopens** the case (§12.2 of docs/hooks.md): a ``reopened``
    event naming the rating and the tier, unit, handler and joint pair it goes back to (those
    that resolved it), status ``in_progress``, ``resolved_at``/``resolved_level`` cleared, back
    at ``resolved_level`` from ``when``. Returns True when reopened: the caller then asks the
    deadline hook for ``case.level`` arriving at ``when`` (new milestones). ``satisfaction``
    keeps the latest rating either way."""
    case.satisfaction = code
    if scale.closing(code):
        case.status = "confirmed"
        case.events = [Event(when, "confirmed", actor, case.level, note, {"satisfaction": code})]
        return False
    level = case.resolved_level if case.resolved_level is not None else case.level
    case.events = [Event(when, "reopened", actor, level, note,
                         {"satisfaction": code, "level": level, "unit": case.unit, "handler": case.handler,
                          "joint_unit": case.joint_unit, "joint_handler": case.joint_handler})]
    case.status, case.level, case.tier_arrived_at = "in_progress", level, when
    case.resolved_at = case.resolved_level = None
    return True


def check_confirmation(case: Case, when: dt.datetime,
                       ts: Callable[[dt.datetime], float] = dt.datetime.timestamp) -> None:
    """A confirmation at ``when`` falls after the resolution: Refusal otherwise. ``ts`` as
    for :func:`check_resolution`."""
    if case.resolved_at and ts(when) < ts(case.resolved_at):
        raise Refusal(f"case {case.id} was resolved at {case.resolved_at.isoformat()}; "
                      f"it cannot be confirmed earlier ({when.isoformat()})")
