"""Personal-data masking (conventions §3), applied once in the kernel to every public output.

Field rules:

* Chinese name: first character + 某 (张三丰 -> 张某); a requester who asked not to be named
  (``Requester.anonymous``) becomes 匿名 everywhere.
* Phone: first 3 and last 4 digits (13812345678 -> 138****5678); landlines keep the area code
  and the last 4 digits (0838-1234567 -> 0838-***4567).
* ID-card number: 18 characters keep the first 6 and last 4; 15-digit (old) ones likewise.
* Address: the village/community only (富兴镇柳林沟村3组12号 -> 富兴镇柳林沟村).

Free text (titles, descriptions, notes, any string cell) is scanned too, by :func:`mask_text`:

* every run of 11 or more digits (optionally ending in X, the ID check character) is masked:
  18/15 characters as an ID number, anything else as a phone-like number (first 3, last 4) —
  so two numbers written together (``1381234567813912345678``) cannot slip through;
* ID-card numbers written in groups (``510623 19900101 1234``, ``510623-19900101-1234``:
  first 6 and last 4 kept, separators too), before everything else;
* mobile numbers written with separators (``138-1234-5678``, ``138 1234 5678``,
  ``138-12345678``, ``138.1234.5678``, ``1381234 5678``, ``+86 13812345678``) and landlines with
  an area code (``0838-1234567``, ``(028)12345678``).

Left alone, because none of them is a run of 11+ digits or a number with an area code:
case ids (``zj-000123``), dates and instants (``2026-11-02``, ``2026-11-02T10:00:00+08:00``),
amounts (``2000万元``, ``1,800元``, ``1800.50元``). Known trade-off: an amount written as
11+ bare digits (``13800000000元``) is masked like a phone number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from framework.models import Requester, to_json

# Any run of 11+ digits (an ID may end in X/x), not touching other digits.
_DIGIT_RUN_RE = re.compile(r"(?<!\d)(\d{17}[Xx]|\d{11,})(?!\d)")
# An ID-card number written in groups: 18 characters as 6-8-4 (``510623 19900101 1234``,
# ``510623-19900101-1234``), 15 digits as 6-6-3, the same separator twice. Masked first: a digit
# run written against it, a mobile or a landline pattern would otherwise take pieces of it (and
# leave the birth date). No look-around, for the same reason as below.
_ID_SEP_RE = re.compile(r"(\d{6})([- ])(\d{8})\2(\d{3}[\dXx])|(\d{6})([- ])(\d{6})\6(\d{3})")
# Mobile with or without separators (``-``, ``.`` or a space after the 3rd and/or 7th digit:
# ``138-1234-5678``, ``138-12345678``, ``138.1234.5678``, ``1381234 5678``), optionally with the
# +86 country code. No look-behind: digits written right against it must not shield it (they are
# masked as a digit run anyway).
_MOBILE_SEP_RE = re.compile(r"(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)[-. ]?(\d{4})[-. ]?(\d{4})")
# Landline with area code: 0838-1234567, 028 12345678, (028)12345678, （0838）1234567. No
# look-around either (a number of 11+ digits around it has already been masked as a run).
_LANDLINE_RE = re.compile(r"([(（]?0\d{2,3}[)）]?)([- ]?)(\d{3,4})(\d{4})")
#: A local number without area code (7 or 8 digits, 817-7025 too) that a phone cue introduces
#: ("联系8177025", "联系电话：6223776"): the digits alone could be an amount, the cue says not.
_LOCAL_RE = re.compile(r"((?:电话|联系|手机|热线|致电|拨打|号码|座机|[Tt][Ee][Ll])[^\d\n]{0,6}?)(?<!\d)(\d{3,4})([- ]?)(\d{4})(?!\d)")
_ADDRESS_KEEP = re.compile(r"^.*?(?:村|社区|居委会|小区)")
_HAN = re.compile(r"^[\u4e00-\u9fff]")

#: Row keys whose values are a requester's (or any person's) personal data, masked by field
#: rule whatever the plugin put there.
NAME_KEYS = ("requester_name", "requester", "name_of_requester")
PHONE_KEYS = ("requester_phone", "phone", "mobile", "telephone", "contact_phone")
ID_KEYS = ("requester_id_number", "id_number", "id_card")
ADDRESS_KEYS = ("requester_address", "address")
ANONYMOUS = "匿名"


def mask_name(name: str | None) -> str | None:
    """A Chinese name keeps its first character plus 某 (``张三丰`` -> ``张某``); a non-Chinese
    name keeps its first character plus ``***``. None/empty are returned unchanged."""
    if not name:
        return name
    name = str(name).strip()
    if not name:
        return name
    if _HAN.match(name):
        return name[0] + "某"
    return name[0] + "***"


def mask_phone(phone: str | None) -> str | None:
    """Keep the first 3 and last 4 digits of a phone number (``13812345678`` ->
    ``138****5678``); a landline with its area code keeps the area code and the last 4
    (``0838-1234567`` -> ``0838-***4567``). Shorter than 7 digits: all stars."""
    if not phone:
        return phone
    text = str(phone).strip()
    digits = re.sub(r"\D", "", text)
    m = re.fullmatch(r"[(（]?(0\d{2,3})[)）]?[- ]?(\d{3,4})(\d{4})", text)
    if m and not (len(digits) == 11 and digits.startswith("1")):
        return f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}"
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str | None:
    """Keep the first 6 and last 4 characters of an ID-card number (18 or 15 characters);
    shorter than 10 characters: all stars."""
    if not value:
        return value
    v = re.sub(r"[\s-]", "", str(value))
    if len(v) >= 10:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    return "*" * len(v)


def mask_address(address: str | None) -> str | None:
    """Keep the address up to its village/community (村, 社区, 居委会, 小区); an address without
    one becomes ``（地址不公开）``."""
    if not address:
        return address
    m = _ADDRESS_KEEP.match(str(address))
    return mask_text(m.group(0)) if m else "（地址不公开）"


def _mask_run(run: str) -> str:
    if len(run) in (15, 18):
        return run[:6] + "*" * (len(run) - 10) + run[-4:]
    return run[:3] + "*" * (len(run) - 7) + run[-4:]


def _mask_id_groups(m: re.Match) -> str:
    """An ID written in groups keeps its separators and its first 6 and last 4 characters:
    ``510623 19900101 1234`` -> ``510623 ******** 1234``; ``510623 900101 123`` ->
    ``510623 *****1 123``."""
    if m.group(1) is not None:
        return f"{m.group(1)}{m.group(2)}{'*' * 8}{m.group(2)}{m.group(4)}"
    area, sep, birth, seq = m.group(5), m.group(6), m.group(7), m.group(8)
    return f"{area}{sep}{'*' * 5}{birth[-1]}{sep}{seq}"


def mask_text(text: Any) -> Any:
    """Mask phone and ID numbers inside free text (see the module docstring for the rules).

    ``text``: any value; non-strings are returned as they are. Returns the masked string.
    Idempotent: masking masked text changes nothing.
    """
    if not isinstance(text, str) or sum(c.isdigit() for c in text) < 7:
        return text
    for _ in range(8):  # until nothing changes: the digits kept by one mask may complete another
        before = text
        text = _ID_SEP_RE.sub(_mask_id_groups, text)
        text = _DIGIT_RUN_RE.sub(lambda m: _mask_run(m.group(1)), text)
        text = _MOBILE_SEP_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
        text = _LANDLINE_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{'*' * len(m.group(3))}{m.group(4)}", text)
        text = _LOCAL_RE.sub(lambda m: f"{m.group(1)}{'*' * len(m.group(2))}{m.group(3)}{m.group(4)}", text)
        if text == before:
            break
    return text


class SecretMap(dict):
    """raw -> masked replacements for free text (a plain dict, longest raw first), plus
    ``whole``: raw -> masked for short names/addresses that are replaced only when they are a
    whole value. Replacement is one pass over the text (:meth:`replace`), so what one
    replacement writes is never scanned again by a shorter secret (``510623********1234``
    must not lose its ``123`` to another secret ``123``)."""

    def __init__(self, items=(), whole=None):
        super().__init__(items)
        self.whole = dict(whole or {})
        self._re = None

    @classmethod
    def of(cls, secrets) -> "SecretMap":
        if isinstance(secrets, SecretMap):
            return secrets
        return cls(sorted(((str(k), v) for k, v in (secrets or {}).items() if k), key=lambda kv: -len(kv[0])))

    @classmethod
    def union(cls, maps) -> "SecretMap":
        """One map holding every map's replacements (for text shared by several cases)."""
        items, whole = {}, {}
        for m in maps:
            items.update(m)
            whole.update(getattr(m, "whole", {}))
        return cls(sorted(items.items(), key=lambda kv: -len(kv[0])), whole)

    def replace(self, text: str) -> str:
        stripped = text.strip()
        if stripped in self.whole:
            return self.whole[stripped]
        if not self:
            return text
        if self._re is None:
            self._re = re.compile("|".join(re.escape(k) for k in sorted(self, key=len, reverse=True)))
        return self._re.sub(lambda m: self[m.group(0)], text)


def mask_value(value: Any, secrets: dict[str, str]) -> Any:
    """Mask one value of a public record.

    ``value``: str, number, list/tuple, dict, attrs instance or anything else; ``secrets``:
    raw -> masked replacements (from :func:`requester_secrets`, a :class:`SecretMap`; a plain
    dict works too). Strings get :func:`mask_text`, then every known secret replaced in one
    pass (what one replacement wrote is never scanned again), then :func:`mask_text` again; containers are masked item by item; integers of 11+ digits are masked
    as text; attrs instances are unstructured first (a :class:`framework.models.Requester`
    becomes its public form). Dates and other scalars are returned unchanged.
    """
    secrets = SecretMap.of(secrets)
    if isinstance(value, str):
        # numbers in the text first: a secret phone that is part of a longer number (an ID)
        # must not split it into pieces the text rules no longer recognise
        return mask_text(secrets.replace(mask_text(value)))
    if isinstance(value, bool) or value is None or isinstance(value, (float, dt.date, dt.datetime)):
        return value
    if isinstance(value, int):
        return mask_text(str(value)) if abs(value) >= 10**10 else value
    if isinstance(value, (list, tuple)):
        return [mask_value(v, secrets) for v in value]
    if isinstance(value, dict):
        return mask_record(value, secrets)
    if attrs.has(type(value)):
        if isinstance(value, Requester):
            return public_requester(value)
        return mask_value(to_json(value), secrets)
    return value


def mask_record(row: dict, secrets: dict[str, str], *, anonymous: bool = False) -> dict:
    """Mask a dict (a board row, a nested record): keys naming personal data (``NAME_KEYS``,
    ``PHONE_KEYS``, ``ID_KEYS``, ``ADDRESS_KEYS``) by their field rule — a name becomes 匿名
    when ``anonymous`` — and every other value with :func:`mask_value`."""
    out = {}
    for k, v in row.items():
        key = str(k).lower()
        if key == "requester" and isinstance(v, dict):
            out[k] = public_requester(_RequesterView(v, anonymous))
            continue
        if isinstance(v, str) and v:
            if key in NAME_KEYS:
                if anonymous or v == ANONYMOUS:
                    out[k] = ANONYMOUS
                else:
                    out[k] = mask_value(secrets.get(v.strip()) or secrets.whole.get(v.strip()) or mask_name(v), secrets)
                continue
            if key in PHONE_KEYS:
                out[k] = mask_phone(v)
                continue
            if key in ID_KEYS:
                out[k] = mask_id_number(v)
                continue
            if key in ADDRESS_KEYS:
                out[k] = mask_address(v)
                continue
        out[k] = mask_value(v, secrets)
    return out


class _RequesterView:
    def __init__(self, d: dict, anonymous: bool):
        self.name, self.phone = d.get("name"), d.get("phone")
        self.id_number, self.address = d.get("id_number"), d.get("address")
        self.anonymous = bool(d.get("anonymous")) or anonymous


def public_requester(r) -> dict:
    """The public form of a :class:`framework.models.Requester` (a dict with masked name,
    phone, ID number and address; name 匿名 when ``r.anonymous``)."""
    return {"name": ANONYMOUS if r.anonymous and r.name else mask_name(r.name),
            "phone": mask_phone(r.phone), "id_number": mask_id_number(r.id_number),
            "address": mask_address(r.address), "anonymous": bool(r.anonymous)}


#: Phone and ID numbers shorter than this are not replaced inside text: a short digit string
#: (``123``) is everywhere (house numbers, amounts, dates). The field itself is still masked.
MIN_NUMBER_SECRET = 7
#: Names and addresses shorter than this are replaced only as a whole value.
MIN_TEXT_SECRET = 2


def requester_secrets(name, phone, id_number, address, anonymous) -> SecretMap:
    """The raw -> masked replacements for one requester, longest raw text first.

    ``name``/``phone``/``id_number``/``address``: the stored strings (None allowed);
    ``anonymous``: the requester asked not to be named, so the name becomes 匿名. A phone or
    ID number shorter than 7 characters is not replaced inside free text (it would damage
    house numbers and amounts); a one-character name or address is replaced only where it is
    a whole value (``SecretMap.whole``), never inside text. The fields themselves are still
    masked by rule in :func:`mask_record` and :func:`public_requester`.
    """
    out, whole = {}, {}
    if id_number and len(str(id_number).strip()) >= MIN_NUMBER_SECRET:
        out[str(id_number).strip()] = mask_id_number(id_number)
    if phone and len(str(phone).strip()) >= MIN_NUMBER_SECRET:
        out[str(phone).strip()] = mask_phone(phone)
    if address and str(address).strip():
        a = str(address).strip()
        for raw in {a, mask_text(a)}:  # text is number-masked before secrets are replaced
            (out if len(raw) >= MIN_TEXT_SECRET else whole)[raw] = mask_address(a)
    if name and str(name).strip():
        n = str(name).strip()
        for raw in {n, mask_text(n)}:
            (out if len(raw) >= MIN_TEXT_SECRET else whole)[raw] = ANONYMOUS if anonymous else mask_name(n)
    return SecretMap(sorted(out.items(), key=lambda kv: -len(kv[0])), whole)


def mask_case_json(data: dict, requester) -> dict:
    """Mask a case's JSON (conventions §5 shape) for public output: the requester becomes its
    public form, and every string anywhere else (title, description, events' notes, extra)
    has the requester's stored name/phone/ID/address replaced and numbers in text masked.

    ``data``: the unstructured case; ``requester``: its :class:`framework.models.Requester`.
    Returns a new dict; ``data`` is not changed.
    """
    r = requester
    secrets = requester_secrets(r.name, r.phone, r.id_number, r.address, r.anonymous)
    out = {k: mask_value(v, secrets) for k, v in data.items() if k != "requester"}
    out["requester"] = public_requester(r)
    return out
