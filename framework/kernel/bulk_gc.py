"""The cyclic garbage collector while bulk intake (:mod:`framework.kernel.bulk`) runs.

A batch's specs, cases and rows live until it is committed and handed out: the collector would
walk them again and again (a tenth of the time) and finds nothing to free in them, so it rests
while a batch is read and taken (reference counting frees the rest). What is alive at a batch's
end — the batch handed out, the process's own objects — is then frozen (:func:`gc.freeze`), or
the first young collection after it walks the whole batch to free nothing (~8 ms per 2,000
taizhang rows: 0.085 s CPU of a 20 k import in batches of 2,000). Not after a batch with refusals (their errors may
hold their frames in a cycle: those batches are collected as before), and every
:data:`FULL_COLLECTION_EVERY` batches a full collection frees whatever cycles froze meanwhile;
everything is unfrozen when the intake ends. A process that froze objects itself (a server's
start-up) is left as it is: only the collector's rest during each batch, as before.
"""

from __future__ import annotations

import gc

#: Batches between two full collections while bulk intake keeps its objects frozen: a guard
#: against cycles a hook might leave (bulk intake leaves none; a full collection walks every
#: object of the process, ~90 ms): every 400,000 rows in batches of 4,000.
FULL_COLLECTION_EVERY = 100


class GcRest:
    """The collector around one bulk intake's batches: :meth:`start` before a batch is read,
    :meth:`end` once it is committed (``refused``: some case of it was refused), :meth:`close`
    when the intake ends (also when it is abandoned half way)."""

    def __init__(self):
        #: nobody froze objects before: ours to freeze and unfreeze
        self.freeze = gc.get_freeze_count() == 0
        self.batches = 0
        self._collecting = False

    def start(self) -> None:
        """The collector rests (it was running: it runs again at :meth:`end`)."""
        self._collecting = gc.isenabled()
        gc.disable()

    def end(self, refused: bool) -> None:
        """The batch is done: freeze what is alive (not after refusals), a full collection
        every :data:`FULL_COLLECTION_EVERY` batches, and the collector back on if it was."""
        if not self._collecting:
            return
        if self.freeze:
            self.batches += 1
            if self.batches % FULL_COLLECTION_EVERY == 0:
                gc.unfreeze()
                gc.collect()
            if not refused:
                gc.freeze()
        gc.enable()

    def close(self) -> None:
        """The intake ended: what it froze is collectable again (in the oldest generation)."""
        if self.freeze:
            gc.unfreeze()
