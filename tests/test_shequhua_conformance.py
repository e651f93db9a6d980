"""shequhua runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestShequhuaConformance(MethodConformance):
    method = "shequhua"
