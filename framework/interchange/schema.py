"""The names the importer and the exporters share: the import formats, the case fields a
mapping may fill, the GeoReport v2 field lists and the tables interchange keeps.

交换共用的名称：导入格式、映射可填的事项字段、GeoReport v2 字段表、导入/导出所用的表。
"""

from __future__ import annotations

FORMATS = ("csv", "xlsx", "json", "open311")

#: Case fields a mapping may fill (``[fields]`` keys). ``resolved_at``/``resolution_note``
#: make the row historical; ``unit`` may also come from the ``[units]`` rules.
CASE_FIELDS = (
    "source_id", "title", "description", "category", "channel", "created_at", "resolved_at",
    "resolution_note", "unit", "requester_name", "requester_phone", "requester_id_number",
    "requester_address", "requester_anonymous", "satisfaction", "status",
)

#: Every field GeoReport v2 defines for a service request, in the spec's order.
GEOREPORT_REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
)
GEOREPORT_SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")

#: Per imported source id: the case id, file, line, format, mapping, the raw source row (JSON)
#: and the proposed topic (:func:`framework.interchange.take.ensure_table`), so that
#: :mod:`framework.interchange.open311` can give an Open311 request back as it came.
IMPORTED_ROWS = "imported_rows"

#: The Open311 services lists imported (``GET services``), keyed by service_code.
SERVICES_TABLE = "open311_services"
