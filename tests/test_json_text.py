"""framework.publish.json_text.dumps_indented: byte for byte json.dumps(ensure_ascii=False,
indent=2, default=str), on the shapes the CLI emits (issue 13: the appraisal's JSON document)."""

import datetime as dt
import json
import random

import pytest

from framework.publish.json_text import dumps_indented

ODD = [None, True, False, 0, -3, 1.5, float("nan"), float("inf"), -float("inf"), 1e300, 10**30, "", "a\nb",
       "中文\"x\\", "},\n    {", "},\n      {", dt.date(2025, 1, 1)]


def _ref(o, indent=2):
    return json.dumps(o, ensure_ascii=False, indent=indent, default=str)


@pytest.mark.parametrize("doc", [
    [], {}, [[]], [{}], {"a": {}}, "x", None, 1.0,
    [{"metric": "cases", "subject": "u1", "value": 3.0, "label": "受理数"}, {"metric": "r", "value": None}],
    [{"a": 1}, {}, {"b": 2}],  # an empty record among records: not the one-call path
    {"rows": [{"k": "},\n      {"}, {"k": 2}], 3: [1, 2], None: {"x": [True]}, 2.5: "f", False: []},
    ({"t": (1, 2)}, [dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.timezone.utc)]),
])
def test_same_text_as_json_dumps(doc):
    assert dumps_indented(doc) == _ref(doc)


def test_random_documents_and_other_indents():
    rng = random.Random(13)

    def gen(depth=0):
        r = rng.random()
        if depth > 3 or r < 0.45:
            return rng.choice(ODD)
        if r < 0.6:
            return [{f"k{j}": rng.choice(ODD) for j in range(rng.randint(1, 3))} for _ in range(rng.randint(1, 4))]
        if r < 0.75:
            return [gen(depth + 1) for _ in range(rng.randint(0, 4))]
        return {(rng.choice([1, 2.5, None, True, "键"]) if rng.random() < 0.2 else f"k{i}"): gen(depth + 1)
                for i in range(rng.randint(0, 4))}

    for _ in range(3000):
        doc = gen()
        assert dumps_indented(doc) == _ref(doc)
    assert dumps_indented([{"a": [1]}, {"b": 2}], indent=4) == _ref([{"a": [1]}, {"b": 2}], indent=4)


def test_unserialisable_without_default_raises_like_json():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": object()}, default=None)
    with pytest.raises(TypeError, match="keys must be"):
        dumps_indented({(1, 2): [1]})
