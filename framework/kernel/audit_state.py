"""What a case's events say its row must hold (issue 14, the inspector's second round): a row
changed *and re-sealed* (``state_hash`` recomputed with :func:`framework.store.chain.state_digest`)
passes the seal, so ``county verify`` also derives the row's event-carried columns from the
case's chained events and names each column that disagrees. Used by
:func:`framework.kernel.audit.verify`; nothing here writes.

The columns and the events that carry them (the kernel's own writers:
:mod:`framework.kernel.lifecycle`, :mod:`framework.kernel.resolution`,
:func:`framework.kernel.stages.rate_case`, :func:`framework.kernel.amend.close`):

* ``status`` — the last of ``resolved`` / ``confirmed`` / ``closed`` / ``reopened``: resolved,
  confirmed, closed, or an open status (registered, assigned, in_progress, escalated — which of
  them is a row-only detail a plugin's ``record_event(status=…)`` sets); none: open;
* ``satisfaction`` (满意度, counted in the 满意率) — the ``satisfaction`` of the last
  ``confirmed`` / ``reopened``; none: NULL;
* ``resolved_at`` — the instant of the last ``resolved`` when the case is resolved, confirmed
  or closed; NULL when it is open (a reopening clears it);
* ``handler``, ``unit`` — of the last event whose data names them (``assigned``, ``reopened``);
* ``lead_id`` (批量办理) — the ``lead`` of the last ``linked`` event whose data names one;
  none: NULL;
* milestones (按期率): every ``overdue`` event (the sweep's 督办, data ``{"milestone",
  "due_at"}``) names a milestone that was missed; a milestone of that name and instant now
  ``met`` or ``pending``, or none at all, is named (:func:`milestone_problems`);
* sign-offs (签字) and attachments (附件): each ``signoffs`` row against the
  ``signoff_required`` event listing its party and the ``signed`` event (its instant is
  ``signed_at``), each ``attachments`` row against its ``attached`` event (number, sha256,
  media type, size, and the digests of uri and caption when the event carries them) —
  :func:`casework_problems`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from framework.models import OPEN_STATUSES
from framework.store.casework import ref_digest

#: The events that set the status, and what they set it to (a tuple: any of them).
_STATUS_OF = {"resolved": ("resolved",), "confirmed": ("confirmed",), "closed": ("closed",),
              "reopened": OPEN_STATUSES}


def _data(e: dict) -> dict:
    try:
        d = json.loads(e["data"] or "{}")
    except (TypeError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}


def _label(e: dict) -> str:
    return f"event {e['id']} ({e['type']} at {e['at']})"


def _ts(text: Any) -> float | None:
    try:
        return dt.datetime.fromisoformat(text).timestamp() if text else None
    except (TypeError, ValueError):
        return None


def row_disagreements(row: dict, events: list[dict]) -> list[str]:
    """The columns of the case ``row`` (a dict as SQLite returns it) that disagree with what its
    ``events`` (dicts with ``id``, ``type``, ``at``, ``data``, in id order) say, one text each:
    ``"satisfaction satisfied but event 25 (confirmed at …) says unsatisfied"``. Empty when they
    agree. Rules: the module docstring."""
    out: list[str] = []
    last: dict[str, dict] = {}
    status_event = sat_event = resolved_event = link_event = None
    named: dict[str, dict] = {}
    for e in events:
        last[e["type"]] = e
        d = _data(e)
        if e["type"] in _STATUS_OF:
            status_event = e
        if e["type"] in ("confirmed", "reopened") and "satisfaction" in d:
            sat_event = e
        if e["type"] == "resolved":
            resolved_event = e
        if e["type"] == "linked" and "lead" in d:
            link_event = e
        for key in ("handler", "unit"):
            if key in d and e["type"] in ("assigned", "reopened"):
                named[key] = e
    status = row.get("status")
    if status_event is None:
        if status not in OPEN_STATUSES and status != "rejected":
            out.append(f"status {status} but no resolved/confirmed/closed event says so")
    elif status not in _STATUS_OF[status_event["type"]]:
        out.append(f"status {status} but the last of its status events is {_label(status_event)}")
    want = _data(sat_event).get("satisfaction") if sat_event else None
    if row.get("satisfaction") != want:
        out.append(f"satisfaction {row.get('satisfaction') or '-'} but "
                   + (f"{_label(sat_event)} says {want or '-'}" if sat_event else "no confirmation event rated it"))
    if status in ("resolved", "confirmed", "closed"):
        if resolved_event is None or _ts(row.get("resolved_at")) != _ts(resolved_event["at"]):
            out.append(f"resolved_at {row.get('resolved_at') or '-'} but "
                       + (f"{_label(resolved_event)} resolved it" if resolved_event else "no resolved event"))
    elif status in OPEN_STATUSES and row.get("resolved_at"):
        out.append(f"resolved_at {row['resolved_at']} but the case is open"
                   + (f" since {_label(status_event)}" if status_event else ""))
    for key, e in named.items():
        want = _data(e).get(key)
        if row.get(key) != want:
            out.append(f"{key} {row.get(key) or '-'} but {_label(e)} says {want or '-'}")
    want = _data(link_event).get("lead") if link_event else None
    if row.get("lead_id") != want:
        out.append(f"lead_id {row.get('lead_id') or '-'} but "
                   + (f"{_label(link_event)} says {want}" if link_event else "no linked event names a lead"))
    return out


def milestone_problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    """Milestones that disagree with the sweep's ``overdue`` events: for each such event (data
    ``milestone`` and ``due_at``), the case's milestone of that name due at that instant must be
    ``missed`` (it counts against the 按期率). Returns ``(case id, event id, text)`` per event
    whose milestone is ``met``/``pending`` or gone."""
    states: dict[tuple[str, str], list[tuple[float | None, str]]] = {}
    for cid, name, due, state in conn.execute("select case_id, name, due_at, state from milestones"):
        states.setdefault((cid, name), []).append((_ts(due), state))
    out = []
    for eid, cid, at, data in conn.execute("select id, case_id, at, data from events where type = 'overdue' "
                                           "order by case_id, id"):
        d = _data({"data": data})
        name, due = d.get("milestone"), d.get("due_at")
        if not name or not due:
            continue
        found = [s for ts, s in states.get((cid, name), []) if ts == _ts(due)]
        label = f"event {eid} (overdue at {at})"
        if not found:
            out.append((cid, eid, f"case {cid}: milestone {name!r} due {due}, missed by {label}, is gone"))
        elif "missed" not in found:
            out.append((cid, eid, f"case {cid}: milestone {name!r} due {due} is {found[0]} but {label} says it "
                                  f"was missed (changed without an event: the 按期率)"))
    return out


def casework_problems(conn: sqlite3.Connection) -> list[tuple[str, str, int | None, str]]:
    """Sign-off and attachment rows that disagree with their events: ``(kind, case id, event id
    or None, text)`` with kind ``signoff`` or ``attachment`` — a row no event lists or records
    (inserted, or a ``signed_at`` forged), a row an event names that is gone (deleted), a field
    that differs (the signature's instant, the party's name; the attachment's sha256, media
    type, size, uri or caption). Rules: the module docstring."""
    listed: dict[tuple[str, str], tuple[int, str]] = {}
    signed: dict[tuple[str, str], tuple[int, str]] = {}
    attached: dict[tuple[str, int], tuple[int, dict]] = {}
    for eid, cid, type_, at, data in conn.execute(
            "select id, case_id, type, at, data from events where type in ('signoff_required', 'signed', "
            "'attached') order by id"):
        d = _data({"data": data})
        if type_ == "signoff_required":
            for p in d.get("parties") or []:
                if isinstance(p, dict) and p.get("id") is not None:
                    listed[(cid, str(p["id"]))] = (eid, p.get("name"))
        elif type_ == "signed" and d.get("party") is not None:
            signed[(cid, str(d["party"]))] = (eid, at)
        elif type_ == "attached" and isinstance(d.get("attachment"), int):
            attached[(cid, d["attachment"])] = (eid, d)
    out: list[tuple[str, str, int | None, str]] = []
    seen: set[tuple[str, str]] = set()
    for cid, pid, name, signed_at in conn.execute("select case_id, party_id, name, signed_at from signoffs "
                                                  "order by case_id, id"):
        key = (cid, str(pid))
        seen.add(key)
        lst, sig = listed.get(key), signed.get(key)
        if lst is None:
            out.append(("signoff", cid, None, f"case {cid}: sign-off party {pid} {name} is listed by no "
                                              f"signoff_required event (added outside the kernel)"))
        elif lst[1] is not None and lst[1] != name:
            out.append(("signoff", cid, lst[0], f"case {cid}: sign-off party {pid} is {name} but event {lst[0]} "
                                                f"listed {lst[1]}"))
        if signed_at and sig is None:
            out.append(("signoff", cid, None, f"case {cid}: party {pid} {name} signed_at {signed_at} but no signed "
                                              f"event records the signature (forged)"))
        elif sig is not None and _ts(signed_at) != _ts(sig[1]):
            out.append(("signoff", cid, sig[0], f"case {cid}: party {pid} {name} signed_at {signed_at or '-'} but "
                                                f"event {sig[0]} (signed at {sig[1]}) says {sig[1]}"))
    for key, (eid, name) in listed.items():
        if key not in seen:
            out.append(("signoff", key[0], eid, f"case {key[0]}: sign-off party {key[1]} {name or ''} listed by "
                                                f"event {eid} has no row (deleted)"))
    rows = {}
    for cid, n, uri, sha, mt, size, cap in conn.execute(
            "select case_id, n, uri, sha256, media_type, size, caption from attachments order by case_id, n"):
        rows[(cid, n)] = (uri, sha, mt, size, cap)
        ev = attached.get((cid, n))
        if ev is None:
            out.append(("attachment", cid, None, f"case {cid}: attachment {n} is recorded by no attached event "
                                                 f"(added outside the kernel)"))
            continue
        eid, d = ev
        diff = [f for f, have, want in (("sha256", sha, d.get("sha256")), ("media type", mt, d.get("media_type")),
                                         ("size", size, d.get("size"))) if have != want]
        diff += [f for f, have, key in (("uri", uri, "uri_digest"), ("caption", cap, "caption_digest"))
                 if key in d and ref_digest(have) != d[key]]
        if diff:
            out.append(("attachment", cid, eid, f"case {cid}: attachment {n}'s {', '.join(diff)} differ from event "
                                                f"{eid} (attached): changed without an event"))
    for (cid, n), (eid, _) in attached.items():
        if (cid, n) not in rows:
            out.append(("attachment", cid, eid, f"case {cid}: attachment {n} recorded by event {eid} has no row "
                                                f"(deleted)"))
    return out
