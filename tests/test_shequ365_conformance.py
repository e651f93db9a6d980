"""shequ365 against the kernel's conformance suite."""

from framework.testing.conformance import MethodConformance


class TestConformance(MethodConformance):
    method = "shequ365"
    case_unit_level = "community"
