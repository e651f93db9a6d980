"""Where the demo and the real-data tests find their input: the shared real data (附件4 of the
泰迪杯 2020C set) or the built-in made-up sample."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from framework.errors import CountyError

#: The replied messages (留言 + 答复) inside the real-data folder.
TAIDI_REPLIED = Path("taidi2020c-zhihuizhengwu") / "full" / "附件4.xlsx"
#: The official three-level category tree (一级/二级/三级分类) in the same folder.
TAIDI_TAXONOMY = Path("taidi2020c-zhihuizhengwu") / "full" / "附件1.xlsx"


def repo_root() -> Path:
    """The folder holding ``framework/`` (the repository in a clone or editable install)."""
    return Path(__file__).resolve().parents[2]


def find_real_data(explicit: str | Path | None = None) -> Path | None:
    """The real-data folder: ``explicit``, else env ``COUNTY_DATA``, else
    ``<repo>/../shared/data/real``, else ``./../shared/data/real``. Returns the first that
    exists, or None. An explicit folder or COUNTY_DATA that does not exist is a CountyError."""
    for label, value in (("--data", explicit), ("COUNTY_DATA", os.environ.get("COUNTY_DATA"))):
        if value:
            p = Path(value).expanduser()
            if not p.is_dir():
                raise CountyError(f"{label} {value}: no such folder")
            return p
    for p in (repo_root().parent / "shared" / "data" / "real", Path.cwd().parent / "shared" / "data" / "real"):
        if p.is_dir():
            return p
    return None


def require_real_data(rel: str | Path = "") -> Path:
    """``rel`` inside the real-data folder, for tests and benchmarks that need the real files:
    the folder is env ``COUNTY_DATA`` when set, else ``../shared/data/real`` beside the
    repository (:func:`find_real_data`). Raises CountyError naming both options when the
    folder or the file is missing — a test calling this fails, it never skips."""
    how = ("set COUNTY_DATA to the real-data folder, or put it at "
           f"{repo_root().parent / 'shared' / 'data' / 'real'} (../shared/data/real beside the repository)")
    try:
        base = find_real_data()
    except CountyError as e:
        raise CountyError(f"real data missing: {e}; {how}") from None
    if base is None:
        raise CountyError(f"real data missing: no COUNTY_DATA and no ../shared/data/real; {how}")
    p = base / rel
    if not p.exists():
        raise CountyError(f"real data missing: {p} (from {'COUNTY_DATA' if os.environ.get('COUNTY_DATA') else base}); {how}")
    return p


def sample_path() -> Path:
    """The built-in sample: 48 made-up messages in 附件4's columns."""
    return Path(str(resources.files("framework.interchange") / "data" / "sample_messages.csv"))
