"""wuxin runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestWuxinConformance(MethodConformance):
    method = "wuxin"
