"""Sign-off progress (签字进度) and media attachments (附件) of a case: issue 19's generic
capabilities (docs/hooks.md §12.6, §12.7). Mixin of :class:`framework.kernel.county.County`;
each write is one ``BEGIN IMMEDIATE`` transaction appending its event, like the rest of
:mod:`framework.kernel.lifecycle`.

Source rules: Pu'er's collective land dispute is settled household by household — "整个组都不
签协议" until the group leader signed, then the rest followed (casebook L57; methods.md §2.2):
issue 19 makes that a generic N-of-M sign-off that gates resolve/confirm. Lüyuan's 民情信息员
"通过手持PDA终端，实时拍摄上传图片和视频信息" (L316; methods.md §2.13): media on intake, kept by
reference and checksum, never on a public board (conventions §3). The original says nothing of
a close gate or of checksums: both are issue 19's design, not the casebook's. The kernel stores
only references: the file itself is never copied into the database.
"""

from __future__ import annotations

import datetime as dt
import re

from framework.errors import CountyError, Refusal
from framework.models import Attachment, Case, Event, SignOff, SignOffParty
from framework.store.casework import (
    add_attachment,
    add_parties,
    attachments_of,
    mark_signed,
    ref_digest,
    signoffs_of,
)

MAX_PARTY = 100
MAX_URI = 2000
MAX_CAPTION = 200
SHA256 = re.compile(r"[0-9a-fA-F]{64}")
MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# ``self`` is the County facade (framework.kernel.county); it is not imported here, so the
# kernel's modules form no import cycle.


def _party(item, i: int) -> tuple[str, str]:
    """One ``(id, name)`` pair of ``require_signoff``'s list, checked; CountyError naming it."""
    if isinstance(item, SignOffParty):
        pid, name = item.id, item.name
    else:
        try:
            pid, name = item
        except (TypeError, ValueError):
            raise CountyError(f"signoff parties[{i}]: {item!r} is not an (id, name) pair") from None
    pid, name = str(pid or "").strip(), str(name or "").strip()
    if not pid or not name:
        raise CountyError(f"signoff parties[{i}]: a party needs an id and a name (got {item!r})")
    for what, v in (("id", pid), ("name", name)):
        if len(v) > MAX_PARTY or CONTROL.search(v):
            raise CountyError(f"signoff parties[{i}]: the {what} {v[:40]!r} is over {MAX_PARTY} characters "
                              f"or holds control characters")
    return pid, name


def check_attachment(uri: str, sha256: str | None, media_type: str | None, size: int | None,
                     caption: str | None) -> tuple[str, str | None, str | None, int | None, str | None]:
    """The checked, normalised attachment fields (sha256 lower-case, blanks as None).
    CountyError naming the argument: an empty or over-long uri or one with control characters,
    a uri neither an http(s) URL nor an absolute path, a sha256 not 64 hex digits, a media type
    not ``type/subtype``, a size not an int ≥ 0, a caption over 200 characters."""
    uri = str(uri or "").strip()
    if not uri:
        raise CountyError("attach: the uri is empty (an http(s) URL or an absolute file path)")
    if len(uri) > MAX_URI or CONTROL.search(uri):
        raise CountyError(f"attach: the uri {uri[:60]!r} is over {MAX_URI} characters or holds control characters")
    if not (uri.lower().startswith(("http://", "https://")) or uri.startswith("/") or re.match(r"[A-Za-z]:[\\/]", uri)):
        raise CountyError(f"attach: {uri[:60]!r} is neither an http(s) URL nor an absolute file path")
    sha = (sha256 or "").strip() or None
    if sha is not None and not SHA256.fullmatch(sha):
        raise CountyError(f"attach --sha256: {sha[:70]!r} is not 64 hex digits")
    mt = (media_type or "").strip() or None
    if mt is not None and not MEDIA_TYPE.fullmatch(mt):
        raise CountyError(f"attach --media-type: {mt[:60]!r} is not type/subtype (e.g. image/jpeg)")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise CountyError(f"attach: size {size!r} is not a whole number of bytes ≥ 0")
    cap = (caption or "").strip() or None
    if cap is not None and len(cap) > MAX_CAPTION:
        raise CountyError(f"attach --caption: {len(cap)} characters, at most {MAX_CAPTION}")
    return uri, sha.lower() if sha else None, mt, size, cap


def gate_message(case: Case, so: SignOff) -> str:
    """The close gate's refusal: how many parties have not signed and the first three names."""
    names = [p.name for p in so.unsigned]
    shown = "、".join(names[:3]) + ("…" if len(names) > 3 else "")
    return (f"case {case.id}: {len(names)} of {so.required} parties have not signed ({shown}); "
            f"sign first (county case sign)")


class CaseCasework:
    """``County.require_signoff`` / ``sign`` / ``attach`` and their reads; see the module."""

    def signoffs_of(self, case_ids) -> dict[str, SignOff]:
        """``{case_id: SignOff}`` for the cases among ``case_ids`` (one id or many) that list parties."""
        return signoffs_of(self.store.db.conn, [case_ids] if isinstance(case_ids, str) else case_ids)

    def attachments_of(self, case_ids) -> dict[str, list[Attachment]]:
        """``{case_id: [Attachment]}`` for the cases among ``case_ids`` (one id or many) that have any."""
        return attachments_of(self.store.db.conn, [case_ids] if isinstance(case_ids, str) else case_ids)

    def _with_casework(self, case: Case) -> Case:
        """``case`` with its ``signoff`` and ``attachments`` read."""
        case.signoff = self.signoffs_of(case.id).get(case.id)
        case.attachments = self.attachments_of(case.id).get(case.id, [])
        return case

    def check_signoff_gate(self, case: Case) -> None:
        """Refusal (nothing written) when ``case``'s sign-off is incomplete and its method keeps
        the gate (``MethodInfo.signoff_gate``, default True): docs/hooks.md §12.6."""
        so = self.signoffs_of(case.id).get(case.id)
        if so is None or so.complete:
            return
        try:
            info = self.require_method(case.method)
        except CountyError:
            info = None
        if info is not None and not info.signoff_gate:
            return
        raise Refusal(gate_message(case, so))

    def require_signoff(self, case_id: str, parties, note: str | None = None) -> Case:
        """List the parties who must sign the open case ``case_id`` (``[(id, name), …]`` or
        :class:`SignOffParty`; added to any listed before). One ``signoff_required`` event
        (data ``{"parties": [{"id", "name"}]}``). CountyError for an empty list, an empty,
        over-long or repeated id or name field; Refusal when the case is not open or a party
        id is already listed; NotFound for an unknown case. Returns the case afterwards."""
        items = list(parties or [])
        if not items:
            raise CountyError(f"case {case_id}: name at least one party who must sign (--party ID:NAME)")
        pairs = [_party(item, i) for i, item in enumerate(items)]
        seen: set[str] = set()
        for pid, _ in pairs:
            if pid in seen:
                raise CountyError(f"case {case_id}: party {pid!r} is listed twice")
            seen.add(pid)
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            self._require_open(case, "require signatures on")
            listed = self.signoffs_of(case_id).get(case_id)
            known = {p.id: p for p in (listed.parties if listed else [])}
            for pid, _ in pairs:
                if pid in known:
                    raise Refusal(f"case {case_id}: party {pid} {known[pid].name} is already listed")
            add_parties(self.store.db.conn, case_id, pairs, now)
            case.events = [Event(now, "signoff_required", self.actor, case.level, note,
                                 {"parties": [{"id": p, "name": n} for p, n in pairs]})]
            self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

    def sign(self, case_id: str, party_id: str, at: dt.datetime | None = None, note: str | None = None) -> Case:
        """Party ``party_id`` signs the open case ``case_id`` at ``at`` (aware; default now). One
        ``signed`` event (data ``{"party", "name"}``). Refusal (nothing written) when the case is
        not open, has no sign-off, the party is unknown or has signed already, or ``at`` falls
        before the case was taken in or after now. Returns the case afterwards."""
        pid = str(party_id or "").strip()
        if not pid:
            raise CountyError(f"case {case_id}: name the party who signs (--party ID)")
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            if not case.is_open:
                raise Refusal(f"case {case_id} is {case.status}; a party signs only while the case is open")
            so = self.signoffs_of(case_id).get(case_id)
            if so is None:
                raise Refusal(f"case {case_id} has no sign-off (list the parties first: county case signoff)")
            party = next((p for p in so.parties if p.id == pid), None)
            if party is None:
                ids = ", ".join(p.id for p in so.parties[:10]) + (", …" if len(so.parties) > 10 else "")
                raise Refusal(f"case {case_id}: no party {pid!r} to sign (parties: {ids})")
            if party.signed:
                raise Refusal(f"case {case_id}: party {pid} {party.name} already signed at "
                              f"{party.signed_at.isoformat()}")
            when = self.calendar.local(at) if at else now
            if case.created_at and when < case.created_at:
                raise Refusal(f"case {case_id} was taken in at {case.created_at.isoformat()}; "
                              f"{pid} cannot sign earlier ({when.isoformat()})")
            if when > now:
                raise Refusal(f"case {case_id}: signing time {when.isoformat()} is after now ({now.isoformat()})")
            mark_signed(self.store.db.conn, case_id, pid, when, note, self.actor)
            case.events = [Event(when, "signed", self.actor, case.level, note, {"party": pid, "name": party.name})]
            self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

    def attach(self, case_id: str, uri: str, sha256: str | None = None, media_type: str | None = None,
               size: int | None = None, caption: str | None = None, at: dt.datetime | None = None) -> Case:
        """Attach a media reference to ``case_id`` (any status): the metadata only, never the
        file (:func:`check_attachment` for the fields). One ``attached`` event (data
        ``{"attachment": n, "media_type", "size", "sha256", "uri_digest", "caption_digest"}``, never
        the uri: its digest, :func:`framework.store.casework.ref_digest`, which ``county verify``
        checks the row against). CountyError for
        bad fields; Refusal when the case already has this uri or ``at`` falls before the case
        was taken in or after now; NotFound for an unknown case. Returns the case afterwards."""
        uri, sha, mt, size, cap = check_attachment(uri, sha256, media_type, size, caption)
        now = self.now()
        with self.store.transaction():
            case = self._load(case_id)
            when = self.calendar.local(at) if at else now
            if case.created_at and when < case.created_at:
                raise Refusal(f"case {case_id} was taken in at {case.created_at.isoformat()}; "
                              f"nothing can be attached earlier ({when.isoformat()})")
            if when > now:
                raise Refusal(f"case {case_id}: attachment time {when.isoformat()} is after now ({now.isoformat()})")
            for a in self.attachments_of(case_id).get(case_id, []):
                if a.uri == uri:
                    raise Refusal(f"case {case_id}: this file or URL is already attachment {a.n}")
            n = add_attachment(self.store.db.conn, case_id, Attachment(0, uri, sha, mt, size, cap, when, self.actor))
            case.events = [Event(when, "attached", self.actor, case.level, None,
                                 {"attachment": n, "media_type": mt, "size": size, "sha256": sha,
                                  "uri_digest": ref_digest(uri), "caption_digest": ref_digest(cap)})]
            self._save(case, now)
            self._write_events(case)
        return self.get_case(case_id)

