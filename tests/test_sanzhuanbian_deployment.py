"""sanzhuanbian's contact network in the county file (``[[sanzhuanbian.households]]``, ``links``,
``pairs``; casebook L110), loaded by ``county init`` through the plugin's own functions: the same
rules as the commands (1-5 households per cadre, one cadre per household, 1 + 1 for an agency
party cadre, one village per department), every refused row named with its line, nothing written."""

from __future__ import annotations

from pathlib import Path

import plugins.contrib.sanzhuanbian

TOML = (Path(plugins.contrib.sanzhuanbian.__file__).parent / "data" / "wushi.toml").read_text(encoding="utf-8")
M = "sanzhuanbian"


def household(hid, unit, *flags):
    flag_line = f"flags = {list(flags)!r}\n".replace("'", '"') if flags else ""
    return f'\n[[sanzhuanbian.households]]\nid = "{hid}"\nunit = "{unit}"\n{flag_line}'


def link(hid, cadre, kind="contact"):
    return f'\n[[sanzhuanbian.links]]\nhousehold = "{hid}"\ncadre = "{cadre}"\nkind = "{kind}"\n'


NETWORK = (household("c1-h1", "ws.ahy.c1", "needy") + household("cb-h1", "ws.wsz.cb") + household("c2-h1", "ws.ahy.c2")
           + link("c1-h1", "nyj-01") + link("cb-h1", "nyj-02", "mutual_aid")
           + '\n[[sanzhuanbian.pairs]]\ndepartment = "ws.nyj"\nvillage = "ws.ahy.c1"\n')


def test_the_network_from_the_county_file(county_cli, tmp_path):
    cfg = tmp_path / "county.toml"
    cfg.write_text(TOML + NETWORK, encoding="utf-8")
    out = county_cli("init", "--config", cfg, "--now", "2024-09-01T09:00").stdout
    assert "载入 sanzhuanbian：households 3 条；links 2 条；pairs 1 条" in out
    gaps = county_cli(M, "network", "--now", "2024-09-02T09:00", "--json").data
    assert [(g["kind"], g["subject"]) for g in gaps] == [
        ("household_without_cadre", "c2-h1"), ("agency_rural", "nyj-02"), ("cadre_below_quota", "slj-01"),
        ("department_unpaired", "ws.slj")]
    # the file again, with c1-h1 handed to 吐某: one link changed, the rest unchanged
    cfg.write_text(TOML + NETWORK.replace('household = "c1-h1"\ncadre = "nyj-01"', 'household = "c1-h1"\ncadre = "slj-01"'),
                   encoding="utf-8")
    out = county_cli("init", "--config", cfg, "--update", "--now", "2024-09-05T09:00").stdout
    assert ("sanzhuanbian：households 新增 0，变更 0，未变 3；links 新增 0，变更 1，未变 1；"
            "pairs 新增 0，变更 0，未变 1") in out
    case = county_cli("case", "add", "--method", M, "--unit", "ws.ahy.c1", "--title", "房屋漏雨", "--set",
                      "household=c1-h1", "--now", "2024-09-06T09:00", "--json").data
    assert (case["handler"], case["joint_unit"]) == ("slj-01", "ws.nyj")


def test_a_sixth_household_in_the_file_is_refused_with_its_line(county_cli, tmp_path):
    text = TOML + NETWORK + "".join(household(f"c1-h{i}", "ws.ahy.c1") + link(f"c1-h{i}", "nyj-01") for i in range(2, 7))
    cfg = tmp_path / "county.toml"
    cfg.write_text(text, encoding="utf-8")
    r = county_cli("init", "--config", cfg, "--now", "2024-09-01T09:00", ok=2)
    line = text[:text.index('household = "c1-h6"\ncadre')].count("\n")   # the [[sanzhuanbian.links]] header's line
    assert r.stderr.strip() == (f"error: {cfg}:{line}: [[sanzhuanbian.links]] #7: --cadre nyj-01: 艾某 already keeps "
                                f"contact with 5 households (L110 每名干部联系1-5户农户)")
    assert not (tmp_path / "county.db").exists()
