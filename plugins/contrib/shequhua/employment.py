"""The village employment service station (农民就业服务工作站, L280, 鸭子河村): land-lost farmers'
personal files (失地农民个人档案), training costs reimbursed at actual cost up to 2000 yuan
(2000元以内费用实报实销), pension contributions paid half by the village, half by the farmer
(按照村里、个人各负担一半). Amounts in yuan, rounded to the fen (0.01).

A file holds a farmer's name: it is personal data and never appears on a board (boards count).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from framework import CountyError, Refusal

from . import service
from .rules import NAME



FEN = Decimal("0.01")  # amounts are kept in whole fen (分)

def files(ctx, code: str | None = None) -> list[dict]:
    """The land-lost farmers' files of village ``code``'s subtree (None: all), by village and number."""
    rows = ctx.db.query("select * from shequhua_files order by village, file_no")
    inside = set(ctx.subtree(code)) if code else None
    return [r for r in rows if inside is None or r["village"] in inside]


def open_file(ctx, code: str, file_no: str, name: str, note: str | None = None) -> dict:
    """Open land-lost farmer ``name``'s personal file ``file_no`` at village ``code`` (L280).
    Returns the row. ``CountyError`` for an empty number or name; ``Refusal`` for a number
    already used in the village."""
    service.village(ctx, code)
    if not (file_no or "").strip() or not (name or "").strip():
        raise CountyError("--file and --name: a file needs its number and the farmer's name (L280)")
    if ctx.db.count("shequhua_files", "village = ? and file_no = ?", [code, file_no]):
        raise Refusal(f"--file {file_no}: {ctx.units[code].name} already has that file")
    with ctx.transaction():
        ctx.db.insert("shequhua_files", {"village": code, "file_no": file_no, "name": name.strip(), "note": note,
                                         "opened_at": ctx.now, "opened_ts": ctx.now.timestamp()})
    return files(ctx, code)[[r["file_no"] for r in files(ctx, code)].index(file_no)]


def _amount(value, what: str) -> float:
    try:
        amount = round(float(value), 2)
    except (TypeError, ValueError):
        raise CountyError(f"{what} {value!r}: an amount in yuan, e.g. 1500 or 1500.50") from None
    if amount <= 0:
        raise CountyError(f"{what} {value!r}: more than 0 yuan")
    return amount


def reimburse(ctx, code: str, cost, file_no: str | None = None, note: str | None = None) -> dict:
    """Reimburse an employment-skills training cost of ``cost`` yuan at village ``code`` (L280):
    the actual cost up to ``training_cap_yuan`` (2000); above it the cap (``training_over_cap =
    "cap"``) or nothing (``"refuse"``: ``Refusal``). ``file_no``: the farmer's file, when there
    is one. Returns the row (``amount`` the cost, ``village_part`` the reimbursement,
    ``person_part`` what the farmer bears)."""
    service.village(ctx, code)
    amount = _amount(cost, "--cost")
    cap = float(ctx.settings["training_cap_yuan"])
    if amount > cap and ctx.settings["training_over_cap"] == "refuse":
        raise Refusal(f"--cost {amount:.2f}: above the {cap:.0f} yuan reimbursed at actual cost (2000元以内实报实销, "
                      f"L280; [plugins.{NAME}] training_over_cap = 'refuse')")
    paid = min(amount, cap)
    return _support(ctx, "training", code, file_no, amount, paid, round(amount - paid, 2), note)


def pension(ctx, code: str, file_no: str, premium, note: str | None = None) -> dict:
    """Pay land-lost farmer ``file_no``'s pension contribution ``premium`` (yuan) at village
    ``code``: ``pension_village_share`` (0.5) by the village, the rest by the farmer (村里、个人
    各负担一半, L280). Returns the row. ``Refusal`` without the farmer's file."""
    service.village(ctx, code)
    amount = _amount(premium, "--premium")
    if not ctx.db.count("shequhua_files", "village = ? and file_no = ?", [code, file_no or ""]):
        raise Refusal(f"--file {file_no}: no land-lost farmer's file at {ctx.units[code].name} (失地农民个人档案, L280)")
    return _support(ctx, "pension", code, file_no, amount, *_split_fen(amount, ctx.settings["pension_village_share"]),
                    note)


def _split_fen(amount: float, village_share: float) -> tuple[float, float]:
    """``(village part, person part)`` of ``amount`` yuan in whole fen, exactly (Decimal): the
    village's share rounded half up to the fen, the person the rest — so an odd fen of a
    half-and-half split (各负担一半, L280) is always the village's: 0.01 → (0.01, 0.00),
    1000.01 → (500.01, 500.00)."""
    total = Decimal(str(amount)).quantize(FEN, rounding=ROUND_HALF_UP)
    village = (total * Decimal(str(village_share))).quantize(FEN, rounding=ROUND_HALF_UP)
    return float(village), float(total - village)


def _support(ctx, kind, code, file_no, amount, village_part, person_part, note) -> dict:
    with ctx.transaction():
        sid = ctx.db.insert("shequhua_support", {"kind": kind, "village": code, "file_no": file_no, "amount": amount,
                                                 "village_part": village_part, "person_part": person_part,
                                                 "note": note, "at": ctx.now, "at_ts": ctx.now.timestamp()})
    return ctx.db.query("select * from shequhua_support where id = ?", [sid])[0]


def support(ctx, unit: str | None = None, period: str | None = None, kind: str | None = None) -> list[dict]:
    """The reimbursements and pension payments within ``unit``'s subtree and ``period``."""
    where, params = ctx.scope(unit, period, unit_cols=("village",), ts_cols=("at_ts",))
    if kind:
        where.append("kind = ?")
        params.append(kind)
    return ctx.db.query("select * from shequhua_support" + (" where " + " and ".join(where) if where else "")
                        + " order by at_ts, id", params)
