from framework.testing.conformance import MethodConformance


class TestTaizhangConformance(MethodConformance):
    method = "taizhang"
