"""The build cache and parallel rendering change only time: after any sequence of edits an
incremental build equals a clean build byte for byte, and a parallel build equals a serial one."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from digestgen import workers
from digestgen.build import BuildResult, build
from digestgen.cache import Session, cache_path, load_cache, load_detail
from digestgen.errors import DigestError
from digestgen.exports import FEED_ISSUES
from digestgen.render import Renderer
from digestgen.views import IssueView
from helpers import Project, issue_text, paper, snapshot


def clean_build(project: Project, where: Path) -> dict[str, bytes]:
    build(project.config().override(output_dir=where), cache=False)
    return snapshot(where)


def assert_same_as_clean(project: Project, tmp_path: Path, step: str) -> None:
    expected = clean_build(project, tmp_path / "clean")
    actual = snapshot(project.output)
    assert sorted(actual) == sorted(expected), step
    for name in expected:
        assert actual[name] == expected[name], f"{step}: {name} differs from a clean build"


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Files new or different in ``after``."""
    return {name for name, data in after.items() if before.get(name) != data}


def site_files(names: set[str]) -> set[str]:
    """Leaves out the search index (its files are named by their content; tests/test_finding.py checks it)."""
    return {name for name in names if not name.startswith("pagefind/")}


def week(n: int) -> str:
    """Weeks over four years, so that the search index has shards of several kinds (search.shard_of)."""
    return f"{2020 + n % 4}-{1 + n // 4:02d}-{1 + 7 * (n % 3):02d}"


class Editor:
    """Random edits of the kinds editors make, drawn from a seeded generator."""

    def __init__(self, project: Project, rng: random.Random) -> None:
        self.project, self.rng = project, rng
        self.weeks: dict[str, list[dict[str, object]]] = {}
        self.serial = 0

    def _paper(self) -> dict[str, object]:
        self.serial += 1
        n = self.serial
        fields: dict[str, object] = {
            "tags": self.rng.sample(["llm", "rag", "vision", "agents"], self.rng.randint(0, 2))
        }
        if self.rng.random() < 0.7:
            fields["abstract"] = {"ko": f"초록 {n} *강조*", "en": f"Abstract {n} with `code`"}
        return paper(n, **fields)

    def save(self, key: str) -> None:
        self.project.write(
            f"{key}.md", issue_text(key, papers=self.weeks[key], body=f"소개 {key}\n\n<!-- en -->\nIntro {key}\n")
        )

    def add_issue(self) -> str:
        free = [week(n) for n in range(40) if week(n) not in self.weeks]
        key = self.rng.choice(free)
        self.weeks[key] = [self._paper() for _ in range(self.rng.randint(1, 3))]
        self.save(key)
        return f"add {key}"

    def change_issue(self) -> str:
        key = self.rng.choice(sorted(self.weeks))
        papers = self.weeks[key]
        what = self.rng.choice(["title", "summary", "add paper", "drop paper"])
        if what == "title":
            target = self.rng.choice(papers)
            target["title"] = {
                "ko": f"바뀐 제목 {self.rng.randrange(1000)}",
                "en": f"Changed title {self.rng.randrange(1000)}",
            }
        elif what == "summary":
            self.rng.choice(papers)["summary"] = {"ko": f"새 요약 {self.rng.randrange(1000)}", "en": "New summary"}
        elif what == "add paper" or len(papers) == 1:
            papers.append(self._paper())
        else:
            papers.pop(self.rng.randrange(len(papers)))
        self.save(key)
        return f"change {key}: {what}"

    def delete_issue(self) -> str:
        key = self.rng.choice(sorted(self.weeks))
        del self.weeks[key]
        (self.project.root / "content" / "issues" / f"{key}.md").unlink()
        return f"delete {key}"

    def change_template(self) -> str:
        name = self.rng.choice(["paper.html", "home.html", "issue.html", "papers.html", "feed_item.html"])
        path = self.project.root / "templates" / name
        path.write_text(
            path.read_text(encoding="utf-8") + f"{{# edit {self.rng.randrange(1000)} #}}x\n", encoding="utf-8"
        )
        return f"template {name}"

    def change_strings(self) -> str:
        path = self.project.root / "templates" / "strings.yaml"
        n = self.rng.randrange(1000)
        path.write_text(
            path.read_text(encoding="utf-8").replace("  summary: ", f"  summary: {n} ", 2), encoding="utf-8"
        )
        return "strings"

    def step(self) -> str:
        if len(self.weeks) < 2:
            return self.add_issue()
        action = self.rng.choices(
            [self.add_issue, self.change_issue, self.delete_issue, self.change_template, self.change_strings],
            weights=[3, 5, 2, 1, 1],
        )[0]
        return action()


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_match_a_clean_build(project: Project, tmp_path: Path, seed: int) -> None:
    editor = Editor(project, random.Random(seed))
    for _ in range(3):
        editor.add_issue()
    build(project.config())
    shards = 0
    for number in range(12):
        step = editor.step()
        if editor.rng.random() < 0.3:  # as serve does: the pages first, the search index in a second build
            build(project.config(), search=False)
        result = build(project.config())
        assert_same_as_clean(project, tmp_path / str(number), step)
        assert result.written <= result.rendered <= result.files
        shards = max(shards, len(json.loads((project.output / "pagefind" / "shards.json").read_bytes())))
    assert shards >= 2  # the edits reached an index of several shards


def test_no_change_rebuild_renders_and_writes_nothing(project: Project) -> None:
    project.add_issue("2023-11-13", papers=[paper(1), paper(2)])
    first = build(project.config())
    stamps = {p: p.stat().st_mtime_ns for p in project.output.rglob("*") if p.is_file()}
    again = build(project.config())
    assert (again.rendered, again.written, again.removed) == (0, 0, 0)
    assert (again.pages, again.files, again.papers) == (first.pages, first.files, first.papers)
    assert {p: p.stat().st_mtime_ns for p in project.output.rglob("*") if p.is_file()} == stamps


def test_one_edit_renders_its_pages_and_writes_only_changed_files(project: Project) -> None:
    for n, key in enumerate(["2023-11-06", "2023-11-13", "2023-11-20"]):
        project.add_issue(key, papers=[paper(10 * n + 1), paper(10 * n + 2)])
    build(project.config())
    before = snapshot(project.output)
    project.add_issue("2023-11-13", papers=[paper(11), paper(12, summary={"ko": "새 요약", "en": "New summary"})])
    result = build(project.config())
    # the summary shows on the issue page and the paper page, in both editions, in the feeds (whole
    # issues) and papers.json; the paper page changed, so the search index too
    written = changed(before, snapshot(project.output))
    assert result.written == len(written)
    assert site_files(written) == {
        "ko/issues/2023-11-13/index.html",
        "en/issues/2023-11-13/index.html",
        "ko/papers/paper-number-12/index.html",
        "en/papers/paper-number-12/index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "ko/feed.xml",
        "ko/atom.xml",
        "en/feed.xml",
        "en/atom.xml",
        "papers.json",
    }
    assert any(name.startswith("pagefind/") for name in written)
    # of the rendered files (the index is remade whole), only those showing that issue are made again
    index = len([name for name in snapshot(project.output) if name.startswith("pagefind/")])
    assert result.rendered - index < (result.files - index) * 0.6
    soup = BeautifulSoup(project.read("en/papers/paper-number-12/"), "html5lib")
    assert "New summary" in soup.select_one(".summary").get_text()


def test_deleted_issue_removes_its_pages(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.add_issue("2023-11-20", papers=[paper(2)])
    build(project.config())
    before = set(snapshot(project.output))
    (project.root / "content" / "issues" / "2023-11-20.md").unlink()
    result = build(project.config())
    gone = before - set(snapshot(project.output))
    assert result.removed == len(gone)
    assert site_files(gone) == {
        "ko/issues/2023-11-20/index.html",
        "en/issues/2023-11-20/index.html",
        "ko/papers/paper-number-2/index.html",
        "en/papers/paper-number-2/index.html",
        "social/ko/2023-11-20.png",  # its social cards
        "social/en/2023-11-20.png",
    }
    assert not (project.output / "ko" / "issues" / "2023-11-20").exists()
    assert_same_as_clean(project, tmp_path, "delete")


def test_output_edited_by_hand_is_repaired_by_a_clean_build(project: Project, tmp_path: Path) -> None:
    # A rebuild trusts the output folder to be what the last build wrote (statting 40,000 files
    # would cost more than a whole rebuild after one edit); a clean build puts it right.
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    (project.output / "ko" / "index.html").write_text("tampered")
    (project.output / "en" / "papers" / "index.html").unlink()
    result = build(project.config(), cache=False)
    assert result.written == result.files
    assert_same_as_clean(project, tmp_path, "tampered output")
    assert build(project.config()).rendered == result.files  # the clean build dropped the cache
    assert build(project.config()).rendered == 0


def test_output_replaced_behind_the_cache_is_noticed(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    stale = snapshot(project.output)
    project.add_issue("2023-11-13", papers=[paper(1, summary={"ko": "새 요약", "en": "New summary"})])
    build(project.config())
    shutil.rmtree(project.output)
    for name, data in stale.items():  # e.g. a backup restored over the site: a new marker file
        path = project.output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    result = build(project.config())
    assert result.rendered == result.files
    assert_same_as_clean(project, tmp_path, "restored output")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty"])
def test_corrupt_cache_is_ignored(project: Project, tmp_path: Path, damage: str) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    store = cache_path(project.output) / ("state" if damage in ("garbage", "empty") else "detail")
    raw = store.read_bytes()
    store.write_bytes(
        {
            "garbage": b"not a cache at all",
            "truncated": raw[: len(raw) // 2],
            "flipped": raw[:-10] + bytes([raw[-10] ^ 1]) + raw[-9:],
            "empty": b"",
        }[damage]
    )
    project.add_issue("2023-11-13", papers=[paper(1, title={"ko": "새 제목", "en": "New title"})])
    result = build(project.config())
    assert result.rendered == result.files  # nothing trusted from the damaged cache
    assert_same_as_clean(project, tmp_path, damage)


def test_deleting_the_cache_changes_nothing_but_time(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1), paper(2)])
    build(project.config())
    before = snapshot(project.output)
    shutil.rmtree(cache_path(project.output))
    result = build(project.config())
    assert result.rendered == result.files
    assert snapshot(project.output) == before


def test_failed_rebuild_leaves_site_and_cache_usable(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    before = snapshot(project.output)
    project.write("2023-11-20.md", "---\nweek: 2023-11-20\npapers: []\n---\n")
    with pytest.raises(DigestError):
        build(project.config())
    assert snapshot(project.output) == before
    project.add_issue("2023-11-20", papers=[paper(2)])
    build(project.config())
    assert_same_as_clean(project, tmp_path, "after a failed build")


def test_config_change_rebuilds_what_uses_it(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    before = snapshot(project.output)
    result = build(project.config().override(base_url="https://other.example/"))
    written = changed(before, snapshot(project.output))
    assert result.written == len(written)
    # every page, feed, sitemap, robots.txt and papers.json name the base URL; static files do not
    assert {name for name in site_files(set(before)) if not name.startswith("static/")} - written <= {
        ".digestgen-output"
    }
    assert "https://other.example/ko/" in project.read("ko/")


def test_parallel_build_is_identical_to_serial(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(6):
        project.add_issue(week(n), papers=[paper(10 * n + i) for i in range(3)])
    monkeypatch.setattr(workers, "PARALLEL_MIN_JOBS", 1)
    monkeypatch.setattr(workers, "CHUNK", 7)
    serial = build(project.config().override(output_dir=tmp_path / "serial"), cache=False, processes=1)
    parallel = build(project.config().override(output_dir=tmp_path / "parallel"), cache=False, processes=2)
    assert isinstance(parallel, BuildResult) and parallel.files == serial.files
    assert snapshot(tmp_path / "parallel") == snapshot(tmp_path / "serial")


def test_parallel_build_reports_template_errors(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        project.add_issue(week(n), papers=[paper(n)])
    (project.root / "templates" / "paper.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}"
    )
    monkeypatch.setattr(workers, "PARALLEL_MIN_JOBS", 1)
    with pytest.raises(DigestError) as exc:
        build(project.config(), cache=False, processes=2)
    assert "templates/paper.html:1: template error: 'nope' is undefined" in str(exc.value)
    assert not project.output.exists()


def test_session_keeps_the_cache_in_memory(project: Project, tmp_path: Path) -> None:
    from digestgen.cache import Session

    session = Session()
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config(), cache=session)
    assert not cache_path(project.output).exists()
    again = build(project.config(), cache=session)
    assert (again.rendered, again.written) == (0, 0)
    before = snapshot(project.output)
    project.add_issue("2023-11-13", papers=[paper(1, summary={"ko": "요약", "en": "Edited"})])
    edited = build(project.config(), cache=session)
    assert edited.written == len(changed(before, snapshot(project.output))) > 4
    assert_same_as_clean(project, tmp_path, "session")
    session.save()
    assert build(project.config()).rendered == 0  # the saved cache is the session's


def test_template_edit_remakes_only_pages_using_it(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1), paper(2)])
    build(project.config())
    path = project.root / "templates" / "paper.html"
    path.write_text(path.read_text(encoding="utf-8").replace("<footer>", '<footer class="edited">'), encoding="utf-8")
    before = snapshot(project.output)
    result = build(project.config())
    written = changed(before, snapshot(project.output))
    assert result.written == len(written) and len(site_files(written)) == 4  # two papers, two editions
    # their bytes changed, so their shard of the search index is made again, in a new folder
    assert result.rendered == len(written) and written - site_files(written)
    assert 'class="edited"' in project.read("ko/papers/paper-number-1/")
    macros = project.root / "templates" / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "{# unused #}\n", encoding="utf-8")
    result = build(project.config())
    # every page but the landing page imports the macros (through base.html); none changed
    assert result.written == 0 and result.rendered == result.pages - 1
    assert_same_as_clean(project, tmp_path, "templates")


def test_search_index_is_made_again_only_when_a_paper_page_changes(project: Project, tmp_path: Path) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    first = build(project.config())
    stamps = {p: p.stat().st_mtime_ns for p in (project.output / "pagefind").rglob("*") if p.is_file()}
    assert stamps and first.search_pages == 2 and first.search_seconds > 0
    home = project.root / "templates" / "home.html"
    home.write_text(home.read_text(encoding="utf-8") + "{# edit #}x\n", encoding="utf-8")
    result = build(project.config())
    assert result.rendered == 2 and result.search_seconds == 0 and result.search_pages == 2  # the two home pages
    assert {p: p.stat().st_mtime_ns for p in (project.output / "pagefind").rglob("*") if p.is_file()} == stamps
    assert_same_as_clean(project, tmp_path, "home template")
    project.add_issue("2023-11-13", papers=[paper(1, title={"ko": "새 제목", "en": "New title"})])
    result = build(project.config())
    assert result.search_seconds > 0 and result.search_pages == 2
    assert_same_as_clean(project, tmp_path / "again", "paper title")


def test_search_index_can_follow_in_a_second_build(project: Project, tmp_path: Path) -> None:
    # serve shows new pages first and indexes them right after; the cache remembers the index is behind
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    stamps = {p: p.stat().st_mtime_ns for p in (project.output / "pagefind").rglob("*") if p.is_file()}
    project.add_issue("2023-11-13", papers=[paper(1, title={"ko": "새 제목", "en": "New title"})])
    programs = ("feed.xml", "atom.xml", "feed.json", "ko/feed.xml", "en/atom.xml", "papers.json")
    feeds = {name: project.read(name) for name in programs}
    pages = build(project.config(), search=False)
    assert pages.search_seconds == 0 and pages.written > 0
    assert "새 제목" in project.read("ko/")
    assert {p: p.stat().st_mtime_ns for p in (project.output / "pagefind").rglob("*") if p.is_file()} == stamps
    # the files for programs follow with the index: the reader's pages come first
    assert {name: project.read(name) for name in programs} == feeds
    indexed = build(project.config())
    index_files = len(list((project.output / "pagefind").rglob("*.*")))
    # seven feeds, papers.json and the sitemap (the paper's id comes from its new title)
    assert indexed.search_seconds > 0 and indexed.rendered == index_files + 9
    assert all("새 제목" in project.read(name) for name in programs)
    assert_same_as_clean(project, tmp_path, "search in a second build")
    assert build(project.config()).rendered == 0


def test_a_pages_first_build_of_a_new_site_makes_everything(project: Project, tmp_path: Path) -> None:
    """Only a site already written can wait for its feeds: a first build without search has them."""
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config(), search=False)
    assert "Paper number 1" in project.read("feed.xml") and (project.output / "papers.json").is_file()
    build(project.config())
    assert_same_as_clean(project, tmp_path, "first build without search")


def test_feeds_left_for_later_are_made_even_when_no_page_waits_for_the_index(project: Project, tmp_path: Path) -> None:
    """A change only the feeds show (the editors' name) still reaches them in the build after."""
    project.add_issue("2023-11-13", papers=[paper(1)])
    build(project.config())
    site = project.root / "site.yaml"
    text = site.read_text(encoding="utf-8").replace("Top ML Papers of the Week editors", "New editors")
    assert "New editors" in text
    site.write_text(text, encoding="utf-8")
    build(project.config(), search=False)
    build(project.config())
    assert "New editors" in project.read("en/atom.xml")
    assert_same_as_clean(project, tmp_path, "feeds left for later")


def test_a_build_whose_cache_was_never_saved_does_not_mislead_the_next(project: Project, tmp_path: Path) -> None:
    """A session (or a build killed before it saved its cache) that updated the site in place
    leaves the saved cache describing an older site: the next build must not trust it."""
    from digestgen.cache import Session

    for n in range(3):
        project.add_issue(week(n), papers=[paper(10 * n + i) for i in range(2)])
    build(project.config())
    session = Session()
    build(project.config(), cache=session)
    project.add_issue(week(2), papers=[paper(20, title={"ko": "바뀐 제목", "en": "Changed title"}), paper(21)])
    build(project.config(), cache=session)  # a new shard of the search index; the saved cache knows the old one
    project.add_issue(week(2), papers=[paper(20, summary={"ko": "요약", "en": "Summary"}), paper(21)])
    build(project.config())
    assert_same_as_clean(project, tmp_path, "unsaved session")


def test_library_versions_are_those_importlib_metadata_finds() -> None:
    """The cache is thrown away when a library that shapes the output changes version; the
    versions are read from the installed distributions' folder names, as importlib.metadata does."""
    import importlib.metadata

    from digestgen.cache import LIBRARIES, _library_versions

    def installed(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return ""

    versions = dict(_library_versions())
    assert list(versions) == list(LIBRARIES)
    assert versions == {name: installed(name) for name in LIBRARIES}
    assert versions["jinja2"] and versions["pyyaml"]  # installed with digestgen: found, whatever their folders' case


# --- feed items ------------------------------------------------------------------------------------


def weekly(n: int) -> str:
    return (date(2023, 1, 2) + timedelta(weeks=n)).isoformat()


@pytest.fixture
def feed_items_made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(week, edition) of each feed item rendered from now on (by builds that render here: processes=1)."""
    made: list[tuple[str, str]] = []
    render_template = Renderer.render_template

    def counting(self: Renderer, template: str, **context: object) -> str:
        if template == "feed_item.html":
            view = context["issue"]
            assert isinstance(view, IssueView)
            made.append((view.key, str(context["lang"])))
        return render_template(self, template, **context)

    monkeypatch.setattr(Renderer, "render_template", counting)
    return made


def test_feed_items_are_made_again_only_when_what_they_show_changes(
    project: Project, tmp_path: Path, feed_items_made: list[tuple[str, str]]
) -> None:
    # One issue more than the feeds show; "Vision" (the oldest issue's spelling, so the site's
    # name of the tag) is also on an issue in the feeds, spelled "vision".
    for n in range(FEED_ISSUES + 1):
        tags = ["Vision"] if n == 0 else ["vision", "rag"] if n == 10 else [["rag", "llm"][n % 2]]
        project.add_issue(weekly(n), papers=[paper(n, tags=tags)])

    def rebuild(step: str) -> set[tuple[str, str]]:
        feed_items_made.clear()
        build(project.config(), processes=1)
        made = set(feed_items_made)
        assert len(made) == len(feed_items_made), f"{step}: an item made twice"  # the seven feeds share them
        assert_same_as_clean(project, tmp_path / step.replace(" ", "-"), step)
        return made

    def both(n: int) -> set[tuple[str, str]]:
        return {(weekly(n), "ko"), (weekly(n), "en")}

    def entry(n: int) -> feedparser.FeedParserDict:
        """Week n's entry in the English RSS feed."""
        entries = feedparser.parse(project.read("en/feed.xml")).entries
        return next(e for e in entries if e.id.endswith(f":en:issues:{weekly(n)}"))

    assert len(rebuild("first build")) == 2 * FEED_ISSUES
    project.add_issue(weekly(5), papers=[paper(5, tags=["llm"], summary={"ko": "새 요약", "en": "New summary"})])
    assert rebuild("edit an issue in the feeds") == both(5)
    assert "New summary" in entry(5).summary
    project.add_issue(weekly(0), papers=[paper(0, tags=["Vision"], summary={"ko": "요약", "en": "Edited"})])
    assert rebuild("edit the issue the feeds leave out") == set()
    project.add_issue(weekly(0), papers=[paper(0, tags=["VISION"])])
    assert rebuild("rename a tag") == both(10)  # its file is unchanged, the name it shows is not
    assert [tag.term for tag in entry(10).tags] == ["VISION", "rag"]
    project.add_issue(weekly(FEED_ISSUES + 1), papers=[paper(99)])
    assert rebuild("add an issue") == both(FEED_ISSUES + 1)
    store = cache_path(project.output)
    kept = [item for item, _ in load_detail(store, load_cache(store)).feed_items.values()]
    assert sorted(item.guid.rsplit(":", 1)[1] for item in kept) == sorted([weekly(n) for n in range(2, 22)] * 2)

    for name, old, new in [
        ("templates/feed_item.html", "<h3>", '<h3 class="edited">'),
        ("templates/strings.yaml", "  summary: ", "  summary: 바뀐 "),
        ("site.yaml", "Top ML Papers of the Week editors", "The editors"),
    ]:
        path = project.root / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        assert rebuild(f"edit {name}") == {item for n in range(2, 22) for item in both(n)}, name


def test_a_session_keeps_feed_items_in_memory(
    project: Project, tmp_path: Path, feed_items_made: list[tuple[str, str]]
) -> None:
    for n in range(3):
        project.add_issue(weekly(n), papers=[paper(n)])
    session = Session()
    build(project.config(), cache=session, processes=1)
    for word in ("New summary", "Newer summary"):
        project.add_issue(weekly(1), papers=[paper(1, summary={"ko": "새 요약", "en": word})])
        feed_items_made.clear()
        build(project.config(), cache=session, processes=1, search=False)  # as serve does: the pages first,
        assert feed_items_made == []  # the feeds wait
        build(project.config(), cache=session, processes=1)  # and the search index and feeds after
        assert sorted(feed_items_made) == [(weekly(1), "en"), (weekly(1), "ko")]
        assert word in project.read("feed.json")
        assert_same_as_clean(project, tmp_path / word, "session")


def test_a_feed_item_taken_from_the_last_build_tells_its_warnings_again(project: Project) -> None:
    project.add_issue(weekly(0), papers=[paper(0, summary={"ko": "$\\style{color:red}{x}$", "en": "ok"})])
    project.add_issue(weekly(1), papers=[paper(1)])
    first = build(project.config())
    assert [w.field for w in first.warnings] == ["papers[0].summary.ko"]
    project.add_issue(weekly(1), papers=[paper(1, summary={"ko": "새 요약", "en": "New summary"})])
    assert build(project.config()).warnings == first.warnings  # its feeds were made again, its pages not
