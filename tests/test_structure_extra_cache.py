"""structure_extra remembers its results (issue 13, bulk import): the same sheet values give the
same dict, each caller gets its own copy, and bad values are refused every time."""

import attrs
import pytest

from framework import CountyError
from framework.kernel import stages
from plugins.taizhang.rules import TaizhangExtra


class _Info:
    name = "taizhang"
    extra_type = TaizhangExtra


@attrs.define
class _WithList:
    tags: list[str] | None = None


class _ListInfo:
    name = "tagged"
    extra_type = _WithList


def test_same_fields_same_dict_and_a_fresh_copy_each_time():
    first = stages.structure_extra(_Info, {"visit_type": "veteran", "on_the_spot": "yes"})
    assert first == {"visit_type": "veteran", "on_the_spot": True}
    first["visit_question"] = "问良策"  # taizhang's intake adds to what it gets
    again = stages.structure_extra(_Info, {"visit_type": "veteran", "on_the_spot": "yes"})
    assert again == {"visit_type": "veteran", "on_the_spot": True}
    assert again is not first
    assert stages.structure_extra(_Info, {}) == {"on_the_spot": False}


def test_bad_values_are_refused_every_time():
    for _ in range(2):
        with pytest.raises(CountyError, match=r"--set on_the_spot='maybe': must be yes or no"):
            stages.structure_extra(_Info, {"on_the_spot": "maybe"})
    for _ in range(2):
        with pytest.raises(CountyError, match=r"--set colour: not a field of taizhang"):
            stages.structure_extra(_Info, {"colour": "red"})


def test_values_other_than_text_are_structured_each_time():
    # 1 == True as a key, but a text field structures them differently
    assert stages.structure_extra(_Info, {"topic": True}) == {"topic": "True", "on_the_spot": False}
    assert stages.structure_extra(_Info, {"topic": 1}) == {"topic": "1", "on_the_spot": False}


def test_only_plain_results_are_remembered():
    stages._extra_cache.clear()
    out = stages.structure_extra(_ListInfo, {"tags": "ab"})  # text whose result is a list: not kept
    assert out == {"tags": ["a", "b"]}
    out["tags"].append("c")
    assert stages.structure_extra(_ListInfo, {"tags": "ab"}) == {"tags": ["a", "b"]}
    assert stages._extra_cache == {}
    stages.structure_extra(_Info, {"visit_type": "villager"})
    assert list(stages._extra_cache) == [(TaizhangExtra, ("visit_type", "villager"))]
