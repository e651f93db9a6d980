"""六要 (Nanping's six musts) — contrib method plugin, work in progress (issue 18)."""

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare the method (minimal placeholder while the stages are written)."""
    return MethodInfo(name="liuyao", title_zh="六要工作法", title="Six musts", source_county="南平",
                      source_lines="methods.md §2.8", stages=())
