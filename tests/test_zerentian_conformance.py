"""zerentian runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestZerentianConformance(MethodConformance):
    method = "zerentian"
