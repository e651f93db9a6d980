"""xiangkai: Jingning County's township meetings held in villages (景宁“乡会村开”), casebook
L233–264 (methods.md §2.10).

A method built around meetings rather than single requests:

* a **case is a topic** (议题) gathered by linked leaders and resident cadres on visits, by
  hotline, opinion box or online (征集议题, L246); triage sorts it into the three classes and
  gives it a priority by 轻重缓急 (梳理议题, L246); the **contact network** behind the visits
  (each leader 1 village, 1 party organisation, 1 secretary; 1 stationed cadre per village;
  each cadre ≥ 1 needy person, L246) is recorded and checked (``network``);
* **meetings** (乡会) are the plugin's own data: a village, a type chosen by the situation
  (L250), a time preferring slack season, rainy days and evenings (L250), a place (L250),
  invitees by type (L248) and an agenda of topics; held one topic at a time (一事一议, L252);
* every topic settled at a meeting gets a **supervision notice** (督办通知书) with the three
  fixes (三定: responsible person, completion deadline, quality standard, L253): the case moves
  from tier ``topic`` (no due instant) to tier ``supervised`` whose deadline hook returns the
  notice's completion deadline as a ``flag`` milestone, so the kernel's sweep flags misses;
  a topic that gets none has its reason recorded; callback visits (回访) are due on a cadence
  (``followup``);
* a **monthly plan** gives every month a theme and every village a meeting a year (L246);
* boards publish the meeting notice before and the resolutions after (L252); appraisal counts
  topics collected, settled and done on time per village and township, and the satisfaction
  ratings of L262.

Layout: this module holds the MethodInfo and every hook, each delegating to a module —
``rules`` (source facts, tiers, settings), ``stages`` (intake … deadline), ``publicity``,
``appraisal``, ``duties``, ``tables`` (migrations and reads of the plugin's tables),
``service`` (meetings, notices, callbacks, plan, ratings; used by ``commands`` and ``demo``).
Everything reaches the kernel through ``ctx`` (:class:`framework.MethodContext`) only.

Only what loading the plugin, its stages and its appraisal need is imported with it; the modules
of its commands, demo, county-file tables, duties and boards are imported by the hook that
uses them (issue 13: start-up).
"""

from __future__ import annotations

from framework import MethodInfo, StageRule, hookimpl
from plugins.xiangkai import appraisal, rules, stages, tables


@hookimpl
def county_method():
    """Declare 乡会村开 (Jingning, L233–264): four channels, three classes, the tier chain
    topic → supervised, the invitee roles of L248 and the scheduling settings."""
    return MethodInfo(
        event_labels=rules.EVENT_LABELS,
        name=rules.METHOD, title_zh="乡会村开", title="Township meetings held in villages",
        source_county="浙江省景宁畲族自治县 Jingning County, Zhejiang", source_lines="L233–264", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=rules.CHANNELS, categories=rules.CATEGORIES, tiers=rules.TIERS, roles=rules.ROLES,
        settings=rules.SETTINGS, extra_type=rules.XiangkaiExtra,
        stage_rules={  # [bindings] may give none of its stages away, nor bind another method's to them
            "intake": StageRule("征集议题: a topic is gathered on visits, by hotline, opinion box or online, with "
                                "its urgency and importance (L246)", keep=True),
            "triage": StageRule("梳理议题: topics are sorted into 民生民本、经济建设、基层组织建设 and by 轻重缓急 "
                                "(L246)", keep=True, lend=False),
            "assignment": StageRule("a topic stays with the unit that took it in until its supervision notice "
                                    "names the responsible person (定责任人, L253)", keep=True, lend=False),
            "deadline": StageRule("a topic waits at its own tier topic, with no limit, and only an open topic at "
                                  "tier topic can go on a meeting's agenda (L246, L252); a settled topic is due "
                                  "by its supervision notice's completion deadline (定完成时限, L253)",
                                  keep=True, lend=False),
        },
    )


@hookimpl
def county_migrations(migrations):
    """Create the plugin's tables (meetings, agenda, notices, callbacks, plan, ratings)."""
    tables.register(migrations)


@hookimpl
def county_register_commands(cli):
    """Add ``county xiangkai …`` (meeting add/hold/cancel/list/show, notice issue/list/waive/check,
    network link/unlink/list/check, callback, month, plan, rating, types)."""
    from plugins.xiangkai import commands
    cli.add_command(commands.group)


@hookimpl
def county_deployment_tables():
    """``[[xiangkai.contacts]]``: the contact network of L246 in the county file
    (:mod:`plugins.xiangkai.deployment`). Returns a list of DeploymentTable."""
    from plugins.xiangkai import deployment
    return deployment.deployment_tables()


@hookimpl
def county_intake(ctx, case, fields):
    """征集议题 (L246): a topic needs its source channel; ``--set collector=``, ``platform=``,
    ``urgency=``, ``importance=``. Returns IntakeResult at tier ``topic``. See
    :func:`plugins.xiangkai.stages.intake`."""
    return stages.intake(ctx, case, fields)


@hookimpl
def county_triage(ctx, case):
    """梳理议题 (L246): one of the three classes and a priority by 轻重缓急. Returns
    TriageResult. See :func:`plugins.xiangkai.stages.triage`."""
    return stages.triage(ctx, case)


@hookimpl
def county_assignment(ctx, case, level):
    """The topic stays with the unit that took it in; at tier ``supervised`` the notice's
    responsible person (定责任人, L253) becomes the handler. See
    :func:`plugins.xiangkai.stages.assignment`."""
    return stages.assignment(ctx, case, level)


@hookimpl
def county_deadline(ctx, case, level, arrived_at):
    """Tier ``topic``: no due instant. Tier ``supervised``: a primary ``flag`` milestone at
    the notice's completion deadline (定完成时限, L253). See
    :func:`plugins.xiangkai.stages.deadline`."""
    return stages.deadline(ctx, case, level, arrived_at)


@hookimpl
def county_publicity(ctx, unit, period, cases):
    """会前公布 / 会后公布 (L252, L253): the meeting-notice board and the resolutions and
    supervision board for ``unit``'s subtree and ``period``; raw rows, topics carry
    ``case_id``. See :func:`plugins.xiangkai.publicity.publicity`."""
    from plugins.xiangkai import publicity
    return publicity.publicity(ctx, unit, period)


@hookimpl
def county_appraisal(ctx, unit, period):
    """Topics collected, meetings held, topics settled, notices issued and done on time,
    village coverage and satisfaction ratings per village and township (L246, L253, L262).
    See :func:`plugins.xiangkai.appraisal.appraisal`."""
    return appraisal.appraisal(ctx, unit, period)


@hookimpl
def county_duties(ctx, unit, on_date):
    """Meetings scheduled and supervision notices due on ``on_date`` (local date), studied
    topics awaiting a notice or a reason, return visits on their cadence, and on the 1st of a
    month the contact network's gaps (L246, L253). See :func:`plugins.xiangkai.duties.duties`."""
    from plugins.xiangkai import duties
    return duties.duties(ctx, unit, on_date)


@hookimpl
def county_demo(ctx, period, titles):
    """A month of 乡会村开 at 新建村 in the demo county: the month's plan, three topics (real
    message titles where given), one evening meeting held, two supervision notices, one
    callback. Returns the summary line. See :func:`plugins.xiangkai.demo.county_demo`."""
    from plugins.xiangkai import demo
    return demo.county_demo(ctx, period, titles)
