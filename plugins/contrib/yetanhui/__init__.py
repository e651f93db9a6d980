"""yetanhui: Julu County's cadre–villager evening talks (巨鹿“干群夜谈会”), casebook L167–176
(methods.md §2.7), written only against the public plugin API (the ``framework`` root).

A method built around meetings:

* a **talk** (夜谈会) is the plugin's own record (``yetanhui_talks``): a village, an evening,
  topics fixed by the village party branch, a format (漫谈、座谈、辩论、授课), the contact cadre
  (包村干部) who convenes it, its notice posted three days ahead, its attendance (the contact
  cadre present, ordinary villagers ≥ 40 %) and minutes (L172, L176);
* a **matter** (问题) raised at a talk is a kernel case linked to it (``extra.talk``): answered
  on the spot (settled), given a named handler and a promised date (tier ``village``), or sent
  to the township party committee (tier ``township``), which studies matters together and
  replies within 10 days of the study (tier ``township_reply``, entered by
  ``county yetanhui study``) (L176);
* **一单三簿** are the plugin's records and board: the result report form, the minutes book,
  the public-notice book and the inspection book (L176); the five prohibitions (五个不准) are
  validations and inspection findings; the award bans (L176) are appraisal figures.

Layout: this module holds the MethodInfo and every hook, each delegating — ``rules`` (source
facts), ``stages``, ``talks`` and ``service`` (the logic), ``publicity``, ``appraisal``,
``duties``, ``tables``, ``commands``, ``demo``.
"""

from __future__ import annotations

from framework import MethodInfo, StageRule, hookimpl
from plugins.contrib.yetanhui import appraisal, commands, demo, duties, publicity, rules, stages, tables


@hookimpl
def county_method():
    """Declare 干群夜谈会 (Julu, Hebei, L167–176): four channels, the five linked purposes as
    categories (L172), the chain village → township → township_reply (L176), roles and
    settings."""
    return MethodInfo(
        name=rules.METHOD, title_zh="干群夜谈会", title="Cadre–villager evening talks",
        source_county="河北省巨鹿县 Julu County, Hebei", source_lines="L167–176", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.YetanhuiExtra, event_labels=rules.EVENT_LABELS,
        stage_rules={
            "intake": StageRule("a matter raised at a talk is decided there: answered on the spot, a named handler "
                                "with a promised date, or the township party committee (L176)", keep=True),
            "triage": StageRule("the decision at the talk sets the starting tier (L176)", keep=True, lend=False),
            "assignment": StageRule("the handler named at the talk (明确具体承办人, L176)", keep=True, lend=False),
            "deadline": StageRule("the date promised at the talk; the township's reply 10 days after its collective "
                                  "study (L176)", keep=True, lend=False),
        },
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (talks, talk log, contacts, studies, reports, inspections)."""
    tables.register(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county yetanhui …`` (contact, talk add/notice/postpone/cancel/hold/list/show,
    study, report, inspect)."""
    cli.add_command(commands.group)


@hookimpl
def county_intake(ctx, case, fields):
    """A matter's fields (talk, form, outcome, handler, promised, answer, major); settled when
    answered on the spot (L176). See :func:`plugins.contrib.yetanhui.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """The outcome sets the starting tier; a major matter is high priority (L176). See
    :func:`plugins.contrib.yetanhui.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """Village: the named handler; township: the township and its deputy secretary (L176).
    See :func:`plugins.contrib.yetanhui.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Village: the promised date (flag); township: none unless ``study_days``;
    township_reply: 10 calendar days after the study (L176). See
    :func:`plugins.contrib.yetanhui.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """Each village's talk notice board and the township's 一单三簿 (L172, L176). See
    :func:`plugins.contrib.yetanhui.publicity.publicity`."""
    return publicity.publicity(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Talk figures per village and township and the award bans (L176). See
    :func:`plugins.contrib.yetanhui.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """A talk a month per village, each talk's notice three days ahead, each talk on its day
    (L172, L176). See :func:`plugins.contrib.yetanhui.duties.duties`."""
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of evening talks at 黄石村 (demo county). Returns the summary line. See
    :func:`plugins.contrib.yetanhui.demo.county_demo`."""
    return demo.county_demo(ctx, period, titles)
