"""jieti: Mojiang's three ways (墨江“三种方式”), casebook L292–306 — work in progress."""

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare jieti (墨江“三种方式”, casebook L292–306)."""
    return MethodInfo(name="jieti", title_zh="“三种方式”阶梯式解决民困", title="Three ways: pyramid, focus, ladder",
                      source_county="云南墨江县", source_lines="L292–306")
