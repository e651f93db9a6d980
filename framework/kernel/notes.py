"""The kernel's own human text (Chinese, conventions §1 and the glossary of docs/methods.md):
the notes of the events it writes itself — the sweep's 督办 and 上报, an operator's 上报, a
case's intake channel, a plugin's failure — as operators and the public read them in
``county case show``, on boards and in ``county export --public``. Ids, instants, numbers and
codes stay as they are, after their Chinese names.

Notes are human text only: nothing parses one (the events' ``data`` carries the facts), and
the audit chain hashes a note as written, so events written before these texts keep their
English notes (``close due … missed``, ``close missed: escalated by sweep``, ``escalated by
operator``, ``channel=phone``, ``plugin 'x' failed in HOOK: …``) — history is never rewritten.
"""

from __future__ import annotations

from typing import Any


def milestone_label(name: str, note: str | None) -> str:
    """A milestone as an operator reads it: ``close（村级限时办结）`` — its name (an id, as it
    is) with the method's Chinese description (``Milestone.note``) when it gives one, else
    ``close``."""
    return f"{name}（{note}）" if note else name


def overdue_note(name: str, note: str | None, due: str | None) -> str:
    """The note of the sweep's ``overdue`` (督办) event of milestone ``name`` (its Chinese
    description ``note``, its due instant ``due`` as stored, ISO 8601 with offset):
    ``时限已逾期：close（村级限时办结），期限 2026-11-07T23:59:59+08:00``. Human text only:
    nothing parses it (the event's data carries milestone, due_at, action); events written
    before it keep their English notes (``close due … missed``)."""
    return f"时限已逾期：{milestone_label(name, note)}，期限 {due or '-'}"


def escalated_note(name: str, note: str | None, target) -> str:
    """The note of the sweep's ``escalated`` event (上报) after milestone ``name`` was missed,
    the tier ``target`` (a :class:`~framework.models.Tier`) by its Chinese title:
    ``时限逾期：close（村级限时办结），督办上报至乡镇 township`` (was ``close missed: escalated
    by sweep``)."""
    return f"时限逾期：{milestone_label(name, note)}，督办上报至{tier_label(target)}"


def tier_label(tier) -> str:
    """``乡镇 township``: a tier (:class:`~framework.models.Tier`) by its Chinese title, then
    its name (the name alone when the method gives no title)."""
    return f"{tier.title_zh} {tier.name}" if tier.title_zh else tier.name


def failed_note(plugin: str, hook: str, detail) -> str:
    """The note of a ``sweep_failed`` event: ``插件 'x' 在 county_deadline 中出错：ValueError: …``
    (the plugin's own error text as it is; was ``plugin 'x' failed in county_deadline: …``)."""
    return f"插件 {plugin!r} 在 {hook} 中出错：{detail}"


def channel_note(registry: Any, method: str, channel: str | None) -> str | None:
    """The note of a case's ``registered`` event (登记): ``受理渠道 12345热线 hotline`` — the
    channel's Chinese label from ``MethodInfo.channels`` of ``method`` (when the method gives
    one), then its code; None without a channel (was ``channel=hotline``)."""
    if not channel:
        return None
    info = registry.methods.get(method)
    label = info.channels.get(channel) if info is not None else None
    return f"受理渠道 {label} {channel}" if label and label != channel else f"受理渠道 {channel}"


def operator_escalated_note(target) -> str:
    """The note of an operator's ``county case escalate`` without ``--reason`` (人工上报):
    ``人工上报至乡镇 township`` (was ``escalated by operator``)."""
    return f"人工上报至{tier_label(target)}"


def calendar_note(year: int) -> str:
    """The note of a case's ``warning`` event (提示, data ``{"kind": "calendar", "year"}``) when its
    working days fall in ``year`` and the holiday library has no official schedule for it
    (conventions §2): ``节假日库尚无 2031 年的官方放假调休安排：该年工作日仅按周末和固定节日推算，
    请在 [calendar] 中补充`` (the CLI's stderr line, :meth:`~framework.timerules.Calendar.year_warning`,
    says the same for the operator)."""
    return (f"节假日库尚无 {year} 年的官方放假调休安排：该年工作日仅按周末和固定节日推算，"
            f"请在 [calendar] 中补充")
