"""yetanhui runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestYetanhuiConformance(MethodConformance):
    method = "yetanhui"
    case_fields = {"outcome": "promised", "handler": "p-2", "promised": "+5d"}
    case_unit_level = "village"
