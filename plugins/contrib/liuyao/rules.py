"""The method's source facts: declaration, vocabularies, the decision routing table, the
disclosure catalogue, settings and the case fields. Casebook: Nanping City, Fujian (福建南平),
L178–219 (methods.md §2.8); where the spec and the Chinese original differ the original wins
(README, "Spec vs original").

* L181: the six musts (六要) — the party organisation must lead (要引领); villagers must know
  (要知道), take part (要参与), decide (要作主), supervise (要监督) and be satisfied (要满意).
* L185: six steps for a major matter — 征求意见、议事决策、任务分解、公开承诺、组织实施、考评奖惩.
* L187: the disclosure catalogue (党务、村务公开目录), four forms (公开栏、议事点、联户代表、户代表),
  每件事务以2种以上形式随时公开或每月公开、季度公开, awareness 100%.
* L189: opinion collection (户代表议事点、征求意见表、征求意见箱、民主听证会) and, 必要时, direct
  reports to the two committees; the per-matter council (一事一议理事会).
* L191: the decision path (党组织提议 → 两委会讨论商议 → 党员大会讨论审议 → 集体决策) and the routing
  by matter type: two committees / representative meeting / villager assembly (票决).
* L193: a named supervision responsible person per matter (指定具体监督责任人), results posted on
  the 公开栏 and 信息栏, hearings when needed; reports by party members and villagers answered
  within 15 working days (15个工作日内予以答复).
* L195: 一事一测评、半年初评、年度考评 at representative meetings, linked by the township party
  committee to cadres' rewards, pay and posts.

Numbers the casebook does not give are settings with documented defaults (README).
"""

from __future__ import annotations

import datetime as dt

import attrs

from framework import CountyError, MethodInfo, Setting, StageRule, period_dates

METHOD = "liuyao"

#: What a case is (methods.md §2.8 "Case"): a major village matter or a report by a villager.
KINDS = {"matter": "重大村务事项", "report": "党员群众反映问题"}

#: Who reports (L193 党员群众).
REPORTERS = {"party_member": "党员", "villager": "群众"}

#: Intake channels. Opinion collection (L189) and reports (L193); ``party_proposal`` is the
#: party organisation's own proposal of a major matter (L191 经村党组织集体研究提议).
CHANNELS = {
    "discussion_point": "户代表议事点征求意见",   # L189
    "opinion_form": "征求意见表",                 # L189
    "opinion_box": "征求意见箱",                  # L189
    "hearing": "民主听证会",                      # L189
    "direct": "直接向村“两委”反映",              # L189 必要时村民可直接…向村“两委”反映情况
    "representative": "通过村民代表、联户代表、户代表反映",  # L189
    "party_org": "向村党组织反映",                # L193
    "supervisory_committee": "向村务监督委员会反映",  # L193
    "higher_department": "向上级有关部门反映",    # L193
    "party_proposal": "党组织集体研究提议",       # L191
}

#: The three decision bodies of L191, lowest first (the villager assembly is the highest).
BODIES = {
    "two_committees": "村“两委”讨论决策",
    "rep_meeting": "村民代表会议（联户代表会议、户代表会议）讨论决策",
    "villager_assembly": "村民会议讨论决策（依法票决）",
}
BODY_RANK = {"two_committees": 0, "rep_meeting": 1, "villager_assembly": 2}
#: L191 村民代表会议或联户代表会议、户代表会议; also where ratings are held (L195).
MEETING_KINDS = {"villager": "村民代表会议", "joint_household": "联户代表会议", "household": "户代表会议"}

#: Matter types (categories) and the body that decides each (L191), in the source's words.
CATEGORIES = {
    "party_building": "党建工作",
    "family_planning": "计划生育",
    "public_order": "社会治安",
    "awards": "评先评优",
    "village_plan": "新村建设规划",
    "infrastructure": "基础设施建设",
    "collective_property": "集体财产处置",
    "strong_concern": "村民反映强烈的事项",
    "committee_election": "村委会换届选举",
    "vital_interest": "其他与村民切身利益相关的重大事项",
    "other": "其他（由村“两委”根据村务性质确定决策形式）",
}
ROUTING = {
    "party_building": "two_committees", "family_planning": "two_committees", "public_order": "two_committees",
    "awards": "two_committees",                                   # L191 日常事务，由村“两委”讨论决策
    "village_plan": "rep_meeting", "infrastructure": "rep_meeting", "collective_property": "rep_meeting",
    "strong_concern": "rep_meeting",                              # L191 由村委会提请村民代表会议…讨论决策
    "committee_election": "villager_assembly", "vital_interest": "villager_assembly",  # L191 提请村民会议…票决
}
#: Words in a title that file a matter without ``--category`` (the plugin's choice; first match
#: wins, most specific first). Election before award, property before infrastructure.
KEYWORDS = [
    ("committee_election", ("换届", "选举", "罢免")),
    ("vital_interest", ("征地", "征用", "补偿", "宅基地", "拆迁", "土地承包调整")),
    ("collective_property", ("集体资产", "集体财产", "山林", "林地", "出租", "出让", "拍卖", "招投标", "发包")),
    ("village_plan", ("规划", "新村建设", "中心村")),
    ("infrastructure", ("修路", "道路", "村道", "公路", "桥", "水利", "饮水", "水渠", "路灯", "基础设施")),
    ("awards", ("评先", "评优", "表彰", "先进")),
    ("family_planning", ("计划生育", "计生")),
    ("public_order", ("治安", "防盗", "巡逻")),
    ("party_building", ("党建", "党员发展", "党支部", "组织生活")),
]

#: The disclosure catalogue (公开目录, L187) and the forms (L187; 信息栏 from L193).
CATALOGUE = {
    "new_village_plan": "新农村建设规划",
    "finance": "村财收支",
    "cadre_allowance": "村干补贴",
    "collective_assets": "集体资产购建与处置",
    "public_projects": "公益性项目及工程招投标",
    "forest_land": "林地承包",
    "land_requisition": "土地征用及补偿",
    "homestead": "宅基地分配",
    "relief": "救灾救济款物",
    "family_planning": "计划生育",
    "min_living": "农村低保",
    "awards": "评先评优",
    "major_matter": "其他重大事项（经村“两委”确定后公开）",
}
CADENCES = {"anytime": "随时公开", "monthly": "每月公开", "quarterly": "季度公开"}
#: Default cadence per item. L187 gives the three cadences "严格按照村级事务的性质" but not which
#: item takes which: money flows monthly, standing lists quarterly, one-off matters at any time.
DEFAULT_CATALOGUE = {
    "new_village_plan": "anytime", "finance": "monthly", "cadre_allowance": "quarterly",
    "collective_assets": "anytime", "public_projects": "anytime", "forest_land": "anytime",
    "land_requisition": "anytime", "homestead": "anytime", "relief": "anytime",
    "family_planning": "quarterly", "min_living": "quarterly", "awards": "anytime", "major_matter": "anytime",
}
#: The catalogue item a decided matter of each type is disclosed under (L187 lists them).
ITEM_OF_CATEGORY = {
    "village_plan": "new_village_plan", "collective_property": "collective_assets",
    "infrastructure": "public_projects", "awards": "awards", "family_planning": "family_planning",
}
FORMS = {
    "board": "公开栏",                 # L187 上到公开栏
    "discussion_point": "议事点",      # L187 下到议事点
    "joint_household_rep": "联户代表",  # L187 发到联户代表
    "household_rep": "户代表",          # L187 送到户代表
    "info_board": "信息栏",             # L193 在公开栏和信息栏公布监督结果
}

#: The decision path of a major matter (L191), in order.
PROCEDURE = {
    "proposed": "村党组织集体研究提议",
    "discussed": "村“两委”会讨论商议",
    "reviewed": "党员大会讨论审议",
}

#: Rating rounds (L195 一事一测评、半年初评、年度考评).
RATING_KINDS = {"matter": "一事一测评", "half_year": "半年初评", "annual": "年度考评"}
VOTES = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
GRADES = {"reward": "优秀（奖励）", "pass": "称职", "adjust": "不满意（扣减报酬、调整职务）"}

ROLES = {
    "village_party_secretary": "村党组织书记（引领：提议、组织实施）",
    "village_cadre": "村干部（村“两委”成员）",
    "supervision_member": "村务监督委员会成员（监督责任人）",
    "council_member": "一事一议理事会成员",
    "household_rep": "户代表 / 联户代表",
    "township_cadre": "乡镇（街道）党（工）委干部",
    "department_staff": "上级有关部门工作人员",
}
#: The person who answers a report, by the body it was made to (L193): the unit's one person
#: holding the first role present.
RECEIVER_ROLES = {
    "party_org": ("village_party_secretary", "village_cadre"),
    "supervisory_committee": ("supervision_member", "village_cadre"),
    "higher_department": ("department_staff", "township_cadre"),
}
#: Any other channel (to the two committees, directly or through representatives, L189): the
#: secretary who leads them, else the unit's one cadre.
DEFAULT_RECEIVER_ROLES = ("village_party_secretary", "village_cadre", "township_cadre", "department_staff")

SETTINGS = [
    Setting("reply_working_days", 15, "a report by a party member or villager is answered within N working days "
            "(L193 15个工作日内予以答复): 23:59:59 local on the Nth working day after the day it was made, "
            "China's calendar with 调休 make-up days; missed → flagged (督办)"),
    Setting("min_forms", 2, "each catalogue item is disclosed through at least N forms (L187 每件事务以2种以上形式)"),
    Setting("catalogue", dict(DEFAULT_CATALOGUE), "cadence of each catalogue item: anytime / monthly / quarterly "
            "(L187 gives the three cadences, not which item takes which)"),
    Setting("anytime_days", 5, "随时公开: a decided matter is disclosed within N calendar days of its decision "
            "(number not in the source)"),
    Setting("periodic_grace_days", 10, "a monthly or quarterly disclosure is due by the end of the Nth calendar "
            "day after its month or quarter (number not in the source)"),
    Setting("rep_meeting_kind", "villager", "the representative meeting used when none is named: villager / "
            "joint_household / household (L191, L195 name all three)"),
    Setting("allow_higher_body", True, "a matter may be decided by a body higher than its routing (the villager "
            "assembly above the representative meeting above the two committees; L191 names only the minimum)"),
    Setting("daily_needs_procedure", False, "whether daily affairs decided by the two committees also need the "
            "full path 提议 → 两委会 → 党员大会 (L191 applies it to 重大事项)"),
    Setting("default_kind", "report", "kind of a case taken in without --set kind: report (timed reply) or matter"),
    Setting("matter_levels", ["village", "community"], "unit levels where a major matter is taken in (村里的事)"),
    Setting("matter_rating_days", 30, "一事一测评: a resolved matter is rated within N calendar days (not in the source)"),
    Setting("rating_grace_days", 15, "半年初评 / 年度考评: due by the Nth calendar day after the half-year / year "
            "(not in the source)"),
    Setting("reward_rate", 0.9, "a rating at or above this share of 满意 + 基本满意 grades 优秀 (奖励) "
            "(L195 links ratings to rewards; threshold not in the source)"),
    Setting("adjust_rate", 0.6, "a rating below this share grades 不满意 (扣减报酬、调整职务) (L195; threshold not in "
            "the source)"),
]


@attrs.define
class LiuyaoExtra:
    """The method's own case fields (``--set KEY=VALUE``):

    * ``kind`` — ``matter`` (重大村务事项) or ``report`` (党员群众反映问题, replied within 15
      working days); default setting ``default_kind``;
    * ``reporter`` — ``party_member`` or ``villager`` (L193 党员群众), reports only;
    * ``supervisor`` — person id of the supervision responsible person (监督责任人, L193);
    * ``item`` — the catalogue item the matter is disclosed under (default from its category);
    * ``meeting_kind`` — ``villager`` / ``joint_household`` / ``household`` representative meeting.

    Filled by the plugin (refused from ``--set``): ``decision_body``, ``vote_required``,
    ``routed_by``, ``reply_due_at``, ``decided_*``, ``replied_at``, ``supervision_result``.
    """

    kind: str | None = None
    reporter: str | None = None
    supervisor: str | None = None
    item: str | None = None
    meeting_kind: str | None = None


#: Chinese names of this method's own event types (``county case show``).
EVENT_LABELS = {"procedure": "决策程序", "decided": "集体决策", "replied": "答复", "supervised": "监督结果",
                "disclosed": "公开", "rated": "测评"}


def method_info() -> MethodInfo:
    """The :class:`MethodInfo` of 六要群众工作法: intake channels of L189/L193, matter types of
    L191 as categories, no tier chain (the source has no escalation: a missed reply is
    flagged), the roles above, ``SETTINGS``, ``extra_type`` = :class:`LiuyaoExtra`."""
    return MethodInfo(
        name=METHOD, title_zh="“六要”群众工作法", title="Six musts (village matters led by the party organisation)",
        source_county="福建省南平市 Nanping City, Fujian", source_lines="L178–219", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=dict(CHANNELS), categories=dict(CATEGORIES), tiers=[], roles=dict(ROLES),
        settings=list(SETTINGS), extra_type=LiuyaoExtra, event_labels=dict(EVENT_LABELS),
        stage_rules={
            "intake": StageRule("a case is a major village matter or a report by a party member or villager "
                                "(L187, L191, L193)", keep=True),
            "triage": StageRule("a matter is routed to its decision body by type (L191)", keep=True, lend=False),
            "assignment": StageRule("the party organisation leads a matter and a named supervisor follows it; a "
                                    "report goes to the body it was made to (L185, L193)", keep=True, lend=False),
            "deadline": StageRule("a report is answered within 15 working days (L193)", keep=True, lend=False),
        },
    )


def conf(ctx) -> dict:
    """``ctx.settings`` checked where ``county init`` does not (tables, lists, choices, rates).
    Returns the settings dict; raises CountyError naming ``[plugins.liuyao] KEY``."""
    s = ctx.settings
    cat = s["catalogue"]
    if not isinstance(cat, dict):
        raise CountyError(f"[plugins.{METHOD}] catalogue: must be a table {{item = cadence}}")
    for item, cadence in cat.items():
        if item not in CATALOGUE:
            raise CountyError(f"[plugins.{METHOD}] catalogue: unknown item {item!r} (items: {', '.join(CATALOGUE)})")
        if cadence not in CADENCES:
            raise CountyError(f"[plugins.{METHOD}] catalogue.{item}: {cadence!r} is not a cadence "
                              f"({', '.join(CADENCES)})")
    if s["rep_meeting_kind"] not in MEETING_KINDS:
        raise CountyError(f"[plugins.{METHOD}] rep_meeting_kind: {s['rep_meeting_kind']!r} is not one of "
                          f"{', '.join(MEETING_KINDS)}")
    if s["default_kind"] not in KINDS:
        raise CountyError(f"[plugins.{METHOD}] default_kind: {s['default_kind']!r} is not one of {', '.join(KINDS)}")
    if not isinstance(s["matter_levels"], list) or not all(isinstance(x, str) for x in s["matter_levels"]):
        raise CountyError(f"[plugins.{METHOD}] matter_levels: must be a list of unit levels")
    for key in ("reward_rate", "adjust_rate"):
        if not isinstance(s[key], (int, float)) or not 0 <= s[key] <= 1:
            raise CountyError(f"[plugins.{METHOD}] {key}: {s[key]!r} must be a share between 0 and 1")
    if s["adjust_rate"] > s["reward_rate"]:
        raise CountyError(f"[plugins.{METHOD}] adjust_rate {s['adjust_rate']} is above reward_rate {s['reward_rate']}")
    if not isinstance(s["allow_higher_body"], bool) or not isinstance(s["daily_needs_procedure"], bool):
        raise CountyError(f"[plugins.{METHOD}] allow_higher_body / daily_needs_procedure: must be true or false")
    return s


def cadence_of(ctx, item: str) -> str:
    """The cadence (``anytime``/``monthly``/``quarterly``) of catalogue ``item`` in this
    deployment: ``[plugins.liuyao] catalogue`` overlaid on :data:`DEFAULT_CATALOGUE`."""
    return {**DEFAULT_CATALOGUE, **conf(ctx)["catalogue"]}[item]


def route(category: str | None, title: str = "") -> tuple[str | None, str | None, str]:
    """The decision routing of L191: ``(category, body, how)`` for a matter of ``category``
    (a code or its Chinese label), else filed from ``title`` by :data:`KEYWORDS`. ``body`` is
    None for ``other`` or an unfiled title (the two committees choose the form, L191); ``how``
    is ``category``, ``keyword:WORD`` or ``none``. Raises CountyError for an unknown category."""
    if category:
        code = category if category in CATEGORIES else next(
            (k for k, v in CATEGORIES.items() if v == category), None)
        if code is None:
            raise CountyError(f"--category {category!r}: not a {METHOD} matter type ({', '.join(CATEGORIES)})")
        return code, ROUTING.get(code), "category"
    for code, words in KEYWORDS:
        for w in words:
            if w in (title or ""):
                return code, ROUTING[code], f"keyword:{w}"
    return None, None, "none"


def period_span(period: str) -> tuple[dt.date, dt.date]:
    """``(first date, date after the last)`` of a period — every form the kernel takes
    (``2026-11-02``, ``2026-11``, ``2026Q4``, the half-years ``2026H1`` / ``2026H2`` of L195's
    半年初评, ``2026``; hooks.md §12.1). CountyError naming ``--period`` for anything else."""
    return period_dates(period)
