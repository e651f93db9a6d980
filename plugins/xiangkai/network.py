"""The contact network through which topics are collected (征集议题, casebook: Jingning L246):

    每个乡镇班子成员联系1个村、1个基层党组织和1名书记，每个村确定1名驻村干部，
    每位乡镇干部联系1名以上困难群众，通过定期联系和上门走访，广泛收集民意。

Links are the plugin's own rows (``xiangkai_links``): a township leadership member's one village
(``village``), one grassroots party organisation (``party_org``) and one secretary
(``secretary``); a cadre stationed in a village (``stationed``, one per village); a cadre's
needy people (``needy``, at least one each). A link is active from ``linked_at`` until it is
ended (``unlinked_at``). :func:`check` reports every gap, with the exact Chinese message the
command prints and the duty carries.

Who is who (a reading; L246 names no roles): a *leader* is a person holding the role
``township_leadership`` (乡镇班子); a *cadre* (乡镇干部) one holding ``township_leadership``,
``township_cadre`` or ``resident_cadre``.
"""

from __future__ import annotations

import datetime as dt

from framework import CountyError, MethodContext, NotFound, Person, Refusal, Unit
from plugins.xiangkai import rules
from plugins.xiangkai.rules import iso


def _village(ctx: MethodContext, code: str, what: str) -> Unit:
    u = ctx.unit(code)
    levels = ctx.settings["village_levels"]
    if u.level not in levels:
        raise CountyError(f"{what} {code}: unit is a {u.level}, not a {' or '.join(levels)}")
    return u


def _township_of(ctx: MethodContext, code: str) -> Unit | None:
    """The township on ``code``'s own path (itself or above), or None."""
    for c in ctx.ancestors(code):
        if ctx.units[c].level == "township":
            return ctx.units[c]
    return None


def is_leader(p: Person) -> bool:
    """A township leadership member (乡镇班子成员)."""
    return rules.LEADER_ROLE in p.roles


def is_cadre(p: Person) -> bool:
    """A township cadre (乡镇干部): see the module's reading."""
    return any(r in p.roles for r in rules.CADRE_ROLES)


def _active(at_ts: float) -> tuple[str, list]:
    return "linked_ts <= ? and (unlinked_ts is null or unlinked_ts > ?)", [at_ts, at_ts]


def _decode(ctx: MethodContext, r: dict) -> dict:
    r = dict(r)
    p = ctx.people.get(r["person"])
    r["person_name"] = p.name if p else r["person"]
    r["kind_zh"] = rules.LINK_KINDS[r["kind"]]
    r["active"] = r["unlinked_at"] is None
    return r


def _row(ctx: MethodContext, link_id: int) -> dict:
    rows = ctx.db.query("select * from xiangkai_links where id = ?", [link_id])
    if not rows:
        raise NotFound(f"unknown link {link_id} (see `county xiangkai network list`)")
    return _decode(ctx, rows[0])


def link(ctx: MethodContext, person: str, kind: str, target: str, *, village: str | None = None,
         note: str | None = None) -> dict:
    """Record that ``person`` links ``target`` as ``kind`` (L246), active from ``ctx.now``.

    * ``village`` / ``party_org`` / ``secretary`` — only a leader, one active link of each:
      ``village`` a unit code (a unit of the ``village_levels`` setting, in the leader's
      township when the leader sits in one); ``party_org`` the organisation's name;
      ``secretary`` a person id (its name is taken from the register) or, for someone not in
      the register, a name;
    * ``stationed`` — a cadre stationed in village ``target``; one per village;
    * ``needy`` — a cadre's needy person (a name), as many as there are.

    ``village`` (optional, for ``party_org``/``secretary``/``needy``) records the village it
    concerns. CountyError for bad input, Refusal when the rule of one per leader or per village
    would break (end the old link first, :func:`unlink`). Returns the link."""
    p = ctx.person(person)
    if kind not in rules.LINK_KINDS:
        raise CountyError(f"KIND {kind}: use one of {', '.join(rules.LINK_KINDS)}")
    target = (target or "").strip()
    if not target:
        raise CountyError("TARGET: say what is linked (a village code, a name or a person id)")
    if kind in rules.LEADER_LINKS and not is_leader(p):
        raise CountyError(f"{kind}: {p.id} ({p.name}) is not a township leadership member (role {rules.LEADER_ROLE}); "
                          f"each 乡镇班子成员 links 1 village, 1 party organisation and 1 secretary (L246)")
    if kind not in rules.LEADER_LINKS and not is_cadre(p):
        raise CountyError(f"{kind}: {p.id} ({p.name}) is not a township cadre (roles {', '.join(rules.CADRE_ROLES)})")
    now = ctx.now
    where, params = _active(now.timestamp())
    target_name, where_village = target, None
    if kind in ("village", "stationed"):
        u = _village(ctx, target, "TARGET")
        town = _township_of(ctx, p.unit)
        if town is not None and u.code not in ctx.subtree(town.code):
            raise CountyError(f"TARGET {u.code}: {u.name} is not in {p.name}'s township {town.name}")
        target, target_name, where_village = u.code, u.name, u.code
    elif kind == "secretary" and target in ctx.people:
        target_name = ctx.people[target].name
    if village is not None and kind not in ("village", "stationed"):
        where_village = _village(ctx, village, "--village").code
    if kind in rules.LEADER_LINKS:
        old = ctx.db.query(f"select * from xiangkai_links where person = ? and kind = ? and {where}",
                           [p.id, kind, *params])
        if old:
            raise Refusal(f"{p.id} ({p.name}) already has {kind} link {old[0]['id']} ({old[0]['target_name']}); "
                          f"a leader links exactly one (L246): end it first with `county xiangkai network unlink "
                          f"{old[0]['id']}`")
    elif kind == "stationed":
        old = ctx.db.query(f"select * from xiangkai_links where village = ? and kind = 'stationed' and {where}",
                           [target, *params])
        if old:
            other = ctx.people.get(old[0]["person"])
            raise Refusal(f"{target_name} already has a stationed cadre, {other.name if other else old[0]['person']} "
                          f"(link {old[0]['id']}); each village has one (L246): end it first with "
                          f"`county xiangkai network unlink {old[0]['id']}`")
    else:
        old = ctx.db.query(f"select * from xiangkai_links where person = ? and kind = 'needy' and target = ? and {where}",
                           [p.id, target, *params])
        if old:
            raise Refusal(f"{p.id} ({p.name}) already links needy person {target} (link {old[0]['id']})")
    with ctx.transaction():
        lid = ctx.db.insert("xiangkai_links", {
            "person": p.id, "kind": kind, "target": target, "target_name": target_name, "village": where_village,
            "note": (note or "").strip() or None, "linked_at": iso(now), "linked_ts": now.timestamp(),
            "unlinked_at": None, "unlinked_ts": None}, pk="id")
    return _row(ctx, lid)


def unlink(ctx: MethodContext, link_id: int) -> dict:
    """End link ``link_id`` at ``ctx.now`` (a leader moves to another village, a cadre's
    stationing ends). Refusal when it has ended already. Returns the link."""
    r = _row(ctx, link_id)
    if not r["active"]:
        raise Refusal(f"link {link_id} ended at {r['unlinked_at']}")
    now = ctx.now
    if now.timestamp() < r["linked_ts"]:
        raise Refusal(f"link {link_id} starts at {r['linked_at']}; --now is before that")
    with ctx.transaction():
        ctx.db.update("xiangkai_links", link_id, {"unlinked_at": iso(now), "unlinked_ts": now.timestamp()})
    return _row(ctx, link_id)


def active_links(ctx: MethodContext, at: dt.datetime) -> list[dict]:
    """Every link active at ``at`` (aware), by person, kind and id."""
    where, params = _active(at.timestamp())
    order = {k: i for i, k in enumerate(rules.LINK_KINDS)}
    rows = [_decode(ctx, r) for r in ctx.db.query(f"select * from xiangkai_links where {where}", params)]
    return sorted(rows, key=lambda r: (r["person"], order[r["kind"]], r["id"]))


def list_links(ctx: MethodContext, *, unit: str | None = None, person: str | None = None,
               kind: str | None = None) -> list[dict]:
    """Links active at ``ctx.now``: of people sitting in ``unit``'s subtree or concerning a
    village there; of ``person``; of ``kind`` (all optional)."""
    if kind is not None and kind not in rules.LINK_KINDS:
        raise CountyError(f"--kind {kind}: use one of {', '.join(rules.LINK_KINDS)}")
    if person is not None:
        ctx.person(person)
    codes = set(ctx.subtree(ctx.unit(unit).code)) if unit else None
    out = []
    for r in active_links(ctx, ctx.now):
        p = ctx.people.get(r["person"])
        if codes is not None and not ((p and p.unit in codes) or r["village"] in codes):
            continue
        if (person and r["person"] != person) or (kind and r["kind"] != kind):
            continue
        out.append(r)
    return out


def check(ctx: MethodContext, unit: str | None = None, at: dt.datetime | None = None) -> dict:
    """The coverage check of the network at ``at`` (default ``ctx.now``) over ``unit``'s
    subtree (default: the deployment), L246:

    * every village (units of ``village_levels``) without a stationed cadre —
      ``鹤溪镇岗头村（jn.hx.gt）没有驻村干部``;
    * every leader sitting in the subtree missing one of the three links —
      ``班子成员蓝书记（hx-01）未联系村`` / ``…未联系基层党组织`` / ``…未联系书记``;
    * every cadre sitting in the subtree with no needy person —
      ``乡镇干部雷干部（hx-02）未联系困难群众``.

    Returns ``{at, unit, ok, villages, villages_with_stationed_cadre, leaders,
    leaders_fully_linked, cadres, cadres_with_needy, problems: [{kind, kind_zh, subject, unit,
    message}]}`` (problems: villages by code, then leaders and cadres by id)."""
    at = at or ctx.now
    codes = set(ctx.subtree(ctx.unit(unit).code)) if unit else set(ctx.units)
    levels = ctx.settings["village_levels"]
    villages = sorted(c for c in codes if ctx.units[c].level in levels)
    links = active_links(ctx, at)
    stationed = {r["village"] for r in links if r["kind"] == "stationed"}
    held: dict[str, set[str]] = {}
    for r in links:
        held.setdefault(r["person"], set()).add(r["kind"])
    people = sorted((p for p in ctx.people.values() if p.unit in codes), key=lambda p: p.id)
    leaders = [p for p in people if is_leader(p)]
    cadres = [p for p in people if is_cadre(p)]
    problems = []

    def gap(kind, subject, where, message):
        problems.append({"kind": kind, "kind_zh": rules.GAP_KINDS[kind], "subject": subject, "unit": where,
                         "message": message})

    for v in villages:
        if v not in stationed:
            town = _township_of(ctx, v)
            place = (town.name if town and town.code != v else "") + ctx.units[v].name
            gap("village_without_stationed_cadre", v, v, f"{place}（{v}）没有驻村干部")
    for p in leaders:
        for k in rules.LEADER_LINKS:
            if k not in held.get(p.id, set()):
                what = rules.LINK_KINDS[k].removeprefix("联系")
                gap(f"leader_without_{k}", p.id, p.unit, f"班子成员{p.name}（{p.id}）未联系{what}")
    for p in cadres:
        if "needy" not in held.get(p.id, set()):
            gap("cadre_without_needy", p.id, p.unit, f"乡镇干部{p.name}（{p.id}）未联系困难群众")
    return {
        "at": iso(at), "unit": unit, "ok": not problems,
        "villages": len(villages), "villages_with_stationed_cadre": sum(v in stationed for v in villages),
        "leaders": len(leaders),
        "leaders_fully_linked": sum(all(k in held.get(p.id, set()) for k in rules.LEADER_LINKS) for p in leaders),
        "cadres": len(cadres), "cadres_with_needy": sum("needy" in held.get(p.id, set()) for p in cadres),
        "problems": problems,
    }
