"""How a case ends, or does not: resolve (with a cascade over linked cases), confirm through
the method's satisfaction gate (closing or reopening the case), and linking cases to a lead
(批量办理). Mixin of :class:`framework.kernel.county.County`; each operation is one
``BEGIN IMMEDIATE`` transaction like the rest of :mod:`framework.kernel.lifecycle`.

Source rules: a resolution is rated by the requester (签字确认, conventions §1); a method may
declare that only some ratings close the case (``MethodInfo.satisfaction``, docs/hooks.md §12.2:
e.g. yetanhui's 满意 closes, 不满意 goes back to the tier that handled it); many cases about
one common problem are solved together through a lead case (docs/hooks.md §12.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from framework.errors import CountyError, Refusal
from framework.kernel.guards import check_order
from framework.kernel.stages import (
    check_confirmation,
    check_resolution,
    check_satisfaction,
    rate_case,
    require_note,
)
from framework.models import OPEN_STATUSES, Case, Event
from framework.store.rows import placeholders

# ``self`` is the County facade (framework.kernel.county); it is not imported here, so the
# kernel's modules form no import cycle.


class CaseResolution:
    """``County.resolve`` / ``confirm`` / ``link``; see the module."""

    def resolve(self, case_id: str, note: str, at: dt.datetime | None = None, cascade: bool = False) -> Case:
        """Mark an open case resolved (办结) at ``at`` (aware; default now) at its current tier.

        ``cascade=True``: then every still-open case linked to it (``lead_id == case_id``) is
        resolved at the same instant, in the same transaction, each with its own ``resolved``
        event (the lead's note and ``（随牵头事项 ID 办结）``; data ``{"lead": case_id}``).
        CountyError without a note; Refusal when the case (or a linked one) is not open, its
        sign-off is incomplete (the close gate, docs/hooks.md §12.6, unless its method declares
        ``signoff_gate=False``), or ``at`` falls before its arrival at its tier, before its latest
        event (events stay in time order, issue 14) or after now — nothing is written then."""
        require_note(note)
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "resolve")
            self.check_signoff_gate(case)
            when = self.calendar.local(at) if at else now
            check_resolution(case, when, now)
            followers = self._followers(case_id, open_only=True) if cascade else []
            for other in followers:
                self.check_signoff_gate(other)
                check_resolution(other, when, now)
            for c in [case, *followers]:  # events in time order (issue 14): nothing dated before the latest
                check_order(self, c.id, when, "resolve")
            self._resolve(case, when, note, now)
            for other in followers:
                self._resolve(other, when, f"{note}（随牵头事项 {case_id} 办结）", now, {"lead": case_id})
        return self.get_case(case_id)

    def _resolve(self, case: Case, at: dt.datetime, note: str, now: dt.datetime, data: dict | None = None) -> None:
        self._close_milestones(case.id, at)
        case.status, case.resolved_at, case.resolved_level = "resolved", at, case.level
        case.events = [Event(at, "resolved", self.actor, case.level, note, data or {})]
        self._save(case, now)
        self._write_events(case)

    def _followers(self, lead_id: str, *, open_only: bool = False) -> list[Case]:
        """The cases linked to ``lead_id``, in intake order (only the open ones when asked)."""
        where, params = "lead_id = ?", [lead_id]
        if open_only:
            where += f" and status in ({placeholders(OPEN_STATUSES)})"
            params += list(OPEN_STATUSES)
        return self.context_queries().cases.find(ids=[r["id"] for r in self.store.query(
            f"select id from cases where {where} order by seq", params)])

    def confirm(self, case_id: str, satisfaction: str, note: str | None = None, at: dt.datetime | None = None) -> Case:
        """The requester confirms the result and rates it (签字确认) at ``at`` (default now):
        ``satisfaction`` is a level code or Chinese label of the case's method's
        ``SatisfactionScale`` (default: satisfied 满意 / basically 基本满意 / unsatisfied 不满意,
        all closing). A closing level: status ``confirmed``. Any other reopens the case at the
        tier, unit and handler that resolved it, status ``in_progress``, with the deadline hook
        asked again as if it had just arrived there at ``at`` (:func:`~framework.kernel.stages.rate_case`).
        CountyError for an unknown level (listing the method's levels); Refusal when the case
        is not resolved, its sign-off is incomplete (§12.6 close gate) or ``at`` is before its
        resolution."""
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            info = self.require_method(case.method)
            code = check_satisfaction(info, satisfaction)
            if case.status != "resolved":
                raise Refusal(f"case {case_id} is {case.status}; only a resolved case can be confirmed")
            self.check_signoff_gate(case)
            when = self.calendar.local(at) if at else now
            check_confirmation(case, when)
            check_order(self, case_id, when, "confirm")
            if rate_case(case, code, info.satisfaction, when, self.actor, note):
                self._arrive(case, case.level, when, now, assign=False)  # new milestones; saved
            else:
                self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

    def link(self, case_ids: str | Iterable[str], lead_id: str, note: str | None = None) -> list[Case]:
        """Link the open cases ``case_ids`` (one id or many) to the open lead case ``lead_id``
        (批量办理), in one transaction: each gets ``lead_id`` and a ``linked`` event (data
        ``{"lead": lead_id}``), the lead a ``linked`` event per case (data ``{"case": id}``).
        Returns the linked cases afterwards. CountyError when no case is named; NotFound for an
        unknown id; Refusal (nothing written) for a case linked to itself, a lead or a case
        that is not open, a lead that is itself linked (no chains), a case that leads others,
        or a case already linked to a lead."""
        ids = list(dict.fromkeys([case_ids] if isinstance(case_ids, str) else case_ids))
        if not ids:
            raise CountyError("case link: name at least one case to link to the lead")
        now = self.now()
        with self.store.transaction():
            lead = self._load(lead_id)
            if not lead.is_open:
                raise Refusal(f"lead case {lead_id} is {lead.status}; cases are linked only to an open lead")
            if lead.lead_id:
                raise Refusal(f"case {lead_id} is itself linked to lead {lead.lead_id}: link to {lead.lead_id} "
                              f"instead (no chains of leads)")
            self._require_open(lead, "link cases to")
            for cid in ids:
                if cid == lead_id:
                    raise Refusal(f"case {cid} cannot be linked to itself")
                case = self._load(cid)
                self._require_open(case, "link")
                if case.lead_id:
                    raise Refusal(f"case {cid} is already linked to lead {case.lead_id}")
                if self.store.db.execute("select 1 from cases where lead_id = ? limit 1", [cid]).fetchone():
                    raise Refusal(f"case {cid} is the lead of linked cases; it cannot be linked to another lead "
                                  f"(no chains of leads)")
                case.lead_id = lead_id
                case.events = [Event(now, "linked", self.actor, case.level, note, {"lead": lead_id})]
                self._save(case, now)
                self._write_events(case)
                lead.events = [Event(now, "linked", self.actor, lead.level, note, {"case": cid})]
                self._write_events(lead)
        return [self.get_case(cid) for cid in ids]
