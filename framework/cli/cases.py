"""Case commands: ``county case add|show|list|assign|resolve|confirm|escalate|link|signoff|sign|attach`` and
``county sweep`` (督办). ``county case import`` is in :mod:`framework.cli.io`.

事项命令：受理、查看、交办、办结、确认、上报，以及每夜督办。
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import sys
from pathlib import Path

import click

from framework.cli.core import case, cli, county_command, echo_table, emit, parse_sets
from framework.errors import CountyError
from framework.kernel.casework import check_attachment
from framework.kernel.county import case_json
from framework.kernel.guards import same_request
from framework.kernel.notes import overdue_note, tier_label
from framework.models import STATUS_ZH, STATUSES, Requester
from framework.timerules import parse_instant

#: Chinese names of the kernel's event types, for the human view (a method names its own in
#: ``MethodInfo.event_labels``).
EVENT_ZH = {"registered": "登记", "triaged": "分类", "assigned": "交办", "escalated": "上报", "overdue": "超期督办",
            "resolved": "办结", "confirmed": "确认", "due_changed": "改期", "warning": "提示", "reopened": "重新办理",
            "linked": "关联", "signoff_required": "列明签字方", "signed": "签字", "attached": "附件",
            "milestone_added": "新增时限", "closed": "关闭", "sweep_failed": "督办出错", "no_handler": "无承办人"}


def attachment_of(ref: str, sha256: str | None = None, media_type: str | None = None) -> dict:
    """The attachment fields of ``--attach REF`` (docs/hooks.md §12.7): an http(s) URL as given
    (with ``sha256`` or none); else a local file, referenced by its absolute path, with its
    sha256, size and media type (by extension) computed — the file is read, never copied.
    CountyError (one line) for a path that is not a readable file or a ``sha256`` that does not
    match the file's."""
    ref = (ref or "").strip()
    if ref.lower().startswith(("http://", "https://")):
        uri, sha, mt, size, _ = check_attachment(ref, sha256, media_type, None, None)
        return {"uri": uri, "sha256": sha, "media_type": mt, "size": size}
    path = Path(ref).expanduser()
    if not path.is_file():
        raise CountyError(f"--attach {ref}: no such file (a URL starts with http:// or https://)")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as e:
        raise CountyError(f"--attach {ref}: cannot read the file ({e.strerror})") from None
    sha = digest.hexdigest()
    if sha256 and sha256.strip().lower() != sha:
        raise CountyError(f"--attach {ref}: --sha256 {sha256.strip()[:64]} does not match the file's ({sha})")
    uri, sha, mt, size, _ = check_attachment(str(path.resolve()), sha, media_type or mimetypes.guess_type(path.name)[0],
                                             path.stat().st_size, None)
    return {"uri": uri, "sha256": sha, "media_type": mt, "size": size}


def _print_case(county, c) -> None:
    """The human view of one case, in Chinese: ``状态 已交办 assigned，层级 村级 village，单位 …，
    责任人 …``, then ``受理 …，期限 …[，办结 …（层级）]`` (instants ISO 8601 as stored) — every
    status, tier, unit and person by its Chinese name first, its code after (``--json`` carries
    the codes only) — and the events (type by its Chinese name, note as written)."""
    def unit(code):
        u = county.units.get(code) if code else None
        return f"{u.name} {code}" if u else (code or "-")

    def tier(name):
        return _tier_label(county, c.method, name)

    handler = county.people.get(c.handler) if c.handler else None
    info = county.registry.methods.get(c.method)
    click.echo(f"{c.id}  [{info.title_zh + ' ' if info and info.title_zh else ''}{c.method}] {c.title}")
    click.echo(f"  状态 {STATUS_ZH.get(c.status, c.status)} {c.status}，层级 {tier(c.level)}，单位 {unit(c.unit)}，"
               f"责任人 {handler.name + ' ' + c.handler if handler else (c.handler or '-')}")
    click.echo(f"  受理 {c.created_at.isoformat() if c.created_at else '-'}，期限 {c.due_at.isoformat() if c.due_at else '-'}"
               + (f"，办结 {c.resolved_at.isoformat()}" + (f"（{tier(c.resolved_level)}）" if c.resolved_level else "")
                  if c.resolved_at else ""))
    if c.joint_unit or c.joint_handler:
        joint = county.people.get(c.joint_handler) if c.joint_handler else None
        click.echo(f"  会办单位 {unit(c.joint_unit)}，会办责任人 "
                   f"{joint.name + ' ' + c.joint_handler if joint else (c.joint_handler or '-')}")
    if c.lead_id:
        click.echo(f"  牵头事项 {c.lead_id}")
    if c.extra.get("request_id"):  # the idempotency key (issue 14): --request-id, an Open311 token
        click.echo(f"  幂等键 {c.extra['request_id']}")
    if c.signoff is not None:
        click.echo(f"  {c.signoff.label}：" + "，".join(
            f"{'✓' if p.signed else '✗'} {p.name} {p.id}" + (f" {p.signed_at.isoformat()}" if p.signed else "")
            for p in c.signoff.parties))
    for a in c.attachments:
        click.echo(f"  附件 {a.n}：{a.media_type or '-'} {a.size if a.size is not None else '-'} B "
                   f"sha256 {a.sha256[:12] + '…' if a.sha256 else '-'}  {a.uri}" + (f"  {a.caption}" if a.caption else ""))
    linked = county.list_cases(lead=c.id)
    if linked:
        click.echo(f"  关联事项 {len(linked)} 件：" + ", ".join(f"{x.id} ({STATUS_ZH.get(x.status, x.status)})" for x in linked))
    labels = dict(EVENT_ZH)  # the kernel's, then the methods' own (the case's method last: it wins)
    for name in [*county.deployment.methods, c.method]:
        if name in county.registry.methods:
            labels.update(county.registry.methods[name].event_labels)
    def note(e) -> str:
        """The event's note; a 交办 (assigned) line also says to whom (a fresh operator could not
        see a case's move in its history)."""
        if e.type != "assigned" or not isinstance(e.data, dict) or not ({"unit", "handler"} & set(e.data)):
            return e.note or ""
        who = county.people.get(e.data.get("handler") or "")
        to = f"交给 {unit(e.data.get('unit'))}" + (f"，{who.name} {who.id}" if who else "")
        return f"{e.note}（{to}）" if e.note else to

    echo_table([[f"    {e.at.isoformat()}", f"{labels[e.type]} {e.type}" if e.type in labels else e.type,
                 tier(e.level) if e.level else "", note(e)] for e in c.events])  # by display width


#: ``county case add`` refuses a case with the same requester phone, title and unit as one
#: taken in this long before or after it, unless ``--allow-duplicate`` (issue 14).
DUPLICATE_WINDOW = dt.timedelta(minutes=10)


@case.command("add")
@click.option("--method", required=True)
@click.option("--unit", required=True)
@click.option("--title", required=True)
@click.option("--channel")
@click.option("--category")
@click.option("--description")
@click.option("--requester-name")
@click.option("--requester-phone")
@click.option("--requester-id-number")
@click.option("--requester-address")
@click.option("--anonymous", is_flag=True, help="The requester asks not to be named on any public output.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Method-specific field (lands in extra).")
@click.option("--attach", "attach", multiple=True, metavar="PATH_OR_URL",
              help="A photo, video or document: a local file (its sha256 computed; referenced, not copied) or a URL.")
@click.option("--sha256", "sha256s", multiple=True, metavar="HEX", help="The checksum of the n-th --attach URL.")
@click.option("--request-id", metavar="KEY",
              help="Idempotency key of this submission: the same key again returns the first case (exit 0, a note).")
@click.option("--allow-duplicate", is_flag=True,
              help="Take the case in even if one with the same requester phone, title and unit came in within "
                   "10 minutes.")
@county_command()
def case_add(county, as_json, method, unit, title, channel, category, description, requester_name,
             requester_phone, requester_id_number, requester_address, anonymous, sets, attach, sha256s,
             request_id, allow_duplicate):
    """Take one case in (intake -> triage -> assignment -> deadline), with its attachments (附件).

    The same submission twice (issue 14): with ``--request-id KEY`` a retry returns the case
    first taken in with KEY (exit 0; ``note: --request-id 'KEY' 已于 T 受理为事项 ID，未写入新内容``
    on stderr, ``"existing": true`` in the JSON);
    without it, a case with the same requester phone, title and unit taken in within
    :data:`DUPLICATE_WINDOW` is refused (exit 1, naming it) unless ``--allow-duplicate``."""
    if request_id is not None:
        earlier = county.find_request(request_id)
        if earlier:  # the same submission retried; other content under the key is refused (exit 1)
            same_request(county, earlier, request_id, method=method, unit=unit, title=title, category=category)
            c = county.get_case(earlier)
            click.echo(f"note: --request-id {request_id.strip()!r} 已于 {c.created_at.isoformat()} 受理为事项 "
                       f"{c.id}，未写入新内容", err=True)
            emit({**case_json(c), "existing": True}, as_json, lambda d: _print_case(county, c))
            return
    urls = [a for a in attach if a.strip().lower().startswith(("http://", "https://"))]
    if len(sha256s) > len(urls):
        raise CountyError(f"--sha256: {len(sha256s)} given for {len(urls)} --attach URL(s) (a file's is computed)")
    given = dict(zip(urls, sha256s))
    files = [attachment_of(a, given.get(a)) for a in attach]  # every one checked before the case is taken in
    c = county.add_case(method, unit, title, channel=channel, category=category, description=description,
                        requester=Requester(requester_name, requester_phone, requester_id_number, requester_address, anonymous),
                        fields=parse_sets(sets), request_id=request_id,
                        duplicate_window=None if allow_duplicate else DUPLICATE_WINDOW)
    for f in files:
        c = county.attach(c.id, **f)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("show")
@click.argument("case_id")
@county_command()
def case_show(county, as_json, case_id):
    """One case with its events."""
    c = county.get_case(case_id)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


def check_filters(county, method: str | None = None, status: str | None = None) -> tuple[str | None, str | None]:
    """The ``--method`` and ``--status`` filters of a listing (``county case list``, ``county
    export``) checked: ``(method, status code)``, each None when not given. ``method`` must be
    enabled in the deployment (``[deployment] methods``) or have cases (one since removed); ``status`` is a code of
    :data:`framework.models.STATUSES` or its Chinese name (:data:`framework.models.STATUS_ZH`,
    e.g. 已办结 → ``resolved``). CountyError (exit 2, one line naming the option and the known
    values) otherwise — a bad filter is refused, never an empty listing."""
    if method is not None:
        county.require_listed(method)
    if status is not None:
        wanted = status.strip()
        code = wanted if wanted in STATUSES else next((k for k, v in STATUS_ZH.items() if v == wanted), None)
        if code is None:
            raise CountyError(f"--status: {status!r} is not a status (known: "
                              f"{', '.join(f'{s} {STATUS_ZH[s]}' for s in STATUSES)})")
        status = code
    return method, status


@case.command("list")
@click.option("--status", help="Only cases with this status: a code or its Chinese name (assigned or 已交办, …).")
@click.option("--unit")
@click.option("--method", help="Only cases of this method (enabled in the deployment).")
@click.option("--overdue", is_flag=True, help="Open cases past their due instant at --now.")
@click.option("--lead", help="Only the cases linked to this lead case (批量办理).")
@click.option("--limit", type=int)
@county_command()
def case_list(county, as_json, status, unit, method, overdue, lead, limit):
    """List cases (with --unit: taken in, held or handled jointly in its subtree; a joint one
    is marked 会办)."""
    method, status = check_filters(county, method, status)
    cases = county.list_cases(status=status, unit=unit, method=method, overdue=overdue, limit=limit, lead=lead)
    area = set(county.subtree(unit)) if unit else set()

    def human(_):
        rows = []
        for c in cases:
            joint = " [会办]" if c.joint_unit in area and c.unit not in area and c.origin_unit not in area else ""
            u = county.units.get(c.unit) if c.unit else None
            rows.append([c.id, f"{STATUS_ZH[c.status]} {c.status}" if c.status in STATUS_ZH else c.status,
                         _tier_label(county, c.method, c.level), u.name if u else (c.unit or "-"),
                         c.due_at.isoformat() if c.due_at else "-", f"{c.title}{joint}"])
        echo_table(rows, ["id", "状态", "层级", "单位", "期限", "标题"] if rows else None)  # by display width
        click.echo(f"共 {len(cases)} 件")

    emit([case_json(c, events=False) for c in cases], as_json, human)


def _tier_label(county, method: str, name: str | None) -> str:
    """``村级 village``: a tier's Chinese title (when its method declares one) before its name;
    ``-`` for none."""
    if not name:
        return "-"
    try:
        t = county.chain_method(method).tier(name) if method in county.registry.methods else None
    except CountyError:
        t = None
    return tier_label(t) if t is not None else name


@case.command("assign")
@click.argument("case_id")
@click.option("--handler")
@click.option("--unit")
@click.option("--note")
@county_command()
def case_assign(county, as_json, case_id, handler, unit, note):
    """Give a case to a person or a unit (a unit at a later tier moves it there; a person or unit
    elsewhere moves the case to that unit, and its later escalation goes up from there)."""
    was = county.get_case(case_id).unit
    c = county.assign(case_id, handler=handler, unit=unit, note=note)
    if was and c.unit != was:  # said aloud: the case's way up changes with its unit
        def name(code):
            u = county.units.get(code)
            return f"{u.name} {code}" if u else code
        click.echo(f"注意：事项 {c.id} 由 {name(was)} 转至 {name(c.unit)}，此后逾期按 {name(c.unit)} 逐级上报", err=True)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("resolve")
@click.argument("case_id")
@click.option("--note", required=True)
@click.option("--cascade", is_flag=True, help="Also resolve every open case linked to this lead case.")
@county_command()
def case_resolve(county, as_json, case_id, note, cascade):
    """Mark a case resolved (办结) at --now (--cascade: with the open cases linked to it)."""
    c = county.resolve(case_id, note, cascade=cascade)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("confirm")
@click.argument("case_id")
@click.option("--satisfaction", required=True,
              help="A level of the case's method (code or Chinese label; default scale: satisfied 满意, "
                   "basically 基本满意, unsatisfied 不满意). Only in a method whose scale reopens cases (zouqian: "
                   "一般 and below, `county plugins show METHOD`) does a level reopen it; elsewhere every level "
                   "closes it and counts in 满意率.")
@click.option("--note")
@county_command()
def case_confirm(county, as_json, case_id, satisfaction, note):
    """The requester's signed confirmation and rating (签字确认). In a method whose satisfaction
    scale reopens cases (e.g. zouqian), a rating it does not accept as closing reopens the case
    (重新办理); in the others every rating closes it (confirmed) and counts in 满意率."""
    c = county.confirm(case_id, satisfaction, note)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("link")
@click.argument("case_ids", nargs=-1, required=True)
@click.option("--to", "lead", required=True, help="The lead case (牵头事项) they are solved with.")
@click.option("--note")
@county_command()
def case_link(county, as_json, case_ids, lead, note):
    """Link cases to a lead case (批量办理): `county case resolve LEAD --cascade` resolves them
    with it."""
    cases = county.link(list(case_ids), lead, note=note)

    def human(_):
        for c in cases:
            click.echo(f"{c.id}  关联牵头事项 {lead}  {c.title}")
        click.echo(f"{len(cases)} 件事项已关联牵头事项 {lead}")

    emit([case_json(c, events=False) for c in cases], as_json, human)


@case.command("escalate")
@click.argument("case_id")
@click.option("--reason")
@county_command()
def case_escalate(county, as_json, case_id, reason):
    """Move a case to the next tier of its chain now (上报)."""
    c = county.escalate(case_id, reason)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@cli.command()
@county_command()
def sweep(county, as_json):
    """Find overdue cases and escalate or flag them per their method's chain (督办).

    One line per action, in Chinese: ``CASE  时限已逾期：close（村级限时办结），期限 DUE；上报 村级
    village → 乡镇 township`` (or ``；督办 村级 village``, ``；督办（无上报层级）``), then ``NOW
    督办：N 项``. A plugin failing on a case does not stop the others (issue 14): each failure
    is a ``sweep_failed`` event on its case and a line ``error: sweep: CASE MILESTONE: 插件 'P'
    在 HOOK 中出错：…`` on stderr (``"failures"`` in the JSON), then a summary line; exit 1."""
    actions = county.sweep()
    failures = list(county.sweep_failures)

    def human(acts):
        known = _swept(county, acts)
        for a in acts:
            method, note = known.get((a["case"], a["milestone"], a["due_at"]), (None, None))
            if a["action"] == "escalate":
                arrow = f"上报 {_tier_label(county, method, a['from'])} → {_tier_label(county, method, a['to'])}"
            else:
                arrow = f"督办 {_tier_label(county, method, a['from'])}" if a["from"] else "督办（无上报层级）"
            click.echo(f"{a['case']}  {overdue_note(a['milestone'], note, a['due_at'])}；{arrow}")
        click.echo(f"{county.now().isoformat()} 督办：{len(acts)} 项")

    doc = {"now": county.now().isoformat(), "actions": actions}
    if failures:
        doc["failures"] = failures
    emit(doc, as_json, lambda d: human(actions))
    if failures:
        for f in failures:
            cause = ("跳过" if f["plugin"] == "kernel" else  # kernel: a --now before the case's latest event
                     f"插件 {f['plugin']!r} 在 {f['hook']} 中出错")
            click.echo(f"error: sweep: {f['case']} {f['milestone']}: {cause}：{f['error']}", err=True)
        click.echo(f"error: sweep: {len(failures)} 个时限失败（{len({f['case'] for f in failures})} 件事项），"
                   f"{len(actions)} 项已处理；失败的时限仍待办，留待下次督办", err=True)
        sys.exit(1)


def _swept(county, acts: list[dict]) -> dict[tuple, tuple[str, str | None]]:
    """``{(case, milestone, due_at): (method, the milestone's Chinese description or None)}``
    for the sweep's actions: read by case id, 500 at a time (the human lines only)."""
    ids = sorted({a["case"] for a in acts})
    out: dict[tuple, tuple[str, str | None]] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for cid, method, name, due, note in county.store.db.execute(
                "select c.id, c.method, m.name, m.due_at, m.note from cases c join milestones m on m.case_id = c.id "
                f"where c.id in ({','.join('?' * len(part))})", part):
            out[(cid, name, due)] = (method, note)
    return out


@case.command("signoff")
@click.argument("case_id")
@click.option("--party", "parties", multiple=True, required=True, metavar="ID:NAME",
              help="A party who must sign (e.g. h01:张三户); repeat for each.")
@click.option("--note")
@county_command()
def case_signoff(county, as_json, case_id, parties, note):
    """List the parties who must sign before the case may be resolved (签字进度, N of M)."""
    pairs = []
    for p in parties:
        pid, sep, name = p.partition(":")
        if not sep or not pid.strip() or not name.strip():
            raise CountyError(f"--party {p!r}: write ID:NAME (e.g. h01:张三户)")
        pairs.append((pid.strip(), name.strip()))
    c = county.require_signoff(case_id, pairs, note=note)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("sign")
@click.argument("case_id")
@click.option("--party", required=True, metavar="ID", help="The party who signs.")
@click.option("--when", help="When it signed (ISO 8601; default --now).")
@click.option("--note")
@county_command()
def case_sign(county, as_json, case_id, party, when, note):
    """Record one party's signature (签字)."""
    at = parse_instant(when, county.deployment.timezone, what="--when") if when else None
    c = county.sign(case_id, party, at=at, note=note)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))


@case.command("attach")
@click.argument("case_id")
@click.argument("ref", metavar="PATH_OR_URL")
@click.option("--sha256", help="The checksum of a URL (a file's is computed and checked against this).")
@click.option("--media-type", help="type/subtype, e.g. image/jpeg (a file's is guessed from its extension).")
@click.option("--caption")
@county_command()
def case_attach(county, as_json, case_id, ref, sha256, media_type, caption):
    """Attach a photo, video or document by reference and checksum (附件; the file is not copied)."""
    c = county.attach(case_id, **attachment_of(ref, sha256, media_type), caption=caption)
    emit(case_json(c), as_json, lambda d: _print_case(county, c))
