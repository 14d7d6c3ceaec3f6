"""Views: what templates receive. Small frozen objects holding rendered HTML and URLs, made by
pure functions of the model, so that templates only present."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from .errors import Problem
from .markdown import Deferred, Markdown, plain
from .model import Bilingual, Issue, IssueHead, Lang, Origin, Paper, absent_langs
from .search import hangul_terms
from .tags import Tag, tag_slug
from .urls import Urls

DESCRIPTION_LENGTH = 160
"""Characters of a page's <meta name="description"> (search engines show about this many)."""


@dataclass(frozen=True)
class TextView:
    """A block of text in one language."""

    html: Markup | Deferred
    lang: Lang
    pending: bool = False
    """Shown in the other language (English in the Korean edition, Korean in the English one)
    because the edition's own text is still missing."""
    absent: bool = False
    """Shown in the other language because the original has none in this one (``absent:``)."""
    machine: bool = False
    """Korean text machine-translated and not yet reviewed (marked on the page)."""


@dataclass(frozen=True)
class Pair:
    """What a reader sees for one bilingual field: the edition's text, then (Korean edition) the
    English original under it, as the community's posts do."""

    main: TextView
    original: TextView | None = None
    """The other language's text: English under Korean; for titles also Korean under English."""


@dataclass(frozen=True)
class LinkView:
    kind: str
    """``paper``, ``pdf`` (arXiv's PDF), ``search`` (no paper link: a search for its title),
    ``tweet`` or the slug of the editor's own label (``code``, ``code-data``…), for CSS."""
    label: str
    """What the reader sees, in the edition's language."""
    url: str


@dataclass(frozen=True)
class TagRef:
    name: str
    url: str


@dataclass(frozen=True)
class Arxiv:
    """A paper whose ``paper`` link is on arXiv."""

    id: str
    """``2311.09210`` (new style) or ``hep-th/9901001`` (old style), without a version."""
    url: str
    pdf: str


@dataclass(frozen=True)
class PaperRef:
    """A link to another paper: its page and its title in the edition's language."""

    url: str
    title: TextView


@dataclass(frozen=True)
class PaperView:
    id: str
    url: str
    title: Pair
    summary: Pair
    abstract: Pair | None
    links: tuple[LinkView, ...]
    tags: tuple[TagRef, ...]
    issue_url: str
    issue_title: str
    description: str
    """Plain text for <meta name="description"> and sharing cards: the start of the summary."""
    arxiv: Arxiv | None
    bibtex: str
    citation: str
    """The same reference as plain text (APA-like), for readers who do not use BibTeX."""
    draft: bool = False
    """Its issue is a draft (only built with ``--drafts`` or by ``serve``)."""
    previous: PaperRef | None = None
    """The paper before this one in its issue."""
    next: PaperRef | None = None
    """The paper after this one in its issue."""


@dataclass(frozen=True)
class ListPaper:
    """A paper as a list shows it (home, paper index, tag pages): its title and where it is."""

    id: str
    url: str
    title: Pair
    issue_url: str
    issue_title: str
    week: str = ""
    """The week of its issue (``2023-11-13``), which lists show instead of the issue's long title."""


@dataclass(frozen=True)
class ListIssue:
    """An issue as a list shows it: its title and its papers' titles. Made from an IssueHead, so a
    list page does not change (nor get rendered again) when only a summary changes."""

    key: str
    url: str
    title: str
    draft: bool
    papers: tuple[ListPaper, ...]


@dataclass(frozen=True)
class TagView:
    slug: str
    name: str
    url: str
    count: int
    papers: tuple[ListPaper, ...]
    """Newest issue first."""


@dataclass(frozen=True)
class IssueView:
    key: str
    url: str
    title: str
    title_lang: Lang
    intro: Pair | None
    notice: Pair | None
    source: str
    papers: tuple[PaperView, ...]
    newer: IssueRef | None
    older: IssueRef | None
    draft: bool = False
    discussion: str = ""
    """Where readers discuss it (the issue's thread, else the site's forum), or empty."""


@dataclass(frozen=True)
class IssueRef:
    url: str
    title: str


Render = Callable[[str, Lang], Markup | Deferred]
"""Turns one language's text of a field into HTML (the language names the field in warnings)."""


def _plain(text: str, lang: Lang) -> Markup:
    return plain(text)


def pair(
    text: Bilingual, lang: Lang, render: Render, *, both_ways: bool = False, absent: frozenset[Lang] = frozenset()
) -> Pair | None:
    """The edition's text (falling back to English, marked pending) and, in Korean, the original.
    ``both_ways`` also gives the English edition the Korean text as its second line (titles).
    A language in ``absent`` is missing on purpose: the fallback is marked so, not pending."""
    if not text:
        return None
    if lang == "en":
        if text.en:
            second = TextView(render(text.ko, "ko"), "ko", machine=text.machine) if both_ways and text.ko else None
            return Pair(TextView(render(text.en, "en"), "en"), second)
        # English missing: the Korean, marked pending (or absent, when the original has none)
        on_purpose = "en" in absent
        return Pair(
            TextView(render(text.ko, "ko"), "ko", pending=not on_purpose, absent=on_purpose, machine=text.machine)
        )
    if text.ko:
        original = TextView(render(text.en, "en"), "en") if text.en else None
        return Pair(TextView(render(text.ko, "ko"), "ko", machine=text.machine), original)
    on_purpose = "ko" in absent
    return Pair(TextView(render(text.en, "en"), "en", pending=not on_purpose, absent=on_purpose))


def absent_pair(note: str, lang: Lang) -> Pair:
    """A field the original has none of: the note that says so (``absent_abstract`` in strings.yaml)."""
    return Pair(TextView(Markup('<p class="absent-mark">') + note + Markup("</p>"), lang, absent=True))


def required(found: Pair | None) -> Pair:
    """The pair of a field whose English text loading made sure of (a title, a summary)."""
    assert found is not None, "loading requires this field"
    return found


class ViewMaker:
    """Turns model objects into views for one edition."""

    def __init__(
        self,
        urls: Urls,
        markdown: Markdown,
        site_notice: Bilingual,
        strings: Mapping[str, Mapping[str, str]],
        tags: tuple[Tag, ...] = (),
        *,
        site_origin: Origin | None = None,
        warn: Callable[[Problem], None] | None = None,
        site_discussion: str = "",
    ) -> None:
        self.urls = urls
        self.site_discussion = site_discussion
        self.md = markdown
        self.site_notice = site_notice
        self.site_origin = site_origin or Origin("site.yaml")
        self.strings = strings
        self.tag_names = {tag.slug: tag.name for tag in tags}
        """One name per tag across the site, however a paper spells it."""
        self._papers: dict[tuple[Lang, str], PaperView] = {}
        """Views by edition and paper id (unique): each paper appears on many pages and feeds."""
        self.warn = warn
        self._issues: dict[tuple[Lang, int], tuple[Issue, IssueView]] = {}
        """Issue views already made: issue page, paper pages and feed share them."""
        self._lists: dict[tuple[Lang, int], tuple[IssueHead, ListIssue]] = {}

    def markdown(self, origin: Origin, name: str) -> Render:
        """Block Markdown of a text field that is not an issue's (a standalone page's body)."""
        return self._markdown(origin, name)

    def _markdown(self, origin: Origin, name: str) -> Render:
        """Block Markdown of field ``name`` of ``origin``; its warnings point at file and line."""

        def render(text: str, lang: Lang) -> Markup | Deferred:
            field = f"{name}.{lang}"
            start = origin.text_line(field)

            def warn(offset: int, message: str) -> None:
                if self.warn is not None:
                    self.warn(
                        Problem(
                            origin.path,
                            None if start is None else start + offset,
                            None,
                            f"{origin.field}.{field}" if origin.field else field,
                            message,
                            warning=True,
                        )
                    )

            return Deferred(text, lambda source: self.md.block(source, warn))  # rendered when shown

        return render

    def _text(self, paper: Paper, name: str, lang: Lang) -> Pair:
        """The paper's summary or abstract, or the note that the original has none."""
        absent = absent_langs(paper.absent, name)
        text: Bilingual = getattr(paper, name)
        shown = pair(text, lang, self._markdown(paper.origin, name), absent=absent)
        return shown or absent_pair(self.strings[lang][f"absent_{name}"], lang)

    def _ref(self, lang: Lang, paper: Paper | None) -> PaperRef | None:
        if paper is None:
            return None
        title = pair(paper.title, lang, _plain)
        return PaperRef(self.urls.paper(lang, paper.id), title.main) if title else None

    def _link(self, lang: Lang, kind: str, url: str) -> LinkView:
        known = {"paper": "link_paper", "tweet": "link_tweet", "pdf": "pdf", "search": "link_search"}
        if kind in known:
            return LinkView(kind, self.strings[lang][known[kind]], url)
        css = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "other"  # 'Code & Data' → link-code-data
        return LinkView(css, kind, url)

    def _links(self, lang: Lang, paper: Paper, arxiv: Arxiv | None) -> tuple[LinkView, ...]:
        """The paper's own link first (or, when it was lost, a search for its title), its arXiv
        PDF, the editor's other links, then the post that discusses it."""
        links = [self._link(lang, link.label, link.url) for link in paper.links]
        if not paper.paper_url:
            links.insert(0, self._link(lang, "search", search_url(paper.title.en)))
        if arxiv:
            links.insert(1, self._link(lang, "pdf", arxiv.pdf))
        if paper.tweet:
            links.append(self._link(lang, "tweet", paper.tweet))
        return tuple(links)

    def paper(self, lang: Lang, issue: Issue, paper: Paper) -> PaperView:
        key = (lang, paper.id)
        if key not in self._papers:
            self._papers[key] = self._paper(lang, issue, paper)
        return self._papers[key]

    def search_terms(self, paper: Paper) -> str:
        """Hidden words that let Pagefind find Korean by parts of words (see search.py), for the
        indexed page that shows the paper's Korean text."""
        korean = (paper.title.ko, self.md.text(paper.summary.ko), self.md.text(paper.abstract.ko), *paper.tags)
        return hangul_terms(korean, words=False)

    def _paper(self, lang: Lang, issue: Issue, paper: Paper) -> PaperView:
        arxiv = arxiv_ref(paper.paper_url)
        tags = {tag_slug(tag): tag for tag in paper.tags if tag_slug(tag)}
        index = issue.papers.index(paper)
        return PaperView(
            id=paper.id,
            url=self.urls.paper(lang, paper.id),
            title=required(pair(paper.title, lang, _plain, both_ways=True, absent=absent_langs(paper.absent, "title"))),
            summary=self._text(paper, "summary", lang),
            abstract=self._text(paper, "abstract", lang)
            if paper.abstract or absent_langs(paper.absent, "abstract")
            else None,
            links=self._links(lang, paper, arxiv),
            tags=tuple(
                TagRef(self.tag_names.get(slug, name), self.urls.tag(lang, slug)) for slug, name in tags.items()
            ),
            issue_url=self.urls.issue(lang, issue.key),
            issue_title=issue.title.get(lang),
            description=self.description(paper.summary.get(lang) or paper.summary.en),
            arxiv=arxiv,
            bibtex=bibtex(paper, issue, arxiv, self.urls.absolute(self.urls.paper(lang, paper.id))),
            citation=citation(paper, issue, arxiv, self.urls.absolute(self.urls.paper(lang, paper.id))),
            draft=issue.draft,
            previous=self._ref(lang, issue.papers[index - 1] if index > 0 else None),
            next=self._ref(lang, issue.papers[index + 1] if index + 1 < len(issue.papers) else None),
        )

    def description(self, markdown: str) -> str:
        text = self.md.text(markdown)
        if len(text) <= DESCRIPTION_LENGTH:
            return text
        cut = text[: DESCRIPTION_LENGTH - 1]
        return (cut.rsplit(" ", 1)[0] if " " in cut[DESCRIPTION_LENGTH // 2 :] else cut) + "…"

    def tag(self, lang: Lang, tag: Tag) -> TagView:
        papers = tuple(self.list_paper(lang, head, paper.id) for head, paper in tag.papers)
        return TagView(tag.slug, tag.name, self.urls.tag(lang, tag.slug), len(tag.papers), papers)

    def list_issue(self, lang: Lang, head: IssueHead) -> ListIssue:
        key = (lang, id(head))
        if key not in self._lists:  # the head is kept in the value, so its id stays unique
            url = self.urls.issue(lang, head.key)
            title = head.title.get(lang)
            view = ListIssue(
                head.key,
                url,
                title,
                head.draft,
                tuple(
                    ListPaper(
                        p.id,
                        self.urls.paper(lang, p.id),
                        required(pair(p.title, lang, _plain, both_ways=True)),
                        url,
                        title,
                        head.key,
                    )
                    for p in head.papers
                ),
            )
            self._lists[key] = (head, view)
        return self._lists[key][1]

    def list_paper(self, lang: Lang, head: IssueHead, paper_id: str) -> ListPaper:
        return next(p for p in self.list_issue(lang, head).papers if p.id == paper_id)

    def _notice(self, lang: Lang, issue: Issue) -> Pair | None:
        """The issue's own notice, language by language; where it has none, the site's (an
        issue's Korean notice does not hide the site's English one). ``absent: [notice.en]`` only
        marks the other language's text when the site has none in that language either."""
        own, site = issue.notice, self.site_notice
        absent = absent_langs(issue.absent, "notice")
        text = Bilingual(ko=own.ko or site.ko, en=own.en or site.en, machine=own.machine if own.ko else site.machine)
        from_issue = {"ko": bool(own.ko), "en": bool(own.en)}
        issue_render = self._markdown(issue.origin, "notice")
        site_render = self._markdown(self.site_origin, "notice")

        def render(source: str, text_lang: Lang) -> Markup | Deferred:
            return (issue_render if from_issue[text_lang] else site_render)(source, text_lang)

        shown = pair(text, lang, render, absent=absent)
        return Pair(shown.main) if shown else None  # a notice is the site's word, not a translation

    def issue_description(self, lang: Lang, issue: Issue) -> str:
        """An issue's intro in the edition's language when it has one, else its paper titles (a
        shared English link never previews in Korean)."""
        intro = issue.intro.get(lang)
        if intro:
            return self.description(intro)
        return self.description(" · ".join(p.title.get(lang) or p.title.en for p in issue.papers))

    def ref(self, lang: Lang, issue: IssueHead | None) -> IssueRef | None:
        return IssueRef(self.urls.issue(lang, issue.key), issue.title.get(lang)) if issue else None

    def issue(self, lang: Lang, issue: Issue, newer: IssueHead | None, older: IssueHead | None) -> IssueView:
        """The issue's view; ``newer`` and ``older`` are its neighbours on the site."""
        key = (lang, id(issue))
        if key not in self._issues:  # the issue is kept in the value, so its id stays unique
            view = self._make_issue(lang, issue, newer, older)
            self._issues[key] = (issue, view)
        return self._issues[key][1]

    def _make_issue(self, lang: Lang, issue: Issue, newer: IssueHead | None, older: IssueHead | None) -> IssueView:
        return IssueView(
            key=issue.key,
            url=self.urls.issue(lang, issue.key),
            title=issue.title.get(lang),
            title_lang=lang,
            intro=pair(issue.intro, lang, self._markdown(issue.origin, "intro")),
            notice=self._notice(lang, issue),
            source=issue.source,
            papers=tuple(self.paper(lang, issue, paper) for paper in issue.papers),
            newer=self.ref(lang, newer),
            older=self.ref(lang, older),
            draft=issue.draft,
            discussion=issue.discussion or self.site_discussion,
        )


_ARXIV = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def arxiv_ref(url: str) -> Arxiv | None:
    """``https://arxiv.org/abs/2311.09210v2`` → id ``2311.09210`` with its abstract and PDF links."""
    found = _ARXIV.match(url)
    if not found:
        return None
    arxiv_id = found["id"]
    return Arxiv(arxiv_id, f"https://arxiv.org/abs/{arxiv_id}", f"https://arxiv.org/pdf/{arxiv_id}")


ARXIV_SEARCH = "https://arxiv.org/search/"


def search_url(title: str) -> str:
    """An arXiv search for a paper's title: a link for the reader to follow (the build fetches nothing)."""
    return ARXIV_SEARCH + "?" + urlencode({"query": " ".join(title.split()), "searchtype": "all"})


_BIBTEX_SPECIAL = {c: "\\" + c for c in "&%$#_{}"} | {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def citation_year(paper: Paper, issue: Issue, arxiv: Arxiv | None) -> int:
    """The year the editor gave, else the arXiv id's (``2311.…`` → 2023), else the issue's."""
    if paper.year:
        return paper.year
    if arxiv and arxiv.id[:4].isdigit():
        return 2000 + int(arxiv.id[:2])
    return issue.week.year


def bibtex(paper: Paper, issue: Issue, arxiv: Arxiv | None, page_url: str) -> str:
    """A @misc entry to cite the paper: its authors when known, English title, year, the arXiv
    eprint when known, and the paper's own URL. Without a link to the paper the entry says so and
    names this page as where it was summarized, never as the paper's URL."""
    fields = []
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_escape(name) for name in paper.authors)))
    fields += [("title", "{" + bibtex_escape(paper.title.en) + "}"), ("year", str(citation_year(paper, issue, arxiv)))]
    if arxiv:
        fields += [("eprint", arxiv.id), ("archivePrefix", "arXiv")]
    if arxiv or paper.paper_url:
        fields.append(("url", arxiv.url if arxiv else paper.paper_url))
    else:
        fields += [
            ("howpublished", f"Summarized at \\url{{{page_url}}}"),
            ("note", "No link to the paper itself is known"),
        ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}}}\n"


def citation(paper: Paper, issue: Issue, arxiv: Arxiv | None, page_url: str) -> str:
    """APA-like: ``A, B, & C (2023). Title. arXiv:2311.09210. https://arxiv.org/abs/2311.09210``.
    Names are kept as the editor wrote them; without authors the title leads."""
    title = " ".join(paper.title.en.split()).rstrip(".")
    year = citation_year(paper, issue, arxiv)
    names = list(paper.authors)
    if len(names) > 1:
        names[-1] = "& " + names[-1]
    who = (", " if len(names) > 2 else " ").join(names)
    parts = [f"{who} ({year}). {title}." if who else f"{title} ({year})."]
    if arxiv:
        parts.append(f"arXiv:{arxiv.id}. {arxiv.url}")
    elif paper.paper_url:
        parts.append(paper.paper_url)
    else:
        parts.append(f"Paper link unknown; summarized at {page_url}")
    return " ".join(parts)
