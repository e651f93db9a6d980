"""Who changes a deployment (issue 14): ``county init`` on a database whose deployment lists
operators (``[operators]``) requires ``COUNTY_ACTOR`` to be one of them, and appends a chained
row to the deployment log (:func:`framework.store.chain.append_log`), which ``county verify``
walks (kind ``deployment``). Without an operator list nothing is required or logged (any name
may act there anyway: ``county init`` warns)."""

from __future__ import annotations

import os

from framework.errors import Refusal
from framework.kernel.county import County
from framework.store.chain import append_log


def init_operator(store, registry) -> tuple[str, list[str]] | None:
    """Before ``county init`` re-applies a county file to the database of ``store``: when the
    deployment stored there lists operators (``[operators]``), the identity ``COUNTY_ACTOR``
    must be one of them — else a :class:`Refusal` (exit 1) naming them, nothing written (issue
    14: removing the operator list, or an operator who wrote events, is never anonymous).
    Returns ``(the operator's id, the operator ids before)``, or None when the database lists
    no operators (nothing to require, nothing logged)."""
    ops = County(store, registry).deployment.operators
    if not ops:
        return None
    ids = [o.id for o in ops]
    who = os.environ.get("COUNTY_ACTOR")
    if who not in ids:
        named = f"COUNTY_ACTOR={who!r} is not one of them" if who else "no COUNTY_ACTOR is set"
        raise Refusal(f"init: this database's deployment lists operators ({', '.join(ids)}) and {named}: set "
                      f"COUNTY_ACTOR to one of them to change the deployment (who does is logged)")
    return who, ids


def log_init(county, who: tuple[str, list[str]], source: str) -> None:
    """After ``county init`` re-applied ``source``: one chained row of the deployment log
    (:func:`framework.store.chain.append_log`) — when, the operator (``who`` from
    :func:`init_operator`), the operators before and after and the deployment changes."""
    actor, before = who
    after = [o.id for o in county.deployment.operators]
    note = (f"init --config {source}: operators {', '.join(before)} → {', '.join(after) or 'none'}"
            + "".join(f"; {line}" for line in getattr(county, "deployment_changes", []) or []))
    with county.store.transaction():
        append_log(county.store.db.conn, county.now().isoformat(), actor, note)
