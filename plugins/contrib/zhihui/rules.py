"""智慧社区 (zhihui): Yongning's smart community around the party members' reception room
(宁夏永宁县杨和街道, 以“党员会客室”为平台打造“智慧社区”), casebook L399–410 (methods.md §2.18).

Every number here is the casebook's, with its line; whatever the casebook leaves open is a
``Setting`` whose default is this plugin's choice, said so in its description and the README.
The Chinese original (``seeds/000_5340bcb6e23e3aa1.txt``) wins where methods.md differs.
"""

from __future__ import annotations

import attrs

from framework import Setting, StageRule, Tier

NAME = "zhihui"
TITLE_ZH = "智慧社区（党员会客室）"
TITLE = "Smart community around the party members' reception room"
SOURCE_COUNTY = "宁夏回族自治区永宁县（杨和街道）"
SOURCE_LINES = "L399–410"

#: The chain, lowest first. L406: 人在格中、事在网中、事不出格 — a matter is settled in its grid; the
#: community's large grid (社区大网格) with its four subdistrict cadres organises the grid management
#: centre (组织社区网格管理中心); L402: departments, subdistrict and community are linked at three
#: levels (部门、街道、社区“三级”互联互通). The days of each tier are not in the source (settings).
TIERS = [
    Tier("grid", "网格", "grid", "人在格中、事在网中、事不出格：网格内办结", "L406"),
    Tier("community", "社区网格管理中心", "community", "社区大网格：督导员、指导员、管理员、社区警员组织网格管理中心", "L406"),
    Tier("subdistrict", "街道", "township", "部门、街道、社区“三级”互联互通", "L402"),
]
TIER_ZH = {t.name: t.title_zh for t in TIERS}

# --- "4+4+1+6" (L406) -------------------------------------------------------------------------
#: The first "4": in the community's large grid, filled by subdistrict cadres assigned to the
#: community (由街道包居干部担任的网格督导员、指导员、管理员和社区警员), one each.
COMMUNITY_POSTS = {"grid_supervisor": "网格督导员", "grid_instructor": "网格指导员",
                   "grid_manager": "网格管理员", "community_police": "社区警员"}
#: The second "4": each grid gets 4 full-time grid workers (每个网格增配“4名”专职网格员).
GRID_WORKER = "grid_worker"
GRID_WORKERS_PER_GRID = 4
#: The "1": one grid assistant, who is a residents' group leader (“1名”居民小组长担任的网格助理员).
GRID_ASSISTANT = "grid_assistant"
GRID_ASSISTANTS_PER_GRID = 1
#: The "6": the six officers (“6员”队伍), volunteers of the community (社区热心公益事业的人员).
SIX_POSTS = {"mediator": "矛盾纠纷调解员", "opinion_collector": "社情民意采集员",
             "sanitation_monitor": "环境卫生监督员", "family_planning_officer": "计划生育信息员",
             "policy_publicist": "政策法规宣传员", "democracy_monitor": "民主议政监督员"}
POSTS = {**COMMUNITY_POSTS, GRID_WORKER: "专职网格员", GRID_ASSISTANT: "网格助理员", **SIX_POSTS}
#: Who may fill a post (the person's role): L406.
SUBDISTRICT_CADRE = "subdistrict_cadre"
GROUP_LEADER = "residents_group_leader"

ROLES = {
    SUBDISTRICT_CADRE: "街道包居干部", GROUP_LEADER: "居民小组长", "community_worker": "社区工作人员",
    **POSTS,
}

#: Intake channels (L404): the one-stop hall in the reception room, the grid workers, the web
#: platform's 政民互动, the government-paid one-button callers of empty-nest elderly, the cadres'
#: 82 smartphones.
CHANNELS = {"hall": "一站式服务大厅（党员会客室）", "grid": "网格员入户", "web": "网站政民互动",
            "caller": "一键式呼叫器", "phone": "干部智能手机"}
#: Categories: the data kinds entered once (民政、计生、低保, L404), the six officers' fields (L406)
#: and the contracted convenience services (保洁类、维修类、养护类, L410).
CATEGORIES = {"civil_affairs": "民政", "family_planning": "计生", "min_living": "低保",
              "dispute": "矛盾纠纷", "sanitation": "环境卫生", "policy": "政策法规", "cleaning": "保洁类",
              "repair": "维修类", "care": "养护类", "other": "其他"}
#: 协同办事 (L404): at the grid a case of these categories is handled jointly with the grid's
#: officer of that field (the plugin's reading of 资源共享 among the “6员”, L406).
JOINT_OFFICER = {"dispute": "mediator", "sanitation": "sanitation_monitor",
                 "family_planning": "family_planning_officer", "policy": "policy_publicist"}

# --- the population register (L404) --------------------------------------------------------------
#: 民政、计生、低保等各类数据一次输入、自动分析汇总 (L404); empty-nest elderly get a government-paid
#: one-button caller (为空巢老人安装一键式呼叫器，实行政府买单, L404).
FLAGS = {"civil_affairs": "民政", "family_planning": "计生", "min_living": "低保", "empty_nest": "空巢老人",
         "caller": "一键式呼叫器"}

# --- education (L408) and market operation (L410) -------------------------------------------------
#: 利用3-5年的时间实现所有社区工作人员达到大专以上文化水平 (L408).
EDUCATION = {"secondary": "高中（中专）及以下", "junior_college": "大专", "bachelor": "本科", "postgraduate": "研究生"}
QUALIFIED = ("junior_college", "bachelor", "postgraduate")
QUALIFICATION_YEARS = (3, 5)
#: 盈利收入20%返还社区 (L410).
PROFIT_SHARE_PERCENT = 20
#: 92个网格 (L406); 8个社区 of 杨和街道 (L402).
PLANNED_GRIDS = 92
PLANNED_COMMUNITIES = 8

SETTINGS = [
    Setting("grid_days", 3, "grid (网格): resolve within N days of arrival, else up to the community's grid "
                            "management centre (the source gives no number; the plugin's choice)", minimum=1),
    Setting("community_days", 5, "community (社区网格管理中心): N days, else up to the subdistrict "
                                 "(not in the source; the plugin's choice)", minimum=1),
    Setting("subdistrict_days", 10, "subdistrict (街道): N days, then flagged 督办 (not in the source; the "
                                    "plugin's choice)", minimum=1),
    Setting("day_kind", "calendar", "how the days count: calendar (天, conventions §2) or working (工作日 on "
                                    "China's calendar with 调休); the source gives no limits at all",
            choices=("calendar", "working")),
    Setting("four_roles_per", "community", "where the first “4” of 4+4+1+6 sit: per community large grid "
                                           "(社区大网格, methods.md's reading of L406) or per grid",
            choices=("community", "grid")),
    Setting("six_per", "community", "where the “6员” are counted: each community (default: L406 recruits them "
                                    "from the community, 动员社区热心公益事业的人员组成…“6员”队伍, with no 每个网格) or "
                                    "each grid (methods.md's reading)", choices=("community", "grid")),
    Setting("six_minimum", 1, "how many people each of the six officers' posts needs (L406 gives no count)",
            minimum=1),
    Setting("planned_grids", PLANNED_GRIDS, "grids the subdistrict is divided into (L406: 92个网格)"),
    Setting("planned_communities", PLANNED_COMMUNITIES, "communities networked (L402: 辖区8个社区)"),
    Setting("profit_share_percent", PROFIT_SHARE_PERCENT, "share of a service station's profit returned to "
                                                          "the community (L410: 盈利收入20%返还社区)", maximum=100),
    Setting("qualification_years", 5, "years to bring every community worker to 大专 or above (L408: 3-5年; "
                                      "the default takes the upper bound)", minimum=3, maximum=5),
    Setting("qualification_start", "2014-01-01", "when the 3-5 years start (L408 is undated; L402's 今年 read "
                                                 "as 2014, before 2014年底); YYYY-MM-DD"),
    Setting("staffing_check_day", 1, "day of each month the 4+4+1+6 check of every grid falls due (not in the "
                                     "source; 0 = no such duty)", maximum=28),
]

STAGE_RULES = {
    "assignment": StageRule("grid cases go to the grid's own full-time workers (L406: 人在格中、事在网中、事不出格)",
                            lend=False),
    "deadline": StageRule("the chain runs grid → community → subdistrict (L402, L406)", lend=False),
}

EVENT_LABELS = {}


@attrs.define
class Extra:
    """``--set`` fields: ``resident`` (the 身份证号 of a person in the population register: the case
    goes to that person's grid, 以房管人 L406), ``grid`` (a grid code, for a hall intake without a
    registered resident), ``on_the_spot`` (settled in the hall at once, 现场办公 L404),
    ``department`` (a county department handling jointly at the subdistrict, 三级互联互通 L402)."""

    resident: str | None = None
    grid: str | None = None
    on_the_spot: bool = False
    department: str | None = None
