"""daiban runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestDaibanConformance(MethodConformance):
    method = "daiban"
    case_fields = {"scope": "township"}
    case_unit_level = "group"
