"""Renderers for boards (公示栏/晒账): html, md, csv, xlsx, json.

Boards reach this module only through :meth:`framework.kernel.county.County.boards`, which masks
personal data (conventions §3); the renderers only lay out. Every method's board goes through
the same functions:

* ``html`` and ``md`` come from Jinja2 templates found on a search path (first match wins):

  1. directories given by the operator: ``county board --templates DIR`` (repeatable), the
     environment variable ``COUNTY_TEMPLATES`` (paths separated by ``os.pathsep``), and the
     deployment's ``templates`` setting when the deployment carries one;
  2. each installed method plugin's own ``templates/`` package directory, reachable under the
     method's name as prefix (``taizhang/board.html``), so a plugin can only restyle its own
     boards;
  3. the kernel's templates (``framework/publish/templates``).

  The page templates are ``board.html`` / ``board.md``; each board is rendered by the first
  of ``<method>/board.html`` and ``board_body.html`` (``.md`` likewise) that exists.
* ``csv`` is UTF-8 with a BOM and CRLF line ends, so Excel and WPS open the Chinese correctly.
* ``xlsx`` (openpyxl) has one sheet per board section, set up to print on A4.
* ``json`` is the masked boards as data (``framework.models.to_json``).

Every text cell of csv and xlsx goes through :func:`framework.publish.outputs.neutralise`: one
starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR gets a leading ``'`` so that no
spreadsheet runs it as a formula (numbers written as numbers stay numbers). In html every
value is escaped by Jinja2's autoescaping; in md by :func:`md_text` (headings, lines and table
cells alike).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

import attrs
from markupsafe import Markup

from framework.errors import CountyError
from framework.models import Board, to_json
from framework.publish.outputs import neutralise

FORMATS = ("html", "md", "csv", "json", "xlsx")
BINARY_FORMATS = ("xlsx",)
CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", '
             '"Microsoft YaHei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Songti SC", sans-serif')


# -- display helpers ---------------------------------------------------------------------------


def period_label(period: str) -> str:
    """Chinese label of a period: ``2026-11`` -> ``2026年11月``, ``2026Q4`` -> ``2026年第四季度``,
    ``2026H1`` / ``2026H2`` -> ``2026年上半年`` / ``2026年下半年``, ``2026`` -> ``2026年``,
    ``2026-11-02`` -> ``2026年11月2日``; anything else unchanged."""
    p = str(period).strip()
    if re.fullmatch(r"\d{4}", p):
        return f"{p}年"
    m = re.fullmatch(r"(\d{4})[Hh]([12])", p)
    if m:
        return f"{m.group(1)}年{'上下'[int(m.group(2)) - 1]}半年"
    m = re.fullmatch(r"(\d{4})[Qq]([1-4])", p)
    if m:
        return f"{m.group(1)}年第{'一二三四'[int(m.group(2)) - 1]}季度"
    m = re.fullmatch(r"(\d{4})-(\d{2})", p)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}月"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", p)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
    return p


def cell(v: Any) -> str:
    """One value as display text: None -> ``""``, bool -> 是/否, float without trailing
    zeros, list -> items joined by 、, datetime (or a whole-cell ISO 8601 instant string) ->
    ``YYYY-MM-DD HH:MM`` in its own offset, dict -> ``k: v`` pairs."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return "、".join(cell(x) for x in v)
    if isinstance(v, dict):
        return "；".join(f"{k}: {cell(x)}" for k, x in v.items())
    if isinstance(v, str) and _ISO_INSTANT.match(v):
        return v[:10] + " " + v[11:16]
    return str(v)


_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$")


#: A column with a cell longer than this (characters, as displayed) is a free-text column: in
#: HTML it gets a fixed share of the table's width and wraps anywhere (board_body.html), so a
#: very long title cannot squeeze the other columns to one character per line.
LONG_CELL = 24


#: A column whose cells are all at most this long (ids, dates, statuses) is not wrapped in HTML.
SHORT_CELL = 10


def long_columns(section) -> list[str]:
    """Keys of ``section``'s columns that hold long free text (any cell over ``LONG_CELL``
    characters once displayed)."""
    return [k for k, _ in section.columns if any(len(cell(r.get(k))) > LONG_CELL for r in section.rows)]


def short_columns(section) -> list[str]:
    """Keys of ``section``'s columns whose cells are all short (at most ``SHORT_CELL``
    characters: case ids, dates, statuses), kept on one line in HTML."""
    return [k for k, _ in section.columns if section.rows and all(len(cell(r.get(k))) <= SHORT_CELL for r in section.rows)]


def spreadsheet_cell(v: Any) -> Any:
    """One value for a CSV or XLSX cell: an int or float stays a number; anything else becomes
    its display text (:func:`cell`) passed through :func:`framework.publish.outputs.neutralise`
    (``=HYPERLINK(…)`` -> ``'=HYPERLINK(…)``, ``-2+3`` as text -> ``'-2+3``)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    return neutralise(cell(v))


@attrs.define
class BoardView:
    """A masked board plus what a template needs to title it in Chinese."""

    board: Board
    unit_name: str
    method_title: str
    period_label: str
    county_name: str = ""

    @property
    def subtitle(self) -> str:
        return f"单位：{self.unit_name}　期间：{self.period_label}　工作法：{self.method_title}"


@attrs.define
class RenderContext:
    """Where names and templates come from. ``county`` may be None (codes are shown as they
    are); ``template_dirs`` are the operator's directories, searched first; ``generated_at``
    is printed on the board (default: the county's ``now``)."""

    county: Any = None
    template_dirs: list[str] = attrs.Factory(list)
    generated_at: dt.datetime | None = None
    #: :func:`_render_template`'s Jinja2 environments by (markdown, search path): a template compiled once
    envs: dict = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def view(self, b: Board) -> BoardView:
        """``b`` with its unit, method and period named in Chinese (codes when unknown)."""
        c = self.county
        unit_name = c.units[b.unit].name if c is not None and b.unit in c.units else b.unit
        method_title = b.method
        if c is not None and b.method in c.registry.methods:
            method_title = c.registry.methods[b.method].title_zh
        county_name = c.deployment.name if c is not None else ""
        return BoardView(b, unit_name, method_title, period_label(b.period), county_name)

    def stamp(self) -> str:
        """The date printed as 公示日期 (``2026年11月30日``), or "" without a clock."""
        at = self.generated_at or (self.county.now() if self.county is not None else None)
        return at.strftime("%Y年%m月%d日") if at else ""

    def search_dirs(self) -> list[str]:
        """Operator template directories in search order; CountyError when one is missing."""
        dirs = list(self.template_dirs)
        env = os.environ.get("COUNTY_TEMPLATES")
        if env:
            dirs += [d for d in env.split(os.pathsep) if d]
        dep = getattr(self.county, "deployment", None)
        extra = getattr(dep, "templates", None) if dep is not None else None
        if extra:
            dirs += [extra] if isinstance(extra, str) else list(extra)
        for d in dirs:
            if not Path(d).is_dir():
                raise CountyError(f"--templates {d}: no such directory")
        return dirs

    def plugin_dirs(self) -> dict[str, str]:
        """``{method: its plugin's templates/ directory}`` for installed plugins that ship one."""
        out = {}
        reg = getattr(self.county, "registry", None)
        for name, module in (getattr(reg, "modules", None) or {}).items():
            f = getattr(module, "__file__", None)
            if f and (Path(f).parent / "templates").is_dir():
                out[name] = str(Path(f).parent / "templates")
        return out


def template_env(ctx: RenderContext | None = None, *, markdown: bool = False):
    """The Jinja2 environment with the search path of the module docstring.

    HTML (``markdown=False``): autoescaping on for every template, whatever its name (html, svg).
    ``markdown=True``: HTML autoescaping off, and every ``{{ … }}`` escaped for Markdown instead
    (:func:`md_text`, through the environment's ``finalize``; headings and notes too). Raises
    CountyError when an operator's template directory does not exist.
    """
    # jinja2 (~15 ms) is loaded by the renderers that use it, not by every command
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined

    ctx = ctx or RenderContext()
    loaders = [FileSystemLoader(ctx.search_dirs())]
    plugin = ctx.plugin_dirs()
    if plugin:
        loaders.append(PrefixLoader({name: FileSystemLoader(d) for name, d in plugin.items()}))
    loaders.append(PackageLoader("framework.publish", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=not markdown, undefined=StrictUndefined,
                      trim_blocks=markdown, lstrip_blocks=markdown, keep_trailing_newline=True,
                      **({"finalize": _md_finalize} if markdown else {}))
    env.filters["cell"] = (lambda v: md_cell(cell(v))) if markdown else cell
    env.filters["mdrow"] = md_row
    env.filters["mdheader"] = md_header
    env.filters["pct"] = pct
    env.filters["px"] = px
    env.globals["long_columns"] = long_columns
    env.globals["short_columns"] = short_columns
    env.globals["CJK_FONTS"] = Markup(CJK_FONTS)
    return env


class MdText(str):
    """Text already escaped for Markdown (the ``cell``/``mdrow``/``mdheader`` filters' results):
    the Markdown environment's finalizer leaves it as it is."""


_MD_ESCAPE = str.maketrans({"\\": "\\\\", "`": "\\`", "[": "\\[", "]": "\\]",
                            "|": "\\|", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " ",
                            "\u2028": " ", "\u2029": " "})


def md_text(text: Any) -> MdText:
    """``text`` (any value; shown as :func:`cell` shows it) escaped for one line of Markdown —
    a heading, a paragraph, a quote or a table cell: backslash, backtick, ``[``, ``]`` (no link
    or image) and ``|`` get a backslash, ``<``/``>`` become ``&lt;``/``&gt;`` (no raw HTML such as
    ``<script>`` reaches the page), line breaks become spaces (a value cannot start a new
    line, heading or table row), and a leading block marker (``#``, ``- ``, ``+ ``, ``==``,
    ``~~``, ``1. ``) gets a backslash (a value cannot open a block)."""
    out = (text if isinstance(text, str) else cell(text)).translate(_MD_ESCAPE)
    m = _MD_BLOCK_START.match(out)
    if m:  # escape the marker itself: "\# x", "\- x", "1\. x"
        at = m.end(1) if m.group(2) else m.end(3)
        out = out[:at] + "\\" + out[at:]
    return MdText(out)


#: A line start that would open a Markdown block: a heading, a list item, a rule or setext
#: underline, a fence (``#``, ``-``/``+``/``=``/``~`` followed by a space, itself or the end), or
#: an ordered list item (``1.`` / ``1)`` followed by a space or the end).
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#+=~-])(?=\s|\2|$)|(\d+)(?=[.)](?:\s|$)))")


def md_cell(text: str) -> MdText:
    """Escape text for one Markdown table cell (:func:`md_text`)."""
    return md_text(text)


def _md_finalize(value: Any) -> Any:
    """The Markdown environment's finalizer: every ``{{ … }}`` of a Markdown template is
    escaped by :func:`md_text` unless a filter already escaped it (:class:`MdText`)."""
    return value if isinstance(value, MdText) else md_text(cell(value))


def md_row(row: dict, columns: list[tuple[str, str]]) -> MdText:
    """One Markdown table row of ``row``'s values in ``columns`` order."""
    return MdText("| " + " | ".join(md_cell(cell(row.get(k))) for k, _ in columns) + " |")


def md_header(columns: list[tuple[str, str]]) -> MdText:
    """The Markdown header and rule lines of a table with ``columns``."""
    return MdText("| " + " | ".join(md_cell(label) for _, label in columns) + " |\n|" + "---|" * len(columns))


def pct(v: float | None, digits: int = 1) -> str:
    """A rate as a percentage, or ``—`` when it is None (zero denominator)."""
    return "—" if v is None else f"{v * 100:.{digits}f}%"


def px(v: float) -> str:
    """A coordinate for SVG: at most one decimal, no trailing zeros (``12.0`` -> ``12``)."""
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _render_template(name: str, ctx: RenderContext, markdown: bool, **data) -> str:
    from jinja2 import TemplateError, TemplateNotFound  # loaded with the environment (template_env)

    key = (markdown, tuple(ctx.search_dirs()))  # a directory gone missing still fails here
    env = ctx.envs.get(key)
    if env is None:
        env = ctx.envs[key] = template_env(ctx, markdown=markdown)
    try:
        return env.get_template(name).render(**data)
    except TemplateNotFound as e:
        raise CountyError(f"template {e.name!r} not found on the template path") from None
    except TemplateError as e:
        where = f"{getattr(e, 'filename', None) or getattr(e, 'name', None) or name}"
        line = f": line {e.lineno}" if getattr(e, "lineno", None) else ""
        raise CountyError(f"template {where}{line}: {e.message if hasattr(e, 'message') else e}") from None


# -- the formats -------------------------------------------------------------------------------


def render(boards: list[Board], fmt: str, county=None, *, template_dirs: Iterable[str] = (),
           generated_at: dt.datetime | None = None) -> str | bytes:
    """Render masked boards in one format.

    ``boards``: from :meth:`County.boards`; ``fmt``: one of :data:`FORMATS`; ``county``: the
    open County (for Chinese unit and method names, plugin templates, the date), or None;
    ``template_dirs``: operator template directories searched first. Returns text (bytes for
    xlsx). Raises CountyError for an unknown format, a missing template directory or a
    broken template.
    """
    ctx = RenderContext(county, list(template_dirs), generated_at)
    if fmt == "json":
        return render_json(boards)
    if fmt == "md":
        return render_md(boards, ctx)
    if fmt == "csv":
        return render_csv(boards, ctx)
    if fmt == "html":
        return render_html(boards, ctx)
    if fmt == "xlsx":
        return render_xlsx(boards, ctx)
    raise CountyError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")


def render_json(boards: list[Board]) -> str:
    """The boards as one JSON document (a list of boards with sections, columns and rows)."""
    return json.dumps(to_json(boards), ensure_ascii=False, indent=2, default=str)


def render_md(boards: list[Board], ctx: RenderContext | None = None) -> str:
    """Markdown: a ``#`` heading per board, a ``##`` heading and a pipe table per section."""
    ctx = ctx or RenderContext()
    return _render_template("board.md", ctx, True, views=[ctx.view(b) for b in boards], stamp=ctx.stamp())


def render_html(boards: list[Board], ctx: RenderContext | None = None) -> str:
    """A standalone HTML page for A4 printing: one table per section, each board (and so
    each unit) starting on a new page, CJK font fallback chain."""
    ctx = ctx or RenderContext()
    return _render_template("board.html", ctx, False, views=[ctx.view(b) for b in boards], stamp=ctx.stamp())


def render_csv(boards: list[Board], ctx: RenderContext | None = None) -> str:
    """CSV for Excel/WPS: UTF-8 with BOM, CRLF. Each section is a header row
    (公示栏, 单位, 期间, 栏目, then the section's column labels) followed by its rows, and a
    blank row between sections."""
    ctx = ctx or RenderContext()
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    first = True
    for b in boards:
        v = ctx.view(b)
        for s in b.sections:
            if not first:
                w.writerow([])
            first = False
            w.writerow([neutralise(x) for x in ["公示栏", "单位", "期间", "栏目"] + [label for _, label in s.columns]])
            for r in s.rows:
                w.writerow([_csv_cell(x) for x in
                            [b.title, v.unit_name, v.period_label, s.title] + [r.get(k) for k, _ in s.columns]])
    return buf.getvalue()


def _csv_cell(v: Any) -> str:
    """A CSV cell: a number as its display text (:func:`cell`: ``1.5``, ``-3``; not text, so not
    neutralised), anything else through :func:`spreadsheet_cell`."""
    out = spreadsheet_cell(v)
    return cell(out) if isinstance(out, (int, float)) else out


def _sheet_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", text).strip("'") or "公示"
    name, i = base[:31], 2
    while name in taken:
        suffix = f"({i})"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    taken.add(name)
    return name


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def write_sheet(ws, title: str, subtitle: str, header: list[str], rows: list[list[Any]],
                number_formats: dict[int, str] | None = None) -> None:
    """Lay out one printable sheet: a bold title row, a subtitle row, a header row (frozen,
    repeated on every printed page), the rows; A4, fit to page width, column widths by content.
    Every value goes through :func:`spreadsheet_cell` (numbers stay numbers, text is neutralised)
    and strings are stored as text, never as formulas."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # optional heavy dependency
    from openpyxl.utils import get_column_letter

    ncol = max(len(header), 1)
    append_row(ws, [title])
    append_row(ws, [subtitle])
    append_row(ws, header)
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    thin = Side(style="thin", color="333333")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c in ws[3]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="EEEEEE")
        c.border = border
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(h) for h in header]
    for row in rows:
        append_row(ws, row)
        for j, c in enumerate(ws[ws.max_row]):
            c.border = border
            c.alignment = Alignment(vertical="top", wrap_text=True)
            if number_formats and j in number_formats and isinstance(c.value, (int, float)):
                c.number_format = number_formats[j]
            if j < len(widths):
                widths[j] = max(widths[j], min(_width(cell(c.value)), 60))
    for j, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = max(8, w + 2)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


#: Characters one XLSX cell holds (Excel's limit); a longer text is cut with :data:`XLSX_CUT`.
XLSX_CELL_CHARS = 32_767
XLSX_CUT = "…（超出单元格上限，已截断）"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_cell(v: Any) -> Any:
    """One XLSX cell: as :func:`spreadsheet_cell`, but text first loses the control characters
    XML cannot hold (openpyxl refused the workbook; \\v and \\f, from Word, become line breaks)
    and is cut to Excel's :data:`XLSX_CELL_CHARS` with :data:`XLSX_CUT`; then neutralised."""
    if v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return v
    text = _XML_ILLEGAL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", cell(v))
    if len(text) > XLSX_CELL_CHARS:
        text = text[:XLSX_CELL_CHARS - len(XLSX_CUT) - 1] + XLSX_CUT
    return neutralise(text)


def append_row(ws, values: list[Any]) -> None:
    """Append one row to the openpyxl sheet ``ws``: None stays an empty cell, every other value
    goes through :func:`xlsx_cell` (neutralised, control characters dropped, cut to Excel's cell
    limit), and text cells are typed as strings (openpyxl would otherwise store a string
    starting with ``=`` as a formula)."""
    ws.append([None if x is None else xlsx_cell(x) for x in values])
    for c in ws[ws.max_row]:
        if isinstance(c.value, str):
            c.data_type = "s"


def render_xlsx(boards: list[Board], ctx: RenderContext | None = None) -> bytes:
    """An .xlsx workbook: one sheet per board section (named after the section), laid out by
    :func:`write_sheet`. Numbers stay numbers; everything else is text. An empty board list
    gives one sheet saying 本期无公示内容."""
    from openpyxl import Workbook  # optional heavy dependency: loaded only for .xlsx output

    ctx = ctx or RenderContext()
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    several_units = len({b.unit for b in boards}) > 1
    for b in boards:
        v = ctx.view(b)
        for s in b.sections:
            ws = wb.create_sheet(_sheet_name(f"{v.unit_name}-{s.title}" if several_units else s.title, taken))
            write_sheet(ws, b.title, v.subtitle, [label for _, label in s.columns],
                        [[r.get(k) for k, _ in s.columns] for r in s.rows])
            for note in b.notes:
                append_row(ws, [note])
    if not wb.sheetnames:
        ws = wb.create_sheet("公示")
        ws.append(["本期无公示内容"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
