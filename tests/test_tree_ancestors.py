"""County.ancestors keeps each code's path for the tree it was worked out on (issue 13: an
appraisal rolls every origin up its path) and works it out again once the tree is reloaded."""

from test_board_fixture import new_county


def test_paths_follow_the_tree_as_loaded():
    county = new_county()
    it = county.ancestors("zj.fx.dq")
    assert next(it) == "zj.fx.dq"  # an iterator, as documented (docs/hooks.md: ctx.ancestors)
    assert list(it) == ["zj.fx", "zj"]
    assert list(county.ancestors("zj.fx.dq")) == ["zj.fx.dq", "zj.fx", "zj"]  # the kept path, again
    assert list(county.ancestors("nowhere")) == ["nowhere"] and list(county.ancestors(None)) == []
    county.import_units([{"code": "zj.fx.dq", "parent": "zj.hx"}], "units.csv")  # 大桥村 moves to 回龙镇
    assert list(county.ancestors("zj.fx.dq")) == ["zj.fx.dq", "zj.hx", "zj"]
    assert "zj.fx.dq" in county.ancestors("zj.fx.dq") and "zj.fx" not in county.ancestors("zj.fx.dq")
