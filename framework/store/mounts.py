"""Where the database lives (issue 14): SQLite's WAL needs shared memory between the
processes that open the file, which network and FUSE file systems do not give — WAL on NFS,
CIFS/SMB, 9p or a FUSE mount can corrupt the database. :func:`wal_unsafe` names such a mount
from ``/proc/mounts``; :class:`framework.store.db.Store` then keeps SQLite's rollback journal
(``journal_mode=DELETE``) and says so in one warning line."""

from __future__ import annotations

import os

#: File-system types on which WAL is not safe (``fuse.*`` and ``fuseblk`` too).
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "ceph",
                        "glusterfs", "lustre", "gpfs", "davfs", "sshfs", "fuse", "fuseblk", "virtiofs",
                        "vboxsf", "ncpfs", "coda"})


def _unescape(field: str) -> str:
    """``/proc/mounts`` writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_type(path: str, mounts: str = "/proc/mounts") -> str | None:
    """The file-system type of the mount holding ``path`` (its directory when the file does not
    exist yet): the longest mount point of ``mounts`` that contains it. None when the table
    cannot be read (not Linux) — then nothing is known and nothing is refused."""
    target = os.path.realpath(os.path.dirname(os.path.abspath(path)) if not os.path.exists(path) else path)
    try:
        with open(mounts, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = _unescape(parts[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type


def wal_unsafe(path: str) -> str | None:
    """The type of the network or FUSE file system holding ``path`` (``nfs4``, ``fuse.sshfs``…)
    when WAL is not safe there, else None."""
    fstype = mount_type(path)
    if fstype is None:
        return None
    if fstype in NETWORK_FS or fstype.startswith(("fuse.", "nfs", "smb")):
        return fstype
    return None
