"""yijiasi's own tables (``county_migrations``): the service teams and their members (L449), the
annual agreements (L453), the members' contacts and work days and the teams' concentrated
events (L455), the posts claimed by party members (L455), the layered appraisal's records —
community opinions, assessments, commendations, the organisation department's checks (L457).
Dates are ISO ``YYYY-MM-DD`` text (local days); instants ISO 8601 with a Unix timestamp beside."""

from __future__ import annotations


def register(migrations):
    """Register the migrations on ``migrations`` (the method's migration set)."""

    @migrations()
    def m001_records(db):
        # 服务团 (L449): one per team; ``communities`` a JSON list of the co-built communities,
        # ``home`` the team leader's community (团长所在社区, L457).
        db["yijiasi_teams"].create({"code": str, "name": str, "leader": str, "home": str, "communities": str,
                                    "formed_on": str}, pk="code")
        # the "4" (L449); ``left_on`` set when a member is replaced (及时调整, L457).
        db["yijiasi_members"].create({"id": int, "person": str, "team": str, "kind": str, "partner": str,
                                      "joined_on": str, "left_on": str, "left_note": str}, pk="id")
        # 《共建协议书》 (L453), per team, community and year.
        db["yijiasi_agreements"].create({"id": int, "team": str, "community": str, "year": int, "signed_on": str,
                                         "areas": str, "note": str, "actor": str, "at": str}, pk="id")
        # 每周联系 / 每两周参与社区工作 (L455): ``kind`` contact or workday, one row a day at most
        # for a work day.
        db["yijiasi_participation"].create({"id": int, "kind": str, "person": str, "team": str, "community": str,
                                            "on_date": str, "note": str, "actor": str, "at": str}, pk="id")
        # 集中服务活动 (L455), held by a team at one of its communities.
        db["yijiasi_activities"].create({"id": int, "team": str, "community": str, "on_date": str, "title": str,
                                         "participants": int, "actor": str, "at": str}, pk="id")
        # 主动认领…12种岗位 (L455): a community party member (by name) and a post.
        db["yijiasi_posts"].create({"id": int, "community": str, "holder": str, "post": str, "claimed_on": str,
                                    "actor": str, "at": str}, pk="id")
        # 分层化考评 (L457): the community's opinion, then the assessment or commendation.
        db["yijiasi_opinions"].create({"id": int, "person": str, "year": int, "purpose": str, "community": str,
                                       "opinion": str, "by": str, "note": str, "actor": str, "at": str}, pk="id")
        db["yijiasi_appraisals"].create({"id": int, "person": str, "year": int, "purpose": str, "appraiser": str,
                                         "result": str, "note": str, "actor": str, "at": str}, pk="id")
        db["yijiasi_checks"].create({"id": int, "team": str, "community": str, "on_date": str, "mode": str,
                                     "finding": str, "actor": str, "at": str}, pk="id")
        db["yijiasi_members"].create_index(["team"])
        db["yijiasi_participation"].create_index(["person", "kind", "on_date"])
        db["yijiasi_activities"].create_index(["team", "on_date"])
