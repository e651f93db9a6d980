"""The district organisation department's checks (L276: 结合定期督查、随机抽查和年末检查情况;
L273: 区委组织部工作人员定期深入试点村进行指导检查): recording a check, drawing the villages of a
quarter's random spot check, and reading them back for duties and appraisal.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re

from framework import CountyError, Refusal

from . import service
from .rules import INSPECTION_KINDS, NAME, RESULTS

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def quarter_of(ctx, instant: dt.datetime) -> str:
    """The quarter (``2024Q4``) holding ``instant``'s local date."""
    d = ctx.calendar.local(instant).date()
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def inspections(ctx, unit: str | None = None, period: str | None = None, kind: str | None = None) -> list[dict]:
    """The checks of villages within ``unit``'s subtree (None: all) made in ``period`` (None:
    any), optionally of one ``kind``; by instant. ``CountyError`` for a bad period."""
    where, params = ctx.scope(unit, period, unit_cols=("village",), ts_cols=("at_ts",))
    if kind:
        where.append("kind = ?")
        params.append(kind)
    sql = "select * from shequhua_inspections" + (" where " + " and ".join(where) if where else "") + " order by at_ts, id"
    return ctx.db.query(sql, params)


def draws(ctx, quarter: str | None = None, unit: str | None = None) -> list[dict]:
    """The villages drawn for spot checks, of one ``quarter`` (None: all), within ``unit``'s
    subtree (None: all); by quarter and village."""
    rows = ctx.db.query("select * from shequhua_draws order by quarter, village")
    inside = set(ctx.subtree(unit)) if unit else None
    return [r for r in rows if (quarter is None or r["quarter"] == quarter)
            and (inside is None or r["village"] in inside)]


def draw(ctx, quarter: str, unit: str | None = None) -> list[str]:
    """Draw at random the pilot villages of ``quarter`` (``YYYYQn``) for the spot check (随机抽查,
    L276): within ``unit``'s subtree (None: every pilot village where the method takes part),
    ``ceil(spot_check_share × pilots)`` of them, at least one. The draw is seeded by the
    deployment code, the quarter and the unit, so it is reproducible, and recorded. Returns the
    drawn village codes, sorted. ``CountyError`` for a bad quarter; ``Refusal`` once the
    quarter is over, without pilot villages, or when one of them was drawn for it already."""
    m = _QUARTER.match(quarter or "")
    if not m:
        raise CountyError(f"--quarter {quarter!r}: a quarter such as 2024Q4")
    end = ctx.calendar.period_bounds(quarter)[1]
    if ctx.now >= end:
        raise Refusal(f"--quarter {quarter}: the quarter is over; a spot check is drawn before or during it")
    pilots = [r["village"] for r in service.centres(ctx, unit) if ctx.takes_part(r["village"])]
    if not pilots:
        raise Refusal(f"no pilot village{' in ' + unit if unit else ''} to draw from (county {NAME} centre open …)")
    done = {r["village"] for r in draws(ctx, quarter)} & set(pilots)
    if done:
        raise Refusal(f"--quarter {quarter}: {', '.join(sorted(done))} already drawn for this quarter")
    n = max(1, math.ceil(ctx.settings["spot_check_share"] * len(pilots) - 1e-9))
    rng = random.Random(f"{ctx.deployment_code}:{quarter}:{unit or ''}")
    picked = sorted(rng.sample(pilots, min(n, len(pilots))))
    with ctx.transaction():
        for v in picked:
            ctx.db.insert("shequhua_draws", {"quarter": quarter, "village": v, "drawn_at": ctx.now,
                                             "drawn_ts": ctx.now.timestamp()})
    return picked


def inspect(ctx, code: str, kind: str, result: str, inspector: str, note: str | None = None) -> dict:
    """Record a check of pilot village ``code`` at ``ctx.now`` by ``inspector`` (a person with
    the role ``inspector``, 区委组织部工作人员): ``kind`` ``regular`` (定期督查), ``spot`` (随机抽查:
    only of a village drawn for the quarter of ``ctx.now``) or ``year_end`` (年末检查: only in
    the month ``year_end_month``, December by default); ``result`` ``good`` 好, ``pass`` 合格 or
    ``improve`` 需整改 (the plugin's scale). Returns the row. ``CountyError`` for a bad kind,
    result or inspector; ``Refusal`` for a village that is not a pilot, a spot check not drawn,
    a year-end check out of its month."""
    service.village(ctx, code)
    if kind not in INSPECTION_KINDS:
        raise CountyError(f"--kind {kind!r}: use one of {', '.join(f'{k} {v}' for k, v in INSPECTION_KINDS.items())} (L276)")
    if result not in RESULTS:
        raise CountyError(f"--result {result!r}: use one of {', '.join(f'{k} {v}' for k, v in RESULTS.items())}")
    person = ctx.person(inspector)
    if "inspector" not in person.roles:
        raise CountyError(f"--inspector {inspector}: {person.name} is not 区委组织部工作人员 (role inspector; L273, L276)")
    service.need_centre(ctx, code)
    local = ctx.calendar.local(ctx.now)
    if kind == "spot":
        q = quarter_of(ctx, ctx.now)
        if not draws(ctx, q, code):
            raise Refusal(f"{ctx.units[code].name} ({code}) was not drawn for the spot check of {q} "
                          f"(county {NAME} draw --quarter {q}; 随机抽查, L276)")
    if kind == "year_end" and local.month != ctx.settings["year_end_month"]:
        raise Refusal(f"a year-end check (年末检查, L276) is made in month {ctx.settings['year_end_month']}, not on "
                      f"{local.date().isoformat()} ([plugins.{NAME}] year_end_month)")
    with ctx.transaction():
        iid = ctx.db.insert("shequhua_inspections", {"village": code, "kind": kind, "result": result,
                                                     "inspector": inspector, "note": note, "at": ctx.now,
                                                     "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from shequhua_inspections where id = ?", [iid])[0]
