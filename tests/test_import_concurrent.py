"""Two imports of one file at once (found by a fresh data steward): the second process had
checked its rows' source ids before the first committed them, and reported the rows the first
took as refused (`拒收 4000`, exit 2); they are skipped, as in a re-import. Stood in for here by
a second import whose early check sees nothing taken (the race's window)."""

from __future__ import annotations

from framework.interchange import import_file
from framework.interchange import importer


def test_rows_another_import_took_meanwhile_are_skipped_not_refused(make_county, tmp_path, monkeypatch):
    from deployments import mini_zhongjiang

    county = make_county(mini_zhongjiang(("taizhang",)), now="2026-11-10T09:00")
    f = tmp_path / "rows.csv"
    f.write_text("source_id,title,created_at\n" + "".join(f"r{i},事项{i},2026-11-0{i} 10:00\n" for i in range(1, 4)),
                 encoding="utf-8")
    first = import_file(county, f, method="taizhang", unit="zj.fx.llg", constants={"category": "livelihood"})
    assert (first.taken, first.skipped, first.refused) == (3, 0, [])
    # the early check came before the other process committed: it lets every row through
    monkeypatch.setattr(importer._Rows, "_new", lambda self, rows: rows)
    second = import_file(county, f, method="taizhang", unit="zj.fx.llg", constants={"category": "livelihood"})
    assert (second.taken, second.skipped, second.refused) == (0, 3, [])
    assert county.store.db.execute("select count(*) from cases").fetchone() == (3,)
