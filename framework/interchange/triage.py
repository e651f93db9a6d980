"""Category triage on real text: the official taxonomy as a tree, and rules that propose a
level-1 category (一级分类) from a message's title and body.

留言分类：官方三级标签体系（附件1）作为分类树；由标题和正文提出一级分类。

* :class:`CategoryTree` — the 3-level taxonomy (一级/二级/三级分类) loaded from the official
  ``附件1.xlsx`` (or any CSV/XLSX with those three columns); a deployment can load it.
* :class:`KeywordRule` — keyword rules: ``framework/interchange/data/topic_keywords.toml`` (written for
  this project, one keyword list per level-1 class) plus, when a taxonomy is given, the
  level-2 and level-3 names under each class. Needs no training data; always available.
* :class:`TextClassifier` — a small scikit-learn classifier (character 1–2-gram TF-IDF and
  logistic regression) trained only on the labelled sample (附件2, 495 rows). scikit-learn is
  the ``ml`` extra (``pip install 'county-methods[ml]'``); without it the classifier, and the
  command that trains one, stop with one line naming the extra (:func:`require_ml`).

Both return a :class:`Proposal` from ``propose(title, body)``. Their accuracy on the labelled
sample (5-fold cross-validation) is reported by ``python benchmarks/triage_accuracy.py``;
no test holds them to a threshold.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import attrs

from framework.errors import CountyError
from framework.interchange.readers import read_records

LEVEL_COLUMNS = ("一级分类", "二级分类", "三级分类")
ML_EXTRA = "pip install 'county-methods[ml]'"


def require_ml(what: str = "the scikit-learn classifier") -> None:
    """Raise CountyError (exit 2) ``WHAT needs the ml extra: pip install 'county-methods[ml]'``
    when scikit-learn cannot be imported."""
    try:
        import sklearn  # noqa: F401  (optional heavy dependency: the ml extra)
    except ImportError:
        raise CountyError(f"{what} needs the ml extra: {ML_EXTRA}") from None


@attrs.define
class Proposal:
    """A proposed level-1 category: ``label`` (None when nothing matched), ``score`` in
    [0, 1] (share of the evidence for the label, or the classifier's probability) and the
    keywords that matched (keyword rule only)."""

    label: str | None
    score: float = 0.0
    matched: list[str] = attrs.Factory(list)


@attrs.define
class CategoryTree:
    """The 3-level taxonomy: ``tree[level1][level2]`` is the list of level-3 names."""

    tree: dict[str, dict[str, list[str]]] = attrs.Factory(dict)

    @property
    def level1(self) -> list[str]:
        return list(self.tree)

    def leaves(self, level1: str | None = None) -> list[tuple[str, str, str]]:
        """Every (level1, level2, level3) path, optionally under one level-1 class."""
        return [(a, b, c) for a, subs in self.tree.items() if level1 in (None, a)
                for b, leaves in subs.items() for c in leaves]

    def path(self, name: str) -> tuple[str, ...] | None:
        """The path from the root to the first node called ``name`` (any level), or None."""
        for a, subs in self.tree.items():
            if a == name:
                return (a,)
            for b, leaves in subs.items():
                if b == name:
                    return (a, b)
                if name in leaves:
                    return (a, b, name)
        return None


def load_taxonomy(path: str | Path) -> CategoryTree:
    """Load the taxonomy from an XLSX or CSV file whose header has 一级分类, 二级分类, 三级分类
    (the official 附件1.xlsx). Empty rows are skipped; a row with an empty level is an error.
    Returns a :class:`CategoryTree`; raises CountyError naming file, line and column."""
    src = read_records(path)
    tree: dict[str, dict[str, list[str]]] = {}
    for rec in src.records:
        missing = [c for c in LEVEL_COLUMNS if c not in rec.data]
        if missing:
            raise CountyError(f"{path}: no column {missing[0]} (the taxonomy needs {', '.join(LEVEL_COLUMNS)})")
        vals = [str(rec.data[c] or "").strip() for c in LEVEL_COLUMNS]
        for c, v in zip(LEVEL_COLUMNS, vals):
            if not v:
                raise CountyError(f"{path}: line {rec.line}: {c}: empty")
        a, b, c = vals
        leaves = tree.setdefault(a, {}).setdefault(b, [])
        if c not in leaves:
            leaves.append(c)
    if not tree:
        raise CountyError(f"{path}: the taxonomy has no rows")
    return CategoryTree(tree)


def builtin_keywords() -> dict[str, list[str]]:
    """The project's keyword lists (``framework/interchange/data/topic_keywords.toml``)."""
    text = (resources.files("framework.interchange") / "data" / "topic_keywords.toml").read_text(encoding="utf-8")
    return {k: list(v) for k, v in tomllib.loads(text)["keywords"].items()}


_SPLIT = re.compile(r"[、，,/（）()\s和及与]+")


class KeywordRule:
    """Keyword rules: a level-1 class scores 2 per distinct keyword found in the title and 1
    per distinct keyword found in the body; the highest score wins (ties: the class listed
    first). ``keywords``: level-1 -> words; ``taxonomy`` adds its level-2/3 names (split at
    、，/ and 和/及/与, words of 2+ characters) under their level-1 class."""

    name = "keywords"

    def __init__(self, keywords: dict[str, list[str]] | None = None, taxonomy: CategoryTree | None = None):
        kw = {k: list(v) for k, v in (keywords if keywords is not None else builtin_keywords()).items()}
        if taxonomy is not None:
            for a, b, c in taxonomy.leaves():
                words = kw.setdefault(a, [])
                for part in _SPLIT.split(b) + _SPLIT.split(c):
                    if len(part) >= 2 and part not in words and part not in ("其他", "其它", "管理", "问题"):
                        words.append(part)
        self.keywords = {k: sorted(set(v), key=lambda w: (-len(w), w)) for k, v in kw.items()}
        self.labels = list(self.keywords)

    def propose(self, title: str, body: str = "") -> Proposal:
        """Propose a level-1 class for one message. Returns a :class:`Proposal`."""
        title, body = title or "", body or ""
        scores: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        for label, words in self.keywords.items():
            s = 0.0
            for w in words:
                hit = False
                if w in title:
                    s += 2
                    hit = True
                if w in body:
                    s += 1
                    hit = True
                if hit:
                    matched.setdefault(label, []).append(w)
            if s:
                scores[label] = s
        if not scores:
            return Proposal(None, 0.0)
        best = max(self.labels, key=lambda k: scores.get(k, 0.0))
        return Proposal(best, scores[best] / sum(scores.values()), matched.get(best, []))

    def predict(self, texts: Iterable[tuple[str, str]]) -> list[str | None]:
        return [self.propose(t, b).label for t, b in texts]


class TextClassifier:
    """A small scikit-learn classifier: character 1–2-gram TF-IDF of title (twice) + body,
    then multinomial logistic regression. Train it with :meth:`fit` on labelled messages only
    (the 495-row 附件2 sample); nothing is downloaded or shipped."""

    name = "tfidf-logreg"

    def __init__(self, C: float = 10.0):
        require_ml()
        # optional heavy dependency (the ml extra): loaded only when a classifier is built
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.model = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            LogisticRegression(C=C, max_iter=2000),
        )

    @staticmethod
    def text(title: str, body: str) -> str:
        return f"{title} {title} {' '.join((body or '').split())}"

    def fit(self, titles: Sequence[str], bodies: Sequence[str], labels: Sequence[str]) -> "TextClassifier":
        """Train on parallel lists of titles, bodies and level-1 labels. Returns self."""
        self.model.fit([self.text(t, b) for t, b in zip(titles, bodies)], list(labels))
        return self

    def propose(self, title: str, body: str = "") -> Proposal:
        probs = self.model.predict_proba([self.text(title, body)])[0]
        i = int(probs.argmax())
        return Proposal(str(self.model.classes_[i]), float(probs[i]))

    def predict(self, texts: Iterable[tuple[str, str]]) -> list[str]:
        return [str(x) for x in self.model.predict([self.text(t, b) for t, b in texts])]


def load_labelled(path: str | Path) -> tuple[list[str], list[str], list[str]]:
    """The labelled sample (附件2: 留言主题, 留言详情, 一级分类) as (titles, bodies, labels);
    exact duplicate rows (same 留言编号) are kept once."""
    src = read_records(path)
    titles, bodies, labels, seen = [], [], [], set()
    for rec in src.records:
        d = rec.data
        for c in ("留言主题", "留言详情", "一级分类"):
            if c not in d:
                raise CountyError(f"{path}: no column {c} (a labelled sample needs 留言主题, 留言详情, 一级分类)")
        key = str(d.get("留言编号"))
        if key in seen:
            continue
        seen.add(key)
        if not d["一级分类"]:
            continue
        titles.append(str(d["留言主题"] or ""))
        bodies.append(str(d["留言详情"] or ""))
        labels.append(str(d["一级分类"]).strip())
    return titles, bodies, labels


def default_classifier(taxonomy_path: str | Path | None = None) -> KeywordRule:
    """The triage rule imports use for ``topic = "classify"``: the keyword rule, with the
    names of the taxonomy at ``taxonomy_path`` (e.g. the official 附件1.xlsx) added when one is
    given. Nothing is looked up: a caller that has real data (``county demo``,
    ``county case import --taxonomy``) passes the file."""
    return KeywordRule(taxonomy=load_taxonomy(taxonomy_path) if taxonomy_path else None)
