"""Renderers for boards (already masked by the kernel): json, md, csv, html, xlsx.

Every public output passes through :meth:`framework.engine.County.boards`, which masks; the
renderers only lay out. CSV is UTF-8 with BOM so Excel/WPS open Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import json

from framework.models import Board, to_json


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "、".join(_cell(x) for x in v)
    return str(v)


def render(boards: list[Board], fmt: str, county=None) -> str | bytes:
    if fmt == "json":
        return json.dumps(to_json(boards), ensure_ascii=False, indent=2)
    if fmt == "md":
        return render_md(boards)
    if fmt == "csv":
        return render_csv(boards)
    if fmt == "html":
        return render_html(boards)
    if fmt == "xlsx":
        return render_xlsx(boards)
    raise ValueError(fmt)


def render_md(boards: list[Board]) -> str:
    out = []
    for b in boards:
        out.append(f"# {b.title}\n")
        for s in b.sections:
            out.append(f"## {s.title}\n")
            out.append("| " + " | ".join(label for _, label in s.columns) + " |")
            out.append("|" + "---|" * len(s.columns))
            for r in s.rows:
                out.append("| " + " | ".join(_cell(r.get(k)).replace("|", "\\|").replace("\n", " ") for k, _ in s.columns) + " |")
            if not s.rows:
                out.append("| " + " | ".join(["（无）"] + [""] * (len(s.columns) - 1)) + " |")
            out.append("")
        out.extend(f"> {n}" for n in b.notes)
    return "\n".join(out)


def render_csv(boards: list[Board]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    for b in boards:
        for s in b.sections:
            w.writerow(["公示", "栏目"] + [label for _, label in s.columns])
            for r in s.rows:
                w.writerow([b.title, s.title] + [_cell(r.get(k)) for k, _ in s.columns])
    return buf.getvalue()


def render_html(boards: list[Board]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("framework", "templates"), autoescape=select_autoescape())
    env.filters["cell"] = _cell
    return env.get_template("board.html").render(boards=boards)


def render_xlsx(boards: list[Board]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for i, b in enumerate(boards):
        for j, s in enumerate(b.sections):
            ws = wb.create_sheet(f"{i + 1}-{j + 1} {s.title}"[:31].replace("/", "-"))
            ws.append([b.title])
            ws.append([label for _, label in s.columns])
            for r in s.rows:
                ws.append([_cell(r.get(k)) for k, _ in s.columns])
    if not wb.sheetnames:
        wb.create_sheet("空")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
