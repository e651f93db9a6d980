"""A method removed from the deployment while its cases remain (found by a fresh integrator):
after `county init --update` without it, `county appraise` of a period holding its cases,
`county export --format open311 --public` and `county serve` failed with "method 'daiban' is not
installed" (it was: the CLI loads only the methods the deployment enables), the nightly sweep
failed on its open case every night, and `county case list --method daiban` was refused. The
registry now loads such a method when its cases need it; a listing accepts a method with cases.

The county: mini Zhongjiang with taizhang and daiban; one daiban errand (scope township: 24
hours exactly, casebook Xupu L229) and one taizhang case taken in 2026-11-02 09:00; daiban
then removed with --force (its errand still open), the file otherwise unchanged."""

from __future__ import annotations

import pytest
from deployments import mini_zhongjiang


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    from framework.testing import CountyRunner

    tmp = tmp_path_factory.mktemp("removed")
    run = CountyRunner(tmp / "county.db").init(mini_zhongjiang(("taizhang", "daiban")))
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "修路", "--category",
        "livelihood", "--now", "2026-11-02T09:00")
    run("case", "add", "--method", "daiban", "--unit", "zj.fx.llg", "--title", "代办低保", "--set", "scope=township",
        "--now", "2026-11-02T09:00")
    cfg = tmp / "without.toml"
    cfg.write_text(mini_zhongjiang(("taizhang",)), encoding="utf-8")
    run("init", "--config", cfg, "--update", "--force", "--now", "2026-11-02T10:00")
    return run


def test_the_appraisal_still_counts_the_removed_methods_cases(county):
    data = county("appraise", "--period", "2026-11", "--now", "2026-11-10T09:00", "--json").data
    cases = {m["method"]: m["numerator"] if m["numerator"] is not None else m["value"] for m in data
             if m["metric"] == "cases" and m["subject"] == "zj"}
    assert cases == {"daiban": 1, "taizhang": 1}
    assert county("appraise", "--period", "2026-11", "--now", "2026-11-10T09:00").exit_code == 0


def test_exports_listings_and_the_sweep_serve_its_cases(county):
    assert [c["id"] for c in county("case", "list", "--method", "daiban", "--json").data] == ["zj-000002"]
    assert county("export", "--format", "open311", "--public", "--now", "2026-11-10T09:00").exit_code == 0
    r = county("sweep", "--now", "2026-11-10T00:00", "--json")  # the errand's 24 hours ran out 11-03 09:00: flagged
    assert [(a["case"], a["milestone"], a["action"]) for a in r.data["actions"] if a["case"] == "zj-000002"] == [
        ("zj-000002", "complete_and_reply", "flag")]
    assert county("case", "list", "--method", "nosuch", ok=2).stderr.startswith("error: --method: 'nosuch' is not enabled")
