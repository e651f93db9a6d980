"""The HTML board in a real browser: headless Chromium (Debian's ``chromium`` package, installed
by .ci/run) loads it, the DOM has the Chinese title and the table, a screenshot and an A4 PDF
are kept in test-artifacts/ (gitignored), and the PDF has one page per unit."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from framework.publish import render
from test_board_fixture import build_month, new_county

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# A developer's machine without Chromium skips the browser tests; CI (CI=true, where .ci/run
# installs Debian's chromium) never does: there a missing browser fails the run.
needs_chromium = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                    reason="no chromium binary on PATH (apt-get install chromium)")
pytestmark = needs_chromium


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def month():
    county = new_county()
    build_month(county)
    return county


def write_page(county, units, name, period="2026-11") -> Path:
    boards = [b for u in units for b in county.boards(u, period)]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(render.render(boards, "html", county=county), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(month):
    return write_page(month, ["zj.fx.llg", "zj.hx.sq"], "board.html")


def pdf_pages(tmp_path, page: Path) -> tuple[int, set]:
    pdf = page.with_suffix(".pdf")
    pdf.unlink(missing_ok=True)
    r = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page\b", data)
    boxes = {tuple(round(float(x)) for x in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", data)}
    return len(pages), boxes


def test_chromium_renders_title_and_table(page, tmp_path):
    r = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    assert "<title>柳林沟村事项公示 等2项公示</title>" in dom
    assert re.findall(r"<h1>(.*?)</h1>", dom) == ["柳林沟村事项公示", "双桥村事项公示"]
    assert "单位：柳林沟村　期间：2026年11月　工作法：测试公示法" in dom
    assert "<th scope=\"col\">联系电话</th>" in dom
    assert "<td>zj-000002</td><td>修复村道路灯</td>" in dom
    assert "138****5678" in dom and "13812345678" not in dom


def test_screenshot_is_kept_and_not_blank(page, tmp_path):
    shot = ARTIFACTS / "board.png"
    shot.unlink(missing_ok=True)
    r = chromium(tmp_path, "--window-size=900,1400", f"--screenshot={shot}", page.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    import matplotlib.image

    pixels = matplotlib.image.imread(str(shot))
    assert pixels.shape[:2] == (1400, 900)
    assert pixels.std() > 0.05  # text and table lines, not an empty page
    assert (pixels[..., :3].mean(axis=2) < 0.3).mean() > 0.01  # a fair amount of dark ink


def test_prints_on_a4_with_a_page_break_between_units(month, tmp_path):
    # two short boards (a quiet month): together they would fit on one page, so two pages
    # means the template breaks the page between units
    pages, boxes = pdf_pages(tmp_path, write_page(month, ["zj.fx.dq", "zj.hx.sq"], "board-two-units.html", "2026-01"))
    assert pages == 2
    frame = write_page(month, ["zj.fx.dq", "zj.hx.sq"], "board-no-break.html", "2026-01")
    frame.write_text(frame.read_text(encoding="utf-8").replace("break-before: page; page-break-before: always;", ""),
                     encoding="utf-8")
    assert pdf_pages(tmp_path, frame)[0] == 1
    assert boxes in ({(0, 0, 595, 842)}, {(0, 0, 596, 843)})  # A4 in points
