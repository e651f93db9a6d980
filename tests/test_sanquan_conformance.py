"""sanquan (contrib, Xihu 三全十服务) runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestSanquanConformance(MethodConformance):
    method = "sanquan"
