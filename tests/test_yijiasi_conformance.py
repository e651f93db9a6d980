"""yijiasi runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestYijiasiConformance(MethodConformance):
    method = "yijiasi"
    case_unit_level = "community"
