"""zhihui runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestZhihuiConformance(MethodConformance):
    method = "zhihui"
    case_unit_level = "grid"
