"""Regressions found by a new-user tester in the CLI contract (conventions §4):

* ``--json`` with ``--out`` writes the requested format to the file and prints exactly one JSON
  document (``board``, ``appraise``);
* every error with ``--json`` (exit 1 or 2, ours or click's) prints exactly one JSON document
  ``{"error": …, "exit_code": N}`` on stdout besides the one-line ``error: …`` on stderr;
* ``--out`` into a missing folder is one line naming the path;
* a title is at most 200 characters, and the HTML board keeps other columns readable next to
  a long one;
* no ``None`` in human output (a method without an escalation chain).
"""

import json
import re
import subprocess

import pytest

from deployments import mini_zhongjiang  # noqa: E402

TOML = mini_zhongjiang(("taizhang", "daiban"))

NOW = "2026-11-02T10:00"


@pytest.fixture
def run(init_county):
    return init_county(TOML)


def add(run, title, method="taizhang", *extra):
    args = ["case", "add", "--method", method, "--unit", "zj.fx.llg", "--title", title, "--now", NOW, "--json"]
    if method == "taizhang":
        args += ["--category", "livelihood"]
    return run(*args, *extra).data


def one_json(result) -> dict:
    """stdout is exactly one JSON document (json.loads refuses anything after it)."""
    return json.loads(result.stdout)


# -- --json with --out ---------------------------------------------------------------------------


def test_board_html_out_with_json_writes_html_and_prints_one_summary(run, tmp_path):
    add(run, "3组门前积水")
    out = tmp_path / "x.html"
    r = run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "html", "--out", out,
            "--json", "--now", NOW)
    assert one_json(r) == {"out": str(out), "format": "html", "boards": 2}
    assert r.stderr == ""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "3组门前积水" in html


def test_board_without_out_still_prints_the_boards_as_json(run):
    add(run, "3组门前积水")
    boards = run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "html", "--json",
                 "--now", NOW).data
    assert [b["method"] for b in boards] == ["taizhang", "daiban"]


def test_board_md_out_without_json_says_what_it_wrote(run, tmp_path):
    out = tmp_path / "b.md"
    r = run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "md", "--out", out, "--now", NOW)
    assert r.stdout == f"已写入 {out}（公示栏 2 块，md）\n"
    assert out.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("fmt, head", [("html", b"<!doctype html>"), ("xlsx", b"PK"), ("table", None)])
def test_appraise_out_with_json_writes_the_format_and_prints_one_summary(run, tmp_path, fmt, head):
    add(run, "3组门前积水")
    out = tmp_path / f"a.{fmt}"
    r = run("appraise", "--period", "2026-11", "--format", fmt, "--out", out, "--json", "--now", NOW)
    doc = one_json(r)
    assert set(doc) == {"out", "format", "rows", "metrics"}
    assert (doc["out"], doc["format"]) == (str(out), fmt)
    assert doc["rows"] > 0 and doc["metrics"] > 0
    data = out.read_bytes()
    if head:
        assert data.startswith(head)
    else:
        assert "考评" in data.decode("utf-8")


def test_appraise_json_without_out_prints_the_metrics(run):
    add(run, "3组门前积水")
    metrics = run("appraise", "--period", "2026-11", "--json", "--now", NOW).data
    assert isinstance(metrics, list) and {"metric", "subject", "method"} <= set(metrics[0])


# -- errors with --json ----------------------------------------------------------------------------


def test_bad_input_with_json_prints_one_error_document(run):
    r = run("case", "add", "--method", "nope", "--unit", "zj", "--title", "x", "--json", ok=2)
    msg = "--method: 'nope' is not enabled in this deployment (enabled: taizhang, daiban)"
    assert one_json(r) == {"error": msg, "exit_code": 2}
    assert r.stderr == f"error: {msg}\n"


def test_unknown_case_with_json(run):
    r = run("case", "show", "zj-999999", "--json", ok=2)
    msg = "unknown case 'zj-999999' (see `county case list`)"
    assert one_json(r) == {"error": msg, "exit_code": 2}
    assert r.stderr == f"error: {msg}\n"


def test_refusal_with_json_prints_one_error_document_with_exit_1(run):
    cid = add(run, "3组门前积水")["id"]
    run("case", "resolve", cid, "--note", "已处理", "--now", NOW)
    run("case", "confirm", cid, "--satisfaction", "satisfied", "--now", NOW)
    r = run("case", "confirm", cid, "--satisfaction", "satisfied", "--now", NOW, "--json", ok=1)
    doc = one_json(r)
    assert doc["exit_code"] == 1 and doc["error"].startswith(f"case {cid} is ")
    assert r.stderr == f"error: {doc['error']}\n"


def test_usage_errors_click_finds_print_one_error_document(run):
    r = run("case", "add", "--method", "taizhang", "--unit", "zj", "--json", ok=2)
    doc = one_json(r)  # (the program is named "county" on the command line, "cli" under CliRunner)
    assert doc["exit_code"] == 2 and re.fullmatch(r"(county|cli) case add: Missing option '--title'\.", doc["error"])
    r = run("board", "--unit", "zj", "--period", "2026-11", "--format", "pdf", "--json", ok=2)
    doc = one_json(r)
    assert doc["exit_code"] == 2 and re.match(r"(county|cli) board: Invalid value for '--format': 'pdf'", doc["error"])
    r = run("nosuch", "--json", ok=2)
    doc = one_json(r)
    assert doc["exit_code"] == 2 and re.fullmatch(r"(county|cli): No such command 'nosuch'\.", doc["error"])
    # without --json nothing is printed on stdout
    assert run("nosuch", ok=2).stdout == ""


def test_plugin_commands_get_the_error_document_too(run):
    r = run("daiban", "card", "zj-999999", "--json", ok=2)
    msg = "unknown case 'zj-999999' (see `county case list`)"
    assert one_json(r) == {"error": msg, "exit_code": 2}
    assert r.stderr == f"error: {msg}\n"


# -- --out into a missing folder --------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "html"),
    ("appraise", "--period", "2026-11", "--format", "html"),
    ("export", "--format", "csv"),
])
def test_out_into_a_missing_folder_is_one_line_naming_the_path(run, args):
    path = "/nonexistent/dir/x.out"
    r = run(*args, "--out", path, "--now", NOW, ok=2)
    assert r.stderr == f"error: --out {path}: folder does not exist\n"
    assert r.stdout == ""
    r = run(*args, "--out", path, "--now", NOW, "--json", ok=2)
    assert one_json(r) == {"error": f"--out {path}: folder does not exist", "exit_code": 2}


# -- long titles ---------------------------------------------------------------------------------------


def test_title_over_200_characters_is_refused(run):
    assert add(run, "长" * 200)["title"] == "长" * 200
    r = run("case", "add", "--method", "taizhang", "--category", "livelihood", "--unit", "zj.fx.llg",
            "--title", "长" * 3085, "--now", NOW, ok=2)
    assert r.stderr == "error: --title: 3085 characters; a title is at most 200 (put the rest in --description)\n"
    r = run("case", "add", "--method", "taizhang", "--category", "livelihood", "--unit", "zj.fx.llg",
            "--title", "长" * 201, "--now", NOW, "--json", ok=2)
    assert one_json(r) == {"error": "--title: 201 characters; a title is at most 200 (put the rest in --description)",
                           "exit_code": 2}


def test_html_board_gives_a_long_title_column_a_share_and_keeps_short_columns_on_one_line(run, tmp_path):
    add(run, "村道" * 100)
    add(run, "路灯")
    out = tmp_path / "b.html"
    run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "html", "--out", out, "--now", NOW)
    html = out.read_text(encoding="utf-8")
    assert "th.long, td.long { overflow-wrap: anywhere; min-width: 8em; }" in html
    assert "td.short { white-space: nowrap; }" in html
    assert '<col class="long" style="width: 50.0%">' in html
    assert f'<td class="long">{"村道" * 100}</td>' in html
    assert '<td class="short">zj-000001</td>' in html
    assert '<td class="long">路灯</td>' in html


from test_board_browser import CHROMIUM, needs_chromium  # noqa: E402


@needs_chromium
@pytest.mark.parametrize("window", [720, 1200])
def test_a_3085_character_title_does_not_squeeze_other_columns_in_a_browser(tmp_path, window):
    from framework.publish import render
    from framework.models import Board, BoardSection
    from test_board_fixture import new_county

    county = new_county()
    cols = [("case_id", "编号"), ("date", "登记日期"), ("ledger", "台账"), ("title", "事项"), ("who", "诉求人"),
            ("channel", "收集渠道"), ("level", "当前办理层级"), ("status", "进展")]
    row = {"case_id": "zj-000001", "date": "2026-11-02", "ledger": "民生台账", "title": "积水" * 1542 + "水",
           "who": "张某", "channel": "走访", "level": "村(社区)", "status": "已登记"}
    board = Board("testboard", "测试", "zj.fx.llg", "2026-11", [BoardSection("本期", cols, [row])])
    html = render.render([board], "html", county=county).replace("</body>", (
        "<script>document.body.setAttribute('data-w', [...document.querySelectorAll('tr:first-child th')]"
        ".map(t => Math.round(t.getBoundingClientRect().width)).join(','))</script></body>"))
    page = tmp_path / "long.html"
    page.write_text(html, encoding="utf-8")
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--window-size={window},900", f"--user-data-dir={tmp_path / 'profile'}",
                        "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    widths = [int(w) for w in re.search(r'data-w="([^"]*)"', r.stdout).group(1).split(",")]
    title = widths.pop(3)
    # every other column at least 3 characters of 11pt text wide; ids and dates on one line
    assert min(widths) >= 55, widths
    assert widths[0] >= 75 and widths[1] >= 80, widths
    assert title >= 150, title


# -- no None in human output ------------------------------------------------------------------------


def test_method_without_escalation_chain_says_so_instead_of_none(run):
    cid = add(run, "代领物资", "daiban")["id"]
    shown = run("case", "show", cid, "--now", NOW).stdout
    assert "None" not in shown
    assert "  状态 已登记 registered，层级 -，单位 柳林沟村 zj.fx.llg，责任人 -\n" in shown
    r = run("case", "escalate", cid, "--now", NOW, ok=1)
    assert r.stderr == f"error: daiban has no escalation chain; case {cid} cannot be escalated\n"
    sweep = run("sweep", "--now", "2026-11-04T00:00").stdout
    assert sweep == (f"{cid}  时限已逾期：complete_and_reply（在乡镇能够办理的事项，24小时必须办结回复），"
                     "期限 2026-11-03T10:00:00+08:00；督办（无上报层级）\n"
                     "2026-11-04T00:00:00+08:00 督办：1 项\n")
    acts = run("sweep", "--now", "2026-11-05T00:00", "--json").data["actions"]
    assert acts == []
    shown = run("plugins", "show", "daiban").stdout
    assert "None" not in shown
    assert "层级：无（daiban 没有上报链，其事项不上报）\n" in shown


def test_last_tier_refusal_names_the_tier(run):
    cid = add(run, "3组门前积水")["id"]
    for _ in range(5):
        run("case", "escalate", cid, "--now", NOW)
    r = run("case", "escalate", cid, "--now", NOW, ok=1)
    assert r.stderr == (f"error: case {cid} is at the last tier of the taizhang chain (county_leadership); "
                        "it cannot be escalated further\n")


def test_case_show_names_status_tier_unit_and_events_in_chinese_with_their_codes(run):
    cid = add(run, "修路")["id"]
    # village limit: 5 calendar days from 11-02, so due 11-07 23:59:59; the sweep at 11-08 00:00 escalates
    run("sweep", "--now", "2026-11-08T00:00")
    shown = run("case", "show", cid, "--now", "2026-11-08T09:00").stdout.splitlines()
    assert shown[0] == f"{cid}  [台账工作法 taizhang] 修路"
    assert shown[1].startswith("  状态 已上报 escalated，层级 乡镇 township，单位 富兴镇 zj.fx，责任人 ")
    assert shown[2] == "  受理 2026-11-02T10:00:00+08:00，期限 2026-11-23T23:59:59+08:00"
    kinds = [line.split()[1:3] for line in shown[3:]]
    assert ["超期督办", "overdue"] in kinds and ["上报", "escalated"] in kinds and kinds[0] == ["登记", "registered"]
    data = run("case", "show", cid, "--now", "2026-11-08T09:00", "--json").data
    assert (data["status"], data["level"], data["unit"]) == ("escalated", "township", "zj.fx")


def test_case_show_names_a_methods_own_events_by_its_labels(run):
    """taizhang declares ``event_labels`` (replied → 乡镇答复); the kernel shows them beside the code."""
    cid = add(run, "修路")["id"]
    run("sweep", "--now", "2026-11-08T00:00")  # up to the township, whose reply the plugin records
    run("taizhang", "reply", cid, "--note", "已答复", "--now", "2026-11-09T09:00")
    shown = run("case", "show", cid, "--now", "2026-11-09T10:00").stdout.splitlines()
    assert any(line.split()[1:3] == ["乡镇答复", "replied"] for line in shown[3:]), shown
