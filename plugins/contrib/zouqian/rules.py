"""zouqian's source facts: Pudong's 走千听万 (walk a thousand villages, hear ten thousand households),
casebook L318–351 (methods.md §2.14).

Every number here is the casebook's, with its line; whatever the casebook leaves open (above
all the day counts: "Deadline — not described", methods.md §2.14) is a :class:`Setting` with a
documented default (README "Settings"). Where methods.md and the Chinese original differ the
original wins (README "Spec vs original"): the satisfaction scale is the original's
很满意 / 满意 / 一般 / 不满意 / 很不满意 (L331).
"""

from __future__ import annotations

import attrs

from framework import MethodInfo, SatisfactionScale, Setting, StageRule, Tier

NAME = "zouqian"

# -- the three-level platform (三级网络平台, L335) ------------------------------------------------
#: 集区、街镇和居村三级工作平台于一体 (L335): a problem is taken in at the 居村 (residents'
#: committee or village), reported up (上报问题, L331) to the 街镇 (subdistrict / town) and then to
#: the district, where it is supervised (督办, L335). The casebook gives no day counts: the
#: times are settings (``juncun_days``, ``jiezhen_days``, ``district_days``).
TIERS = [
    Tier("juncun", "居村", "village", "居村收集问题、直接解决；解决不了的上报街镇（收集问题、上报问题）", "L331, L335"),
    Tier("jiezhen", "街镇", "township", "街镇分派问题、办理；解决不了的上报区级平台", "L331, L335"),
    Tier("district", "区", "county", "区级平台分派、督办、反馈、统计", "L335"),
]
TIER_NAMES = [t.name for t in TIERS]
TIER_ZH = {"juncun": "居村", "jiezhen": "街镇", "district": "区"}
#: Unit levels that are a 居村 (居委会 = community, 村 = village; L320 全区一千余个居村).
JUNCUN_LEVELS = ("village", "community")
#: The starting tier by the level of the unit taking the problem in (the platform spans the three).
LEVEL_TIER = {"village": "juncun", "community": "juncun", "group": "juncun", "grid": "juncun",
              "township": "jiezhen", "county": "district", "department": "district"}

# -- the satisfaction gate (群众满意度评议办法, L331) -------------------------------------------------
#: L331: "只有经过群众评议并达到“很满意”或“满意”标准的，才能退出网上工作平台；群众评价“一般”、
#: “不满意”和“很不满意”的，要重新流转到问题处置环节中去". Best first. 一般 keeps the code
#: ``basically`` so that conventions §1's three codes (satisfied / basically / unsatisfied) stay
#: valid ratings of this scale — ``county case confirm --satisfaction basically`` and imported
#: rows reopen a zouqian case (methods.md S-05).
SCALE = SatisfactionScale(
    levels=(("very_satisfied", "很满意"), ("satisfied", "满意"), ("basically", "一般"),
            ("unsatisfied", "不满意"), ("very_unsatisfied", "很不满意")),
    closes=("very_satisfied", "satisfied"),
    good=("very_satisfied", "satisfied"))
#: Other spellings operators use for the same five levels (the brief's and common survey
#: wording): accepted by ``county zouqian rate``, stored as the original's codes.
LEVEL_ALIASES = {"非常满意": "very_satisfied", "比较满意": "satisfied", "基本满意": "basically",
                 "非常不满意": "very_unsatisfied"}
#: Who rates (L335: 基层党员干部群众监督评价老问题).
RATERS = {"resident": "群众", "party_member": "基层党员", "cadre": "基层干部"}

# -- the six pairings (六个结对, L329) ---------------------------------------------------------------
#: kind → (Chinese label, side A's kind, side B's kind). A side is ``person`` (a person id),
#: ``unit:LEVELS`` (a unit code of one of these levels) or ``text`` (a name kept in our table).
PAIRINGS = {
    "cadre_juncun": ("区级机关干部与居村结对", "person", "unit:village,community"),
    "bureau_town": ("各委办局与街镇结对", "unit:department", "unit:township"),
    "branch_juncun": ("区级机关内设处室党支部与居村党支部结对", "text", "unit:village,community"),
    "member_needy": ("区级机关党员与困难群众结对", "person", "text"),
    "cadre_deputy": ("走访干部与党代表、人大代表走访结对", "person", "text"),
    "leader_town": ("区四套班子成员与街镇结对", "person", "unit:township"),
}
PAIRING_ZH = {k: v[0] for k, v in PAIRINGS.items()}

#: The four directs (四个直接, L333) a visit or contact may record.
VISIT_KINDS = {"visit": "集中走访", "contact": "日常联系"}

ROLES = {
    "district_cadre": "区级机关干部（走访干部）",
    "party_member": "区级机关党员",
    "leader": "区四套班子成员",
    "town_cadre": "街镇干部",
    "juncun_cadre": "居村干部",
    "platform_office": "区“走千听万”工作平台",
    "social_worker": "浦东社工协会（购买服务）",
}
CHANNELS = {
    "visit": "集中走访（四个直接）",
    "contact": "日常联系",
    "platform": "“走千听万”工作网站",
    "deputy_visit": "与党代表、人大代表联合走访",
}
CATEGORIES = {
    "housing": "农民建房",
    "childcare": "子女入园、看护",
    "livelihood": "民生",
    "environment": "环境",
    "policy": "政策意见",
    "other": "其他",
}
EVENT_LABELS = {"batched": "纳入批量解决"}

DAY_UNITS = ("working_days", "calendar_days")
SETTINGS = [
    Setting("day_unit", "working_days",
            "unit of every tier's time limit: working_days (China's calendar with 调休) or calendar_days; "
            "both end at 23:59:59 local. The casebook gives no day counts (methods.md §2.14 Deadline)",
            choices=DAY_UNITS),
    Setting("juncun_days", 5, "居村 tier: days to solve before the problem is reported up to the 街镇 "
                              "(上报问题, L331; no number in the casebook)", minimum=1, maximum=365),
    Setting("jiezhen_days", 10, "街镇 tier: days before the problem is reported up to the district platform "
                                "(no number in the casebook)", minimum=1, maximum=365),
    Setting("district_days", 15, "district tier: days before the platform's supervision (督办, L335) flags it; "
                                 "the end of the chain (no number in the casebook)", minimum=1, maximum=365),
    Setting("batch_threshold", 3, "triage marks a problem a common one (共性问题, L337) when at least this many "
                                  "open zouqian problems share its --set topic (itself included)",
            minimum=2, maximum=1000),
    Setting("contact_cadence", "month",
            "日常联系 (L337 除集中走访外…保持密切联系, no cadence given): each paired cadre contacts its 居村 "
            "at least once per month or quarter (a duty on the period's last day)", choices=("month", "quarter")),
]


@attrs.define
class ZouqianExtra:
    """zouqian's case fields (``--set KEY=VALUE``): ``topic`` groups recurring problems for batch
    solving (L337); ``visit`` the id of the visit (``county zouqian visit``) that found it (L333);
    ``on_the_spot`` (yes/no) the visiting cadre solved it there (直接解决问题, 百姓急事立即办, L333)
    — it is taken in resolved, and still needs its 群众评议 to leave the platform (L331)."""

    topic: str | None = None
    visit: int | None = None
    on_the_spot: bool = False


STAGE_RULES = {
    "triage": StageRule("个别解决与批量解决相结合 (L337): marking common problems by topic is advice, "
                        "another method's sorting may replace it", lend=True),
    "assignment": StageRule("the six pairings say who visits whom (L329); the casebook does not say who a "
                            "problem is dispatched to (分派问题, L331, the 14 steps unnamed), so another "
                            "method's routing may assign zouqian problems", lend=True),
    "deadline": StageRule("no day counts in the casebook (methods.md §2.14): a chain may time zouqian's "
                          "problems if its first tier is served by a 居村 (三级网络平台, L335)",
                          first_level=JUNCUN_LEVELS, lend=True),
}


def method_info() -> MethodInfo:
    """The declaration (``county_method``): the three-level chain, the five-level scale whose
    只有“很满意”或“满意” close (L331), the roles, channels, categories and settings above."""
    return MethodInfo(
        name=NAME, title_zh="走千个居村、听万户心声（走千听万）",
        title="Walk a thousand villages, hear ten thousand households",
        source_county="上海市浦东新区 Pudong New Area, Shanghai", source_lines="L318–351", version="0.1.0",
        stages=("intake", "triage", "assignment", "deadline", "publicity", "appraisal"),
        channels=CHANNELS, categories=CATEGORIES, tiers=TIERS, roles=ROLES, settings=SETTINGS,
        extra_type=ZouqianExtra, stage_rules=STAGE_RULES, event_labels=EVENT_LABELS, satisfaction=SCALE)
