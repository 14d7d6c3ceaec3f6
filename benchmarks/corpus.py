"""Deterministic benchmark corpus: N weeks x 10 papers of seed-like bilingual content, written
three ways with equivalent pages — a digestgen project, a Hugo site and a Pelican site.

    python benchmarks/corpus.py --weeks 260 --out benchmarks/corpus/260

Lengths and structure follow the real post (tests/fixtures/seed.txt): Korean and English titles,
summaries (~170 / ~370 characters) and abstracts (~680 / ~1,400), about one paper in five without
an abstract, 1–3 tags, an arXiv link and a tweet per paper, a three-paragraph introduction per
week. Words are drawn from the seed itself, so the text has the seed's script mix.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "seed.txt"
FIRST_WEEK = date(2020, 1, 6)  # a Monday
PAPERS_PER_WEEK = 10
TAGS = (
    "llm",
    "rag",
    "agents",
    "reasoning",
    "vision",
    "diffusion",
    "video",
    "speech",
    "code",
    "math",
    "alignment",
    "rlhf",
    "safety",
    "evaluation",
    "benchmark",
    "efficiency",
    "quantization",
    "moe",
    "long-context",
    "multimodal",
    "robotics",
    "retrieval",
    "prompting",
    "distillation",
    "survey",
    "tokenization",
    "scaling",
    "hallucination",
    "embeddings",
    "fine-tuning",
    "data",
    "3d",
    "graph",
    "time-series",
    "medicine",
    "science",
    "planning",
    "memory",
    "interpretability",
    "audio",
)


@dataclass(frozen=True)
class Paper:
    id: str
    title_ko: str
    title_en: str
    summary_ko: str
    summary_en: str
    abstract_ko: str
    abstract_en: str
    arxiv: str
    tweet: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Week:
    week: date
    intro_ko: tuple[str, str, str]
    intro_en: tuple[str, str, str]
    papers: tuple[Paper, ...]

    @property
    def key(self) -> str:
        return self.week.isoformat()


class Words:
    """Korean and English words from the seed post, drawn with a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        text = SEED.read_text(encoding="utf-8")
        self.rng = rng
        self.ko = sorted(set(re.findall(r"[가-힣]+[가-힣A-Za-z()]*", text)))
        self.en = sorted({w.lower() for w in re.findall(r"[A-Za-z][a-z]{2,}", text)})

    def text(self, words: list[str], length: int, sentence_every: int = 14) -> str:
        out: list[str] = []
        size = 0
        while size < length:
            word = self.rng.choice(words)
            out.append(word)
            size += len(word) + 1
            if len(out) % sentence_every == 0:
                out[-1] += "."
        return " ".join(out).rstrip(".") + "."

    def around(self, mean: int) -> int:
        return max(10, int(self.rng.gauss(mean, mean * 0.3)))


def make_corpus(weeks: int, seed: int = 7) -> list[Week]:
    rng = random.Random(seed)
    words = Words(rng)
    result = []
    serial = 0
    for w in range(weeks):
        week = FIRST_WEEK + timedelta(weeks=w)
        papers = []
        for _ in range(PAPERS_PER_WEEK):
            serial += 1
            title_en = words.text(words.en, words.around(60), 99).rstrip(".").title()
            has_abstract = rng.random() >= 0.2
            papers.append(
                Paper(
                    id=f"p{serial:05d}-" + re.sub(r"[^a-z0-9]+", "-", title_en.lower())[:40].strip("-"),
                    title_ko=words.text(words.ko, words.around(35), 99).rstrip("."),
                    title_en=title_en,
                    summary_ko=words.text(words.ko, words.around(170)),
                    summary_en=words.text(words.en, words.around(370)),
                    abstract_ko=words.text(words.ko, words.around(680)) if has_abstract else "",
                    abstract_en=words.text(words.en, words.around(1400)) if has_abstract else "",
                    arxiv=f"https://arxiv.org/abs/{week:%y%m}.{rng.randrange(10000, 99999)}",
                    tweet=f"https://x.com/omarsar0/status/{rng.randrange(10**18, 2 * 10**18)}",
                    tags=tuple(sorted(rng.sample(TAGS, rng.randint(1, 3)))),
                )
            )
        result.append(
            Week(
                week=week,
                intro_ko=(
                    words.text(words.ko, words.around(330)),
                    words.text(words.ko, words.around(330)),
                    words.text(words.ko, words.around(330)),
                ),
                intro_en=(
                    words.text(words.en, words.around(600)),
                    words.text(words.en, words.around(600)),
                    words.text(words.en, words.around(600)),
                ),
                papers=tuple(papers),
            )
        )
    return result


def _q(text: str) -> str:
    """A YAML/TOML-safe double-quoted string (JSON strings are valid in both)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    return "|-\n" + " " * indent + text


# --- digestgen -------------------------------------------------------------------------------


def write_digestgen(corpus: list[Week], root: Path) -> None:
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    issues = root / "content" / "issues"
    issues.mkdir(parents=True)
    for week in corpus:
        lines = ["---", f"week: {week.key}", "papers:"]
        for p in week.papers:
            lines += [
                f"  - id: {p.id}",
                "    title:",
                f"      ko: {_q(p.title_ko)}",
                f"      en: {_q(p.title_en)}",
                "    summary:",
                f"      ko: {_block(p.summary_ko, 8)}",
                f"      en: {_block(p.summary_en, 8)}",
            ]
            if p.abstract_en:
                lines += [
                    "    abstract:",
                    f"      ko: {_block(p.abstract_ko, 8)}",
                    f"      en: {_block(p.abstract_en, 8)}",
                ]
            lines += [
                "    links:",
                f"      paper: {p.arxiv}",
                f"    tweet: {p.tweet}",
                f"    tags: [{', '.join(p.tags)}]",
            ]
        lines += ["---", "\n\n".join(week.intro_ko), "", "<!-- en -->", "", "\n\n".join(week.intro_en)]
        (issues / f"{week.key}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- Hugo ------------------------------------------------------------------------------------
# One edition (as a Hugo user would start): week pages show every paper in both languages,
# paper pages, /papers/ index, tag pages, one RSS feed of weeks.

HUGO_CONFIG = """\
baseURL = "https://example.org/digest/"
title = "이번 주의 주요 ML 논문"
buildFuture = true  # the corpus runs past today at N = 1040
[taxonomies]
  tag = "tags"
[outputs]
  home = ["html", "rss"]
  page = ["html"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]
[markup.goldmark.renderer]
  unsafe = false
[pagination]
  pagerSize = 100000
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "papers/" | relURL }}">논문 목록</a> <a href="{{ "index.xml" | relURL }}">RSS</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}{{ if eq .Type "issues" }}
<article class="issue"><h1>{{ .Title }}</h1><section class="intro">{{ .Content }}</section>
{{ range .Params.papers }}{{ with site.GetPage (printf "/papers/%s" .) }}
<article class="paper" id="{{ .File.ContentBaseName }}"><h2>{{ .Title }}</h2><p lang="en">{{ .Params.title_en }}</p>
{{ .Content }}</article>{{ end }}{{ end }}</article>
{{ else }}
<article class="paper"><h1>{{ .Title }}</h1><p lang="en">{{ .Params.title_en }}</p>
{{ .Content }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<p><a href="{{ (site.GetPage (printf "/issues/%s" .Params.week)).RelPermalink }}">이 주의 논문 전체 보기</a></p></article>
{{ end }}{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span lang="en">{{ .Params.title_en }}</span></li>{{ end }}
</ul>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ range (where site.RegularPages "Type" "issues").ByDate.Reverse }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><ol>
{{ range .Params.papers }}{{ with site.GetPage (printf "/papers/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ol></section>{{ end }}{{ end }}
""",
    "papers/list.html": """{{ define "main" }}<h1>논문 목록</h1><ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span lang="en">{{ .Params.title_en }}</span></li>{{ end }}
</ul>{{ end }}
""",
    "index.rss.xml": """<rss version="2.0"><channel><title>{{ site.Title }}</title><link>{{ .Permalink }}</link>
<description>{{ site.Title }}</description>
{{ range (where site.RegularPages "Type" "issues").ByDate.Reverse }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<guid isPermaLink="false">{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate>
<description>{{ .Content | html }}</description></item>{{ end }}
</channel></rss>
""",
}


def _paper_body(p: Paper) -> str:
    parts = ["## 논문 소개", "", p.summary_ko, "", p.summary_en, ""]
    if p.abstract_en:
        parts += ["## 논문 초록", "", p.abstract_ko, "", p.abstract_en, ""]
    parts += [f"- [논문 링크]({p.arxiv})", f"- [더 읽어보기]({p.tweet})", ""]
    return "\n".join(parts)


def write_hugo(corpus: list[Week], root: Path) -> None:
    (root / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "static").mkdir()
    shutil.copy(REPO / "static" / "style.css", root / "static" / "style.css")
    (root / "content" / "issues").mkdir(parents=True)
    (root / "content" / "papers").mkdir(parents=True)
    (root / "content" / "papers" / "_index.md").write_text('---\ntitle: "논문 목록"\n---\n', encoding="utf-8")
    for week in corpus:
        ids = ", ".join(_q(p.id) for p in week.papers)
        (root / "content" / "issues" / f"{week.key}.md").write_text(
            f"---\ntitle: {_q(f'[{week.key}] 이번 주의 주요 ML 논문')}\ndate: {week.key}\npapers: [{ids}]\n---\n"
            + "\n\n".join(week.intro_ko)
            + "\n\n"
            + "\n\n".join(week.intro_en)
            + "\n",
            encoding="utf-8",
        )
        for p in week.papers:
            (root / "content" / "papers" / f"{p.id}.md").write_text(
                f"---\ntitle: {_q(p.title_ko)}\ntitle_en: {_q(p.title_en)}\ndate: {week.key}\nweek: {week.key}\n"
                f"tags: [{', '.join(_q(t) for t in p.tags)}]\n---\n" + _paper_body(p),
                encoding="utf-8",
            )


# --- Pelican ---------------------------------------------------------------------------------
# Papers are articles; a week is a category (its page shows every paper in full), the archives
# page is the paper index, tags have pages, one RSS feed.

PELICAN_CONFIG = """\
AUTHOR = "editors"
SITENAME = "이번 주의 주요 ML 논문"
SITEURL = "https://example.org/digest"
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Seoul"
DEFAULT_LANG = "ko"
DEFAULT_PAGINATION = False
DIRECT_TEMPLATES = ["index", "archives"]
ARTICLE_URL = "papers/{slug}/"
ARTICLE_SAVE_AS = "papers/{slug}/index.html"
ARCHIVES_SAVE_AS = "papers/index.html"
CATEGORY_URL = "issues/{slug}/"
CATEGORY_SAVE_AS = "issues/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
PAGE_SAVE_AS = ""
FEED_DOMAIN = SITEURL
FEED_RSS = "feed.xml"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

PELICAN_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="stylesheet" href="{{ SITEURL }}/theme/style.css"></head>
<body><header><a href="{{ SITEURL }}/">{{ SITENAME }}</a>
<nav><a href="{{ SITEURL }}/papers/">논문 목록</a> <a href="{{ SITEURL }}/feed.xml">RSS</a></nav></header>
<main>{% block main %}{% endblock %}</main></body></html>
""",
    "index.html": """{% extends "base.html" %}{% block main %}<h1>{{ SITENAME }}</h1>
{% for category, articles in categories|reverse %}<section><h2><a href="{{ SITEURL }}/{{ category.url }}">{{ category }}</a></h2><ol>
{% for article in articles %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}
</ol></section>{% endfor %}{% endblock %}
""",
    "article.html": """{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}{% block main %}
<article class="paper"><h1>{{ article.title }}</h1><p lang="en">{{ article.title_en }}</p>
{{ article.content }}
<ul class="tags">{% for tag in article.tags %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a></li>{% endfor %}</ul>
<p><a href="{{ SITEURL }}/{{ article.category.url }}">이 주의 논문 전체 보기</a></p></article>{% endblock %}
""",
    "category.html": """{% extends "base.html" %}{% block title %}{{ category }}{% endblock %}{% block main %}
<article class="issue"><h1>{{ category }}</h1>
{% for article in articles %}<article class="paper" id="{{ article.slug }}"><h2>{{ article.title }}</h2>
<p lang="en">{{ article.title_en }}</p>{{ article.content }}</article>{% endfor %}</article>{% endblock %}
""",
    "tag.html": """{% extends "base.html" %}{% block main %}<h1>{{ tag }}</h1><ul>
{% for article in articles %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}
</ul>{% endblock %}
""",
    "tags.html": """{% extends "base.html" %}{% block main %}<ul>
{% for tag, articles in tags|sort %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ articles|count }})</li>{% endfor %}
</ul>{% endblock %}
""",
    "archives.html": """{% extends "base.html" %}{% block main %}<h1>논문 목록</h1><ul>
{% for article in dates %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> <span lang="en">{{ article.title_en }}</span></li>{% endfor %}
</ul>{% endblock %}
""",
}


def write_pelican(corpus: list[Week], root: Path) -> None:
    (root / "pelicanconf.py").parent.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for name, text in PELICAN_TEMPLATES.items():
        path = root / "theme" / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "theme" / "static").mkdir(parents=True)
    shutil.copy(REPO / "static" / "style.css", root / "theme" / "static" / "style.css")
    for week in corpus:
        folder = root / "content" / week.key
        folder.mkdir(parents=True)
        for p in week.papers:
            (folder / f"{p.id}.md").write_text(
                f"Title: {p.title_ko}\nTitle_en: {p.title_en}\nDate: {week.key}\nCategory: {week.key}\n"
                f"Tags: {', '.join(p.tags)}\nSlug: {p.id}\n\n" + _paper_body(p),
                encoding="utf-8",
            )


def write_all(weeks: int, out: Path, seed: int = 7) -> None:
    corpus = make_corpus(weeks, seed)
    if out.exists():
        shutil.rmtree(out)
    write_digestgen(corpus, out / "digestgen")
    write_hugo(corpus, out / "hugo")
    write_pelican(corpus, out / "pelican")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_all(args.weeks, args.out, args.seed)


if __name__ == "__main__":
    main()
