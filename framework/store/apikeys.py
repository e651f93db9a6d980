"""API keys of the Open311 endpoint (``county open311 keys add|list|revoke``): the kernel's
``api_keys`` table, kept hashed.

接口密钥：每个客户端（App、小程序、热线系统）一把，库里只存其 SHA-256 摘要。

A key is ``o311_`` + 32 random URL-safe characters (:func:`secrets.token_urlsafe`, 192 bits),
shown once when it is made; the table keeps its SHA-256 (hex) — a random key of that length
needs no slow hash — and the first 8 characters (``o311_Ab3``) so an operator can tell keys
apart. A request's key is looked up by its digest (:func:`key_name`); a revoked key is kept
(``revoked_at``) and answers nothing. Created on first use, like the kernel's other
interchange tables; every write in one transaction of the :class:`~framework.store.db.Store`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from framework.errors import CountyError, NotFound
from framework.store.db import Store

TABLE = "api_keys"
PREFIX = "o311_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def ensure_table(store: Store) -> None:
    """Create ``api_keys`` (name, sha256, shown prefix, created_at/by, revoked_at/by) when absent."""
    if not store.db[TABLE].exists():
        store.db[TABLE].create({"name": str, "sha256": str, "prefix": str, "created_at": str, "created_by": str,
                                "revoked_at": str, "revoked_by": str}, pk="name", if_not_exists=True)
        store.db[TABLE].create_index(["sha256"], unique=True, if_not_exists=True)


def digest(key: str) -> str:
    """The SHA-256 of ``key`` (UTF-8) as 64 hex digits: what the table stores."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def add_key(store: Store, name: str, *, now: dt.datetime, actor: str) -> str:
    """Make a key named ``name`` (a client: 1–64 letters, digits, ``_ . -``; it becomes the
    actor of every event its requests write) and return it — the only time it is shown.
    CountyError when the name is malformed or taken (a revoked name stays taken)."""
    if not _NAME.match(name or ""):
        raise CountyError(f"NAME {name!r}: 1–64 letters, digits, _ . - (e.g. wechat-mini), starting with a letter or digit")
    ensure_table(store)
    key = PREFIX + secrets.token_urlsafe(24)
    with store.transaction():
        if store.db.execute(f"select 1 from {TABLE} where name = ?", [name]).fetchone():
            raise CountyError(f"NAME {name!r}: a key of that name exists (see `county open311 keys list`); choose another")
        store.db[TABLE].insert({"name": name, "sha256": digest(key), "prefix": key[:8], "created_at": now.isoformat(),
                                "created_by": actor, "revoked_at": None, "revoked_by": None})
    return key


def list_keys(store: Store) -> list[dict]:
    """Every key, oldest first: ``name``, ``prefix``, ``created_at``, ``created_by``,
    ``revoked_at``, ``revoked_by`` (never the digest)."""
    if not store.db[TABLE].exists():
        return []
    return store.query(f"select name, prefix, created_at, created_by, revoked_at, revoked_by from {TABLE} order by rowid")


def revoke_key(store: Store, name: str, *, now: dt.datetime, actor: str) -> dict:
    """Revoke the key ``name`` from now on; returns its row. NotFound for an unknown name,
    CountyError when it was revoked already."""
    ensure_table(store)
    with store.transaction():
        row = store.query(f"select * from {TABLE} where name = ?", [name])
        if not row:
            raise NotFound(f"NAME {name!r}: no such key (see `county open311 keys list`)")
        if row[0]["revoked_at"]:
            raise CountyError(f"NAME {name!r}: revoked already at {row[0]['revoked_at']}")
        store.db.execute(f"update {TABLE} set revoked_at = ?, revoked_by = ? where name = ?", [now.isoformat(), actor, name])
    return {k: v for k, v in store.query(f"select * from {TABLE} where name = ?", [name])[0].items() if k != "sha256"}


def key_name(store: Store, key: str | None) -> str | None:
    """The name of the live key ``key``, or None (no key, unknown, revoked)."""
    if not key or not store.db[TABLE].exists():
        return None
    row = store.db.execute(f"select name from {TABLE} where sha256 = ? and revoked_at is null", [digest(key)]).fetchone()
    return row[0] if row else None
