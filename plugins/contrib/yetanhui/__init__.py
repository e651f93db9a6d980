"""yetanhui: Julu County's cadre–villager evening talks (巨鹿“干群夜谈会”), casebook L167–176
(methods.md §2.7). Work in progress (issue 18)."""

from __future__ import annotations

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare 干群夜谈会 (Julu, Hebei, L167–176)."""
    return MethodInfo(name="yetanhui", title_zh="干群夜谈会", title="Cadre–villager evening talks",
                      source_county="河北省巨鹿县 Julu County, Hebei", source_lines="L167–176",
                      version="0.0.1", stages=())
