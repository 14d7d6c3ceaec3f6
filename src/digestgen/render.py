"""Render stage: model → every output file as bytes. Pure: reads templates, writes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import jinja2
import jinja2.meta

from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .feeds import rss
from .markdown import Markdown
from .model import LANGS, Content, Lang
from .source import parse_yaml, read_text
from .urls import Urls, check_unique_paths
from .views import ViewMaker

STRINGS_FILE = "strings.yaml"


@dataclass(frozen=True)
class Output:
    """One file of the built site."""

    path: PurePosixPath
    """Relative to the output folder."""
    data: bytes
    owner: str
    """What produced it, for messages about clashes."""


@dataclass(frozen=True)
class Job:
    """One file of the site, planned but not yet made: what it is made from, and how to make it.
    ``key`` holds every value ``make`` reads besides the site-wide inputs (templates, strings,
    static files, config), so the build cache can tell whether the file would come out the same."""

    path: PurePosixPath
    owner: str
    key: tuple[object, ...]
    make: Callable[[], bytes]
    templates: tuple[str, ...] | None = None
    """The templates ``make`` renders (with what they extend, import or include, added by the
    build); ``None``: any of them, so a change to any template makes this file again."""


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@dataclass(frozen=True)
class PageMeta:
    """What every page's layout needs."""

    lang: Lang
    kind: str
    title: str
    url: str
    canonical: str
    alternates: tuple[Alternate, ...]
    other_lang: Lang
    other_url: str
    """The same page in the other edition (the language switch)."""


@dataclass(frozen=True)
class Assets:
    """Static files and the versioned URLs pages use for them."""

    files: tuple[Output, ...]
    urls: Mapping[str, str]


def load_assets(static_dir: Path, urls: Urls) -> Assets:
    files, versioned = [], {}
    if static_dir.is_dir():
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            name = path.relative_to(static_dir).as_posix()
            data = path.read_bytes()
            files.append(Output(PurePosixPath("static", name), data, display_path(path)))
            versioned[name] = urls.static(name, hashlib.sha256(data).hexdigest()[:10])
    return Assets(tuple(files), MappingProxyType(versioned))


def load_strings(templates_dir: Path) -> dict[str, dict[str, str]]:
    """UI strings of both languages; a key present in one language only is an error."""
    path = templates_dir / STRINGS_FILE
    shown = display_path(path)
    doc = parse_yaml(read_text(path, shown), shown)
    data = doc.data
    if not isinstance(data, dict) or set(data) != set(LANGS):
        raise DigestError(Problem(shown, 1, None, "", f"must map each of {', '.join(LANGS)} to its strings"))
    problems = []
    for lang in LANGS:
        other = "en" if lang == "ko" else "ko"
        if not isinstance(data[lang], dict):
            problems.append(Problem(shown, doc.where((lang,))[0], None, lang, "must be a mapping of strings"))
            continue
        for key, value in data[lang].items():
            if not isinstance(value, str):
                problems.append(Problem(shown, doc.where((lang, key))[0], None, f"{lang}.{key}", "must be text"))
            if isinstance(data[other], dict) and key not in data[other]:
                problems.append(Problem(shown, doc.where((lang, key))[0], None, f"{other}.{key}",
                                        f"missing (the {lang} strings have it)"))
    if problems:
        raise DigestError(problems)
    return data  # type: ignore[return-value]


class Strings(dict[str, str]):
    """A language's strings; a missing key stops the build instead of leaving a blank."""

    def __init__(self, lang: str, values: dict[str, str], source: str) -> None:
        super().__init__(values)
        self.lang, self.source = lang, source

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise DigestError(Problem(self.source, None, None, f"{self.lang}.{key}",
                                      "missing UI string (a template uses it)")) from None


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class Renderer:
    """Renders the whole site for one configuration."""

    def __init__(self, config: SiteConfig, assets: Assets) -> None:
        self.config = config
        self.urls = Urls(config.base_url)
        self.env = make_environment(config.templates_dir)
        strings_source = display_path(config.templates_dir / STRINGS_FILE)
        raw = load_strings(config.templates_dir)
        self.strings = {lang: Strings(lang, raw[lang], strings_source) for lang in LANGS}
        self.assets = assets
        self.warnings: list[Problem] = []
        """Problems worth telling the editor that do not stop the build (filled while rendering)."""
        self.views = ViewMaker(self.urls, Markdown(), config.notice, self.strings,
                               site_origin=config.origin, warn=self._warn)

    def _warn(self, problem: Problem) -> None:
        if problem not in self.warnings:  # a text is rendered for several pages; tell the editor once
            self.warnings.append(problem)

    def render(self, content: Content) -> list[Output]:
        """Every file of the site, checked for clashes before anyone writes them."""
        return [Output(job.path, job.make(), job.owner) for job in self.plan(content)]

    def plan(self, content: Content) -> list[Job]:
        """Every file of the site, planned (nothing rendered yet) and checked for clashes."""
        jobs = [*(Job(a.path, a.owner, (a.data,), lambda data=a.data: data, ()) for a in self.assets.files),
                *self.pages(content), self.feed(content)]
        check_unique_paths([(job.path, job.owner) for job in jobs])
        return jobs

    def pages(self, content: Content) -> list[Job]:
        outputs = [self._page("landing.html", self.urls.landing(), self.urls.home, self.config.default_language,
                              "landing", self.config.title.get(self.config.default_language), "site.yaml")]
        for lang in LANGS:
            outputs.append(self._page(
                "home.html", self.urls.home(lang), self.urls.home, lang, "home", self.config.title.get(lang),
                "site.yaml",
                issues=[self.views.issue(lang, content, issue) for issue in content.issues]))
            outputs.append(self._page(
                "papers.html", self.urls.papers(lang), self.urls.papers, lang, "papers",
                self.strings[lang]["paper_index"], "site.yaml",
                issues=[self.views.issue(lang, content, issue) for issue in content.issues]))
            for issue in content.issues:
                view = self.views.issue(lang, content, issue)
                outputs.append(self._page(
                    "issue.html", view.url, lambda other, key=issue.key: self.urls.issue(other, key),
                    lang, "issue", view.title, issue.origin.path, issue=view))
                for paper in view.papers:
                    outputs.append(self._page(
                        "paper.html", paper.url, lambda other, pid=paper.id: self.urls.paper(other, pid),
                        lang, "paper", paper.title.main.html.unescape(), issue.origin.path,
                        paper=paper, issue=view))
        return outputs

    def feed(self, content: Content) -> Job:
        lang = self.config.default_language

        def make() -> bytes:
            return rss(self.config, self.urls, content, lang,
                       lambda issue: self._render("feed_item.html", lang=lang,
                                                  issue=self.views.issue(lang, content, issue), t=self.strings[lang]))

        return Job(self.urls.output_path(self.urls.feed()), "feed", ("rss", lang, content), make, ("feed_item.html",))

    def _page(self, template: str, url: str, url_in: Callable[[Lang], str], lang: Lang, kind: str,
              title: str, owner: str, **context: object) -> Job:
        other: Lang = "en" if lang == "ko" else "ko"
        default = self.config.default_language
        alternates = [Alternate(code, self.urls.absolute(url_in(code))) for code in LANGS]
        alternates.append(Alternate("x-default", self.urls.absolute(
            self.urls.landing() if kind in ("landing", "home") else url_in(default))))
        meta = PageMeta(
            lang=lang, kind=kind, title=title, url=url, canonical=self.urls.absolute(url),
            alternates=tuple(alternates), other_lang=other, other_url=url_in(other),
        )
        # PageMeta holds only strings and tuples of small dataclasses of strings, so its repr is an
        # exact and much cheaper fingerprint than walking it.
        return Job(self.urls.output_path(url), owner, (template, repr(meta), lang, sorted(context.items())),
                   lambda: self._render(template, page=meta, t=self.strings[lang], **context).encode("utf-8"),
                   (template,))

    def template_closure(self, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """``names`` and every template they extend, import or include, sorted; ``None`` (all
        templates) when one names another through a variable, which cannot be followed."""
        if names is None:
            return None
        found: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in found:
                continue
            found.add(name)
            try:
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
                referenced = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
                continue  # rendering reports it
            if None in referenced:
                return None
            todo.extend(r for r in referenced if r is not None)
        return tuple(sorted(found))

    def _render(self, template: str, **context: object) -> str:
        context.update(site=self.config, urls=self.urls, assets=self.assets.urls,
                       tr=self.strings)
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(Path(exc.filename)) if exc.filename else template
            raise DigestError(Problem(path, exc.lineno, None, "", f"template syntax error: {exc.message}")) from None
        except jinja2.TemplateNotFound as exc:
            raise DigestError(Problem(display_path(self.config.templates_dir), None, None, "",
                                      f"template not found: {exc.name}")) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_position(exc, self.config.templates_dir)
            raise DigestError(Problem(path, line, None, "", f"template error: {exc.message}")) from None


def _template_position(exc: BaseException, templates_dir: Path) -> tuple[str, int | None]:
    """The innermost template frame of an error raised while rendering (Jinja maps lines back)."""
    import traceback

    found: tuple[str, int | None] = (display_path(templates_dir), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).suffix in (".html", ".xml", ".txt"):
            found = (display_path(Path(frame.filename)), frame.lineno)
    return found
