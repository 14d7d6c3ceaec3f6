"""search.py: which shard a week's pages go to, and the shards' plan."""

from __future__ import annotations

import json
from datetime import date

from digestgen.search import manifest, plan_shards, shard_of


def test_shards_are_the_newest_week_its_month_its_year_half_years_back_two_years_then_years() -> None:
    newest = date(2024, 12, 23)
    assert shard_of(newest, newest) == "2024-12-23"  # where editors work: 11 pages to index again
    assert shard_of(date(2024, 12, 16), newest) == "2024-12"
    assert shard_of(date(2024, 12, 2), newest) == "2024-12"
    assert shard_of(date(2024, 11, 25), newest) == "2024"  # the rest of the newest year: one shard
    assert shard_of(date(2024, 1, 1), newest) == "2024"
    assert shard_of(date(2023, 12, 25), newest) == "2023-h2"
    assert shard_of(date(2022, 12, 26), newest) == "2022-h2"  # two years back: half a year
    assert shard_of(date(2022, 1, 3), newest) == "2022-h1"
    assert shard_of(date(2021, 12, 27), newest) == "2021"
    assert shard_of(date(2003, 1, 6), newest) == "2003"  # twenty years back: still a year of its own
    # a new year: the last year's month joins its half-year; the oldest year of the three is one shard
    assert shard_of(date(2024, 12, 23), date(2025, 1, 6)) == "2024-h2"
    assert shard_of(date(2022, 12, 26), date(2025, 1, 6)) == "2022"


def pages(weeks: dict[str, date], changed: str = "") -> dict[str, tuple[date, bytes]]:
    return {path: (week, b"edited" if path == changed else b"same") for path, week in weeks.items()}


def test_plan_lists_shards_newest_first_and_renames_only_the_shard_that_changed() -> None:
    weeks = {
        "ko/papers/a/index.html": date(2024, 12, 23),
        "ko/issues/2024-12-23/index.html": date(2024, 12, 23),
        "ko/papers/e/index.html": date(2024, 12, 2),
        "ko/papers/b/index.html": date(2024, 3, 4),
        "ko/papers/c/index.html": date(2019, 3, 4),
        "ko/papers/d/index.html": date(2023, 5, 1),
    }
    before = plan_shards(pages(weeks))
    assert [s.name for s in before] == ["2024-12-23", "2024-12", "2024", "2023-h1", "2019"]
    assert before[0].pages == ("ko/issues/2024-12-23/index.html", "ko/papers/a/index.html")
    assert plan_shards(pages(dict(reversed(weeks.items())))) == before  # order of input does not matter
    after = plan_shards(pages(weeks, changed="ko/papers/b/index.html"))
    assert [s.folder == t.folder for s, t in zip(before, after, strict=True)] == [True, True, False, True, True]
    oldest = [date(2024, 12, 23), date(2024, 12, 2), date(2024, 3, 4), date(2023, 5, 1), date(2019, 3, 4)]
    assert [s.oldest for s in after] == oldest
    # the browser searches the newest month's two shards from the first query on
    first = [True, True, False, False, False]
    listed = [{"folder": s.folder, "from": s.oldest.isoformat(), "first": f} for s, f in zip(after, first, strict=True)]
    assert json.loads(manifest(after)) == listed
    assert json.loads(manifest([])) == []
    assert plan_shards({}) == []
