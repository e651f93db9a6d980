"""shequhua: a contrib method being written (issue 19). A placeholder declaring only its name, so
the entry point loads; it takes no cases until its stages are written."""

from framework import MethodInfo, hookimpl


@hookimpl
def county_method():
    """Declare the method (placeholder: no stages yet)."""
    return MethodInfo(name="shequhua", title_zh="（编写中）", title="shequhua (being written)", source_county="",
                      source_lines="", stages=())
