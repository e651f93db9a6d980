"""The kernel's conformance suite run against dianti, alone and with its deadline bound to taizhang."""

from framework.testing.conformance import MethodConformance


class TestConformance(MethodConformance):
    method = "dianti"


class TestConformanceBoundToTaizhang(MethodConformance):
    method = "dianti"
    bindings = {"dianti.deadline": "taizhang"}
