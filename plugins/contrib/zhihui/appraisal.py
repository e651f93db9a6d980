"""zhihui's figures (the casebook gives no appraisal for it, L399–410: each figure measures one of
its stated rules). Beside the kernel's common metrics."""

from __future__ import annotations

from framework import Metric, rate

from . import register, service, staffing
from .rules import NAME


def appraisal(ctx, unit, period):
    """Per unit asked for (each root for the whole deployment), for ``period``:

    * ``settled_in_grid_rate`` 事不出格率 (L406): of the cases taken in within the subtree during
      the period and resolved, those resolved at tier ``grid``;
    * ``staffing_complete_rate`` 网格“4+4+1+6”达标率 (L406): grids meeting the model / grids (now);
    * ``qualified_rate`` 社区工作人员大专以上占比 (L408): community workers at 大专 or above / all;
    * ``residents_entered`` 人口数据录入人数 (L404) and ``grids`` 网格数 (L406: 92 planned),
      values;
    * ``returned_to_community`` 盈利返还社区（元） (L410): the period's returned share, a value.

    Returns a list of ``Metric``."""
    out = []
    for u in [unit] if unit else ctx.roots():
        done = ctx.cases.find(method=NAME, origin=u.code, created=period, status=["resolved", "confirmed", "closed"])
        in_grid = sum(1 for c in done if c.resolved_level == "grid")
        out.append(rate("settled_in_grid_rate", u.code, in_grid, len(done), label="事不出格率"))
        grids = staffing.check(ctx, u.code)
        out.append(rate("staffing_complete_rate", u.code, sum(g["complete"] for g in grids), len(grids),
                        label="网格“4+4+1+6”配备达标率"))
        staff = service.community_staff(ctx, u.code)
        out.append(rate("qualified_rate", u.code, len(service.qualified(ctx, staff)), len(staff),
                        label="社区工作人员大专以上占比"))
        out.append(Metric("residents_entered", u.code, value=register.summary(ctx, u.code)[-1]["residents"],
                          label="人口数据录入人数"))
        out.append(Metric("grids", u.code, value=len(grids), label=f"网格数（规划{ctx.settings['planned_grids']}个）"))
        out.append(Metric("returned_to_community", u.code,
                          value=service.revenue(ctx, u.code, period)["returned_fen"] / 100, label="盈利返还社区（元）"))
    return out
