"""store.db.json_encoder: the text of ``json.dumps(ensure_ascii=False, default=…)`` from a C
encoder made once (issue 13), and the same errors."""

import datetime as dt

import pytest

from framework.interchange.take import encode_raw
from framework.store.db import encode_json


def test_the_same_text_as_json_dumps():
    assert encode_json({"visit_type": "veteran", "on_the_spot": False}) == '{"visit_type": "veteran", "on_the_spot": false}'
    assert encode_json({"due": dt.datetime(2026, 1, 5, 23, 59, 59), "n": [1, 2.5, None]}) == \
        '{"due": "2026-01-05T23:59:59", "n": [1, 2.5, null]}'
    assert encode_json("问良策") == '"问良策"'
    assert encode_json({"x": float("nan")}) == '{"x": NaN}'
    assert encode_raw({"时间": dt.time(8, 30), "id": 7}) == '{"时间": "08:30:00", "id": 7}'


def test_a_cycle_is_refused_and_the_next_value_encodes():
    loop: list = []
    loop.append(loop)
    for _ in range(2):
        with pytest.raises(ValueError, match="Circular reference detected"):
            encode_json({"data": loop})
    shared = [1]
    assert encode_json({"a": shared, "b": shared}) == '{"a": [1], "b": [1]}'
