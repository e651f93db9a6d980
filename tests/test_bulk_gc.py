"""The garbage collector around bulk intake's batches (framework/kernel/bulk_gc.py, issue 13):
resting during a batch, what is alive frozen after it (not after refusals), a full collection
every FULL_COLLECTION_EVERY batches, everything unfrozen at the end, a process's own freeze left
alone."""

import gc
import sqlite3

import pytest

from framework.kernel import bulk_gc
from framework.kernel.bulk_gc import GcRest


@pytest.fixture(autouse=True)
def clean_collector():
    gc.unfreeze()
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable() if was else gc.disable()


def test_a_batch_rests_the_collector_then_freezes_what_lives():
    rest = GcRest()
    rest.start()
    assert not gc.isenabled()
    batch = [[i] for i in range(10_000)]  # a batch's objects, alive when it ends
    assert gc.get_count()[0] >= 10_000
    rest.end(refused=False)
    assert gc.isenabled() and gc.get_freeze_count() >= 10_000
    assert gc.get_count()[0] < 100  # the young generation starts empty: the batch is not walked
    rest.close()
    assert gc.get_freeze_count() == 0 and len(batch) == 10_000


def test_no_freeze_after_a_batch_with_refusals():
    rest = GcRest()
    rest.start()
    rest.end(refused=True)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    rest.close()


def test_a_full_collection_every_so_many_batches(monkeypatch):
    monkeypatch.setattr(bulk_gc, "FULL_COLLECTION_EVERY", 3)
    full = []
    callback = lambda phase, info: phase == "stop" and info["generation"] == 2 and full.append(info["collected"])
    gc.callbacks.append(callback)
    try:
        rest = GcRest()
        for batch in range(1, 7):
            rest.start()
            if batch == 2:  # a cycle that dies while frozen: freed by the third batch's full collection
                a: list = []
                a.append(a)
                del a
            rest.end(refused=False)
        rest.close()
    finally:
        gc.callbacks.remove(callback)
    assert len(full) == 2  # after batches 3 and 6
    assert full[0] >= 1


def test_a_process_that_froze_objects_keeps_them_frozen():
    gc.freeze()
    rest = GcRest()
    assert not rest.freeze
    rest.start()
    rest.end(refused=False)
    rest.close()
    assert gc.get_freeze_count() > 0  # (GcRest's unfreeze would have made it 0)
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_keeps_it_off():
    gc.disable()
    rest = GcRest()
    rest.start()
    rest.end(refused=False)
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    rest.close()


def test_an_intake_leaves_no_cycle_behind():
    """Its hooks' contexts point back at it: dropped when it ends, both are freed by reference
    counting (a frozen batch would otherwise keep every batch's intake and people index)."""
    import contextlib
    import weakref

    from framework.kernel.bulk import BulkIntake

    class Store:
        db = type("DB", (), {"conn": sqlite3.connect(":memory:")})()  # no kernel tables: nothing to drop

        def transaction(self):
            return contextlib.nullcontext()

    class Context:  # what BulkContext keeps: its intake
        def __init__(self, bulk):
            self._bulk = bulk

    gc.disable()
    try:
        with BulkIntake(type("County", (), {"store": Store()})()) as bulk:
            bulk._contexts["taizhang"] = Context(bulk)
        assert bulk._contexts == {}
        gone = weakref.ref(bulk)
        del bulk
        assert gone() is None  # freed at once, no collection needed
    finally:
        gc.enable()
