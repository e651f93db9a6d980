"""zaizhi runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestZaizhiConformance(MethodConformance):
    method = "zaizhi"
    case_unit_level = "community"
