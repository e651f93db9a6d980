"""The deployment file (conventions §7): ``county init --config county.toml``.

Parsed into :class:`Deployment`; stored in the database at init, so later commands need only
``--db``. Every problem is a one-line :class:`CountyError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs

from framework.errors import CountyError
from framework.models import Person, Unit, converter

BINDABLE = ("intake", "triage", "assignment", "deadline")


@attrs.define
class Deployment:
    """One county's configuration: name, id prefix, zone, enabled methods, bindings, plugin
    settings, calendar overrides, operator name (``actor``) and its unit tree and people."""

    name: str
    code: str
    timezone: str = "Asia/Shanghai"
    methods: list[str] = attrs.Factory(list)
    bindings: dict[str, str] = attrs.Factory(dict)  # "dianti.deadline" -> "taizhang"
    plugins: dict[str, dict[str, Any]] = attrs.Factory(dict)
    extra_holidays: list[str] = attrs.Factory(list)
    extra_workdays: list[str] = attrs.Factory(list)
    actor: str = "operator"
    templates: str | None = None  # a folder of Jinja2 templates overriding the boards' (docs/boards.md)
    min_cases_to_rank: int | None = None  # appraisal: fewer cases and a unit is not ranked (default 5)
    units: list[Unit] = attrs.Factory(list)
    people: list[Person] = attrs.Factory(list)

    def bound(self, method: str, stage: str) -> str:
        """The method whose rules run ``stage`` for cases taken in by ``method``."""
        return self.bindings.get(f"{method}.{stage}", method)


def load_config(path: str | Path) -> Deployment:
    """Read and validate a deployment TOML file. Raises CountyError (exit 2)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CountyError(f"--config {path}: file not found") from None
    except UnicodeDecodeError:
        raise CountyError(f"--config {path}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise CountyError(f"{path}: malformed TOML: {e}") from None
    return deployment_from_dict(raw, where=str(path))


def deployment_from_dict(raw: dict, where: str = "config") -> Deployment:
    dep = raw.get("deployment")
    if not isinstance(dep, dict):
        raise CountyError(f"{where}: missing the [deployment] table")
    for key in ("name", "code"):
        if not isinstance(dep.get(key), str) or not dep[key].strip():
            raise CountyError(f"{where}: [deployment] {key} must be a non-empty string")
    methods = dep.get("methods", [])
    if not isinstance(methods, list) or not all(isinstance(m, str) for m in methods):
        raise CountyError(f"{where}: [deployment] methods must be a list of plugin names")
    bindings = {}
    for key, value in _flatten(raw.get("bindings", {})).items():
        parts = key.split(".")
        if len(parts) != 2 or parts[1] not in BINDABLE:
            raise CountyError(f"{where}: [bindings] {key}: use METHOD.STAGE with a stage of {', '.join(BINDABLE)} "
                              f"(publicity and appraisal always gather from every enabled method)")
        if not isinstance(value, str):
            raise CountyError(f"{where}: [bindings] {key}: the value must be a method name")
        bindings[key] = value
    cal = raw.get("calendar", {}) or {}
    units, people = [], []
    for i, u in enumerate(raw.get("units", []) or []):
        unit = _structure(Unit, u, f"{where}: [[units]] #{i + 1}")
        if not unit.code.strip() or any(c.isspace() for c in unit.code):
            raise CountyError(f"{where}: [[units]] #{i + 1}: code {unit.code!r} must be non-empty with no spaces (e.g. zj.fx.llg)")
        units.append(unit)
    for i, p in enumerate(raw.get("people", []) or []):
        people.append(_structure(Person, p, f"{where}: [[people]] #{i + 1}"))
    plugins = raw.get("plugins", {}) or {}
    if not isinstance(plugins, dict):
        raise CountyError(f"{where}: [plugins] must be a table of tables")
    return Deployment(
        name=dep["name"], code=dep["code"], timezone=dep.get("timezone", "Asia/Shanghai"),
        methods=list(methods), bindings=bindings, plugins=plugins,
        extra_holidays=[str(d) for d in cal.get("extra_holidays", [])],
        extra_workdays=[str(d) for d in cal.get("extra_workdays", [])],
        actor=str(dep.get("actor", "operator")), units=units, people=people,
        templates=(str(dep["templates"]) if dep.get("templates") else None),
        min_cases_to_rank=_int_or_none(dep.get("min_cases_to_rank"), f"{where}: [deployment] min_cases_to_rank", least=1),
    )


def _int_or_none(value, where, least: int = 0):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise CountyError(f"{where}: must be a whole number >= {least}")
    return value


def _structure(cls, data, where):
    if not isinstance(data, dict):
        raise CountyError(f"{where}: must be a table")
    fields = {f.name for f in attrs.fields(cls)}
    unknown = set(data) - fields
    if unknown:
        raise CountyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(fields))})")
    try:
        return converter.structure(data, cls)
    except Exception as e:
        missing = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING and f.name not in data]
        if missing:
            raise CountyError(f"{where}: missing key(s) {', '.join(missing)}") from None
        raise CountyError(f"{where}: {e}") from None


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in (d or {}).items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out
