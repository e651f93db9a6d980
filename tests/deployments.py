"""Small deployment files shared by the kernel, CLI and import tests."""

import json


def mini_zhongjiang(methods=("taizhang",)) -> str:
    """A four-unit Zhongjiang (中江县 → 县三账办, 富兴镇 → 柳林沟村) enabling ``methods``."""
    return f"""
[deployment]
name = "中江县"
code = "zj"
methods = {json.dumps(list(methods))}

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
