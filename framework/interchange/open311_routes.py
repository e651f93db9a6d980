"""``county case import --format open311`` routed by the county file's ``[open311]`` services:
each request's ``service_code`` names its method, category, unit and channel, so ``--method``,
``--unit`` and ``--set category=…`` are needed only where the deployment does not know them.

按服务代码分派导入的 Open311 诉求：工作法、类别、受理单位取自县配置的 [open311]。

What the command line gives still wins: ``--method`` takes every row in by that method,
``--unit`` puts every row there, ``--set category=…`` (or a mapping's own column or constant)
sets the category. Otherwise, per row: the service's method (else ``[open311] default_method``),
its unit (after the mapping's ``[units]`` rules, e.g. ``agency_responsible`` naming a unit code;
else ``default_unit``), its category and channel. A row whose ``service_code`` is not a service
of the file and that no default covers is refused with its line.
"""

from __future__ import annotations

from framework.interchange.mappings import Mapping
from framework.interchange.readers import Record
from framework.interchange.rows import ImportRow, RowContext, RowError, prepare_row
from framework.kernel.open311_config import Open311Settings, Service, parse_open311


def routed_context(county, mapping: Mapping, fmt: str, *, method: str | None, unit: str | None,
                   classifier=None) -> "ServiceRows | None":
    """A :class:`ServiceRows` for an Open311 file (``fmt`` ``open311``) when the deployment has an
    ``[open311]`` table with services or a default method; None otherwise (the importer's plain
    :class:`RowContext` then). Raises CountyError as RowContext does (e.g. no method at all)."""
    if fmt != "open311" or not county.deployment.open311:
        return None
    settings = parse_open311(county.deployment.open311)[0]
    if not settings.services and not settings.default_method:
        return None
    return ServiceRows(county, mapping, settings, method=method, unit=unit, classifier=classifier)


class ServiceRows(RowContext):
    """A :class:`RowContext` whose rows take method, category, unit and channel from their
    service (see the module docstring); :meth:`prepare` prepares one record."""

    def __init__(self, county, mapping: Mapping, settings: Open311Settings, *, method: str | None,
                 unit: str | None, classifier=None):
        self.settings, self.fixed_method = settings, method or mapping.method
        fallback = self.fixed_method or settings.default_method or next(iter(settings.methods()), None)
        super().__init__(county, mapping, method=fallback, unit=unit, classifier=classifier)
        self._service: Service | None = None

    def get(self, data: dict, field: str):
        """As :meth:`RowContext.get`; a field the mapping and ``--set`` leave empty comes from
        the row's service (category, channel) or the defaults (unit)."""
        value, col = super().get(data, field)
        if value is not None or col is not None:
            return value, col
        service = self.settings.services.get(str(data.get("service_code") or "").strip())
        if field in ("category", "channel") and service is not None:
            return getattr(service, field), None
        if field == "unit":
            return (self.settings.unit_of(service) if service is not None else self.settings.default_unit), None
        return None, None

    def prepare(self, rec: Record) -> ImportRow:
        """:func:`prepare_row`, then the row's method from its service unless ``--method`` (or the
        mapping) fixed it. Raises :class:`RowError` for a row no service or default covers."""
        code = str(rec.data.get("service_code") or "").strip()
        service = self.settings.services.get(code)
        if service is None and not (self.fixed_method or self.settings.default_method) and "__error__" not in rec.data:
            raise RowError("service_code", f"{code or '(empty)'!r} is not a service of [open311] and it has no "
                                           f"default_method (give --method, or add the service to the county file)")
        row = prepare_row(rec, self)
        if not self.fixed_method and service is not None:
            row.method = self.settings.method_of(service) or row.method
        return row
