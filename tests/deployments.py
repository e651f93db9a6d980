"""Small deployment files shared by the kernel, CLI and import tests."""

import json


def mini_zhongjiang(methods=("taizhang",)) -> str:
    """A four-unit Zhongjiang (中江县 → 县三账办, 富兴镇 → 柳林沟村) enabling ``methods`` (the
    三账办's level is taizhang's; without taizhang the file declares it in ``extra_levels``)."""
    extra = "" if "taizhang" in methods else 'extra_levels = ["ledger_office"]\n'
    return f"""
[deployment]
name = "中江县"
code = "zj"
methods = {json.dumps(list(methods))}
{extra}
[[units]]
code = "zj"
name = "中江县"
level = "county"
[[units]]
code = "zj.sza"
name = "县三账办"
level = "ledger_office"
parent = "zj"
[[units]]
code = "zj.fx"
name = "富兴镇"
level = "township"
parent = "zj"
[[units]]
code = "zj.fx.llg"
name = "柳林沟村"
level = "village"
parent = "zj.fx"
"""


def three_levels(methods) -> str:
    """测试县 → 一镇 → 一村 (codes cs, cs.t1, cs.t1.v1) enabling ``methods``: the smallest tree with
    a township and a village, for kernel tests with plugins registered in code."""
    return f"""
[deployment]
name = "测试县"
code = "cs"
methods = {json.dumps(list(methods))}

[[units]]
code = "cs"
name = "测试县"
level = "county"
[[units]]
code = "cs.t1"
name = "一镇"
level = "township"
parent = "cs"
[[units]]
code = "cs.t1.v1"
name = "一村"
level = "village"
parent = "cs.t1"
"""


#: 景宁县 → 鹤溪镇 with its villages and cadres, for the xiangkai tests (乡会村开, casebook Jingning).
JINGNING = """
[deployment]
name = "景宁县"
code = "jn"
methods = ["xiangkai"]

[[units]]
code = "jn"
name = "景宁畲族自治县"
level = "county"
[[units]]
code = "jn.hx"
name = "鹤溪镇"
level = "township"
parent = "jn"
[[units]]
code = "jn.hx.gt"
name = "岗头村"
level = "village"
parent = "jn.hx"
[[units]]
code = "jn.hx.at"
name = "安亭村"
level = "village"
parent = "jn.hx"
[[units]]
code = "jn.dd"
name = "大地乡"
level = "township"
parent = "jn"
[[units]]
code = "jn.dd.lh"
name = "莲湖村"
level = "village"
parent = "jn.dd"

[[people]]
id = "hx-01"
name = "蓝书记"
unit = "jn.hx"
roles = ["township_leadership"]
[[people]]
id = "hx-02"
name = "雷干部"
unit = "jn.hx"
roles = ["resident_cadre"]
"""


#: 中江县 with 冯店镇 and two villages (龙老沟村, 清河村): the Open311 endpoint's tests
OPEN311_UNITS = """
[deployment]
name = "中江县"
code = "zj"
methods = ["taizhang"]

[[units]]
code = "zj"
name = "中江县"
level = "county"

[[units]]
code = "zj.fx"
name = "冯店镇"
level = "township"
parent = "zj"

[[units]]
code = "zj.fx.llg"
name = "龙老沟村"
level = "village"
parent = "zj.fx"

[[units]]
code = "zj.fx.qh"
name = "清河村"
level = "village"
parent = "zj.fx"
"""
