"""wuzifa runs the kernel's conformance suite (framework.testing.conformance). The generic case is a
small matter (3 calendar days, then up): a collective dispute's 90 days outlast the suite's 80 days
of sweeps."""

from framework.testing.conformance import MethodConformance


class TestWuzifaConformance(MethodConformance):
    method = "wuzifa"
    case_category = "small_matter"
