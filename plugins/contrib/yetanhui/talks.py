"""The evening talks themselves (干群夜谈会, L172, L176): contact cadres, scheduling, the
3-day notice, postponing and cancelling (with a reason: 五个不准之一), and holding a talk
with its attendance checked (包村干部必须参加, 普通群众一般不低于40%, L176).

Every function takes ``ctx`` (the method's MethodContext), writes only ``yetanhui_…`` tables
through ``ctx.db`` and returns plain dicts. Bad input is a ``CountyError`` (exit 2) naming the
option; a step not allowed now is a ``Refusal`` (exit 1). Instants are aware,
deployment-local; the talk's instant is ``ctx.now`` unless given.
"""

from __future__ import annotations

import datetime as dt
import json

from framework import CountyError, NotFound, Refusal
from plugins.contrib.yetanhui import rules, tables


def village_of(ctx, code: str, what: str = "--village"):
    """The unit ``code`` checked to be a village where yetanhui applies; its Unit. NotFound /
    CountyError naming ``what``."""
    unit = ctx.unit(code)
    if unit.level != "village":
        raise CountyError(f"{what} {code}: {unit.name} is a {unit.level}; evening talks are held in villages (L172)")
    if not ctx.applies_at(code):
        raise CountyError(f"{what} {code}: yetanhui does not apply at {unit.name} ([where])")
    return unit


def township_of(ctx, village: str) -> str | None:
    """The code of the township above ``village`` (None when it has none)."""
    t = ctx.ancestor(village, "township")
    return t.code if t else None


def set_contact(ctx, village: str, person: str, kind: str = "contact_cadre") -> dict:
    """Link ``person`` to ``village`` as its contact cadre (包村干部, L172) or its linked
    leadership member (``kind='leader'``: 每个班子成员联系一个村, L176 — a leader links to one
    village only, another link is refused). The person must belong to the village's township.
    Returns the link row."""
    unit = village_of(ctx, village)
    p = ctx.person(person)
    township = township_of(ctx, village)
    if p.unit != township:
        raise CountyError(f"--person {person}: {p.name} is not of the township above {unit.name} ({township}); "
                          f"a contact cadre or leader is a township cadre (L172, L176)")
    if kind not in ("contact_cadre", "leader"):
        raise CountyError(f"--kind {kind!r}: contact_cadre or leader")
    if kind == "leader":
        other = ctx.db.query("select village from yetanhui_contacts where kind = 'leader' and person = ? "
                             "and village != ?", [person, village])
        if other:
            raise Refusal(f"--person {person}: {p.name} already links village {other[0]['village']}; each "
                          f"leadership member links one village (每个班子成员联系一个村, L176)")
    row = {"village": village, "kind": kind, "person": person, "since": ctx.now.isoformat()}
    ctx.db.upsert("yetanhui_contacts", row, pk=("village", "kind"))
    return row


def schedule(ctx, village: str, at: dt.datetime, topics: list[str], fmt: str = "forum", kind: str = "regular",
             contact_cadre: str | None = None) -> dict:
    """Schedule a talk at ``village`` at ``at`` (aware or local) on ``topics`` (the village party
    branch fixes topic, time and participants, L176). Checks: a village; an evening start (at
    or after ``evening_from``, L168/L172); at least one topic, none launching fund-raising
    (``levy_words``, 五个不准之五, L176); ``fmt`` among 漫谈/座谈/辩论/授课 (L172); a regular
    talk scheduled so its notice can still be on time (today ≤ talk date − ``notice_days``,
    L176), an extra talk (重大事项随时召开, L172) any time after now; a contact cadre (the
    village's, or ``contact_cadre``) of its township. Returns the talk row (``id`` int)."""
    unit = village_of(ctx, village)
    at = ctx.calendar.local(at)
    if fmt not in rules.FORMATS:
        raise CountyError(f"--format {fmt!r}: one of {', '.join(rules.FORMATS)} (漫谈、座谈、辩论、授课, L172)")
    if kind not in rules.KINDS:
        raise CountyError(f"--kind {kind!r}: regular (每月例会) or extra (重大事项随时召开, L172)")
    topics = [t.strip() for t in topics if t and t.strip()]
    if not topics:
        raise CountyError("--topic: a talk needs its topics, announced beforehand (L172, L176)")
    for t in topics:
        for w in rules.levy_words(ctx.settings):
            if w in t:
                raise Refusal(f"--topic {t!r}: {w} — a talk may not launch fund-raising that adds to farmers' burden "
                              f"(五个不准：{rules.PROHIBITIONS['replace_assembly']}, L176)")
    if at.time() < rules.evening_from(ctx.settings):
        raise CountyError(f"--at {at.isoformat()}: an evening talk starts at or after "
                          f"{ctx.settings['evening_from']} (利用晚上农民闲暇时间, L172; setting evening_from)")
    if at <= ctx.now:
        raise CountyError(f"--at {at.isoformat()}: not after now ({ctx.now.isoformat()})")
    days = ctx.settings["notice_days"] if kind == "regular" else ctx.settings["extra_notice_days"]
    due = rules.notice_due(ctx.calendar, at, days)
    if kind == "regular" and ctx.now > due:
        first = (ctx.calendar.local(ctx.now).date() + dt.timedelta(days=days))
        raise CountyError(f"--at {at.isoformat()}: a regular talk is announced {days} days ahead (提前三天, L176), "
                          f"by {due.isoformat()}; schedule it on {first} or later, or --kind extra for a major "
                          f"matter (L172)")
    cadre = contact_cadre or tables.contact(ctx.db, village)
    if cadre is None:
        raise CountyError(f"--contact-cadre: {unit.name} has no contact cadre (包村干部 convenes the talk, L172); "
                          f"give one or link one with `county yetanhui contact`")
    p = ctx.person(cadre)
    if p.unit != township_of(ctx, village):
        raise CountyError(f"--contact-cadre {cadre}: {p.name} is not of the township above {unit.name}")
    row = {"village": village, "township": township_of(ctx, village), "kind": kind, "format": fmt,
           "topics": json.dumps(topics, ensure_ascii=False), "scheduled_at": at.isoformat(),
           "scheduled_ts": at.timestamp(), "notice_due_at": due.isoformat(), "contact_cadre": cadre,
           "status": "scheduled", "created_at": ctx.now.isoformat(), "created_ts": ctx.now.timestamp()}
    with ctx.transaction():
        tid = ctx.db.insert("yetanhui_talks", row)
        tables.log(ctx.db, tid, ctx.now, "scheduled", ctx.actor, f"{at.isoformat()} {'；'.join(topics)}")
    return tables.get_talk(ctx.db, tid)


def talk(ctx, talk_id) -> dict:
    """The talk ``talk_id`` (int or digits); NotFound when there is none."""
    try:
        tid = int(talk_id)
    except (TypeError, ValueError):
        raise CountyError(f"talk {talk_id!r}: a talk number (county yetanhui talk list)") from None
    row = tables.get_talk(ctx.db, tid)
    if row is None:
        raise NotFound(f"talk {talk_id}: no such yetanhui talk")
    return row


def notice(ctx, talk_id, channel: str) -> dict:
    """Post the talk's notice (topics and time) now, by broadcast, blackboard or board
    (广播、板报、公开栏, L176). On time when ``ctx.now`` ≤ ``notice_due_at`` (23:59:59 local
    three days before the talk's date); a late notice is recorded as late, never refused; one
    after the talk started is refused. Returns the talk with ``notice_on_time``."""
    row = talk(ctx, talk_id)
    if channel not in rules.NOTICE_CHANNELS:
        raise CountyError(f"--channel {channel!r}: one of {', '.join(rules.NOTICE_CHANNELS)} (广播、板报、公开栏, L176)")
    if row["status"] != "scheduled":
        raise Refusal(f"talk {row['id']} is {row['status']}; only a scheduled talk is announced")
    if ctx.now >= dt.datetime.fromisoformat(row["scheduled_at"]):
        raise Refusal(f"talk {row['id']}: a notice at {ctx.now.isoformat()} is after the talk began "
                      f"({row['scheduled_at']})")
    with ctx.transaction():
        ctx.db.update("yetanhui_talks", row["id"], {"notice_at": ctx.now.isoformat(), "notice_ts": ctx.now.timestamp(),
                                                    "notice_channel": channel})
        tables.log(ctx.db, row["id"], ctx.now, "noticed", ctx.actor, rules.NOTICE_CHANNELS[channel])
        ids = [c.id for c in agenda(ctx, row["id"])]
        for m in (ctx.milestones.of(ids, state="pending", name="notice") if ids else []):
            ctx.actions.record_event(m.case_id, "noticed", f"议题已用{rules.NOTICE_CHANNELS[channel]}告知群众",
                                     meet="notice")
    out = talk(ctx, row["id"])
    out["notice_on_time"] = notice_on_time(out)
    return out


def notice_on_time(row: dict) -> bool | None:
    """True when the talk's notice was posted by its due instant (提前三天, L176); False when
    late or missing; None while neither (still scheduled, not yet due)."""
    if row["notice_at"]:
        return dt.datetime.fromisoformat(row["notice_at"]) <= dt.datetime.fromisoformat(row["notice_due_at"])
    if row["status"] == "held":
        return False
    return None


def postpone(ctx, talk_id, to: dt.datetime, reason: str) -> dict:
    """Move a scheduled talk to ``to``, with its reason (不准无故推迟, L176: a postponement
    without a reason is refused). The notice due instant follows the new date; a notice
    already posted stays (a re-announcement is a new ``notice``). Returns the talk."""
    row = talk(ctx, talk_id)
    if not (reason or "").strip():
        raise CountyError(f"--reason: a talk is never postponed without a reason (五个不准：{rules.PROHIBITIONS['postpone']}, L176)")
    if row["status"] != "scheduled":
        raise Refusal(f"talk {row['id']} is {row['status']}; only a scheduled talk is postponed")
    to = ctx.calendar.local(to)
    if to <= ctx.now or to.time() < rules.evening_from(ctx.settings):
        raise CountyError(f"--to {to.isoformat()}: after now and at or after {ctx.settings['evening_from']} (an evening)")
    days = ctx.settings["notice_days"] if row["kind"] == "regular" else ctx.settings["extra_notice_days"]
    due = rules.notice_due(ctx.calendar, to, days)
    with ctx.transaction():
        ctx.db.update("yetanhui_talks", row["id"], {"scheduled_at": to.isoformat(), "scheduled_ts": to.timestamp(),
                                                    "notice_due_at": due.isoformat()})
        tables.log(ctx.db, row["id"], ctx.now, "postponed", ctx.actor, f"{row['scheduled_at']} → {to.isoformat()}：{reason}")
        ids = [c.id for c in agenda(ctx, row["id"])]
        pending = {(m.case_id, m.name) for m in (ctx.milestones.of(ids, state="pending") if ids else [])}
        for cid in ids:
            if (cid, "talk") in pending:
                ctx.actions.set_due(cid, "talk", ctx.calendar.end_of_day(to.date()), f"夜谈会推迟：{reason}")
            if (cid, "notice") in pending:
                ctx.actions.set_due(cid, "notice", due, f"夜谈会推迟：{reason}")
    return talk(ctx, row["id"])


def cancel(ctx, talk_id, reason: str) -> dict:
    """Cancel a scheduled talk with its reason (不准无故不召开, L176). The month still owes its
    talk (the duty stays open). Returns the talk."""
    row = talk(ctx, talk_id)
    if not (reason or "").strip():
        raise CountyError(f"--reason: a talk is never called off without a reason (五个不准：{rules.PROHIBITIONS['postpone']}, L176)")
    if row["status"] != "scheduled":
        raise Refusal(f"talk {row['id']} is {row['status']}; only a scheduled talk is cancelled")
    with ctx.transaction():
        ctx.db.update("yetanhui_talks", row["id"], {"status": "cancelled"})
        tables.log(ctx.db, row["id"], ctx.now, "cancelled", ctx.actor, reason)
    return talk(ctx, row["id"])


def hold(ctx, talk_id, *, attendees: int, ordinary: int, chair: str, minutes: str,
         share_reason: str | None = None, contact_absent: str | None = None,
         leader_absent: str | None = None) -> dict:
    """Record that a scheduled talk was held at its scheduled time (recorded at ``ctx.now``,
    not before the talk began), with its attendance and minutes (会议内容记录在案, L176).

    Checks (L176): ``0 ≤ ordinary ≤ attendees``, ``attendees ≥ 1``; ordinary villagers at
    least ``ordinary_share_min`` (40 %) of the attendees, else refused unless ``share_reason``
    records why (一般不低于); the contact cadre present (乡镇包村干部必须参加), else refused
    unless ``contact_absent`` records why; the chair the talk's contact cadre or the village's
    party secretary (role ``village_party_secretary``) in person (亲自主持); minutes not empty.
    The village's linked leadership member (``contact --kind leader``; 每个班子成员联系一个村，
    参加夜谈会) is recorded as present unless ``leader_absent`` gives the reason; a reason for a
    village with no linked leader is refused. Returns the talk with ``ordinary_share`` (float)."""
    row = talk(ctx, talk_id)
    if row["status"] != "scheduled":
        raise Refusal(f"talk {row['id']} is {row['status']}; only a scheduled talk is held")
    start = dt.datetime.fromisoformat(row["scheduled_at"])
    if ctx.now < start:
        raise Refusal(f"talk {row['id']} begins {row['scheduled_at']}; record it afterwards (or postpone it)")
    if attendees < 1 or ordinary < 0 or ordinary > attendees:
        raise CountyError(f"--attendees {attendees} --ordinary {ordinary}: 0 ≤ ordinary ≤ attendees, attendees ≥ 1")
    share = ordinary / attendees
    need = float(ctx.settings["ordinary_share_min"])
    if ordinary < need * attendees - 1e-9 and not (share_reason or "").strip():
        raise Refusal(f"talk {row['id']}: ordinary villagers {ordinary}/{attendees} = {share:.0%} < {need:.0%} "
                      f"(普通群众所占比例一般不低于40%, L176); give --share-reason to record why")
    if contact_absent is not None and not contact_absent.strip():
        raise CountyError("--contact-absent: give the reason the contact cadre was absent")
    secretaries = {p.id for p in ctx.people.find(unit=row["village"], role="village_party_secretary")}
    if chair != row["contact_cadre"] and chair not in secretaries:
        ctx.person(chair)
        raise Refusal(f"--chair {chair}: the contact cadre ({row['contact_cadre']}) or the village party secretary "
                      f"chairs the talk in person (包村干部或村支部书记要亲自主持, L176)")
    if contact_absent and chair == row["contact_cadre"]:
        raise CountyError(f"--chair {chair}: the contact cadre cannot chair a talk recorded as without him")
    if not (minutes or "").strip():
        raise CountyError("--minutes: the talk's content is recorded (会议内容记录在案, L176)")
    leader = tables.contact(ctx.db, row["village"], "leader")
    if leader_absent is not None:
        if leader is None:
            raise CountyError(f"--leader-absent: {row['village']} has no linked leadership member "
                              f"(county yetanhui contact --kind leader)")
        if not leader_absent.strip():
            raise CountyError("--leader-absent: give the reason the linked leadership member was absent")
    values = {"status": "held", "held_ts": start.timestamp(), "attendees": attendees, "ordinary": ordinary,
              "share_reason": share_reason if ordinary < need * attendees - 1e-9 else None, "contact_absent": contact_absent,
              "chair": chair, "minutes": minutes, "recorded_at": ctx.now.isoformat(),
              "leader": leader, "leader_absent": leader_absent}
    with ctx.transaction():
        ctx.db.update("yetanhui_talks", row["id"], values)
        tables.log(ctx.db, row["id"], ctx.now, "held", ctx.actor, f"{attendees}人（普通群众{ordinary}人）")
    out = talk(ctx, row["id"])
    out["ordinary_share"] = share
    return out


def agenda(ctx, talk_id: int) -> list:
    """The open matters on talk ``talk_id``'s agenda (tier ``agenda``), as Cases."""
    return ctx.cases.find(method=rules.METHOD, extra={"talk": int(talk_id)}, level="agenda", open=True)


def list_talks(ctx, unit: str | None = None, period: str | None = None) -> list[dict]:
    """Talks in ``unit``'s subtree (village or township column) scheduled in ``period``
    (any period string; None: all), by time."""
    where, params = ctx.scope(unit, period, unit_cols=("village",), ts_cols=("scheduled_ts",))
    return tables.talks(ctx.db, where, params)


def log_of(ctx, talk_id) -> list[dict]:
    """The talk's history (yetanhui_talk_log rows), oldest first."""
    row = talk(ctx, talk_id)
    return ctx.db.query("select at, action, actor, note from yetanhui_talk_log where talk_id = ? order by id",
                        [row["id"]])
