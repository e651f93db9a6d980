"""Compound surnames (复姓) in masking (conventions §3): the surname is kept whole — 欧阳娜娜 ->
欧阳某, not 欧某 — in the name field, in third-party names a cue marks in free text, in the
requester's own name replaced inside text, in sign-off parties' names, and through the public
writers (``county export --format csv --public`` and ``county board --format csv``); a name that
is only a compound surname (欧阳) still hides its second character: 欧某. All names fictional."""

import csv
import io

import pytest

from deployments import mini_zhongjiang
from framework.models import Requester
from framework.publish.masking import (
    COMPOUND_SURNAMES, mask_case_json, mask_name, mask_record, mask_text, mask_value, public_requester,
    requester_secrets,
)
from framework.publish.masking_text import find_personal_data

NOW = "2026-11-05T10:00:00+08:00"


@pytest.mark.parametrize("raw, masked", [
    ("欧阳娜娜", "欧阳某"), ("司马光", "司马某"), ("上官婉儿", "上官某"), ("诸葛亮", "诸葛某"),
    ("呼延庆", "呼延某"), ("钟离春", "钟离某"), ("单于娜", "单于某"), ("万俟卨", "万俟某"), ("拓跋宏", "拓跋某"),
    # a two-character name that is only a compound surname still hides its second character
    ("欧阳", "欧某"), ("司马", "司某"), ("单于", "单某"),
    # surrounding space; a space inside; already masked (idempotent)
    (" 欧阳娜娜 ", "欧阳某"), ("欧阳 娜娜", "欧阳某"), ("欧阳某", "欧阳某"), ("欧某", "欧某"),
    # single surnames as before, also one that begins a compound (欧, 单, 钟)
    ("张三丰", "张某"), ("欧三丰", "欧某"), ("单红", "单某"), ("钟春", "钟某"), ("Ouyang Nana", "O***"),
])
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


def test_the_compound_surnames_listed():
    assert len(COMPOUND_SURNAMES) == 33 and len(set(COMPOUND_SURNAMES)) == 33
    assert all(len(s) == 2 for s in COMPOUND_SURNAMES)
    for s in ("欧阳", "司马", "上官", "诸葛", "万俟", "拓跋", "单于", "钟离"):
        assert s in COMPOUND_SURNAMES


@pytest.mark.parametrize("raw, masked", [
    # a before-cue (村民, 联系人, 举报人 …) and the end of a clause
    ("村民欧阳娜娜家门口积水", "村民欧阳某家门口积水"),
    ("联系人司马光，电话13812345678", "联系人司马某，电话138****5678"),
    ("举报人：钟离春", "举报人：钟离某"),
    ("村民呼延庆家", "村民呼延某家"),
    ("村民夏侯杰家", "村民夏侯某家"),
    ("村民单于娜家", "村民单于某家"),
    ("邻居拓跋宏说", "邻居拓跋某说"),
    # a strong after-cue (反映, 等人, 来访 …), a title or an aside between
    ("司马光反映路灯不亮", "司马某反映路灯不亮"),
    ("欧阳娜娜等人来访", "欧阳某等人来访"),
    ("申屠明反映", "申屠某反映"),
    ("淳于琼先生反映", "淳于某先生反映"),
    ("诸葛亮（本村村民）反映", "诸葛某（本村村民）反映"),
    # listed with a name found
    ("张三、欧阳娜娜反映", "张某、欧阳某反映"),
    ("欧阳娜娜、司马光等人", "欧阳某、司马某等人"),
    ("村民王五和上官明家", "村民王某和上官某家"),
    # a compound surname alone: surname + a one-character given name, as the field rule
    ("村民欧阳反映", "村民欧某反映"),
    # masked text stays as it is
    ("村民欧阳某家", "村民欧阳某家"),
    ("欧阳某反映", "欧阳某反映"),
])
def test_third_party_compound_names_in_text(raw, masked):
    assert mask_text(raw) == masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", [
    "东方广场西门口有人投诉",  # places, not names: 广/场/口 are no given-name characters
    "村民司马说",  # 马 is no given-name character: 司马 alone is not read as 司 + 马
    "找欧阳娜娜办理",  # no cue
])
def test_compound_surname_words_without_a_name_stay(text):
    assert mask_text(text) == text


def test_find_personal_data_reports_the_whole_compound_name():
    assert find_personal_data("村民欧阳娜娜家，司马光反映") == [("name", "欧阳娜娜"), ("name", "司马光")]


def test_the_requesters_own_compound_name_in_fields_and_text():
    r = Requester("欧阳娜娜", "13812345678", None, "富兴镇柳林沟村3组12号", False)
    assert public_requester(r) == {"name": "欧阳某", "phone": "138****5678", "id_number": None,
                                   "address": "富兴镇柳林沟村", "anonymous": False}
    # found by the requester's stored name, without a cue
    secrets = requester_secrets(r.name, r.phone, r.id_number, r.address, r.anonymous)
    assert mask_value("找欧阳娜娜办理，邻居司马光反映", secrets) == "找欧阳某办理，邻居司马某反映"
    assert mask_record({"requester_name": "欧阳娜娜", "note": "欧阳娜娜说"}, secrets) == {
        "requester_name": "欧阳某", "note": "欧阳某说"}
    # anonymous: 匿名, not 欧阳某, in the field and in text; the third party keeps their rule
    anon = requester_secrets("欧阳娜娜", None, None, None, True)
    assert mask_value("欧阳娜娜反映，邻居司马光反映", anon) == "匿名反映，邻居司马某反映"
    assert mask_record({"requester_name": "欧阳娜娜"}, anon, anonymous=True) == {"requester_name": "匿名"}


def test_public_case_json_and_signoff_parties():
    r = Requester("司马光", None, None, None, False)
    data = {"id": "zj-000001", "title": "司马光反映路灯", "requester": {"name": "司马光"},
            "events": [{"type": "signoff_required", "data": {"parties": [{"key": "h1", "name": "欧阳锋户"},
                                                                         {"key": "h2", "name": "欧阳"}]}},
                       {"type": "signed", "data": {"key": "h1", "name": "欧阳锋户"}},
                       {"type": "note", "note": "已联系上官明（村民）"}]}
    assert mask_case_json(data, r) == {
        "id": "zj-000001", "title": "司马某反映路灯",
        "events": [{"type": "signoff_required", "data": {"parties": [{"key": "h1", "name": "欧阳某"},
                                                                     {"key": "h2", "name": "欧某"}]}},
                   {"type": "signed", "data": {"key": "h1", "name": "欧阳某"}},
                   {"type": "note", "note": "已联系上官某（村民）"}],  # 已联系 is a contact cue (conventions §3)
        "requester": {"name": "司马某", "phone": None, "id_number": None, "address": None, "anonymous": False}}


def test_public_export_and_board_through_the_cli(init_county, tmp_path):
    run = init_county(mini_zhongjiang())
    run("case", "add", "--method", "taizhang", "--unit", "zj.fx.llg", "--title", "村民司马光家门口路灯不亮，欧阳娜娜反映",
        "--category", "livelihood", "--channel", "five_visits", "--requester-name", "欧阳娜娜",
        "--description", "联系人：上官明，邻居欧阳反映；欧阳娜娜电话13812345678",
        "--set", "requester_profile=村民诸葛亮家", "--set", "visit_type=villager", "--now", "2026-11-02T10:00")
    text = run("export", "--format", "csv", "--public", "--now", NOW).stdout
    [row] = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["title"] == "村民司马某家门口路灯不亮，欧阳某反映"
    assert row["description"] == "联系人：上官某，邻居欧某反映；欧阳某电话138****5678"
    assert row["requester_name"] == "欧阳某"
    assert '"requester_profile": "村民诸葛某家"' in row["extra"]
    out = tmp_path / "board.csv"
    run("board", "--unit", "zj.fx.llg", "--period", "2026-11", "--format", "csv", "--out", out, "--now", NOW)
    board = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(b["事项"], b["诉求人"]) for b in board if b["编号"] == "zj-000001"] == [
        ("村民司马某家门口路灯不亮，欧阳某反映", "欧阳某")]
    for raw in ("娜娜", "司马光", "上官明", "诸葛亮", "欧阳反映", "12345678"):
        assert raw not in text and raw not in out.read_text(encoding="utf-8-sig"), raw
