"""The kernel's conformance suite run against 乡会村开 (xiangkai)."""

from framework.testing.conformance import MethodConformance


class TestConformance(MethodConformance):
    method = "xiangkai"
