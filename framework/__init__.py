"""county-methods: six pluggable stages for county citizen-service work methods (工作法).

This package root is **the plugin API**: everything a method plugin imports comes from here,
and nothing else of ``framework`` is public to plugins (a test enforces it for ``plugins/``)::

    from framework import hookimpl, MethodInfo, Tier, Deadline, Milestone

    @hookimpl
    def county_method():
        return MethodInfo(name="mymethod", ...)

    @hookimpl
    def county_deadline(ctx, case, level, arrived_at):
        return Deadline([Milestone("limit", ctx.calendar.calendar_days(arrived_at, 5), primary=True)])

What a hook receives as ``ctx`` is a :class:`MethodContext` (read API ``ctx.cases`` /
``ctx.events`` / ``ctx.milestones``, write API ``ctx.actions``, the plugin's own tables
``ctx.db``); every hook is documented in ``docs/hooks.md`` and :mod:`framework.hookspecs`.

The rest of the package is the kernel's own: ``kernel/`` (the county facade, stages, sweep,
registry, deployment config), ``store/`` (schema, rows), ``publish/`` (masking, boards,
appraisal, reports, serve), ``interchange/`` (readers, mappings, Open311, importer, triage),
``cli/``, ``demo/`` and ``testing/`` (the conformance suite and pytest fixtures).
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports on first use
    from framework.cli.core import county_command, emit, parse_sets, read_table
    from framework.errors import CountyError, NotFound, PluginError, Refusal
    from framework.hookspecs import hookimpl, hookspec
    from framework.kernel.context import (
        Actions, AttachmentQuery, MethodContext, People, PluginTables, SignOffQuery,
    )
    from framework.kernel.queries import (
        CaseQuery, EventQuery, LoggedEvent, MilestoneQuery, MilestoneRecord, chunks,
    )
    from framework.kernel.county import case_json
    from framework.kernel.deployment_tables import Column, DeploymentTable, row_change
    from framework.kernel.stages import structure_extra
    from framework.models import (
        DONE_STATUSES, OPEN_STATUSES, SATISFACTION, SATISFACTION_ZH, STAGES, STATUS_ZH, STATUSES, Assignment, Board,
        BoardSection, Case, Deadline, Duty, Event, IntakeResult, MethodInfo, Metric, Milestone, Person, Requester,
        SatisfactionScale, Setting, SignOff, SignOffParty, Attachment, StageRule, Tier, TriageResult, Unit, rate,
    )
    from framework.publish.masking import mask_address, mask_name, mask_phone
    from framework.publish.masking_text import mask_text
    from framework.timerules import Calendar, parse_date, parse_instant, parse_month, period_dates, shift_period

#: Every name of the plugin API -> the module that defines it, imported the first time the name is
#: used (PEP 562: ``from framework import hookimpl`` loads :mod:`framework.hookspecs` only), so that
#: ``import framework`` and ``county --help`` load nothing a command does not use (issue 13).
LAZY_API: dict[str, str] = {
    "county_command": "framework.cli.core", "emit": "framework.cli.core", "parse_sets": "framework.cli.core",
    "read_table": "framework.cli.core",
    "CountyError": "framework.errors", "NotFound": "framework.errors", "PluginError": "framework.errors",
    "Refusal": "framework.errors",
    "hookimpl": "framework.hookspecs", "hookspec": "framework.hookspecs",
    "Actions": "framework.kernel.context", "AttachmentQuery": "framework.kernel.context",
    "MethodContext": "framework.kernel.context", "People": "framework.kernel.context",
    "PluginTables": "framework.kernel.context", "SignOffQuery": "framework.kernel.context",
    "CaseQuery": "framework.kernel.queries", "EventQuery": "framework.kernel.queries",
    "LoggedEvent": "framework.kernel.queries", "MilestoneQuery": "framework.kernel.queries",
    "MilestoneRecord": "framework.kernel.queries", "chunks": "framework.kernel.queries",
    "case_json": "framework.kernel.county",
    "Column": "framework.kernel.deployment_tables", "DeploymentTable": "framework.kernel.deployment_tables",
    "row_change": "framework.kernel.deployment_tables",
    "structure_extra": "framework.kernel.stages",
    "DONE_STATUSES": "framework.models", "OPEN_STATUSES": "framework.models",
    "SATISFACTION": "framework.models", "SATISFACTION_ZH": "framework.models", "STAGES": "framework.models",
    "STATUS_ZH": "framework.models", "STATUSES": "framework.models", "Assignment": "framework.models",
    "Board": "framework.models", "BoardSection": "framework.models", "Case": "framework.models",
    "Deadline": "framework.models", "Duty": "framework.models", "Event": "framework.models",
    "IntakeResult": "framework.models", "MethodInfo": "framework.models", "Metric": "framework.models",
    "Milestone": "framework.models", "Person": "framework.models", "Requester": "framework.models",
    "SatisfactionScale": "framework.models", "Setting": "framework.models", "SignOff": "framework.models",
    "SignOffParty": "framework.models", "Attachment": "framework.models", "StageRule": "framework.models",
    "Tier": "framework.models", "TriageResult": "framework.models", "Unit": "framework.models",
    "rate": "framework.models",
    "mask_address": "framework.publish.masking", "mask_name": "framework.publish.masking",
    "mask_phone": "framework.publish.masking",
    "mask_text": "framework.publish.masking_text",
    "Calendar": "framework.timerules", "parse_date": "framework.timerules",
    "parse_instant": "framework.timerules", "parse_month": "framework.timerules",
    "period_dates": "framework.timerules", "shift_period": "framework.timerules",
}

__version__ = "0.2.0"
__all__ = [
    # hooks
    "hookimpl", "hookspec",
    # the context and its read/write API
    "MethodContext", "CaseQuery", "EventQuery", "MilestoneQuery", "Actions", "PluginTables", "People",
    "LoggedEvent", "MilestoneRecord", "chunks", "SignOffQuery", "AttachmentQuery",
    # records
    "Case", "Event", "Requester", "Unit", "Person", "MethodInfo", "Tier", "Setting", "StageRule", "SatisfactionScale",
    "SignOff", "SignOffParty", "Attachment", "IntakeResult", "DeploymentTable", "Column", "row_change",
    "TriageResult", "Assignment", "Deadline", "Milestone", "Board", "BoardSection", "Metric", "Duty", "rate",
    "STAGES", "STATUSES", "OPEN_STATUSES", "DONE_STATUSES", "SATISFACTION", "SATISFACTION_ZH", "STATUS_ZH",
    # errors
    "CountyError", "NotFound", "Refusal", "PluginError",
    # time
    "Calendar", "parse_date", "parse_instant", "parse_month", "period_dates", "shift_period",
    # helpers for plugins' intake and commands
    "structure_extra", "case_json", "county_command", "emit", "parse_sets", "read_table", "mask_phone",
    "mask_name", "mask_address", "mask_text",
    "__version__",
]


def __getattr__(name: str):
    """Import the module of plugin-API name ``name`` (:data:`LAZY_API`) and return the name;
    AttributeError for any other name."""
    module = LAZY_API.get(name)
    if module is None:
        raise AttributeError(f"module 'framework' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(LAZY_API))
