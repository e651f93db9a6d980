"""zouqian: 走千听万 (Pudong New Area, Shanghai; casebook L318–351) — being written."""

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare the method (placeholder until the stages land)."""
    return MethodInfo(name="zouqian", title_zh="走千听万", title="Walk a thousand villages, hear ten thousand households",
                      source_county="上海市浦东新区 Pudong New Area, Shanghai", source_lines="L318–351")
