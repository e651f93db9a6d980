"""The kernel's conformance suite run against 乡会村开 (xiangkai)."""

from framework.testing.conformance import MethodConformance


class TestConformance(MethodConformance):
    method = "xiangkai"
    # its boards post meetings and their resolutions; a topic not yet put to a meeting is on none
    publicity_shows_case = False
