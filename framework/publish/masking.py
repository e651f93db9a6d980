"""Personal-data masking (conventions §3, issue 15), applied once in the kernel to every public
output (boards in every format, ``county export --public``, the ``county serve`` snapshot, the
appraisal report).

Field rules (a requester's stored fields; any spelling — full-width digits, Chinese numerals,
every kind of separator — is read through :mod:`framework.publish.masking_normalise`):

* Chinese name: surname + 某 (张三丰 -> 张某; a compound surname keeps both characters:
  欧阳娜娜 -> 欧阳某, but 欧阳 alone -> 欧某); a requester who asked not to be named
  (``Requester.anonymous``) becomes 匿名 everywhere, and their phone is hidden wholly
  (:data:`ANONYMOUS_PHONE`, in the field and in text).
* Phone: first 3 and last 4 digits (13812345678 -> 138****5678, ``１３８－１２３４－５６７８`` too);
  landlines keep the area code and the last 4 digits (0838-1234567 -> 0838-***4567).
* ID-card number: 18 characters keep the first 6 and last 4; 15-digit (old) ones likewise.
* E-mail: the first character of the local part and the domain (wxm@example.com -> w***@example.com).
* Address: the village/community (村, 社区, 居委会, 小区) only (富兴镇柳林沟村3组12号 -> 富兴镇柳林沟村);
  an address without one keeps its street/road (街, 路, 巷, 弄, 道) without the door number
  (凯江镇南街45号2单元301室 -> 凯江镇南街); neither: ``（地址不公开）``.

Free text (titles, descriptions, notes, any string cell): :func:`mask_text`
(:mod:`framework.publish.masking_text` — phone, ID and bank-card numbers in any spelling,
e-mails, door numbers — and :mod:`framework.publish.masking_names` — third-party names a cue
word marks). Known trade-offs are listed there; recall and false positives are measured by
``benchmarks/masking_recall.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from framework.models import Attachment, Requester, SignOff, attachments_label, signoff_label, to_json
from framework.publish.masking_names import COMPOUND_SURNAMES
from framework.publish.masking_normalise import digits_of, normalise
from framework.publish.masking_text import mask_text

__all__ = ["ADDRESS_KEYS", "ANONYMOUS", "ANONYMOUS_PHONE", "COMPOUND_SURNAMES", "EMAIL_KEYS", "ID_KEYS", "NAME_KEYS", "PHONE_KEYS", "SecretMap",
           "mask_address", "mask_case_json", "mask_email", "mask_id_number", "mask_name", "mask_phone",
           "mask_record", "mask_text", "mask_value", "public_requester", "requester_secrets"]

_ADDRESS_KEEP = re.compile(r"^.*?(?:村|社区|居委会|小区)")
_STREET_KEEP = re.compile(r"^.*?(?:街道|大道|街|路|巷|弄|道)(?=[\s\d第附０-９〇零一二三四五六七八九十百两-]|$)")
_HAN = re.compile(r"^[\u4e00-\u9fff]")
_EMAIL = re.compile(r"^\s*([^@\s]+)@(\S+?)\s*$")

#: Row keys whose values are a requester's (or any person's) personal data, masked by field
#: rule whatever the plugin put there.
NAME_KEYS = ("requester_name", "requester", "name_of_requester")
PHONE_KEYS = ("requester_phone", "phone", "mobile", "telephone", "contact_phone")
ID_KEYS = ("requester_id_number", "id_number", "id_card")
ADDRESS_KEYS = ("requester_address", "address")
EMAIL_KEYS = ("requester_email", "email", "e_mail", "mail")
ANONYMOUS = "匿名"
#: An anonymous requester's phone on every public output, field and text alike (conventions §3:
#: they asked not to be identified, so not even 138****5678; always 11 stars, whatever the
#: number's length).
ANONYMOUS_PHONE = "*" * 11


def mask_name(name: str | None) -> str | None:
    """A Chinese name keeps its surname plus 某 (conventions §3: ``张三丰`` -> ``张某``): the first
    character, or both characters of a compound surname (复姓, :data:`COMPOUND_SURNAMES`:
    ``欧阳娜娜`` -> ``欧阳某``, ``司马光`` -> ``司马某``) when a given name follows it; a name that is
    only a compound surname still hides its second character (``欧阳`` -> ``欧某``). A non-Chinese
    name keeps its first character plus ``***`` (``Wang`` -> ``W***``). ``name``: any value (str
    expected), surrounding whitespace ignored; None/empty are returned unchanged. Idempotent
    (``欧阳某`` -> ``欧阳某``)."""
    if not name:
        return name
    name = str(name).strip()
    if not name:
        return name
    if _HAN.match(name):
        return (name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[0]) + "某"
    return name[0] + "***"


def mask_phone(phone: str | None) -> str | None:
    """Keep the first 3 and last 4 digits of a phone number (``13812345678`` ->
    ``138****5678``); a landline with its area code keeps the area code and the last 4
    (``0838-1234567`` -> ``0838-***4567``). Any spelling: full-width digits and separators,
    Chinese numerals (``一三八一二三四五六七八``), +86. The result is written in ASCII digits.
    Shorter than 7 digits: all stars (one per digit); no digit at all (``未提供``, a masked
    ``***********``): returned as it is."""
    if not phone:
        return phone
    text, _ = normalise(str(phone).strip())
    digits = digits_of(text)
    if not digits:
        return phone
    m = re.fullmatch(r"[(]?(0\d{2,3})[)]?[- ]?(\d{3,4})(\d{4})", text)
    if m and not (len(digits) == 11 and digits.startswith("1")):
        return f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}"
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str | None:
    """Keep the first 6 and last 4 characters of an ID-card number (18 or 15 characters), in
    any spelling (groups of 4, full-width, Chinese numerals): ``5106 2319 9001 0112 3X`` ->
    ``510623********123X``. Shorter than 10 characters: all stars."""
    if not value:
        return value
    v = digits_of(str(value), check_x=True) or re.sub(r"\s", "", str(value))
    if len(v) >= 10:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    return "*" * len(v)


def mask_email(value: str | None) -> str | None:
    """Keep the first character of an e-mail address's local part and its domain
    (``wxm@example.com`` -> ``w***@example.com``; ``ｗｘｍ＠example.com`` too). Not an address:
    masked as free text."""
    if not value:
        return value
    norm, _ = normalise(str(value))
    m = _EMAIL.match(norm)
    if not m:
        return mask_text(str(value))
    return f"{m.group(1)[:1]}***@{m.group(2)}"


def mask_address(address: str | None) -> str | None:
    """Keep the address up to its village/community (村, 社区, 居委会, 小区); without one, up to
    its street or road (街, 路, 巷, 弄, 道, 街道, 大道) when a door number follows; else
    ``（地址不公开）``. Numbers left in the kept part are masked as free text."""
    if not address:
        return address
    text = str(address).strip()
    m = _ADDRESS_KEEP.match(text) or _STREET_KEEP.match(text)
    return mask_text(m.group(0)) if m else "（地址不公开）"


class SecretMap(dict):
    """raw -> masked replacements for free text (a plain dict, longest raw first), plus
    ``whole``: raw -> masked for short names/addresses that are replaced only when they are a
    whole value. Replacement is one pass over the text (:meth:`replace`), so what one
    replacement writes is never scanned again by a shorter secret (``510623********1234``
    must not lose its ``123`` to another secret ``123``)."""

    def __init__(self, items=(), whole=None, phones=None):
        super().__init__(items)
        self.whole = dict(whole or {})
        #: what number masking leaves of an anonymous requester's phone, as a key
        #: (``138****2222``, ``0838***4567``) -> its replacement, looked for in any spelling
        #: before the strings (:func:`_replace_phones`)
        self.phones = dict(phones or {})
        self._re = None

    @classmethod
    def of(cls, secrets) -> "SecretMap":
        if isinstance(secrets, SecretMap):
            return secrets
        return cls(sorted(((str(k), v) for k, v in (secrets or {}).items() if k), key=lambda kv: -len(kv[0])))

    @classmethod
    def union(cls, maps) -> "SecretMap":
        """One map holding every map's replacements (for text shared by several cases)."""
        items, whole, phones = {}, {}, {}
        for m in maps:
            items.update(m)
            whole.update(getattr(m, "whole", {}))
            phones.update(getattr(m, "phones", {}))
        return cls(sorted(items.items(), key=lambda kv: -len(kv[0])), whole, phones)

    def replace(self, text: str) -> str:
        stripped = text.strip()
        if stripped in self.whole:
            return self.whole[stripped]
        if self.phones and "*" in text:
            text = _replace_phones(text, self.phones)
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
        # must not split it into pieces the text rules no longer recognise; names last, after
        # the requester's own name became 张某 or 匿名 (the name rule must not write 张某 for 匿名)
        return mask_text(secrets.replace(mask_text(value, names=False)))
    if isinstance(value, bool) or value is None or isinstance(value, (float, dt.date, dt.datetime)):
        return value
    if isinstance(value, int):
        return mask_text(str(value)) if abs(value) >= 10**10 else value
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, Attachment) for v in value):
            return attachments_label(len(value))  # never a uri on a public output (docs/hooks.md §12.7)
        return [mask_value(v, secrets) for v in value]
    if isinstance(value, dict):
        return mask_record(value, secrets)
    if attrs.has(type(value)):
        if isinstance(value, Requester):
            return public_requester(value)
        if isinstance(value, Attachment):
            return attachments_label(1)
        if isinstance(value, SignOff):
            return value.label  # 签字 N/M, no party's name (§12.6)
        return mask_value(to_json(value), secrets)
    return value


def mask_record(row: dict, secrets: dict[str, str], *, anonymous: bool = False) -> dict:
    """Mask a dict (a board row, a nested record): keys naming personal data (``NAME_KEYS``,
    ``PHONE_KEYS``, ``ID_KEYS``, ``ADDRESS_KEYS``) by their field rule — a name becomes 匿名
    and a phone :data:`ANONYMOUS_PHONE` when ``anonymous`` — and every other value with
    :func:`mask_value`."""
    out = {}
    for k, v in row.items():
        key = str(k).lower()
        if key in ("attachments", "signoff") and isinstance(v, (list, dict)) and v:
            out[k] = public_casework(key, v)
            continue
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
                out[k] = ANONYMOUS_PHONE if anonymous else mask_phone(v)
                continue
            if key in ID_KEYS:
                out[k] = mask_id_number(v)
                continue
            if key in ADDRESS_KEYS:
                out[k] = mask_address(v)
                continue
            if key in EMAIL_KEYS:
                out[k] = mask_email(v)
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
    phone, ID number and address; when ``r.anonymous`` the name is 匿名 and the phone
    :data:`ANONYMOUS_PHONE`)."""
    return {"name": ANONYMOUS if r.anonymous and r.name else mask_name(r.name),
            "phone": ANONYMOUS_PHONE if r.anonymous and r.phone else mask_phone(r.phone), "id_number": mask_id_number(r.id_number),
            "address": mask_address(r.address), "anonymous": bool(r.anonymous)}


#: Phone and ID numbers shorter than this are not replaced inside text: a short digit string
#: (``123``) is everywhere (house numbers, amounts, dates). The field itself is still masked.
MIN_NUMBER_SECRET = 7
#: Names and addresses shorter than this are replaced only as a whole value.
MIN_TEXT_SECRET = 2


def requester_secrets(name, phone, id_number, address, anonymous) -> SecretMap:
    """The raw -> masked replacements for one requester, longest raw text first.

    ``name``/``phone``/``id_number``/``address``: the stored strings (None allowed);
    ``anonymous``: the requester asked not to be named, so the name becomes 匿名 and the phone
    :data:`ANONYMOUS_PHONE` (as written and as number-masked text: ``138****2222`` too). A phone or
    ID number shorter than 7 characters is not replaced inside free text (it would damage
    house numbers and amounts); a one-character name or address is replaced only where it is
    a whole value (``SecretMap.whole``), never inside text. The fields themselves are still
    masked by rule in :func:`mask_record` and :func:`public_requester`.
    """
    out, whole, phones = {}, {}, {}
    if id_number and len(str(id_number).strip()) >= MIN_NUMBER_SECRET:
        out[str(id_number).strip()] = mask_id_number(id_number)
    if phone and len(str(phone).strip()) >= MIN_NUMBER_SECRET:
        p = str(phone).strip()
        if anonymous:
            for raw in {p, mask_phone(p), mask_text(p, names=False)}:
                if len(digits_of(raw)) >= MIN_NUMBER_SECRET - 4:  # 138****2222, not a bare 123
                    out[raw] = ANONYMOUS_PHONE
            key = mask_phone(p).replace("-", "")
            if _PHONE_KEY.fullmatch(key):
                phones[key] = ANONYMOUS_PHONE
        else:
            out[p] = mask_phone(phone)
    if address and str(address).strip():
        a = str(address).strip()
        for raw in {a, mask_text(a, names=False)}:  # text is number-masked before secrets are replaced
            (out if len(raw) >= MIN_TEXT_SECRET else whole)[raw] = mask_address(a)
    if name and str(name).strip():
        n = str(name).strip()
        for raw in {n, mask_text(n, names=False)}:
            (out if len(raw) >= MIN_TEXT_SECRET else whole)[raw] = ANONYMOUS if anonymous else mask_name(n)
    return SecretMap(sorted(out.items(), key=lambda kv: -len(kv[0])), whole, phones)


_DIGIT = "0-9０-９〇零一幺二三四五六七八九"
_DIGIT_OF = str.maketrans("０１２３４５６７８９〇零一幺二三四五六七八九", "0123456789001123456789")
_SEP = r"[\s\-‐‑‒–—―−－_＿.．]{0,3}"
#: What number masking leaves of a phone in free text: 3–4 digits (maybe in brackets), stars,
#: 4 digits, in any spelling (``（138）****2222``, ``１３８****２２２２``, ``1 3 8****2 2 2 2``).
_LEAD = rf"(?:[{_DIGIT}]{_SEP}){{2,}}[{_DIGIT}]"
_MASKED_PHONE = re.compile(rf"(?:[(（]\s?(?P<inside>{_LEAD})\s?[)）]|(?P<lead>{_LEAD})){_SEP}(?P<stars>\*{{3,}}){_SEP}"
                           rf"(?P<tail>[{_DIGIT}](?:{_SEP}[{_DIGIT}]){{3}})(?![{_DIGIT}])")
_PHONE_KEY = re.compile(r"\d{3,4}\*{3,}\d{4}")


def _replace_phones(text: str, phones: dict[str, str]) -> str:
    """``text`` with each masked phone whose key is in ``phones`` (``138****2222``: the kept
    digits, read as ASCII, around the stars) replaced wholly, brackets and separators included:
    ``电话（138）****2222`` -> ``电话***********``. The first group is tried with its last 4 and its
    last 3 digits (``第1138****2222`` -> ``第1***********``). Conventions §3: an anonymous
    requester's phone is hidden wholly wherever it appears, in any spelling."""
    def one(m: re.Match) -> str:
        group = "inside" if m.group("inside") else "lead"
        lead = [(i, c) for i, c in enumerate(m.group(group), m.start(group)) if c.translate(_DIGIT_OF).isdigit()]
        tail = "".join(c for c in m.group("tail") if c.translate(_DIGIT_OF).isdigit()).translate(_DIGIT_OF)
        for k in (4, 3):
            if len(lead) < k:
                continue
            key = "".join(c for _, c in lead[-k:]).translate(_DIGIT_OF) + m.group("stars") + tail
            if key in phones:
                start = m.start() if k == len(lead) else lead[-k][0]  # with its brackets when whole
                return text[m.start():start] + phones[key]
        return m.group(0)
    return _MASKED_PHONE.sub(one, text)


def mask_case_json(data: dict, requester) -> dict:
    """Mask a case's JSON (conventions §5 shape) for public output: the requester becomes its
    public form, and every string anywhere else (title, description, events' notes, extra)
    has the requester's stored name/phone/ID/address replaced and numbers in text masked.

    ``data``: the unstructured case; ``requester``: its :class:`framework.models.Requester`.
    Returns a new dict; ``data`` is not changed.
    """
    r = requester
    secrets = requester_secrets(r.name, r.phone, r.id_number, r.address, r.anonymous)
    out = {k: mask_value(v, secrets) for k, v in data.items() if k not in ("requester", "signoff", "attachments")}
    out["requester"] = public_requester(r)
    for key in ("signoff", "attachments"):
        if key in data:
            out[key] = public_casework(key, data[key]) if data[key] else None
    if isinstance(out.get("events"), list):
        out["events"] = [_public_signoff_event(e) for e in out["events"]]
    return out


def public_casework(key: str, value: Any) -> str | Any:
    """The public form of a case's ``attachments`` (a list: ``附件 N 件``, never a uri, checksum
    or caption) or ``signoff`` (a SignOff or its JSON: ``签字 N/M``, no party's name), as
    docs/hooks.md §12.6/§12.7 require of boards, ``export --public`` and the serve snapshot."""
    if key == "attachments":
        return attachments_label(len(value))
    if isinstance(value, SignOff):
        return value.label
    if isinstance(value, dict) and "required" in value:
        return signoff_label(int(value.get("signed") or 0), int(value.get("required") or 0))
    return "签字"


def _public_signoff_event(e: Any) -> Any:
    """A public event of the sign-off (``signed``/``signoff_required``) with the parties' names
    masked (张某), or an ``attached`` one without the checksum; other events unchanged."""
    if not isinstance(e, dict) or e.get("type") not in ("signed", "signoff_required", "attached"):
        return e
    data = dict(e.get("data") or {})
    for key in ("sha256", "uri_digest", "caption_digest"):  # an attachment's checksum and digests are not public (§12.7)
        data.pop(key, None)
    if data.get("name"):
        data["name"] = mask_name(str(data["name"]))
    if isinstance(data.get("parties"), list):
        data["parties"] = [{**p, "name": mask_name(str(p.get("name") or ""))} if isinstance(p, dict) else p
                           for p in data["parties"]]
    return {**e, "data": data}
