"""The ``county`` operator CLI (conventions §4): options and errors shared by every command
(``core``), command families, and the console script (``main``)."""
