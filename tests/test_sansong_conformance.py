"""sansong runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestSansongConformance(MethodConformance):
    method = "sansong"
    case_fields = {"cadre": "p-0"}
