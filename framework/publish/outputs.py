"""Output safety shared by every writer (issue 15): one cell neutraliser for spreadsheets and
one safe file writer.

输出安全：电子表格单元格防公式注入；写文件不覆盖数据库、不覆盖已有文件（除非 ``--force``）、原子写入。

* :func:`neutralise` — a text cell that a spreadsheet (Excel, WPS, LibreOffice) would run as a
  formula is prefixed with ``'`` (OWASP "CSV injection": a cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return). Every CSV and XLSX writer passes its text cells
  through it: the boards (:mod:`framework.publish.render`), the appraisal report's workbook
  (:mod:`framework.publish.reports`) and ``county export --format csv``
  (:mod:`framework.interchange.open311`). Numbers written as numbers are not text and are
  left alone (``-3`` stays the number -3).
* :func:`check_target` / :func:`write_file` — an output file is never the open database nor
  its ``-wal``/``-shm``/``-journal`` companions (real paths compared, symlinks followed), an
  existing file is refused unless the operator gave ``--force``, and the data go to a temporary
  file in the same folder that is then renamed over the target (atomic: a reader sees the old
  file or the new one, never half of one). :func:`atomic_target` does the same for a writer
  that needs a path (the SQLite snapshot of ``county serve``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from framework.errors import CountyError

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: The files SQLite keeps beside a database; none of them may be written over.
DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


def neutralise(value: Any) -> Any:
    """One spreadsheet cell made safe. ``value``: any cell value. A ``str`` starting with one
    of :data:`FORMULA_START` (``=HYPERLINK(…)``, ``-2+3+cmd|' /C calc'!A0``, ``@SUM(…)``,
    ``+1+…``, a leading tab or CR) is returned with ``'`` in front; every other value —
    other text, numbers (int/float, negative ones too), None, dates — is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.path.abspath(os.fspath(path)))


def protected(db: str | os.PathLike | None) -> list[str]:
    """The real paths that no output may replace: the database ``db`` (when given and not
    ``:memory:``) and its ``-wal``, ``-shm`` and ``-journal`` files. Returns a list of str."""
    if not db or str(db) == ":memory:":
        return []
    base = _real(db)
    return [base + s for s in DB_COMPANIONS]


def check_target(path: str | os.PathLike, *, force: bool = False, protect: Iterable[str] = (),
                 option: str = "--out") -> Path:
    """Refuse an output path before any work is done. ``path``: the file to write;
    ``force``: whether an existing file may be replaced (``--force``); ``protect``: real paths
    that may never be written (:func:`protected`); ``option``: the CLI option named in errors.

    Raises CountyError (exit 2, one line naming the option and the path) when the folder is
    missing or not a folder, the path is a folder, the path (symlinks followed) is the open
    database or one of its companions, or the file exists or the path is a symbolic link (even
    one to a file that does not exist yet) and ``force`` is false.
    Returns the real path that will be written (a symlink's target)."""
    p = Path(path)
    real = Path(_real(p))
    if real.is_dir() or p.is_dir():
        raise CountyError(f"{option} {path}: is a folder; give a file name")
    parent = real.parent
    if not parent.exists():
        raise CountyError(f"{option} {path}: folder does not exist")
    if not parent.is_dir():
        raise CountyError(f"{option} {path}: {parent} is not a folder")
    if str(real) in set(protect):
        raise CountyError(f"{option} {path}: is the open database or one of its files ({real.name}); "
                          f"choose another file — the database is never written over")
    if p.is_symlink() and not force:  # a dangling link too: it would create a file elsewhere
        raise CountyError(f"{option} {path}: is a symbolic link to {real}; give --force to write through it")
    if real.exists() and not force:
        raise CountyError(f"{option} {path}: file exists; give --force to replace it")
    return real


def write_file(path: str | os.PathLike, data: str | bytes, *, force: bool = False, protect: Iterable[str] = (),
               option: str = "--out") -> Path:
    """Write ``data`` (str is written as UTF-8; bytes as they are) to ``path`` safely: checked by
    :func:`check_target` (same arguments, same errors), written to a temporary file in the same
    folder, flushed to disk and renamed over the target (a symlink's target), so the target is
    either the old file or the whole new one. The new file gets the usual permissions (0666
    minus the umask), or the replaced file's. An OS error is a CountyError naming the option and
    the path; the temporary file is removed. Returns the real path written."""
    with atomic_target(path, force=force, protect=protect, option=option) as tmp:
        try:
            with open(tmp, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise CountyError(f"{option} {path}: cannot write: {e.strerror or e}") from None
    return Path(_real(path))


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike, *, force: bool = False, protect: Iterable[str] = (),
                  option: str = "--out") -> Iterator[Path]:
    """Context manager: check ``path`` (:func:`check_target`), yield a fresh temporary path in
    the same folder for the caller to write (e.g. a SQLite file), and on a normal exit rename
    it over the target (checked again, in case the target appeared meanwhile); on an error
    remove it and leave the target untouched. Raises CountyError as check_target does, or
    naming the option and path when the folder cannot be written."""
    real = check_target(path, force=force, protect=protect, option=option)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise CountyError(f"{option} {path}: cannot write in {real.parent}: {e.strerror or e}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        check_target(path, force=force, protect=protect, option=option)
        try:
            mode = real.stat().st_mode & 0o7777 if real.exists() else 0o666 & ~_umask()
            os.chmod(tmp_path, mode)
            os.replace(tmp_path, real)
        except OSError as e:
            raise CountyError(f"{option} {path}: cannot write: {e.strerror or e}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
