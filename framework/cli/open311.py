"""CLI commands of the Open311 GeoReport v2 endpoint (issue 17, docs/open311.md):
``county open311 keys add|list|revoke`` and ``county open311 serve``. Registered on
:data:`framework.cli.core.cli` at import.

Open311 接口：密钥管理与启动服务。
"""

from __future__ import annotations

import click

from framework.cli.core import cli, county_command, emit
from framework.errors import CountyError
from framework.interchange.georeport_web import county_opener, make_app, serve
from framework.kernel.open311_config import parse_open311
from framework.store.apikeys import add_key, list_keys, revoke_key

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@cli.group("open311")
def open311_group():
    """Open311 GeoReport v2 endpoint: API keys and the server (docs/open311.md)."""


@open311_group.group("keys")
def keys():
    """API keys of the endpoint's clients (apps, mini-programs, hotline systems)."""


@keys.command("add")
@click.argument("name")
@county_command()
def keys_add(county, as_json, name):
    """Make a key for the client NAME and print it — once: only its SHA-256 is kept. NAME is the
    actor of every event the client's requests write."""
    key = add_key(county.store, name, now=county.now(), actor=county.actor)
    emit({"name": name, "key": key, "prefix": key[:8]}, as_json,
         lambda d: click.echo(f"{d['name']}: {d['key']}\n(shown once; give it to the client as api_key — "
                              f"`county open311 keys revoke {d['name']}` withdraws it)"))


@keys.command("list")
@county_command()
def keys_list(county, as_json):
    """Every key: name, first characters, made when and by whom, revoked when."""
    rows = list_keys(county.store)

    def human(rows):
        if not rows:
            click.echo("no keys yet (county open311 keys add NAME)")
        for r in rows:
            state = f"revoked {r['revoked_at']} by {r['revoked_by']}" if r["revoked_at"] else "live"
            click.echo(f"{r['name']}\t{r['prefix']}…\tmade {r['created_at']} by {r['created_by']}\t{state}")

    emit(rows, as_json, human)


@keys.command("revoke")
@click.argument("name")
@county_command()
def keys_revoke(county, as_json, name):
    """Revoke the key NAME from now on (its requests stay; the name stays taken)."""
    row = revoke_key(county.store, name, now=county.now(), actor=county.actor)
    emit(row, as_json, lambda r: click.echo(f"{r['name']}: revoked at {r['revoked_at']}"))


@open311_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default is this machine only; put a TLS proxy in front for others).")
@click.option("--port", default=8311, show_default=True, type=click.IntRange(0, 65535), help="TCP port (0: any free one).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@county_command()
def open311_serve(county, as_json, host, port, threads):
    """Serve the GeoReport v2 endpoint (services, requests, tokens; JSON and XML) from the
    deployment's [open311] services until Ctrl-C. Needs the open311 extra."""
    settings, problems = parse_open311(county.deployment.open311 or {})
    if problems or not settings.services:
        raise CountyError("the county file has no usable [open311] services: add [open311.services.CODE] tables "
                          "with name, method, category (docs/open311.md) and run `county init --config …` again")
    app = make_app(county_opener(county.store.path, county.registry, county.clock.fixed))

    def ready(url):
        if host not in LOCAL_HOSTS:
            click.echo(f"warning: listening on {host}: anyone who reaches it can read public requests and, with a key, "
                       f"file them; prefer 127.0.0.1 behind a TLS proxy", err=True)
        click.echo(f"GeoReport v2 at {url} ({len(settings.services)} service(s): services.json, requests.json); "
                   f"{settings.rate_limit} requests a minute per key; Ctrl-C stops", err=True)

    serve(app, host, port, threads=threads, max_body=settings.max_body, ready=ready)
