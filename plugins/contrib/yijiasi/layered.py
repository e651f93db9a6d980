"""分层化考评 (L457): who assesses which member each year, the co-built community's opinion asked
before any assessment or commendation, and the community's veto (setting ``community_veto``).

L457: 高校和市司法局分别负责大学生党员义工、党员律师志愿者的日常管理和年度考核工作 … 服务团所有成员的
考核及表彰需征求共建社区的意见。
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, Refusal

from . import service
from .rules import APPRAISER_OF, APPRAISERS, MEMBER_KINDS, OPINIONS, PURPOSES, RESULTS


def _year(year) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CountyError(f"year {year!r}: a year such as 2025")
    return year


def memberships_in(ctx, person: str, year: int) -> list[dict]:
    """``person``'s memberships during ``year``; ``Refusal`` when there is none."""
    rows = service.memberships(ctx, person, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if not rows:
        raise Refusal(f"person {person}: not a member of a service team in {year}")
    return rows


def appraiser_of(ctx, kind: str) -> str:
    """The body that assesses a member of ``kind`` each year: the university for students and the
    city justice bureau for lawyers (L457); instructors and department members by the settings
    ``instructor_appraiser`` (org_dept) and ``department_appraiser`` (partner_unit)."""
    if kind in APPRAISER_OF:
        return APPRAISER_OF[kind]
    return ctx.settings["instructor_appraiser" if kind == "instructor" else "department_appraiser"]


def communities_to_consult(ctx, person: str, year: int) -> list[str]:
    """The co-built communities of every team ``person`` served in ``year`` (in team order)."""
    out = []
    for m in memberships_in(ctx, person, year):
        for c in service.team(ctx, m["team"])["communities"]:
            if c not in out:
                out.append(c)
    return out


def give_opinion(ctx, person: str, year: int, purpose: str, opinion: str, community: str | None = None,
                 by: str | None = None, note: str | None = None) -> dict:
    """The co-built ``community``'s opinion (征求共建社区的意见, L457) on assessing or commending
    (``purpose``) member ``person`` for ``year``: ``agree`` or ``disagree``; ``by`` the person
    giving it (default: the operator only). ``community`` defaults to the only community to
    consult; a later opinion replaces an earlier one. Returns the row."""
    _year(year)
    if purpose not in PURPOSES:
        raise CountyError(f"purpose {purpose!r}: assessment 考核 or commendation 表彰")
    if opinion not in OPINIONS:
        raise CountyError(f"opinion {opinion!r}: agree 同意 or disagree 不同意")
    asked = communities_to_consult(ctx, person, year)
    if community is None:
        if len(asked) != 1:
            raise CountyError(f"community: person {person} served {len(asked)} communities in {year} "
                              f"({', '.join(asked)}); name one")
        community = asked[0]
    if community not in asked:
        raise CountyError(f"community {community!r}: not a co-built community of person {person}'s team in {year}")
    if by:
        ctx.person(by)
    rid = ctx.db.insert("yijiasi_opinions", {"person": person, "year": year, "purpose": purpose,
                                             "community": community, "opinion": opinion, "by": by, "note": note,
                                             "actor": ctx.actor, "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_opinions where id = ?", [rid])[0]


def opinions(ctx, person: str, year: int, purpose: str) -> dict[str, str]:
    """``{community: latest opinion}`` given on ``person`` for ``year`` and ``purpose``."""
    out = {}
    for r in ctx.db.query("select community, opinion from yijiasi_opinions where person = ? and year = ? "
                          "and purpose = ? order by id", [person, year, purpose]):
        out[r["community"]] = r["opinion"]
    return out


def vetoes(ctx, purpose: str) -> bool:
    """Whether a community's ``disagree`` stops ``purpose`` (setting ``community_veto``)."""
    setting = ctx.settings["community_veto"]
    return setting == "both" or setting == purpose


def record(ctx, person: str, year: int, purpose: str, appraiser: str, result: str | None = None,
           note: str | None = None) -> dict:
    """Record ``person``'s annual assessment (``purpose`` assessment, with ``result`` one of
    RESULTS) or a commendation (表彰) for ``year``, by ``appraiser`` (one of APPRAISERS).

    Refusals (L457), nothing written: the assessment by another body than the member's layer
    (students: university; lawyers: justice_bureau; see :func:`appraiser_of`); a second
    assessment of one year; a community of the member's team not yet consulted for this
    purpose; a community that disagreed, where the setting ``community_veto`` makes it a veto
    (commendation by default). Returns the row."""
    _year(year)
    if purpose not in PURPOSES:
        raise CountyError(f"purpose {purpose!r}: assessment 考核 or commendation 表彰")
    if appraiser not in APPRAISERS:
        raise CountyError(f"appraiser {appraiser!r}: use " + ", ".join(f"{k} {v}" for k, v in APPRAISERS.items()))
    ms = memberships_in(ctx, person, year)
    if purpose == "assessment":
        if result not in RESULTS:
            raise CountyError(f"result {result!r}: use " + ", ".join(f"{k} {v}" for k, v in RESULTS.items()))
        kind = ms[-1]["kind"]
        layer = appraiser_of(ctx, kind)
        if appraiser != layer:
            raise Refusal(f"person {person}: a {MEMBER_KINDS[kind]} is assessed by {APPRAISERS[layer]} ({layer}), "
                          f"not {APPRAISERS[appraiser]} (分层化考评, L457)")
        if ctx.db.count("yijiasi_appraisals", "person = ? and year = ? and purpose = 'assessment'", [person, year]):
            raise Refusal(f"person {person}: the {year} assessment is already recorded")
    elif result is not None:
        raise CountyError("result: a commendation has no result (give --note)")
    given = opinions(ctx, person, year, purpose)
    missing = [c for c in communities_to_consult(ctx, person, year) if c not in given]
    if missing:
        raise Refusal(f"person {person}: ask {ctx.units[missing[0]].name} ({missing[0]}) for its opinion on the "
                      f"{year} {PURPOSES[purpose]} first (需征求共建社区的意见, L457; county yijiasi opinion)")
    against = [c for c, o in given.items() if o == "disagree"]
    if against and vetoes(ctx, purpose):
        raise Refusal(f"person {person}: {ctx.units[against[0]].name} disagrees with the {year} {PURPOSES[purpose]} "
                      f"(community veto, [plugins.yijiasi] community_veto = {ctx.settings['community_veto']!r})")
    rid = ctx.db.insert("yijiasi_appraisals", {"person": person, "year": year, "purpose": purpose,
                                               "appraiser": appraiser, "result": result, "note": note,
                                               "actor": ctx.actor, "at": ctx.now.isoformat()})
    return ctx.db.query("select * from yijiasi_appraisals where id = ?", [rid])[0]


def records(ctx, year: int, purpose: str | None = None) -> list[dict]:
    """The assessments and commendations of ``year`` (one ``purpose`` or both), by id."""
    if purpose:
        return ctx.db.query("select * from yijiasi_appraisals where year = ? and purpose = ? order by id",
                            [year, purpose])
    return ctx.db.query("select * from yijiasi_appraisals where year = ? order by id", [year])
