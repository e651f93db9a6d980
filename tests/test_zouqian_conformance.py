"""zouqian runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestZouqianConformance(MethodConformance):
    method = "zouqian"
