"""Market operation and professionalisation records: the service station's profit share
(盈利收入20%返还社区, L410) and the community workers' education (大专以上, within 3–5 years, L408)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from framework import CountyError, Refusal, parse_date

from .rules import EDUCATION, GRID_WORKER, QUALIFIED


def to_fen(amount, what="profit") -> int:
    """A yuan amount (``12345.6``, text or number, at most 2 decimals, not negative) in fen (分).
    ``CountyError`` naming ``what`` otherwise."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise CountyError(f"{what} {amount!r}: an amount in yuan (元), e.g. 12345.60") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise CountyError(f"{what} {amount!r}: an amount in yuan, not negative, at most 2 decimals (a loss returns "
                          f"nothing: enter 0)")
    return int(value * 100)


def share(profit_fen: int, percent: int) -> int:
    """``percent`` % of ``profit_fen`` in fen, rounded half up: (1234567, 20) → 246913."""
    return int((Decimal(profit_fen) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def record_revenue(ctx, unit, provider, month, profit) -> dict:
    """Record a service station's ``profit`` (yuan) for ``month`` (``YYYY-MM``) at community
    ``unit`` from ``provider`` (e.g. 阳光服务站), and the share returned to the community:
    ``profit_share_percent`` (20) % (L410: 盈利收入20%返还社区). Returns ``{"id", "unit", "provider",
    "month", "profit_fen", "returned_fen", "percent"}``. ``CountyError`` for a unit that is not a
    community, an empty provider, a bad month or amount; ``Refusal`` for a second row of the same
    community, provider and month."""
    u = ctx.unit(unit)
    if u.level != "community":
        raise CountyError(f"unit {u.code!r}: {u.name} is a {u.level}; the profit share goes to a community (L410)")
    provider = (provider or "").strip()
    if not provider or len(provider) > 100:
        raise CountyError("provider: the service provider's name, 1 to 100 characters")
    try:
        first = dt.datetime.strptime(str(month), "%Y-%m")
    except ValueError:
        raise CountyError(f"month {month!r}: YYYY-MM") from None
    start, _ = ctx.calendar.period_bounds(first.strftime("%Y-%m"))
    fen = to_fen(profit)
    percent = ctx.settings["profit_share_percent"]
    row = {"unit": u.code, "provider": provider, "month": first.strftime("%Y-%m"), "profit_fen": fen,
           "returned_fen": share(fen, percent), "percent": percent, "month_ts": start.timestamp(),
           "at": ctx.now.isoformat()}
    with ctx.transaction():
        if ctx.db.count("zhihui_revenue", "unit = ? and provider = ? and month = ?", [u.code, provider, row["month"]]):
            raise Refusal(f"unit {u.code!r}: {provider} {row['month']} is already recorded")
        row["id"] = ctx.db.insert("zhihui_revenue", row)
    return {k: row[k] for k in ("id", "unit", "provider", "month", "profit_fen", "returned_fen", "percent")}


def revenue(ctx, unit=None, period=None) -> dict:
    """The profit and the share returned in ``unit``'s subtree (None: all) for ``period`` (None:
    all time), by the month recorded: ``{"profit_fen", "returned_fen", "rows"}``."""
    where, params = ctx.scope(unit, period, unit_cols=("unit",), ts_cols=("month_ts",))
    rows = ctx.db.query("select * from zhihui_revenue where " + (" and ".join(where) or "1") + " order by month, id",
                        params)
    return {"profit_fen": sum(r["profit_fen"] for r in rows), "returned_fen": sum(r["returned_fen"] for r in rows),
            "rows": rows}


def record_education(ctx, person, level) -> dict:
    """Record ``person``'s education ``level`` (a key of ``EDUCATION``) at ``ctx.now``; a later
    entry replaces an earlier one. Returns ``{"person", "level", "qualified"}`` (大专 or above,
    L408). ``NotFound`` for an unknown person, ``CountyError`` for an unknown level."""
    p = ctx.person(person)
    if level not in EDUCATION:
        raise CountyError(f"level {level!r}: one of " + ", ".join(f"{k} {v}" for k, v in EDUCATION.items()))
    with ctx.transaction():
        ctx.db.upsert("zhihui_education", {"person": p.id, "level": level, "at": ctx.now.isoformat(),
                                           "at_ts": ctx.now.timestamp()}, pk="person")
    return {"person": p.id, "level": level, "qualified": level in QUALIFIED}


def community_staff(ctx, unit) -> list[str]:
    """The community workers (所有社区工作人员, L408) of ``unit``'s subtree, sorted ids: people of a
    community or grid there with the role ``community_worker`` or ``grid_worker``, and the
    full-time grid workers posted there (4+4+1+6)."""
    codes = set(ctx.subtree(unit))
    ids = {p.id for p in ctx.people.values()
           if p.unit in codes and ctx.units[p.unit].level in ("community", "grid")
           and ({"community_worker", GRID_WORKER} & set(p.roles))}
    marks = ctx.db.placeholders(sorted(codes))
    ids |= {r["person"] for r in ctx.db.query(
        f"select person from zhihui_staff where post = ? and unit in ({marks})", [GRID_WORKER, *sorted(codes)])}
    return sorted(ids)


def qualified(ctx, people: list[str]) -> list[str]:
    """Those of ``people`` recorded at 大专 or above (L408)."""
    if not people:
        return []
    marks = ctx.db.placeholders(people)
    levels = ctx.db.query(f"select person from zhihui_education where person in ({marks}) and level in "
                          f"({ctx.db.placeholders(QUALIFIED)})", [*people, *QUALIFIED])
    return sorted(r["person"] for r in levels)


def qualification_due(ctx) -> dt.date:
    """The day every community worker should hold 大专 or above: the day before the
    ``qualification_years`` (3–5, L408) anniversary of ``qualification_start``. ``CountyError``
    naming the setting for a bad date."""
    text = ctx.settings["qualification_start"]
    start = parse_date(text, "[plugins.zhihui] qualification_start =")
    years = ctx.settings["qualification_years"]
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 02-29
        end = dt.date(start.year + years, 3, 1)
    return end - dt.timedelta(days=1)
