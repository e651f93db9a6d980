"""sansong's recurring duties (``county_duties``): computed, never stored.

* ``consultation`` (民意恳谈会, L140: 每季度由驻村干部组织召开): on the last day of each quarter,
  each village or community with a work team that day owes a valid meeting in that quarter;
* ``presence`` (L142: 驻村干部每月与群众同吃、同住、同劳动20天以上): on the last day of each month,
  each cadre stationed that day owes 20+ days recorded for the month (subject: the person);
* ``rating`` (L140: 每年度群众工作满意度测评): on the last day of the setting ``rating_month``
  (December), each cadre with contact households that day owes the year's rating.
"""

from __future__ import annotations

import datetime as dt

from framework import Duty

from . import network, service
from .rules import NAME, PRESENCE_DAYS_MIN


def duties(ctx, unit, on_date: dt.date) -> list[Duty]:
    """The duties due on ``on_date`` (a local date) in ``unit``'s subtree (everywhere when
    None). Returns a list of ``Duty``."""
    if (on_date + dt.timedelta(days=1)).day != 1:
        return []
    scope = unit.code if unit else None
    out = []
    month = on_date.strftime("%Y-%m")
    if on_date.month % 3 == 0:
        quarter = service.quarter_of(on_date)
        met = {m["unit"] for m in service.consultations(ctx, scope, quarter) if m["valid"]}
        for village in sorted({r["unit"] for r in network.stations(ctx, on=on_date)}):
            if network.in_scope(ctx, village, scope) and ctx.takes_part(village):
                out.append(Duty(NAME, village, "consultation", f"民意恳谈会（每季度，{quarter}）", on_date,
                                done=village in met, subject=quarter))
    presence = {r["person"]: r["days"] for r in ctx.db.query("select * from sansong_presence where month = ?", [month])}
    for r in network.stations(ctx, on=on_date):
        if network.in_scope(ctx, r["unit"], scope) and ctx.takes_part(r["unit"]):
            out.append(Duty(NAME, r["unit"], "presence", f"驻村干部每月同吃同住同劳动{PRESENCE_DAYS_MIN}天以上（{month}）",
                            on_date, done=presence.get(r["person"], 0) >= PRESENCE_DAYS_MIN, subject=r["person"]))
    if on_date.month == ctx.settings["rating_month"]:
        rated = {r["person"] for r in service.ratings(ctx, on_date.year)}
        cadres = {}
        for r in network.links(ctx, on=on_date):
            cadres.setdefault(r["person"], r["unit"])
        for person, village in sorted(cadres.items()):
            if network.in_scope(ctx, village, scope) and ctx.takes_part(village):
                out.append(Duty(NAME, village, "rating", f"年度群众工作满意度测评（{on_date.year}）", on_date,
                                done=person in rated, subject=person))
    return out
