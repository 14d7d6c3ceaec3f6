"""``digestgen new``: write the skeleton of next week's issue, never over an existing file."""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta
from pathlib import Path

from .errors import DigestError, Problem, display_path
from .options import add_site_arguments, announce, command_parser, config_from_args

_WEEK_FILE = re.compile(r"\d{4}-\d{2}-\d{2}")

SKELETON = """\
---
# {week}: fill in the papers, then remove `draft: true` to publish (see README, "Content format").
week: {week}                # first day covered; the file is named after it
week_end: {week_end}            # optional, defaults to week + 6 days
draft: true                     # left out of the site until removed (`serve` and `--drafts` show it)
title:                          # optional; built from the dates when empty
  ko: ""
  en: ""
source: ""                      # optional: URL of the original post (원문)
notice:                         # optional: this week's disclaimer instead of the one in site.yaml
  ko: ""
  en: ""
papers:                         # at least one; uncomment the example and copy it for each paper
#  - id: chain-of-note          # optional slug (lowercase letters, digits, - . _); default from title.en
#    title:
#      ko: "CoN(Chain-of-Note): 검색 증강 언어 모델의 견고성 향상"
#      en: "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models"
#    summary:                   # 논문 소개 (Markdown); en is required, ko may follow later
#      ko: |-
#        노이즈가 많고 관련성이 없는 문서를 처리할 때 검색 증강 언어 모델의 견고성을 향상시키는 접근 방식.
#      en: |-
#        An approach to improve the robustness of retrieval-augmented language models.
#    abstract:                  # 논문 초록 (Markdown), optional
#      ko: |-
#        검색 증강 언어 모델(RALM)은 ...
#      en: |-
#        Retrieval-augmented language models (RALMs) ...
#    links:                     # label -> http(s) URL; `paper` is the paper itself
#      paper: https://arxiv.org/abs/2311.09210
#      code: https://github.com/example/con
#    tweet: https://x.com/omarsar0/status/1725181141693472959
#    tags: [rag, robustness]
---
이번 주의 소개 글 (Markdown).

<!-- en -->
This week's introduction in English (optional).
"""


def next_week(issues_dir: Path, today: date) -> date:
    """The week after the latest file's week; with no issues yet, the Monday of this week."""
    weeks = []
    for path in issues_dir.glob("*.md"):
        if _WEEK_FILE.fullmatch(path.stem):
            try:
                weeks.append(date.fromisoformat(path.stem))
            except ValueError:
                continue  # an impossible date in a name is reported by check/build, not here
    return max(weeks) + timedelta(days=7) if weeks else today - timedelta(days=today.weekday())


def new_issue(content_dir: Path, week: date | None = None, today: date | None = None) -> Path:
    """Create ``content_dir/issues/<week>.md`` from the skeleton; refuse to overwrite anything."""
    issues_dir = content_dir / "issues"
    week = week or next_week(issues_dir, today or date.today())
    path = issues_dir / f"{week.isoformat()}.md"
    issues_dir.mkdir(parents=True, exist_ok=True)
    text = SKELETON.format(week=week.isoformat(), week_end=(week + timedelta(days=6)).isoformat())
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": fails if the file exists
            handle.write(text)
    except FileExistsError:
        raise DigestError(
            Problem(display_path(path), None, None, "", "already exists; not overwriting it (give another --week)")
        ) from None
    return path


def _week(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {value!r}") from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = command_parser(
        commands,
        "new",
        help="write a skeleton issue for the next week (or --week)",
        description="Write content/issues/<week>.md with every field and a commented example paper, "
        "marked draft: true (build leaves it out until you remove that line). Never overwrites a file.",
        examples="  digestgen new\n  digestgen new --week 2023-11-20",
    )
    add_site_arguments(cmd)
    cmd.add_argument(
        "--week",
        type=_week,
        metavar="YYYY-MM-DD",
        help="the first day of the week to write (default: the week after the latest issue)",
    )
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    announce(config, "Writing into")
    path = new_issue(config.content_dir, args.week)
    print(f"wrote {display_path(path)}")
    return 0
