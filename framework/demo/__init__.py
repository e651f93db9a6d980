"""``county demo``: a demo county on real citizen messages (:func:`run_demo`), and where the
real data are found (:mod:`framework.demo.sources`)."""

from framework.demo.run import run_demo
from framework.demo.sources import TAIDI_REPLIED, find_real_data, repo_root, require_real_data, sample_path

__all__ = ["TAIDI_REPLIED", "find_real_data", "repo_root", "require_real_data", "run_demo", "sample_path"]
