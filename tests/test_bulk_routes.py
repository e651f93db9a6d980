"""Bulk intake looks a method's stage routes up once per batch (:class:`framework.kernel.bulk_context.Routes`,
issue 13): the same methods as ``Deployment.bound`` and ``County.chain_method`` give case by case, the
same registered-event note as :func:`framework.kernel.notes.channel_note`, and no routes at all when a
look-up raises (the stages then raise it where they did). End to end — every table against
``add_case`` — in tests/test_bulk_intake.py."""

from __future__ import annotations

from types import SimpleNamespace

from framework.errors import CountyError
from framework.kernel.bulk_context import Routes
from framework.kernel.config import Deployment


def county(bindings: dict[str, str], *, missing: str | None = None):
    """A County stand-in: a deployment with ``bindings``, two installed methods; ``missing``: a
    method whose look-up raises as County.require_method does."""
    infos = {"dianti": SimpleNamespace(name="dianti", channels={"hotline": "12345热线", "walk_in": "walk_in"}),
             "taizhang": SimpleNamespace(name="taizhang", channels={})}
    calls = []

    def require_method(name):
        calls.append(name)
        if name == missing or name not in infos:
            raise CountyError(f"method {name!r} is not installed")
        return infos[name]

    deployment = Deployment(code="tc", name="test county", methods=["dianti", "taizhang"], bindings=bindings)
    return SimpleNamespace(deployment=deployment, registry=SimpleNamespace(methods=infos), require_method=require_method,
                           chain_method=lambda m: require_method(deployment.bound(m, "deadline")), calls=calls)


def test_the_routes_are_the_bindings_looked_up_once():
    c = county({"dianti.deadline": "taizhang", "dianti.assignment": "taizhang"})
    r = Routes(c, "dianti")
    assert (r.intake, r.triage, r.assignment) == ("dianti", "dianti", "taizhang")
    assert r.chain.name == "taizhang"  # [bindings] dianti.deadline: taizhang's tiers and deadlines
    assert r.info.name == "dianti"
    assert c.calls == ["taizhang", "dianti"]
    own = Routes(county({}), "taizhang")
    assert (own.intake, own.triage, own.assignment, own.chain.name, own.info.name) == ("taizhang",) * 5


def test_a_look_up_that_raises_gives_no_routes():
    assert Routes.of(county({"dianti.deadline": "gone"}), "dianti") is None  # the chain method is not installed
    assert Routes.of(county({}, missing="dianti"), "dianti") is None
    assert Routes.of(county({}), "taizhang") is not None


def test_the_registered_note_is_channel_notes():
    r = Routes(county({}), "dianti")
    assert r.note("hotline") == "受理渠道 12345热线 hotline"
    assert r.note("hotline") == "受理渠道 12345热线 hotline"  # (remembered: the same text again)
    assert r.note("walk_in") == "受理渠道 walk_in"  # a label that is the code itself is said once
    assert r.note("fax") == "受理渠道 fax"  # not a channel of the method: its code (intake refuses it later)
    assert r.note(None) is None
