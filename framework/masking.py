"""Personal-data masking (conventions §3), applied once in the kernel to every public output.

* Chinese name: first character + 某 (张三丰 -> 张某).
* Phone: first 3 and last 4 digits (13812345678 -> 138****5678); landlines keep the area code
  and last 4 digits (0838-1234567 -> 0838-***4567).
* ID-card number: 18 characters keep first 6 and last 4; 15-digit (old) ones likewise.
* Address: the village/community only.
* Free text: phone and ID numbers inside text are masked too; case ids (``zj-000123``), ISO
  dates and amounts are left alone (they are not 11/15/18-digit runs).
"""

from __future__ import annotations

import re
from typing import Any

# 18-char ID (17 digits + digit/X) or 15-digit ID, not part of a longer digit run.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{5})(\d{3}[\dXx]|\d)(?![0-9A-Za-z])")
_ID18_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{5}(\d{4})(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<![\d-])(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
_ADDRESS_KEEP = re.compile(r"^.*?(?:村|社区|居委会|小区)")


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    name = name.strip()
    if re.match(r"^[\u4e00-\u9fff]", name):
        return name[0] + "某"
    return name[0] + "***"


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    v = value.strip()
    if len(v) >= 10:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    return "*" * len(v)


def mask_address(address: str | None) -> str | None:
    if not address:
        return address
    m = _ADDRESS_KEEP.match(address)
    return m.group(0) if m else "（地址不公开）"


def mask_text(text: Any) -> Any:
    """Mask phone and ID numbers inside free text. Non-strings are returned as they are."""
    if not isinstance(text, str) or not any(c.isdigit() for c in text):
        return text
    text = _ID18_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    text = _ID15_RE.sub(lambda m: m.group(1) + "*****" + m.group(2), text)
    text = _MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE_RE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)
    return text


def mask_value(value: Any, secrets: dict[str, str]) -> Any:
    """Mask one cell: replace each known secret (raw name, phone, ID, address of the case's
    requester) by its masked form, then mask numbers inside the text."""
    if isinstance(value, str):
        for raw, masked in secrets.items():
            if raw and raw in value:
                value = value.replace(raw, masked)
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: mask_value(v, secrets) for k, v in value.items()}
    return value


def requester_secrets(name, phone, id_number, address, anonymous) -> dict[str, str]:
    """The raw → masked replacements for one requester (anonymous: the name becomes 匿名)."""
    out = {}
    if id_number:
        out[id_number] = mask_id_number(id_number)
    if phone:
        out[phone] = mask_phone(phone)
    if address:
        out[address] = mask_address(address)
    if name:
        out[name] = "匿名" if anonymous else mask_name(name)
    # longest first, so a name inside an address is not half-replaced
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))
