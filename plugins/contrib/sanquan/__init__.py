"""三全十服务 (sanquan): Xihu District's three fulls, ten services (casebook L353–371)."""

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare the method (casebook L353–371)."""
    return MethodInfo(name="sanquan", title_zh="三全十服务", title="Three fulls, ten services",
                      source_county="西湖区", source_lines="L353–371", stages=())
