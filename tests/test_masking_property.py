"""Property: no raw mobile number, ID-card number, landline or requester name that went into
a case (title, description, requester fields) ever appears in any rendered board format."""

import io
import zipfile

from hypothesis import HealthCheck, example, given, settings, strategies as st

from framework.publish import render
from framework.models import Requester
from test_board_fixture import at, new_county

SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛超秀霞平刚"
FILLER = "的了在是民反映问题修路水电费用理，。、：；（）abcXx -"

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
ids18 = st.builds(lambda area, y, m, d, seq, check: f"{area}{y}{m:02d}{d:02d}{seq}{check}",
                  st.from_regex(r"[1-6][0-9]{5}", fullmatch=True), st.integers(1930, 2010), st.integers(1, 12),
                  st.integers(1, 28), st.from_regex(r"[0-9]{3}", fullmatch=True), st.sampled_from("0123456789X"))
ids15 = st.builds(lambda area, y, m, d, seq: f"{area}{y:02d}{m:02d}{d:02d}{seq}",
                  st.from_regex(r"[1-6][0-9]{5}", fullmatch=True), st.integers(30, 99), st.integers(1, 12),
                  st.integers(1, 28), st.from_regex(r"[0-9]{3}", fullmatch=True))
landlines = st.from_regex(r"0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}", fullmatch=True)
names = st.builds(lambda s, g: s + g, st.sampled_from(SURNAMES), st.text(GIVEN, min_size=1, max_size=2))
filler = st.text(FILLER, max_size=6)
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")
# a number as it may be written in free text: bare, or with separators; each as (written, [what must
# not appear]). A spaced ID must not show its birth date's last digits next to its tail either
# (``510623 ****0101 1234`` was the old leak).
secret_in_text = st.one_of(
    mobiles.map(lambda p: (p, [p])),
    mobiles.map(lambda p: (f"{p[:3]}-{p[3:7]}-{p[7:]}", [f"{p[:3]}-{p[3:7]}-{p[7:]}"])),
    mobiles.map(lambda p: (f"{p[:3]} {p[3:7]} {p[7:]}", [f"{p[:3]} {p[3:7]} {p[7:]}"])),
    mobiles.map(lambda p: (f"{p[:3]}-{p[3:]}", [f"{p[:3]}-{p[3:]}"])),
    mobiles.map(lambda p: (f"{p[:3]}.{p[3:7]}.{p[7:]}", [f"{p[:3]}.{p[3:7]}.{p[7:]}"])),
    mobiles.map(lambda p: (f"{p[:7]} {p[7:]}", [f"{p[:7]} {p[7:]}"])),
    st.tuples(ids18, st.sampled_from([" ", "-"])).map(
        lambda t: (f"{t[0][:6]}{t[1]}{t[0][6:14]}{t[1]}{t[0][14:]}",
                   [f"{t[0][:6]}{t[1]}{t[0][6:14]}", f"{t[0][10:14]}{t[1]}{t[0][14:]}"])),
    ids18.map(lambda i: (i, [i])), ids15.map(lambda i: (i, [i])), landlines.map(lambda t: (t, [t])),
    # issue 15: full-width, Chinese numerals, groups of four, ideographic spaces (the middle must go)
    mobiles.map(lambda p: (p.translate(FULL), [p[:7].translate(FULL)])),
    mobiles.map(lambda p: (p.translate(CHINESE), [p[:7].translate(CHINESE)])),
    mobiles.map(lambda p: (f"{p[:3]}\u3000{p[3:7]}\u3000{p[7:]}", [f"{p[:3]}\u3000{p[3:7]}"])),
    ids18.map(lambda i: (" ".join(i[k:k + 4] for k in range(0, 18, 4)), [f"{i[:4]} {i[4:8]} {i[8:12]}"])),
)


@st.composite
def free_text(draw):
    """(text, [raw secrets it contains, as written])."""
    parts, secrets = [draw(filler)], []
    for _ in range(draw(st.integers(0, 3))):
        written, leaks = draw(secret_in_text)
        secrets += leaks
        parts += [written, draw(filler)]
    return "".join(parts), secrets


@st.composite
def cases(draw):
    name = draw(st.one_of(st.none(), names))
    phone = draw(st.one_of(st.none(), mobiles))
    id_number = draw(st.one_of(st.none(), ids18, ids15))
    addr_text, addr_secrets = draw(free_text())
    address = draw(st.sampled_from(["", "富兴镇柳林沟村", "城东社区"])) + addr_text if draw(st.booleans()) else None
    title, t_secrets = draw(free_text())
    description, d_secrets = draw(free_text())
    secrets = [s for s in (phone, id_number) if s] + t_secrets + d_secrets + (addr_secrets if address else [])
    if name and len(name) >= 2:
        secrets.append(name)
    return dict(title="事项" + title, description=description,
                requester=Requester(name, phone, id_number, address, draw(st.booleans()))), secrets


def all_outputs(county) -> dict[str, str]:
    boards = county.boards("zj.fx.llg", "2026-11")
    out = {fmt: render.render(boards, fmt, county=county) for fmt in ("html", "md", "csv", "json")}
    data = render.render(boards, "xlsx", county=county)
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # every XML part of the workbook, as stored
        out["xlsx"] = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), min_size=1, max_size=3))
@example([(dict(title="事项", description="010-2000000010-2000000", requester=Requester()), ["010-2000000"])])
@example([(dict(title="事项13000000000130-0000-0000", description=None, requester=Requester()),
           ["13000000000", "130-0000-0000"])])
@example([(dict(title="事项138-12345678、138.1234.5678、1381234 5678",
                description="身份证510623 19900101 1234", requester=Requester()),
           ["138-12345678", "138.1234.5678", "1381234 5678", "510623 19900101", "0101 1234"])])
def test_no_raw_personal_data_in_any_board_format(generated):
    county = new_county(now="2026-11-05T09:00:00+08:00")
    secrets = []
    for i, (fields, case_secrets) in enumerate(generated):
        at(county, f"2026-11-05T09:{i:02d}:00+08:00")
        county.add_case("testboard", "zj.fx.llg", fields["title"], description=fields["description"],
                        requester=fields["requester"])
        secrets += case_secrets
    outputs = all_outputs(county)
    assert "事项" in outputs["html"] and "zj-000001" in outputs["csv"]
    for fmt, text in outputs.items():
        for s in secrets:
            assert s not in text, f"{s!r} leaked into {fmt}"
