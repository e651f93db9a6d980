"""liuyao (contrib, Nanping 六要) runs the kernel's conformance suite (framework.testing.conformance)."""

from framework.testing.conformance import MethodConformance


class TestLiuyaoConformance(MethodConformance):
    method = "liuyao"
