"""Recall and false positives of the personal-data masker (framework.publish.masking, issue 15).

    python benchmarks/masking_recall.py [--data PATH/TO/shared/data/real] [--n 150] [--seed 15]

Recall: a labelled corpus of fictional personal data from Faker's zh_CN locale — names, mobiles,
landlines, local numbers after a phone cue, ID-card numbers (valid check digit), bank cards
(62…, Luhn), e-mails, addresses down to the door — each written in several spellings (separators
of every kind, full-width, Chinese numerals, groups of four, ＠ …), each inserted at a clause
boundary of a real message (泰迪杯 2020C 附件4, 留言详情; the texts are already anonymised); and
names with a compound surname (复姓: one of ``COMPOUND_SURNAMES`` with a Faker given name), which
count as masked only when the whole surname is shown with 某 (欧阳娜娜 -> 欧阳某, conventions §3);
names after a naming, self or kin cue (我叫{n}，, 本人{n}，, 丈夫{n}，, 已联系{n}（, 妻子{n}于2018年,
本人{n}实名举报 …), mobiles written
``（138）12345678`` and QQ numbers, from generators of their own after the rest. A
sample is *masked* when no more of its digits survive than the rule keeps (a mobile's first 3
and last 4, an ID's first 6 and last 4, a card's first and last 4, a landline's area code and
last 4, a local number's last 4; a door number: none) and, for e-mails and names, when the
local part / the given name is gone. Counted on the digits of the whole masked text against
those of the masked message without the sample, so a digit of the message never counts.

False positives: every field of every message of 附件4 (留言主题, 留言详情, 答复意见) masked as it
is, with what was found by kind, sorted into numbers after a phone cue (phone numbers of
offices in the replies: masked by design), all-zero numbers (zeros after the area code: the data
set's own anonymisation marks), and the rest, with examples of each; ``--show KIND`` prints every
span of one kind with its context for a review by eye. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter, defaultdict

FULL = str.maketrans("0123456789Xx-", "０１２３４５６７８９ＸＸ－")
CHINESE = "〇一二三四五六七八九"
CUE = re.compile(r"(电话|联系|手机|热线|致电|拨打|号码|座机|微信|tel|phone)", re.IGNORECASE)


def chinese(digits: str, zero: str = "〇", one: str = "一") -> str:
    return "".join({"0": zero, "1": one}.get(d, CHINESE[int(d)] if d.isdigit() else d) for d in digits)


def groups(s: str, sizes, sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(p for p in out if p)


MOBILE = {
    "plain": lambda p: p,
    "138-1234-5678": lambda p: groups(p, (3, 4, 4), "-"),
    "full-width hyphen －": lambda p: groups(p, (3, 4, 4), "－"),
    "em dash —": lambda p: groups(p, (3, 4, 4), "—"),
    "underscore _": lambda p: groups(p, (3, 4, 4), "_"),
    "space": lambda p: groups(p, (3, 4, 4), " "),
    "ideographic space": lambda p: groups(p, (3, 4, 4), "\u3000"),
    "every digit spaced": lambda p: " ".join(p),
    "full-width digits": lambda p: p.translate(FULL),
    "full-width, －": lambda p: groups(p, (3, 4, 4), "-").translate(FULL),
    "Chinese numerals": lambda p: chinese(p),
    "Chinese 零/幺": lambda p: chinese(p, "零", "幺"),
    "+86": lambda p: "+86 " + p,
    "list separator 、": lambda p: groups(p, (3, 4, 4), "、"),
    "range ～ (full-width tilde)": lambda p: groups(p, (3, 4, 4), "～"),
    "slash /": lambda p: groups(p, (3, 8), "/"),
    "mixed full-width and ASCII": lambda p: p[:3].translate(FULL) + p[3:7] + "－" + p[7:].translate(FULL),
    "inside a URL": lambda p: f"https://wx.example.cn/call?tel={p}&from=board",
    # known limits, listed to show them (masking_text's docstring says why)
    "limit: split by line breaks": lambda p: groups(p, (3, 4, 4), "\n"),
    "one numeral among digits": lambda p: p[:2] + chinese(p[2]) + p[3:],
    "limit: financial capitals 壹叁捌": lambda p: "".join("零壹贰叁肆伍陆柒捌玖"[int(d)] for d in p),
}
LANDLINE = {
    "0838-1234567": lambda a, l: f"{a}-{l}",
    "full-width hyphen": lambda a, l: f"{a}－{l}",
    "(0838)1234567": lambda a, l: f"({a}){l}",
    "（0838）full-width": lambda a, l: f"（{a}）{l}".translate(FULL),
    "plain": lambda a, l: a + l,
    "space": lambda a, l: f"{a} {l}",
}
LOCAL = {
    "电话5123456": lambda l: f"电话{l}",
    "联系电话：512-3456": lambda l: f"联系电话：{l[:3]}-{l[3:]}",
    "手机 full-width": lambda l: f"手机{l.translate(FULL)}",
}
IDS = {
    "plain": lambda i: i,
    "groups of 4": lambda i: groups(i, (4, 4, 4, 4), " "),
    "6-8-4": lambda i: groups(i, (6, 8), "-"),
    "full-width": lambda i: i.translate(FULL),
    "full-width groups of 4": lambda i: groups(i, (4, 4, 4, 4), " ").translate(FULL),
    "Chinese numerals": lambda i: chinese(i),
    "lowercase x / list 、 6-8-4": lambda i: groups(i.lower(), (6, 8), "、"),
}
CARDS = {
    "plain": lambda c: c,
    "groups of 4": lambda c: groups(c, (4, 4, 4, 4), " "),
    "groups of 4, -": lambda c: groups(c, (4, 4, 4, 4), "-"),
    "full-width groups": lambda c: groups(c, (4, 4, 4, 4), "\u3000").translate(FULL),
    "groups of 4, /": lambda c: groups(c, (4, 4, 4, 4), "/"),
}
EMAILS = {
    "plain": lambda e: e,
    "full-width ＠": lambda e: e.replace("@", "＠"),
    "all full-width": lambda e: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in e),
    "+tag": lambda e: e.replace("@", "+tax@"),
    "domain with 。": lambda e: e.split("@")[0] + "@" + e.split("@")[1].replace(".", "。"),
    "limit: name (at) example.com": lambda e: e.replace("@", "(at)"),
}
NAMES = {
    "{n}反映": "{n}反映", "村民{n}家": "村民{n}家", "户主{n}，": "户主{n}，", "{n}等人": "{n}等人",
    "{n}来电称": "{n}来电称", "邻居{n}说": "邻居{n}说", "联系人：{n}，": "联系人：{n}，", "{n}先生反映": "{n}先生反映",
    "{n}（本村村民）反映": "{n}（本村村民）反映",
    "{n}说 (weak cue, not masked by rule)": "{n}说", "找{n} (no cue, not masked by rule)": "找{n}办理",
}


def luhn(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def load_texts(data) -> list[tuple[str, str]]:
    from framework.demo import TAIDI_REPLIED, find_real_data
    from framework.interchange.readers import read_table

    real = find_real_data(data)
    if real is None:
        raise SystemExit("no real data: give --data or set COUNTY_DATA")
    rows = read_table(real / TAIDI_REPLIED)
    return [(k, str(r.data.get(k) or "")) for r in rows for k in ("留言主题", "留言详情", "答复意见")]


def insert(rng: random.Random, text: str, piece: str) -> str:
    """``piece`` at a random clause boundary of ``text`` (after ，or 。), between two ，."""
    cuts = [m.end() for m in re.finditer("[，。]", text)] or [len(text)]
    at = rng.choice(cuts)
    return f"{text[:at]}{piece}，{text[at:]}"


def samples(rng: random.Random, fake, n: int):
    """(kind, spelling, written, kept digits, gone[, shown]) for ``n`` values of each kind and
    spelling; ``gone``: a string that must not survive (None: digits only); ``shown``: one that
    must be in the masked text (:func:`compound_samples`)."""

    for _ in range(n):
        p = fake.phone_number()
        for sp, f in MOBILE.items():
            yield "mobile", sp, f(p), 7 + (2 if sp == "+86" else 0), (f(p)[3:7] if "capitals" in sp else None)
        area = rng.choice(["010", "021", "028", "0838", "0731", "0746"])
        local = str(rng.randint(2, 8)) + "".join(rng.choice("0123456789") for _ in range(rng.choice((6, 7))))
        for sp, f in LANDLINE.items():
            yield "landline", sp, f(area, local), len(area) + 4, None
        local7 = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(6))
        for sp, f in LOCAL.items():
            yield "local (after a cue)", sp, f(local7), 4, None
        i = fake.ssn()
        for sp, f in IDS.items():
            yield "id", sp, f(i), 10, None
        c = luhn("62" + "".join(rng.choice("0123456789") for _ in range(rng.choice((13, 16)))))
        for sp, f in CARDS.items():
            yield "card", sp, f(c), 8, None
        e = fake.email()
        for sp, f in EMAILS.items():
            yield "email", sp, f(e), 0, e.split("@")[0][1:]
        nums = [rng.randint(1, 30), rng.randint(1, 300), rng.randint(1, 30), rng.randint(1, 6), rng.randint(101, 2505)]
        village = f"{fake.last_name()}家{rng.choice('沟湾坝坪')}村"
        doors = {
            "村3组12号": (f"{fake.district()}{village}{nums[0]}组{nums[1]}号", f"{nums[0]}组{nums[1]}号"),
            "街45号2单元301室": (f"{fake.district()}镇{fake.street_name()}{nums[1]}号{nums[3]}单元{nums[4]}室",
                             f"{nums[1]}号{nums[3]}单元"),
            "路88号3栋2单元501": (f"{fake.city()}{fake.street_name()}{nums[1]}号{nums[2]}栋{nums[3]}单元{nums[4]}",
                              f"{nums[1]}号{nums[2]}栋"),
            "三组十二号 (Chinese)": (f"{village}{CHINESE[nums[3]]}组十{CHINESE[nums[3]]}号", f"组十{CHINESE[nums[3]]}号"),
            "小区12号楼3层302户": (f"{fake.district()}{fake.last_name()}{rng.choice(['花园', '小区', '新村'])}{nums[0]}号楼"
                             f"{nums[3]}层{nums[4]}户", f"{nums[0]}号楼{nums[3]}层"),
            "3号楼502 (no place word)": (f"住{nums[0]}号楼{nums[4]}", f"{nums[0]}号楼{nums[4]}"),
            "5栋302室 (no place word)": (f"住{nums[2]}栋{nums[4]}室", f"{nums[2]}栋{nums[4]}"),
            "limit: 5栋302户 (reads as 10栋460户, a count)": (f"住{nums[2]}栋{nums[4]}户", f"{nums[2]}栋{nums[4]}"),
        }
        for sp, (written, door) in doors.items():
            yield "address (door)", sp, written, 0, door
        name = fake.name()
        for sp, template in NAMES.items():
            yield "name", sp, template.format(n=name), 0, name


def compound_samples(rng: random.Random, fake, n: int):
    """As :func:`samples`, for ``n`` names with a compound surname (复姓, from
    ``COMPOUND_SURNAMES``) and a Faker given name, in every name spelling; ``shown``: the
    surname + 某 the masked text must hold. Drawn from generators of their own, after the other
    kinds, so the other kinds' samples (and figures) are those of before."""
    from framework.publish.masking_names import COMPOUND_SURNAMES

    for _ in range(n):
        surname = rng.choice(COMPOUND_SURNAMES)
        name = surname + fake.first_name()
        for sp, template in NAMES.items():
            yield "compound name", sp, template.format(n=name), 0, name, (
                None if "not masked by rule" in sp else surname + "某")


#: Names given after a cue (conventions §3: 我叫, 本人, 丈夫, 已联系 …), counted as masked only when
#: the surname + 某 is shown (司马某 for a compound surname).
CUE_NAMES = {
    "我叫{n}，": "我叫{n}，", "本人{n}，": "本人{n}，", "本人姓名，{n}，": "本人姓名，{n}，", "真名叫{n}，": "真名叫{n}，",
    "名叫{n}的人": "名叫{n}的人", "丈夫{n}，": "丈夫{n}，", "父亲是{n}。": "父亲是{n}。", "女儿{n}，": "女儿{n}，",
    "已联系{n}（": "已联系{n}（", "联系人：{n}　": "联系人：{n}\u3000",
    # the second round: a function character or a verb after the name, a space, quotes, a repeat
    "本人{n}说": "本人{n}说", "妻子{n}于去年离家": "妻子{n}于去年离家", "父亲{n}属贫困户": "父亲{n}属贫困户",
    "本人{n}实名举报": "本人{n}实名举报", "丈夫{n}出差了": "丈夫{n}出差了", "本人{n} 今天来访": "本人{n} 今天来访",
    "我叫“{n}”": "我叫“{n}”", "本人{n}，找{n}办理 (the second without a cue)": "本人{n}，找{n}办理",
}


def cue_samples(rng: random.Random, fake, n: int):
    """As :func:`samples`, for names after a cue (:data:`CUE_NAMES`; a compound surname for
    every fourth), a mobile written ``（138）12345678`` and QQ numbers (``QQ 123456789``,
    ``qq号：…``: the last 4 digits kept, at most half). From generators of their own, after every
    other kind, so the other kinds' figures are those of before."""
    from framework.publish.masking_names import COMPOUND_SURNAMES

    for i in range(n):
        surname = rng.choice(COMPOUND_SURNAMES) if i % 4 == 3 else fake.last_name()
        name = surname + fake.first_name()
        for sp, template in CUE_NAMES.items():
            yield "name after a cue", sp, template.format(n=name), 0, name, (
                None if "not masked by rule" in sp else surname + "某")
        p = fake.phone_number()
        yield "mobile (138)", "电话（138）12345678", f"电话（{p[:3]}）{p[3:]}", 7, None
        yield "mobile (138)", "(138) 1234-5678", f"({p[:3]}) {p[3:7]}-{p[7:]}", 7, None
        qq = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 9)))
        kept = min(4, len(qq) // 2)
        yield "qq", "QQ 123456789", f"QQ {qq}", kept, None
        yield "qq", "qq号：123456789", f"qq号：{qq}", kept, None
        yield "qq", "ＱＱ full-width", f"ＱＱ{qq}".translate(FULL), kept, None


def recall(texts, n: int, seed: int):
    from faker import Faker

    from framework.publish.masking import mask_text
    from framework.publish.masking_normalise import digits_of, normalise

    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    base_texts = [t for k, t in texts if k == "留言详情" and len(t) > 40]
    hit, total, misses = Counter(), Counter(), defaultdict(list)
    fake_compound = Faker("zh_CN")
    fake_compound.seed_instance(seed)
    fake_cue = Faker("zh_CN")
    fake_cue.seed_instance(seed + 1)
    every = itertools.chain(samples(rng, fake, n), compound_samples(random.Random(seed), fake_compound, n),
                            cue_samples(random.Random(seed + 1), fake_cue, n))
    for kind, spelling, written, kept, gone, *shown in every:
        base = rng.choice(base_texts)
        text = insert(rng, base, written)
        out = mask_text(text)
        x = kind == "id"
        base_digits = len(digits_of(mask_text(insert(rng, base, "")), check_x=x))
        ok = len(digits_of(out, check_x=x)) - base_digits <= kept
        if gone:
            ok = ok and normalise(gone)[0] not in normalise(out)[0]
        if shown and shown[0]:
            ok = ok and shown[0] in out
        total[kind, spelling] += 1
        hit[kind, spelling] += ok
        if not ok and len(misses[kind, spelling]) < 2:
            misses[kind, spelling].append(written)
    return hit, total, misses


def false_positives(texts, show=None):
    from framework.publish.masking_normalise import digits_of
    from framework.publish.masking_text import find_personal_data

    found, examples, changed = Counter(), defaultdict(list), 0
    chars = sum(len(t) for _, t in texts)
    for _, text in texts:
        items = find_personal_data(text)
        changed += bool(items)
        for kind, sub in items:
            at = text.find(sub)
            context = text[max(0, at - 8):at + len(sub) + 4].replace("\n", " ").replace("\t", "")
            if show == kind:
                print(f"{kind}\t{sub}\t{context}")
            if kind in ("mobile", "landline", "local", "number", "card", "id", "qq"):
                if digits_of(sub).count("0") >= 7 and not digits_of(sub)[4:].strip("0"):
                    kind = f"{kind}: all-zero placeholder"
                elif CUE.search(text[max(0, at - 10):at]):
                    kind = f"{kind}: after a phone cue"
            found[kind] += 1
            if len(examples[kind]) < 6:
                examples[kind].append(context)
    return found, examples, changed, chars


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="the real-data folder (default: COUNTY_DATA or ../shared/data/real)")
    ap.add_argument("--n", type=int, default=150, help="values per kind (each written in every spelling)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--show", metavar="KIND", help="print every span of KIND (name, door, landline …) found in "
                    "the untouched texts, with its context, for a review by eye; nothing else")
    a = ap.parse_args(argv)
    if a.show:
        false_positives(load_texts(a.data), show=a.show)
        return 0
    t0 = time.perf_counter()
    texts = load_texts(a.data)
    hit, total, misses = recall(texts, a.n, a.seed)
    print(f"Recall: {a.n} fictional values per kind (Faker zh_CN, seed {a.seed}), each in every spelling, "
          f"inserted in a real 附件4 message\n")
    print(f"{'kind':<22}{'spelling':<38}{'masked':>8}{'recall':>9}  missed, e.g.")
    by_kind = defaultdict(lambda: [0, 0])
    for key in total:
        kind, spelling = key
        if not spelling.startswith("limit") and "not masked by rule" not in spelling:
            by_kind[kind][0] += hit[key]
            by_kind[kind][1] += total[key]
        print(f"{kind:<22}{spelling:<38}{hit[key]:>4}/{total[key]:<4}{hit[key] / total[key]:>8.1%}  "
              f"{' | '.join(misses[key])}".replace("\n", "⏎"))
    print()
    for kind, (h, t) in by_kind.items():
        print(f"{kind:<22}{'all spellings but the limits':<38}{h:>4}/{t:<4}{h / t:>8.1%}")
    found, examples, changed, chars = false_positives(texts)
    print(f"\nOn the untouched 附件4 texts: {len(texts)} fields, {chars:,} characters; {changed} fields "
          f"({changed / len(texts):.1%}) had something masked; {sum(found.values())} spans "
          f"({sum(found.values()) / chars * 10000:.1f} per 10,000 characters)\n")
    for kind, count in found.most_common():
        print(f"{kind:<40}{count:>6}   e.g. {' | '.join(examples[kind][:4])}")
    print(f"\n{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
