"""shequhua's records (the logic the commands, the county file and the demo share; each takes
``ctx``): service centres and their organisations (L282), urban–rural pairing (L273), model
villages (L276), promotion (L273, L276). Checks and draws are in ``checks.py``, the
employment station in ``employment.py``.

Errors: ``CountyError`` (exit 2) for bad input, ``NotFound`` for an unknown unit or person,
``Refusal`` (exit 1) for what the rules do not allow now. Each write is one transaction.
"""

from __future__ import annotations

from framework import CountyError, Refusal

from .rules import NAME, ORG_AREAS, OUTLETS, POOL_ROLES, PROMOTIONS


def village(ctx, code: str, what: str = "--village"):
    """The ``Unit`` of village ``code``; ``NotFound`` when unknown, ``CountyError`` naming
    ``what`` for a unit of another level."""
    unit = ctx.unit(code)
    if unit.level != "village":
        raise CountyError(f"{what} {code}: {unit.name} is a {unit.level}, not a village (村)")
    return unit


def in_village(ctx, person, code: str) -> bool:
    """Whether ``person`` (a ``Person``) belongs to village ``code`` or a unit below it (a group)."""
    return person.unit in ctx.subtree(code)


def pool_person(ctx, code: str, pid: str, what: str):
    """Person ``pid`` checked as one of the forces a centre draws on (L282: 村组干部、农民党员、
    村级后备干部、入党积极分子) of village ``code``: returns the ``Person``. ``NotFound`` when
    unknown; ``CountyError`` naming ``what`` when not of the village or holding no such role."""
    person = ctx.person(pid)
    if not in_village(ctx, person, code):
        raise CountyError(f"{what} {pid}: {person.name} is not of {ctx.units[code].name} ({code})")
    if not set(person.roles) & set(POOL_ROLES):
        raise CountyError(f"{what} {pid}: {person.name} holds none of the roles a service centre draws on "
                          f"({', '.join(f'{k} {v}' for k, v in POOL_ROLES.items())}; L282)")
    return person


# -- service centres (L282: 各试点村都建立了社区化管理服务中心) ---------------------------------

def centre(ctx, code: str) -> dict | None:
    """The centre row of village ``code`` (``village``, ``director``, ``note``, ``opened_at``), or None."""
    rows = ctx.db.query("select * from shequhua_centres where village = ?", [code])
    return rows[0] if rows else None


def centres(ctx, unit: str | None = None) -> list[dict]:
    """The centres (pilot villages) within ``unit``'s subtree (None: all), by village code."""
    rows = ctx.db.query("select * from shequhua_centres order by village")
    if unit is None:
        return rows
    inside = set(ctx.subtree(unit))
    return [r for r in rows if r["village"] in inside]


def open_centre(ctx, code: str, director: str, note: str | None = None) -> tuple[dict, str]:
    """Register village ``code`` as a pilot village with its 社区化管理服务中心 (L282), led by
    ``director`` (a person of the village with the role ``village_cadre``: 村党组织牵头, L270).
    Again: the director and note are updated. Returns ``(row, "added" | "changed" |
    "unchanged")``. ``CountyError`` for a director of another village or role."""
    village(ctx, code)
    person = ctx.person(director)
    if not in_village(ctx, person, code) or "village_cadre" not in person.roles:
        raise CountyError(f"--director {director}: the centre is led by a village cadre (village_cadre) of "
                          f"{ctx.units[code].name} (村党组织牵头, L270)")
    before = centre(ctx, code)
    with ctx.transaction():
        if before is None:
            ctx.db.insert("shequhua_centres", {"village": code, "director": director, "note": note,
                                               "opened_at": ctx.now, "opened_ts": ctx.now.timestamp()})
            return centre(ctx, code), "added"
        if (before["director"], before["note"]) == (director, note):
            return before, "unchanged"
        ctx.db.update("shequhua_centres", code, {"director": director, "note": note})
    return centre(ctx, code), "changed"


def need_centre(ctx, code: str) -> dict:
    """The centre row of village ``code``; ``Refusal`` when it has none (not a pilot village)."""
    row = centre(ctx, code)
    if row is None:
        raise Refusal(f"{ctx.units[code].name} ({code}) has no 社区化管理服务中心: it is not a pilot village "
                      f"(county {NAME} centre open {code} --director P; L282)")
    return row


# -- service organisations (L282: 组建了生产技术、环境卫生、纠纷调解、公益事业、文体活动等服务类组织) --

def orgs(ctx, code: str) -> list[dict]:
    """The organisations of village ``code``, in the order of ``ORG_AREAS``, each with
    ``members`` (person ids, in the order added; the leader first)."""
    rows = ctx.db.query("select * from shequhua_orgs where village = ?", [code])
    order = list(ORG_AREAS)
    for r in rows:
        r["members"] = [m["person"] for m in ctx.db.query(
            "select person from shequhua_org_members where org_id = ? order by rowid", [r["id"]])]
    return sorted(rows, key=lambda r: order.index(r["area"]))


def org(ctx, code: str, area: str) -> dict | None:
    """The organisation of ``area`` at village ``code`` (with ``members``), or None."""
    return next((o for o in orgs(ctx, code) if o["area"] == area), None)


def set_org(ctx, code: str, area: str, leader: str, name: str | None = None,
            members: list[str] | tuple = ()) -> tuple[dict, str]:
    """Set up (or update) the service organisation of ``area`` (one of ``ORG_AREAS``) at pilot
    village ``code``, led by ``leader``, with ``members`` added (never removed); leader and
    members are forces the centre draws on (L282, :func:`pool_person`). ``name`` defaults to
    the area's 〈area〉服务队. Returns ``(org, "added" | "changed" | "unchanged")``.
    ``CountyError`` for an unknown area or a person not of the pool; ``Refusal`` without a centre."""
    village(ctx, code)
    if area not in ORG_AREAS:
        raise CountyError(f"--area {area!r}: use one of {', '.join(f'{k} {v}' for k, v in ORG_AREAS.items())} (L282)")
    need_centre(ctx, code)
    pool_person(ctx, code, leader, "--leader")
    for m in members:
        pool_person(ctx, code, m, "--member")
    name = name or (ORG_AREAS[area] if area in ("employment", "ceremony") else f"{ORG_AREAS[area]}服务队")
    before = org(ctx, code, area)
    with ctx.transaction():
        if before is None:
            org_id = ctx.db.insert("shequhua_orgs", {"village": code, "area": area, "name": name, "leader": leader,
                                                     "created_at": ctx.now, "created_ts": ctx.now.timestamp()})
        else:
            org_id = before["id"]
            ctx.db.update("shequhua_orgs", org_id, {"name": name, "leader": leader})
        for pid in [leader, *members]:
            ctx.db.insert("shequhua_org_members", {"org_id": org_id, "person": pid, "added_at": ctx.now},
                          ignore=True)
    after = org(ctx, code, area)
    if before is None:
        return after, "added"
    same = all(before[k] == after[k] for k in ("name", "leader", "members"))
    return after, "unchanged" if same else "changed"


# -- urban–rural pairing (L273: 组织7个街道与14个乡镇、30个城市社区与30个试点村结成了帮联对子) ---

def pairs(ctx, unit: str | None = None) -> list[dict]:
    """The pairs whose rural side is within ``unit``'s subtree (None: all): rows ``kind``
    (``township`` or ``village``), ``unit`` (the rural side), ``partner`` (the urban side),
    ``paired_at``; by kind and unit."""
    rows = ctx.db.query("select * from shequhua_pairs order by kind desc, unit")
    if unit is None:
        return rows
    inside = set(ctx.subtree(unit))
    return [r for r in rows if r["unit"] in inside or r["partner"] in inside]


def partner_of(ctx, code: str) -> str | None:
    """The urban partner of township or village ``code`` (a subdistrict or community code), or None."""
    rows = ctx.db.query("select partner from shequhua_pairs where unit = ?", [code])
    return rows[0]["partner"] if rows else None


def pair(ctx, code: str, partner: str) -> tuple[dict, str]:
    """Pair a rural unit with its urban partner (帮联对子, L273): a township with an urban
    subdistrict (a unit of level ``township``, not itself paired as a rural township), at most
    ``townships_per_subdistrict`` (2: 7 subdistricts, 14 townships) per subdistrict; or a pilot
    village with an urban community, at most ``villages_per_community`` (1: 30 and 30) per
    community. Returns ``(row, "added" | "unchanged")``. ``CountyError`` for units of the
    wrong levels; ``Refusal`` when the rural side is paired elsewhere, the partner is full, or
    the village is not a pilot village."""
    unit, other = ctx.unit(code), ctx.unit(partner)
    if unit.level == "township":
        kind, cap, cap_name = "township", ctx.settings["townships_per_subdistrict"], "townships_per_subdistrict"
        if other.level != "township" or other.code == unit.code:
            raise CountyError(f"--partner {partner}: a township pairs with an urban subdistrict (街道, a unit of level "
                              f"township), not {other.name} ({other.level}) (L273)")
        if partner_of(ctx, partner) is not None:
            raise Refusal(f"--partner {partner}: {other.name} is paired as a rural township itself (L273)")
        if any(r["partner"] == code for r in pairs(ctx)):
            raise Refusal(f"{code}: {unit.name} is an urban subdistrict guiding townships, not a rural township (L273)")
    elif unit.level == "village":
        kind, cap, cap_name = "village", ctx.settings["villages_per_community"], "villages_per_community"
        if other.level != "community":
            raise CountyError(f"--partner {partner}: a pilot village pairs with an urban community (城市社区), not "
                              f"{other.name} ({other.level}) (L273)")
        if centre(ctx, code) is None:
            raise Refusal(f"{unit.name} ({code}) is not a pilot village: 30个城市社区与30个农村社区化管理试点村结成帮联"
                          f"对子 (L273); open its centre first")
    else:
        raise CountyError(f"{code}: {unit.name} is a {unit.level}; a township or a pilot village is paired (L273)")
    current = partner_of(ctx, code)
    if current == partner:
        return next(r for r in pairs(ctx) if r["unit"] == code), "unchanged"
    if current is not None:
        raise Refusal(f"{unit.name} ({code}) is already paired with {ctx.units[current].name} ({current})")
    taken = [r["unit"] for r in pairs(ctx) if r["partner"] == partner]
    if len(taken) >= cap:
        raise Refusal(f"--partner {partner}: {other.name} already guides {len(taken)} "
                      f"({', '.join(taken)}); [plugins.{NAME}] {cap_name} = {cap} (L273)")
    with ctx.transaction():
        ctx.db.insert("shequhua_pairs", {"kind": kind, "unit": code, "partner": partner, "paired_at": ctx.now,
                                         "paired_ts": ctx.now.timestamp()})
    return next(r for r in pairs(ctx) if r["unit"] == code), "added"


# -- model villages (L276: 全区已确定农村社区化管理示范村15个) --------------------------------

def models(ctx, unit: str | None = None) -> list[dict]:
    """The model villages within ``unit``'s subtree (None: all), by village code."""
    rows = ctx.db.query("select * from shequhua_models order by village")
    inside = set(ctx.subtree(unit)) if unit else None
    return [r for r in rows if inside is None or r["village"] in inside]


def designate(ctx, code: str, note: str | None = None) -> dict:
    """Designate pilot village ``code`` a model village (示范村, L276), at ``ctx.now``. With
    ``model_needs_good_inspection`` (default true) only after a check rated ``good`` (好): the
    models are found 结合定期督查、随机抽查和年末检查情况 (L276). Returns the row. ``Refusal``
    for a village that is not a pilot, already a model, or has no good check."""
    village(ctx, code)
    need_centre(ctx, code)
    if any(r["village"] == code for r in models(ctx)):
        raise Refusal(f"{ctx.units[code].name} ({code}) is already a model village")
    if ctx.settings["model_needs_good_inspection"] and not ctx.db.count(
            "shequhua_inspections", "village = ? and result = 'good' and at_ts <= ?", [code, ctx.now.timestamp()]):
        raise Refusal(f"{ctx.units[code].name} ({code}) has no check rated 好 (good): models are chosen from the "
                      f"checks (结合定期督查、随机抽查和年末检查情况, L276); [plugins.{NAME}] "
                      f"model_needs_good_inspection")
    with ctx.transaction():
        ctx.db.insert("shequhua_models", {"village": code, "note": note, "designated_at": ctx.now,
                                          "designated_ts": ctx.now.timestamp()})
    return models(ctx, code)[0]


# -- promotion (L276 宣传树典型; L273 专题考察学习) -----------------------------------------------

def promote(ctx, kind: str, title: str, unit: str | None = None, village_code: str | None = None,
            outlet: str | None = None) -> dict:
    """Record a promotion at ``ctx.now``: ``column`` (a report in the special column, ``outlet``
    ``media`` 区内媒体 or ``website`` 松山党建网站, L276), ``observation`` (现场观摩会, held at
    model village ``village_code``), ``exchange`` (经验交流会), ``study_tour`` (township and
    pilot-village leaders' study at a model urban community, L273). ``unit``: the unit that
    held it (default the deployment's first root). A featured ``village_code`` must be a model
    village. Returns the row. ``CountyError`` for a bad kind, outlet or missing field;
    ``Refusal`` for a village that is not a model."""
    if kind not in PROMOTIONS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(f'{k} {v}' for k, v in PROMOTIONS.items())}")
    if not (title or "").strip():
        raise CountyError("--title: what was published or held")
    if kind == "column" and outlet not in OUTLETS:
        raise CountyError(f"--outlet {outlet!r}: a column report runs in {', '.join(f'{k} {v}' for k, v in OUTLETS.items())} (L276)")
    if kind != "column" and outlet is not None:
        raise CountyError(f"--outlet: only a column report has an outlet, not {kind}")
    if kind == "observation" and not village_code:
        raise CountyError("--village: an on-site observation meeting (现场观摩会) is held at a model village (L276)")
    if village_code:
        village(ctx, village_code)
        if not any(r["village"] == village_code for r in models(ctx)):
            raise Refusal(f"--village {village_code}: {ctx.units[village_code].name} is not a model village "
                          f"(宣传树典型, L276)")
    unit = unit or village_code or ctx.roots()[0].code
    ctx.unit(unit)
    with ctx.transaction():
        pid = ctx.db.insert("shequhua_promotions", {"kind": kind, "unit": unit, "village": village_code,
                                                    "outlet": outlet, "title": title.strip(), "at": ctx.now,
                                                    "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from shequhua_promotions where id = ?", [pid])[0]
