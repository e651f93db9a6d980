"""The GeoReport v2 endpoint on the web: a Falcon WSGI app over
:class:`framework.interchange.georeport.GeoReport`, served by waitress (``county open311 serve``,
the ``open311`` extra; docs/open311.md).

Open311 接口的网络层：路由、API 密钥、限流（429）、请求体大小（413）、JSON/XML 输出。

* Routes: ``GET services.{json,xml}``, ``GET services/CODE.{fmt}``, ``GET|POST requests.{fmt}``,
  ``GET requests/ID.{fmt}``, ``GET tokens/TOKEN.{fmt}``; anything else is a 404 in the spec's
  error shape (and so is every error Falcon raises itself, e.g. 405).
* ``POST`` needs ``api_key`` (a live key of ``county open311 keys``, else 403) and a
  form-encoded body (``application/x-www-form-urlencoded``, else 400) of at most
  ``[open311] max_body`` bytes (413 beyond, before the body is read when Content-Length says so).
* Rate limit: ``[open311] rate_limit`` requests a minute (default 60) per API key — per client
  address for calls without a valid key — in a sliding 60-second window; beyond it 429 with
  ``Retry-After`` (seconds). Counted in the serving process (one limiter per app).
* One :class:`~framework.kernel.county.County` per serving thread (SQLite connections stay in
  their thread); each reads the database afresh, so what operators do on the command line shows
  at once.
"""

from __future__ import annotations

import collections
import json
import logging
import re
import threading
import time
import urllib.parse
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from framework.errors import CountyError
from framework.interchange.georeport import GeoReport, Reply, error
from framework.kernel.county import County
from framework.kernel.open311_config import parse_open311
from framework.store.apikeys import key_name
from framework.store.db import Store

OPEN311_EXTRA = "pip install 'county-methods[open311]'"
WINDOW_SECONDS = 60.0
FORMATS = ("json", "xml")


class RateLimiter:
    """At most ``limit`` calls per ``window`` seconds for each caller (a sliding window).
    ``clock`` is monotonic seconds (injectable for tests). Thread-safe."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._calls: dict[str, collections.deque] = {}
        self._lock = threading.Lock()

    def allow(self, who: str) -> int:
        """0 when ``who`` may call now (the call is counted), else the whole seconds until it may."""
        now = self.clock()
        with self._lock:
            calls = self._calls.setdefault(who, collections.deque())
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return max(1, int(calls[0] + self.window - now + 0.999))
            calls.append(now)
            if len(self._calls) > 10_000:  # forget callers whose window has passed
                for k in [k for k, d in self._calls.items() if not d or d[-1] <= now - self.window]:
                    del self._calls[k]
            return 0


def to_xml(reply: Reply) -> bytes:
    """The reply as the spec's XML: ``<root><item>…</item></root>`` for a list, ``<root>…</root>``
    for one object (a service definition); lists inside an item repeat the singular of their
    name (``attributes`` -> ``attribute``, ``values`` -> ``value``, else ``item``), None is an
    empty element, true/false are lower-case; a character XML 1.0 forbids (a control character
    in a description) becomes U+FFFD (:func:`xml_text`), so the document is always well-formed."""
    root = ET.Element(reply.root)
    body = reply.body
    if isinstance(body, list):
        for obj in body:
            _fill(ET.SubElement(root, reply.item), obj)
    else:
        _fill(root, body)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


_SINGULAR = {"attributes": "attribute", "values": "value", "events": "event", "errors": "error"}


def _fill(el: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(ET.SubElement(el, str(k)), v)
    elif isinstance(value, list):
        for v in value:
            _fill(ET.SubElement(el, _SINGULAR.get(el.tag, "item")), v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = xml_text(str(value))


#: Characters XML 1.0 does not allow in a document at all, escaped or not (its ``Char`` production:
#: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` made safe for an XML 1.0 element: each character XML forbids (a control
    character such as U+0007 in a description, a lone surrogate) becomes U+FFFD (�), so the
    document stays well-formed and the reader sees where something was; ``&``, ``<``, ``>``
    are escaped by ElementTree itself. The JSON format carries the original text (as ``\\u0007``)."""
    return _NOT_XML.sub("\ufffd", text)


def county_opener(db: str, registry, now=None) -> Callable[[], County]:
    """A function giving this thread's County on ``db`` (opened on first use in each thread;
    ``now``: a fixed clock, as ``--now``)."""
    local = threading.local()

    def get() -> County:
        county = getattr(local, "county", None)
        if county is None:
            county = local.county = County(Store(db), registry, now=now)
        return county

    return get


def make_app(open_county: Callable[[], County], *, clock: Callable[[], float] = time.monotonic):
    """The Falcon WSGI app of the endpoint. ``open_county()`` gives the calling thread's County;
    limits (rate, body size) come from the deployment's ``[open311]`` as it is when the app is
    made. Raises CountyError when Falcon (the ``open311`` extra) is missing."""
    try:
        import falcon  # optional: the open311 extra
    except ImportError:
        raise CountyError(f"county open311 serve needs the open311 extra: {OPEN311_EXTRA}") from None
    settings = parse_open311(open_county().deployment.open311 or {})[0]
    endpoint = _Endpoint(open_county, RateLimiter(settings.rate_limit, clock=clock), settings.max_body)
    app = falcon.App(media_type=falcon.MEDIA_JSON)
    app.req_options.auto_parse_form_urlencoded = False
    app.req_options.strip_url_path_trailing_slash = True
    for route, suffix in (("/services.{fmt}", "services"), ("/services/{code}.{fmt}", "definition"),
                          ("/requests.{fmt}", "requests"), ("/requests/{rid}.{fmt}", "request"),
                          ("/tokens/{token}.{fmt}", "token")):
        app.add_route(route, endpoint, suffix=suffix)
    app.add_sink(endpoint.not_found)

    def http_error(req, resp, ex, params):
        status = int(str(ex.status).split()[0]) if not isinstance(ex.status, int) else ex.status
        _send(resp, error(status, ex.title + (f": {ex.description}" if ex.description else "")), _fmt_of(req))
        for k, v in (ex.headers or {}).items():
            resp.set_header(k, v)

    def unexpected(req, resp, ex, params):
        _send(resp, error(500, f"internal error ({type(ex).__name__}); the operator's log has the details"), _fmt_of(req))
        endpoint.log(f"{req.method} {req.path}: unexpected {type(ex).__name__}: {ex}")

    app.add_error_handler(Exception, unexpected)
    app.add_error_handler(falcon.HTTPError, http_error)
    return app


def _fmt_of(req) -> str:
    """``xml`` for a path ending in ``.xml``, else ``json``: the format of an error Falcon raises."""
    return "xml" if req.path.lower().endswith(".xml") else "json"


def _send(resp, reply: Reply, fmt: str) -> None:
    resp.status = reply.status
    for k, v in reply.headers.items():
        resp.set_header(k, v)
    if fmt == "xml":
        resp.content_type = "application/xml; charset=utf-8"
        resp.data = to_xml(reply)
    else:
        resp.content_type = "application/json; charset=utf-8"
        resp.data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")


class _Endpoint:
    """Falcon responders (``on_get_services`` …) over :class:`GeoReport`; no Falcon import needed."""

    def __init__(self, open_county, limiter: RateLimiter, max_body: int):
        self.open_county, self.limiter, self.max_body = open_county, limiter, max_body
        self._reports: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # County -> its GeoReport

    def report(self, county: County) -> GeoReport:
        """The :class:`GeoReport` of ``county`` (made once per County: its ``[open311]`` parsed once)."""
        report = self._reports.get(county)
        if report is None:
            report = self._reports[county] = GeoReport(county)
        return report

    def log(self, line: str) -> None:
        logging.getLogger("county.open311").error(line)

    def _call(self, req, resp, fmt: str, answer: Callable[[GeoReport], Reply], key: str | None = None) -> None:
        if fmt not in FORMATS:
            return _send(resp, error(404, f"format {fmt!r}: use .json or .xml"), "json")
        county = self.open_county()
        who = key_name(county.store, key) if key else None
        wait = self.limiter.allow(f"key:{who}" if who else f"addr:{req.remote_addr}")
        if wait:
            reply = error(429, f"rate limit: {self.limiter.limit} requests a minute; retry in {wait} s")
            reply.headers["Retry-After"] = str(wait)
            return _send(resp, reply, fmt)
        _send(resp, answer(self.report(county)), fmt)

    def on_get_services(self, req, resp, fmt):
        self._call(req, resp, fmt, lambda g: g.services(), req.get_param("api_key"))

    def on_get_definition(self, req, resp, code, fmt):
        self._call(req, resp, fmt, lambda g: g.definition(code), req.get_param("api_key"))

    def on_get_requests(self, req, resp, fmt):
        params = {k: (v if isinstance(v, str) else ",".join(v)) for k, v in req.params.items()}
        self._call(req, resp, fmt, lambda g: g.requests(params), params.get("api_key"))

    def on_get_request(self, req, resp, rid, fmt):
        ext = str(req.get_param("extensions") or "").lower() == "true"
        self._call(req, resp, fmt, lambda g: g.request(rid, ext), req.get_param("api_key"))

    def on_get_token(self, req, resp, token, fmt):
        self._call(req, resp, fmt, lambda g: g.token(token), req.get_param("api_key"))

    def on_post_requests(self, req, resp, fmt):
        fmt_ok = fmt if fmt in FORMATS else "json"
        if req.content_length is not None and req.content_length > self.max_body:
            return _send(resp, error(413, f"request body of {req.content_length} bytes; at most {self.max_body}"), fmt_ok)
        body = req.bounded_stream.read(self.max_body + 1)
        if len(body) > self.max_body:
            return _send(resp, error(413, f"request body over {self.max_body} bytes"), fmt_ok)
        kind = (req.content_type or "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            return _send(resp, error(400, f"Content-Type {kind or 'missing'!r}: send the form as "
                                          f"application/x-www-form-urlencoded (media as media_url)"), fmt_ok)
        try:
            form = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                                          max_num_fields=200, errors="strict")
        except UnicodeDecodeError:  # e.g. a GBK form: refused, never stored as replacement characters
            return _send(resp, error(400, "the form is not UTF-8 (percent-encode its UTF-8 bytes; GBK is not read)"), fmt_ok)
        except ValueError as e:
            return _send(resp, error(400, f"the form: {e}"), fmt_ok)
        form += [(k, v) for k, v in urllib.parse.parse_qsl(req.query_string or "") if k == "api_key"]
        key = next((v for k, v in form if k == "api_key"), None)
        county = self.open_county()
        name = key_name(county.store, key)
        if name is None:
            wait = self.limiter.allow(f"addr:{req.remote_addr}")  # guessing keys counts too
            reply = error(429, f"rate limit: {self.limiter.limit} requests a minute; retry in {wait} s") if wait else \
                error(403, "api_key: missing, unknown or revoked (ask the county for a key)")
            if wait:
                reply.headers["Retry-After"] = str(wait)
            return _send(resp, reply, fmt_ok)
        idem = req.get_header("Idempotency-Key")
        self._call(req, resp, fmt, lambda g: g.submit([(k, v) for k, v in form if k != "api_key"], name, idem), key)

    def not_found(self, req, resp, **kw):
        _send(resp, error(404, f"{req.method} {req.path}: no such call (services.json, services/CODE.json, "
                               f"requests.json, requests/ID.json, tokens/TOKEN.json)"), _fmt_of(req))


def create_server(app, host: str, port: int, *, threads: int = 4, max_body: int):
    """A waitress server of ``app`` listening on ``host``:``port`` (0: any free port; its
    ``effective_port`` says which), not yet running: ``.run()`` serves until ``.close()``.
    Raises CountyError when waitress (the ``open311`` extra) is missing or the port is taken."""
    try:
        import waitress  # optional: the open311 extra
    except ImportError:
        raise CountyError(f"county open311 serve needs the open311 extra: {OPEN311_EXTRA}") from None
    try:
        # waitress refuses a body past its own cap with a plain-text 413; the app answers bodies
        # between max_body and the cap with the spec's error shape (413) itself
        return waitress.create_server(app, host=host, port=port, threads=threads,
                                      max_request_body_size=max(4 * max_body, 1 << 20), ident="county-open311")
    except OSError as e:
        raise CountyError(f"--port {port}: cannot listen on {host}:{port} ({e.strerror or e})") from None


def serve(app, host: str, port: int, *, threads: int = 4, max_body: int,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve ``app`` (:func:`create_server`) until interrupted; ``ready(url)`` is called once it
    listens."""
    server = create_server(app, host, port, threads=threads, max_body=max_body)
    if ready:
        ready(f"http://{host}:{server.effective_port}/")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
