"""dianti: Sinan County's "order a service" method (贵州思南“点题服务”), casebook L63–103.

Pipeline (L75): 群众点题申请 villagers pick a topic → 支部组织协调 the party branch coordinates →
党员和能人服务 party members and capable people serve → 群众监督落实 villagers supervise. Three
centres (L77–83) carry it:

* 服务协调中心 coordination centre (L81): takes requests at its window, staffed on a rota of
  village cadres (村干部轮流坐班), decides the service group and the requirement — **intake**
  and **triage**;
* 能人服务中心 skilled-people service centre (L79): the register (能人档案) and its service groups,
  each led by a capable party member — **assignment** to a group and a responsible member;
* 服务监督中心 supervision centre (L83): supervises, posts the 点题服务公开栏 and evaluates the
  effect every quarter; once a year three awards — **publicity** and **appraisal**.

The source names no time limit: a committed service date (``--set service_date=YYYY-MM-DD``)
gives the case its due instant (end of that day, local); otherwise the case has none, and a
deployment may bind the stage to another method (``[bindings] dianti.deadline = "taizhang"``).
"""

from __future__ import annotations

from framework import MethodInfo, Setting, hookimpl
from plugins.dianti import registry
from plugins.dianti.commands import county_register_commands  # noqa: F401  (hook)
from plugins.dianti.evaluation import county_appraisal, county_duties  # noqa: F401  (hooks)
from plugins.dianti.publicity import county_publicity  # noqa: F401  (hook)
from plugins.dianti.stages import (  # noqa: F401  (hooks)
    CHANNELS,
    DiantiExtra,
    county_assignment,
    county_deadline,
    county_intake,
    county_triage,
)

SETTINGS = [
    Setting("board_period", "month",
            "cadence of the 点题服务公开栏: month, quarter or year (L83 says only 定期 'regularly')"),
    Setting("satisfaction_scores", {"satisfied": 5, "basically": 3, "unsatisfied": 1},
            "score (1–5) a kernel confirmation counts as when a service has no `dianti rate` rating"),
    Setting("good_score", 4, "a service scored at least this (1–5) counts as well rated (好评) in the quarterly evaluation"),
    Setting("award_min_group_services", 3, "优质服务小组: a group needs at least N rated services in the year"),
    Setting("award_min_project_ratings", 3, "优秀服务项目: a service needs at least N villagers' ratings"),
    Setting("award_min_star_services", 3, "服务明星: a member needs at least N rated services in the year"),
]


@hookimpl
def county_method():
    """Declare 点题服务 (Sinan, casebook L63–103): six stages, no tier chain of its own."""
    return MethodInfo(
        name="dianti", title_zh="点题服务", title="Order-a-service (topic-picking) method",
        source_county="贵州省思南县 Sinan County, Guizhou", source_lines="L63–103", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories={}, tiers=[],
        roles={"skilled_member": "能人服务中心成员（能人）", "party_member": "党员",
               "group_leader": "服务小组组长（能人党员）", "village_cadre": "村干部（协调中心窗口坐班）",
               "supervisor": "服务监督中心成员（村监事会）"},
        settings=SETTINGS, extra_type=DiantiExtra,
    )


@hookimpl
def county_migrations(migrations):
    """dianti's tables: groups, register, centre members, window rota, ratings, reviews
    (see :mod:`plugins.dianti.registry`). Returns nothing."""
    registry.add_migrations(migrations)
