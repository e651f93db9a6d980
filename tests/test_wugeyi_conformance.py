"""wugeyi runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestWugeyiConformance(MethodConformance):
    method = "wugeyi"
    case_fields = {"receiver": "p-0"}
