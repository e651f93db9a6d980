"""Records of issue 19's two generic case capabilities (docs/hooks.md §12.6, §12.7): the
sign-off progress of a case (签字进度: N of M named parties) and its media attachments (附件:
photos, video, documents kept by reference and checksum, never the file).

Plain attrs classes with no kernel import, so :mod:`framework.models` can hold them on
:class:`~framework.models.Case`; importable from the ``framework`` root.
"""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.define
class SignOffParty:
    """One party who must sign (e.g. a household of a collective dispute, 每户签字).

    ``id``: the party's code, unique on its case; ``name``: its Chinese name (张三户);
    ``signed_at``: the aware instant it signed, None while it has not; ``note``: the signing
    note; ``actor``: the operator who recorded the signature."""

    id: str
    name: str
    signed_at: dt.datetime | None = None
    note: str | None = None
    actor: str | None = None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@attrs.define
class SignOff:
    """A case's sign-off progress: ``signed`` of ``required`` parties, ``parties`` in the order
    they were listed (docs/hooks.md §12.6)."""

    required: int
    signed: int
    parties: list[SignOffParty] = attrs.Factory(list)

    @property
    def complete(self) -> bool:
        """Every listed party has signed."""
        return self.signed >= self.required

    @property
    def unsigned(self) -> list[SignOffParty]:
        """The parties that have not signed yet, in order."""
        return [p for p in self.parties if not p.signed]

    @property
    def label(self) -> str:
        """``签字 3/5``: the only form public outputs show."""
        return signoff_label(self.signed, self.required)


@attrs.define
class Attachment:
    """One media attachment of a case (附件), by reference: ``n`` its number on the case (from
    1, in the order attached); ``uri`` an http(s) URL or an absolute local path (never shown on
    a public output); ``sha256`` 64 lower-case hex digits or None; ``media_type`` ``type/subtype``
    or None; ``size`` bytes or None; ``caption``; ``added_at`` (aware); ``actor``."""

    n: int
    uri: str
    sha256: str | None = None
    media_type: str | None = None
    size: int | None = None
    caption: str | None = None
    added_at: dt.datetime | None = None
    actor: str | None = None

    @property
    def is_url(self) -> bool:
        """An ``http://`` or ``https://`` reference (else a local path)."""
        return self.uri.lower().startswith(("http://", "https://"))


def signoff_label(signed: int, required: int) -> str:
    """``签字 N/M`` (N parties signed of M)."""
    return f"签字 {signed}/{required}"


def attachments_label(count: int) -> str:
    """``附件 N 件``: how a public output shows a case's attachments."""
    return f"附件 {count} 件"
