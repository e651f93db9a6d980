"""reports.score_table: the cells of the methods' own scores, each distinct figure formatted
once (issue 13) — the same cells as _score_cells one score at a time, ±0.0, ints, floats,
booleans, NaN and groups included."""

from __future__ import annotations

from types import SimpleNamespace

from framework.models import MethodInfo, Metric, Tier
from framework.publish.report_labels import Labeller
from framework.publish.reports import _score_cells, score_table

INFO = MethodInfo(name="m", title_zh="某法", title="m", source_county="-", source_lines="-",
                  roles={"helper": "社会热心人士"}, categories={"technical": "技术服务小组"},
                  tiers=[Tier("village", "村级", "village")])
COUNTY = SimpleNamespace(registry=SimpleNamespace(methods={"m": INFO}), chain_method=lambda name: INFO,
                         units={"v": SimpleNamespace(name="观音村"), "w": SimpleNamespace(name="太宁村")},
                         people={"p1": SimpleNamespace(name="罗某")})


def _m(value, num=None, den=None, subject="v", kind="unit", label="x", tier=None, method="m"):
    return Metric("score", subject, value=value, numerator=num, denominator=den, subject_kind=kind, label=label,
                  tier=tier, method=method)


SCORES = [
    _m(0.5), _m(0.5, 1, 2), _m(-0.0, 0, 3), _m(0.0, 0, 3), _m(-0.0), _m(0, 0, 5), _m(1, 1, 1), _m(1.0, 1.0, 1.0),
    _m(True, True, 1), _m(4.541666), _m(4.541666, 109, 24), _m(float("nan"), 0, 0), _m(float("nan")),
    _m(None, 0, 0), _m(None), _m(886.0, None, 3), _m(2.5, 5, 2.0, subject="w"), _m(2.5, 5, 2, subject="w"),
    _m(3, subject="v:technical", kind="group", label="服务完成数（别名）"),
    _m(3, subject="v:goats", kind="group", label="服务完成数（养羊小组）"),
    _m(3, subject="v:goats", kind="group", label="服务完成数（放牛小组）"),
    _m(7, subject="p1", kind="person", tier="helper"), _m(7, subject="m", kind="method", method=None, label=None),
    _m(0.125, 1, 8, method="other", tier="village"),
]


def test_the_same_cells_as_one_score_at_a_time():
    labels = Labeller(COUNTY, SCORES)
    expected = [_score_cells(labels, m) for m in SCORES]
    assert score_table(Labeller(COUNTY, SCORES), SCORES) == expected
    assert [row[4:] for row in expected[:9]] == [
        ["0.5", ""], ["50.0%", "1/2"], ["-0.0%", "0/3"], ["0.0%", "0/3"], ["0", ""], ["0.0%", "0/5"],
        ["100.0%", "1/1"], ["100.0%", "1/1"], ["100.0%", "1/1"]]
    assert [row[0] for row in expected[18:23]] == ["观音村·技术服务小组", "观音村·养羊小组", "观音村·放牛小组", "罗某", "某法"]
    assert expected[21][3] == "社会热心人士" and expected[23][1:4] == ["other", "x", "村"]
