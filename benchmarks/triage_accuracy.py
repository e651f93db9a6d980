"""Accuracy of the level-1 category triage on the labelled sample (泰迪杯 2020C 附件2, 495 rows,
7 classes), by stratified 5-fold cross-validation.

    python benchmarks/triage_accuracy.py [--data PATH/TO/shared/data/real] [--folds 5]

Prints, for the keyword rule (framework.interchange.triage.KeywordRule, with and without the official
taxonomy's names) and the scikit-learn classifier (TextClassifier, trained on the other folds
only): accuracy per fold, mean and standard deviation, macro-F1, and per-class recall.
The keyword rule needs no training; it is evaluated on the same test folds. A message the
keyword rule cannot place counts as wrong.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="the real-data folder (default: COUNTY_DATA or ../shared/data/real)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)

    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from framework.interchange.triage import KeywordRule, TextClassifier, load_labelled, load_taxonomy
    from framework.demo import find_real_data

    real = find_real_data(a.data)
    if real is None:
        print("no real data: give --data or set COUNTY_DATA", file=sys.stderr)
        return 2
    base = real / "taidi2020c-zhihuizhengwu"
    titles, bodies, labels = load_labelled(base / "sample" / "附件2.xlsx")
    tree = load_taxonomy(base / "full" / "附件1.xlsx")
    print(f"labelled sample: {len(labels)} messages (distinct 留言编号), classes: "
          + ", ".join(f"{k} {v}" for k, v in Counter(labels).most_common()))
    print(f"taxonomy: {len(tree.level1)} level-1, {len({(a, b) for a, b, _ in tree.leaves()})} level-2, "
          f"{len(tree.leaves())} level-3 paths")
    print(f"{a.folds}-fold stratified cross-validation (seed {a.seed})\n")

    rules = {
        "keywords (built-in lists)": lambda: KeywordRule(),
        "keywords + taxonomy names": lambda: KeywordRule(taxonomy=tree),
        "tfidf char 1-2 + logreg": None,
    }
    skf = StratifiedKFold(n_splits=a.folds, shuffle=True, random_state=a.seed)
    splits = list(skf.split(titles, labels))
    for name, make in rules.items():
        accs, y_true, y_pred = [], [], []
        t0 = time.perf_counter()
        for train, test in splits:
            if make is None:
                clf = TextClassifier().fit([titles[i] for i in train], [bodies[i] for i in train],
                                           [labels[i] for i in train])
            else:
                clf = make()
            pred = clf.predict([(titles[i], bodies[i]) for i in test])
            truth = [labels[i] for i in test]
            accs.append(sum(p == t for p, t in zip(pred, truth)) / len(test))
            y_true += truth
            y_pred += [p or "(none)" for p in pred]
        secs = time.perf_counter() - t0
        macro = f1_score(y_true, y_pred, average="macro", labels=sorted(set(labels)))
        print(f"{name:<28} accuracy {statistics.mean(accs):.3f} ± {statistics.stdev(accs):.3f}  "
              f"macro-F1 {macro:.3f}  folds " + " ".join(f"{x:.3f}" for x in accs) + f"  ({secs:.1f}s)")
        rec = []
        for lab in sorted(set(labels), key=lambda k: -labels.count(k)):
            idx = [i for i, t in enumerate(y_true) if t == lab]
            rec.append(f"{lab} {sum(y_pred[i] == lab for i in idx) / len(idx):.2f}")
        print("    recall: " + ", ".join(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
