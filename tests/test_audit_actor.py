"""Issue 14: the actor is an operator of the deployment's `[operators]` list, and `COUNTY_ACTOR`
counts only when it names one; a deployment without the list keeps the free name, with a
warning at `county init`."""

from __future__ import annotations

import pytest

from deployments import mini_zhongjiang

OPERATORS = """
[operators]
fx-zhang = {name = "张某", unit = "zj.fx"}

[operators.sza-li]
name = "李某"
"""
ADD = ("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--category", "livelihood", "--title", "路灯",
       "--now", "2026-11-02T10:00", "--json")


@pytest.fixture
def run(init_county, monkeypatch):
    run = init_county(mini_zhongjiang() + OPERATORS)
    monkeypatch.delenv("COUNTY_ACTOR")
    return run


def test_events_carry_the_operator_that_county_actor_names(run, monkeypatch):
    monkeypatch.setenv("COUNTY_ACTOR", "fx-zhang")
    case = run(*ADD).data
    assert [(e["type"], e["actor"]) for e in case["events"]] == [("registered", "fx-zhang")]
    monkeypatch.setenv("COUNTY_ACTOR", "sza-li")
    r = run("case", "resolve", case["id"], "--note", "修好", "--now", "2026-11-03T10:00", "--json")
    assert [(e["type"], e["actor"]) for e in r.data["events"]] == [("registered", "fx-zhang"), ("resolved", "sza-li")]


def test_a_name_that_is_no_operator_is_refused_naming_the_operators(run, monkeypatch, county_db):
    monkeypatch.setenv("COUNTY_ACTOR", "tester")
    r = run(*ADD[:-1], ok=1)
    assert r.stderr == ("error: COUNTY_ACTOR='tester' is not an operator of this deployment; set COUNTY_ACTOR to one "
                        "of: fx-zhang (张某), sza-li (李某)\n")
    monkeypatch.delenv("COUNTY_ACTOR")
    r = run(*ADD[:-1], ok=1)
    assert r.stderr == ("error: no operator named: set COUNTY_ACTOR to one of this deployment's operators: "
                        "fx-zhang (张某), sza-li (李某)\n")
    # nothing was written; reading needs no identity
    assert run("case", "list", "--json").data == []
    import sqlite3
    assert sqlite3.connect(county_db).execute("select count(*) from events").fetchone() == (0,)


def test_the_python_api_checks_the_actor_it_is_given(make_county, monkeypatch):
    from framework.errors import Refusal

    county = make_county(mini_zhongjiang() + OPERATORS, now="2026-11-02T10:00")
    # make_county sets COUNTY_ACTOR=tester: not an operator
    with pytest.raises(Refusal, match=r"^COUNTY_ACTOR='tester' is not an operator"):
        county.add_case(title="路灯", method="taizhang", unit="zj.fx.llg", category="livelihood")
    county.actor = "fx-zhang"
    case = county.add_case(title="路灯", method="taizhang", unit="zj.fx.llg", category="livelihood")
    assert [e.actor for e in county.get_case(case.id).events] == ["fx-zhang"]
    assert county.ctx("taizhang").actor == "fx-zhang"


def test_without_an_operator_list_any_name_still_acts_and_init_warns(init_county, tmp_path, county_cli):
    cfg = tmp_path / "county.toml"
    cfg.write_text(mini_zhongjiang(), encoding="utf-8")
    r = county_cli("init", "--config", cfg)
    assert [line for line in r.stderr.splitlines() if "[operators]" in line] == [
        "warning: [operators]: none listed, so events record any name COUNTY_ACTOR gives (else [deployment] actor = "
        "'operator'); list the operators (docs/deployment.md) so every event names a known operator"]
    case = county_cli(*ADD).data
    assert [e["actor"] for e in case["events"]] == ["tester"]


def test_init_with_operators_does_not_warn(init_county, tmp_path, county_cli):
    cfg = tmp_path / "county.toml"
    cfg.write_text(mini_zhongjiang() + OPERATORS, encoding="utf-8")
    assert "[operators]" not in county_cli("init", "--config", cfg).stderr


def test_the_config_check_names_every_operator_problem(tmp_path, county_cli):
    cfg = tmp_path / "county.toml"
    text = mini_zhongjiang().replace('code = "zj"\n', 'code = "zj"\nactor = "boss"\n', 1) + """
[operators]
"fx zhang" = {name = "张某"}
wang = {name = "", unit = "zj.fx"}
zhao = {name = "赵某", unit = "zj.fxx"}
qian = {name = "钱某", unti = "zj.fx"}
sun = "孙某"
li = {name = "李某"}
"""
    cfg.write_text(text, encoding="utf-8")
    r = county_cli("config", "check", cfg, ok=2)
    lines = text.splitlines()
    SPACED = '"fx zhang"'

    def at(start):
        return next(i for i, line in enumerate(lines, 1) if line.startswith(start))

    assert sorted(r.stderr.splitlines()) == sorted([
        f"error: {cfg}:{at('actor')}: [deployment] actor = 'boss': not an operator of [operators] (operators: zhao, li)",
        f"error: {cfg}:{at(SPACED)}: [operators] fx zhang: an operator id is non-empty with no spaces (e.g. fx-zhang)",
        f"error: {cfg}:{at('wang')}: [operators] wang: name: must be non-empty text (the operator's name)",
        f"error: {cfg}:{at('qian')}: [operators] qian: unknown key(s) unti (did you mean unit?) (known: name, unit)",
        f"error: {cfg}:{at('sun')}: [operators] sun = '孙某': give a table {{name = \"…\", unit = \"…\"}}",
        f"error: {cfg}:{at('zhao')}: [operators] zhao: unit 'zj.fxx' is not a unit of this deployment (did you mean zj.fx?)",
    ])
    assert not (tmp_path / "county.db").exists()
