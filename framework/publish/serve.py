"""`county serve`: a read-only web board over a masked snapshot of the county database.

The web server never opens the working database. :func:`build_public_db` writes a separate
SQLite file holding only public data, every string of it passed through the same masking as the
printed boards (:meth:`County.boards` and :mod:`framework.publish.masking`):

* ``boards`` — one row per board (method, unit, period, title, notes);
* ``board_rows`` — one row per board row: which board and section, and ``content``, a JSON
  object of the row's cells keyed by the section's Chinese column labels;
* ``cases`` — the public fields (id, method, unit, tier, status, title, category, dates,
  satisfaction, and the sign-off progress ``签字 N/M`` and attachment count ``附件 N 件`` —
  never a party's name, an attachment's URL, path, checksum or caption) of exactly the cases the published boards list, titles masked with the
  requester's stored data and the free-text rules; no requester, description or event notes,
  and no case of another period;
* ``appraisal`` — the metric rows of ``county appraise`` for each period.

Every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR
first) is stored neutralised (:func:`framework.publish.outputs.neutralise`): datasette offers
every table as CSV, so the snapshot is a CSV writer too (issue 15).

:func:`serve` then starts datasette (the ``serve`` extra: ``pip install 'county-methods[serve]'``) on that
file as an immutable database, with arbitrary SQL switched off, titled in Chinese.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from framework.errors import CountyError
from framework.models import STATUS_ZH, attachments_label, to_json
from framework.publish.masking import mask_value, requester_secrets
from framework.publish.outputs import atomic_target, check_target, neutralise, protected, write_file
from framework.publish.render import cell, period_label


def build_public_db(county, path: str | Path, periods: list[str], units: list[str] | None = None, *,
                    force: bool = True, protect: list[str] | None = None) -> dict:
    """Write the masked snapshot to ``path``.

    ``periods``: periods to publish (``2026-11``, ``2026Q4``, ``2026``); ``units``: unit codes
    whose boards to publish (default: every unit). The ``cases`` table holds exactly the cases
    that the published boards list (a row's ``case_id``), titles masked; a case of another
    period is not published. ``force``: replace an existing file (the CLI passes ``--force``);
    ``protect``: real paths never written (default: the open database and its -wal/-shm). The
    file is built beside the target and renamed over it (:func:`framework.publish.outputs.atomic_target`).
    Returns counts per table. Raises CountyError/NotFound for a bad period or unit, CountyError
    for a target that is the database or exists without ``force``.
    """
    path = Path(path)
    protect = protected(county.store.path) if protect is None else protect
    check_target(path, force=force, protect=protect, option="--out-dir")
    codes = units or sorted(county.units)
    for code in codes:
        county.unit(code)
    boards, board_rows, metrics = [], [], []
    case_ids: dict[str, None] = {}  # the cases the boards list, in order
    seen: set[tuple] = set()
    for period in periods:
        for code in codes:
            for b in county.boards(code, period):
                key = (b.method, b.unit, b.period, b.title)
                if key in seen:  # a parent's boards may repeat a child's
                    continue
                seen.add(key)
                board_id = len(boards) + 1
                boards.append({"id": board_id, "method": b.method, "unit": b.unit,
                               "unit_name": county.units[b.unit].name if b.unit in county.units else b.unit,
                               "period": b.period, "period_label": period_label(b.period), "title": b.title,
                               "notes": "\n".join(b.notes)})
                for s in b.sections:
                    for i, r in enumerate(s.rows, start=1):
                        if r.get("case_id"):
                            case_ids.setdefault(str(r["case_id"]), None)
                        board_rows.append({"board_id": board_id, "section": s.title, "seq": i,
                                           "case_id": r.get("case_id"),
                                           "content": json.dumps({label: cell(r.get(k)) for k, label in s.columns},
                                                                 ensure_ascii=False)})
        for m in county.appraise(period):
            row = to_json(m)
            row["label"] = mask_value(row.get("label"), {})
            metrics.append(row)
    cases = [_public_case(c) for c in _listed_cases(county, case_ids)]
    boards, board_rows, cases, metrics = ([{k: neutralise(v) for k, v in r.items()} for r in rows]
                                          for rows in (boards, board_rows, cases, metrics))
    with atomic_target(path, force=force, protect=protect, option="--out-dir") as tmp:
        tmp.unlink()  # sqlite writes a fresh file
        db = sqlite_utils.Database(sqlite3.connect(str(tmp)))
        try:  # every table exists, empty ones too (a period without cases)
            db["boards"].create({"id": int, "method": str, "unit": str, "unit_name": str, "period": str,
                                 "period_label": str, "title": str, "notes": str}, pk="id")
            db["boards"].insert_all(boards)
            db["board_rows"].create({"board_id": int, "section": str, "seq": int, "case_id": str, "content": str},
                                    foreign_keys=[("board_id", "boards", "id")])
            db["board_rows"].insert_all(board_rows)
            db["cases"].create({k: str for k in CASE_COLUMNS}, pk="id")
            db["cases"].insert_all(cases)
            db["appraisal"].create({"metric": str, "subject": str, "value": float})
            db["appraisal"].insert_all(metrics, alter=True)
            db.conn.commit()
        finally:
            db.conn.close()
    return {"boards": len(boards), "board_rows": len(board_rows), "cases": len(cases), "appraisal": len(metrics)}


def _listed_cases(county, case_ids: dict[str, None]) -> list:
    """The cases whose ids the boards list (ids that are not cases, e.g. a method's own
    records, are skipped)."""
    out = []
    for cid in case_ids:
        try:
            out.append(county.get_case(cid))
        except CountyError:
            continue
    return out


#: The public columns of a case in the snapshot (no requester, description or event notes).
CASE_COLUMNS = ("id", "method", "unit", "level", "status", "status_zh", "title", "category", "channel", "created_at",
                "due_at", "resolved_at", "resolved_level", "satisfaction", "signoff", "attachments")


def _public_case(c) -> dict:
    """One case's public fields, its title, category and channel (free text to the kernel: an
    import may carry anything there) masked with its requester's stored data."""
    r = c.requester
    secrets = requester_secrets(r.name, r.phone, r.id_number, r.address, r.anonymous)
    return {"id": c.id, "method": c.method, "unit": c.unit, "level": c.level,
            "status": c.status, "status_zh": STATUS_ZH.get(c.status, c.status),
            "title": mask_value(c.title, secrets), "category": mask_value(c.category, secrets),
            "channel": mask_value(c.channel, secrets),
            "created_at": c.created_at.isoformat() if c.created_at else None,
            "due_at": c.due_at.isoformat() if c.due_at else None,
            "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
            "resolved_level": c.resolved_level, "satisfaction": c.satisfaction,
            "signoff": c.signoff.label if c.signoff else None,
            "attachments": attachments_label(len(c.attachments)) if c.attachments else None}


def datasette_metadata(county) -> dict:
    """Datasette metadata: Chinese titles and a note that the data are masked."""
    return {
        "title": f"{county.deployment.name}公开栏",
        "description": "公示数据（个人信息已按规定脱敏；只读）",
        "databases": {"public": {"tables": {
            "boards": {"title": "公示栏"}, "board_rows": {"title": "公示内容"},
            "cases": {"title": "事项办理进度"}, "appraisal": {"title": "考评指标"},
        }}},
    }


def datasette_command(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    """The command line that serves the snapshot: immutable, no arbitrary SQL."""
    return [sys.executable, "-m", "datasette", "serve", "-i", str(db_path), "--metadata", str(metadata_path),
            "--host", host, "--port", str(port), "--setting", "default_allow_sql", "off"]


def serve(county, out_dir: str | Path, periods: list[str], host: str, port: int, *, run: bool = True,
          force: bool = False) -> dict:
    """Build ``public.db`` and ``metadata.json`` in ``out_dir`` (created when missing) and
    (``run``) start datasette on them, blocking until it stops. Neither file may be the open
    database, and an existing one is replaced only with ``force`` (``--force``): both are
    checked before any work, then each is written atomically. Returns the counts, paths and the
    command. Raises CountyError when a target is refused or datasette is not installed."""
    out = Path(out_dir)
    db_path = out / "public.db"
    meta = out / "metadata.json"
    protect = protected(county.store.path)
    if out.exists() and not out.is_dir():
        raise CountyError(f"--out-dir {out_dir}: is a file, not a folder")
    if out.is_dir():
        for target in (db_path, meta):
            check_target(target, force=force, protect=protect, option="--out-dir")
    out.mkdir(parents=True, exist_ok=True)
    counts = build_public_db(county, db_path, periods, force=force, protect=protect)
    write_file(meta, json.dumps(datasette_metadata(county), ensure_ascii=False, indent=2),
               force=True, protect=protect, option="--out-dir")
    cmd = datasette_command(db_path, meta, host, port)
    result = {"db": str(db_path), "metadata": str(meta), "counts": counts, "command": cmd,
              "url": f"http://{host}:{port}/public"}
    if run:
        run_datasette(cmd)
    return result


def require_datasette() -> None:
    """CountyError (one line naming the extra) when datasette is not installed."""
    if importlib.util.find_spec("datasette") is None:
        raise CountyError("county serve needs datasette: pip install datasette (or the serve extra: "
                          "pip install 'county-methods[serve]'); --no-run only builds the snapshot")


def run_datasette(cmd: list[str]) -> int:
    """Run the datasette command (blocking). Raises CountyError when datasette is missing."""
    require_datasette()
    return subprocess.run(cmd, check=False).returncode
