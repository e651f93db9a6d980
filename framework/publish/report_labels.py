"""How an appraisal report (考评报告) names and writes what it shows: figures, unit levels, tiers
and subjects in Chinese, for the text table, the HTML page and the workbook alike
(:mod:`framework.publish.reports`). ``county appraise --json`` is not touched: it keeps the
codes and the full precision.

* a count is written whole (``886``, ``1200000``, never ``1.2e+06``); a score with a fraction
  is rounded to 2 decimals, trailing zeros dropped (dianti's 服务效果评分 ``4.54167`` -> ``4.54``,
  as ``county dianti evaluate`` prints it; ``92.5`` stays ``92.5``);
* a rate is a percentage with one decimal (``50.0%``), ``—`` when its denominator is 0; where
  its denominator is not another column of the table, with its numerator and denominator
  (``50.0%（1/2）``);
* a unit level by its Chinese name (``building`` -> 楼栋);
* a metric's tier (:func:`Labeller.tier`) by the method's own words: its chain tier's title,
  else its role's label (``MethodInfo.roles``), else the unit level's name; a code that is none of
  these is left out, since the plugin's label names it (liuyao's ``重大事项决策数：村“两委”讨论决策``,
  zerentian's ``服务团：离退休老党员``) — unless two such codes share one label, when the codes
  are shown (a label that does not tell them apart loses nothing);
* a subject (:func:`Labeller.subject`): a unit or a person by name, a method by its title, a
  group ``unit:code`` as ``〈unit name〉·〈group name〉`` (the method's category or role label of
  the code, else the name the metric's label ends with, ``服务完成数（技术服务小组）``), anything
  else (a case number) as it is.
"""

from __future__ import annotations

import operator
import re

from framework.models import Metric

DASH = "—"

#: Unit levels (conventions §1 and the levels a deployment check knows) by their Chinese names.
LEVEL_TITLES = {
    "province": "省", "city": "市", "county": "县", "township": "乡镇", "village": "村", "community": "社区",
    "residential_area": "居民区", "group": "组", "grid": "网格", "hamlet": "自然村", "building": "楼栋",
    "household": "户", "area": "片区", "responsibility_zone": "责任区", "department": "部门",
    "ledger_office": "县三账办", "joint_meeting": "联席会议",
}

_TRAILING_NAME = re.compile(r"（([^（）]+)）$")


def level_title(level: str | None) -> str:
    """A unit level's Chinese name (:data:`LEVEL_TITLES`); an unknown level (a deployment's own)
    as it is, ``""`` for None."""
    return LEVEL_TITLES.get(level or "", level or "")


def fmt_rate(v: float | None) -> str:
    """``0.875`` -> ``87.5%``; None (zero denominator) -> ``—``."""
    return DASH if v is None else f"{v * 100:.1f}%"


def fmt_num(v: float | None) -> str:
    """A count or a score: whole numbers whole (``886``, ``1200000``), others rounded to 2
    decimals without trailing zeros (``4.54167`` -> ``4.54``, ``3.5`` -> ``3.5``,
    ``1730.1`` -> ``1730.1``); None -> ``—``."""
    if v is None:
        return DASH
    if float(v).is_integer():
        return str(int(v))
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fmt_fraction(num: float | None, den: float | None) -> str:
    """``1/2`` (each as :func:`fmt_num`), ``""`` when either is None."""
    return "" if num is None or den is None else f"{fmt_num(num)}/{fmt_num(den)}"


def fmt_rate_of(v: float | None, num: float | None, den: float | None) -> str:
    """A rate with its numerator and denominator: ``50.0%（1/2）``; ``—`` when the denominator
    is 0 or missing (nothing to divide), the bare rate when the figures are unknown."""
    if v is None or not den:
        return DASH
    fraction = fmt_fraction(num, den)
    return f"{fmt_rate(v)}（{fraction}）" if fraction else fmt_rate(v)


class Labeller:
    """The Chinese names one report uses, each looked up once: ``county`` is the County
    facade (its registry, units, people); ``scores``: the methods' own metrics the report shows
    (to find tier codes that only the code tells apart)."""

    def __init__(self, county, scores: list[Metric] = ()) -> None:
        self.county = county
        self._tiers: dict[tuple[str | None, str], str | None] = {}
        self._subjects: dict[tuple[str, str, str | None], str] = {}
        self._titles = {name: info.title_zh for name, info in self._methods().items()}
        # tiers only a code names, per (method, metric, label): two or more -> show the codes
        seen: dict[tuple, set[str]] = {}
        for m in scores:
            if m.tier and self._known_tier(m.method, m.tier) is None:
                seen.setdefault((m.method, m.metric, m.label), set()).add(m.tier)
        self._ambiguous = {k for k, v in seen.items() if len(v) > 1}

    def _methods(self) -> dict:
        registry = getattr(self.county, "registry", None)
        return getattr(registry, "methods", {}) if registry is not None else {}

    def method(self, name: str | None) -> str:
        """A method's Chinese title (``台账工作法``), its name when it is not installed."""
        return self._titles.get(name or "", name or "")

    def _known_tier(self, method: str | None, tier: str) -> str | None:
        """``tier``'s Chinese name from the method (chain tier title, role label) or as a unit
        level; None when neither knows it. Looked up once per (method, tier)."""
        key = (method, tier)
        if key in self._tiers:
            return self._tiers[key]
        title = None
        info = self._methods().get(method or "")
        if info is not None:
            try:
                t = self.county.chain_method(method).tier(tier)
            except Exception:  # a chain that cannot be built (a method half installed): its own tiers
                t = info.tier(tier)
            title = (t.title_zh if t is not None and t.title_zh else None) or info.roles.get(tier) or None
        if title is None and tier in LEVEL_TITLES:
            title = LEVEL_TITLES[tier]
        self._tiers[key] = title
        return title

    def tier(self, m: Metric) -> str:
        """The tier cell of a method's own metric (see the module): the Chinese name, ``""`` for
        no tier or a code the label already names, the code when labels do not tell it apart."""
        if not m.tier:
            return ""
        title = self._known_tier(m.method, m.tier)
        if title is not None:
            return title
        return m.tier if (m.method, m.metric, m.label) in self._ambiguous or not m.label else ""

    def subject(self, m: Metric) -> str:
        """The subject cell (see the module): a unit's or person's name, a method's title,
        ``观音村·技术服务小组`` for a group ``unit:code``, else the subject as it is."""
        key = (m.subject_kind, m.subject, m.label if m.subject_kind == "group" else None)
        got = self._subjects.get(key)
        if got is None:
            got = self._subjects[key] = self._subject(m)
        return got

    def _subject(self, m: Metric) -> str:
        units = getattr(self.county, "units", {})
        people = getattr(self.county, "people", {})
        if m.subject_kind == "unit" and m.subject in units:
            return units[m.subject].name
        if m.subject_kind == "person" and m.subject in people:
            return people[m.subject].name
        if m.subject_kind == "method":
            return self.method(m.subject)
        unit, sep, code = m.subject.partition(":")
        if sep and unit in units and code:
            info = self._methods().get(m.method or "")
            name = (info.categories.get(code) or info.roles.get(code)) if info is not None else None
            if not name:
                found = _TRAILING_NAME.search(m.label or "")
                name = found.group(1).rsplit("：", 1)[-1] if found else code
            return f"{units[unit].name}·{name}"
        return m.subject


def score_table(labels: Labeller, scores: list[Metric]) -> list[list[str]]:
    """:func:`framework.publish.reports._score_cells` of every score (对象, 工作法, 指标, 层级, 值,
    分子/分母 — a rate as a percentage, a score by :func:`fmt_num`), the same cells: each distinct figure formatted
    once (a year's 16,866 scores hold ~2,300 values and ~1,600 fractions; issue 13), a
    subject and a method looked up again only when they change from the score before (scores
    come by method and subject). Returns one list of six strings per score, in order."""
    nums: dict = {}
    rates: dict = {}
    fractions: dict = {}
    subject, method, tier = labels.subject, labels.method, labels.tier
    out = []
    append = out.append
    last_kind = last_subject = last_method = object()
    subject_text = method_text = ""
    for m, (kind, code, name, v, d) in zip(scores, map(_SCORE_FIELDS, scores)):
        if code != last_subject or kind != last_kind or kind == "group":  # a group's name may come from its label
            last_kind, last_subject, subject_text = kind, code, subject(m)
        if name != last_method:
            last_method, method_text = name, method(name)
        cls = v.__class__
        if d is None:  # fmt_num: equal ints and floats (±0.0 too) give the same text
            if cls is float or cls is int:
                value = nums.get(v)
                if value is None:
                    value = nums[v] = fmt_num(v)
            else:
                value = fmt_num(v)
            fraction = ""
        else:
            if cls is int or (cls is float and v):  # fmt_rate: not ±0.0 (-0.0%)
                value = rates.get(v)
                if value is None:
                    value = rates[v] = fmt_rate(v)
            else:
                value = fmt_rate(v)
            n = m.numerator
            if n is None:
                fraction = ""
            elif n.__class__ in _EXACT and d.__class__ in _EXACT:
                fraction = fractions.get((n, d))
                if fraction is None:
                    fraction = fractions[(n, d)] = fmt_fraction(n, d)
            else:
                fraction = fmt_fraction(n, d)
        append([subject_text, method_text, m.label or m.metric, tier(m) if m.tier else "", value, fraction])
    return out


_EXACT = (int, float)  # fmt_num gives equal ints and floats (and ±0.0) the same text
_SCORE_FIELDS = operator.attrgetter("subject_kind", "subject", "method", "value", "denominator")
