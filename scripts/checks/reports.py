"""Reports printed by `make check` to help the chapter rewrites; they do not fail (yet).

- Readability, per chapter: mean sentence length in words, the share of sentences over 40 words,
  the median and longest prose paragraph, and the file:line of every paragraph over 180 words and
  every sentence over 50 words.
- Repetition: (name, number) facts retold in 4 or more chapters, and verbatim passages of 12 or
  more words that two chapters share, each with its locations.
- Coverage: Atlas models released since 2024 that no chapter names.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from scripts.sources import names as names_src
from scripts.sources.atlas import Atlas
from scripts.sources.project import line_of, rel
from scripts.sources.prose import paragraphs, prose, sentences, words

LONG_SENTENCE = 40
VERY_LONG_SENTENCE = 50
LONG_PARAGRAPH = 180
RETOLD_IN = 4
SHARED_WORDS = 12
SINCE = "2024-01"
_FACT_NUMBER = re.compile(r"(?<![\w.,\-])(\d+(?:[.,]\d+)*)(\s?%|[KMBT]\b|×)?(?![\w]|\.\d)")


@dataclass
class Readability:
    chapter: str
    sentences: int
    mean_words: float
    share_over_40: float
    median_paragraph: float
    longest_paragraph: int
    long_paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (line, words)
    long_sentences: list[tuple[int, int]] = field(default_factory=list)


# A figure's text alternative and caption describe the figure; they are not the chapter's sentences.
_FIGURE_LINE = re.compile(r"^\s*(?:!\[|<figcaption)")


def readability(text: str, name: str) -> Readability:
    clean = prose(text)
    figure_lines = {i for i, line in enumerate(text.split("\n"), 1) if _FIGURE_LINE.match(line)}
    lengths, long_sentences = [], []
    for s in sentences(clean):
        if s.in_table or s.line in figure_lines:
            continue
        n = len(words(s.text))
        if n < 3:
            continue
        lengths.append(n)
        if n > VERY_LONG_SENTENCE:
            long_sentences.append((s.line, n))
    paras = [(p.line, len(words(p.text))) for p in paragraphs(clean)]
    paras = [(ln, n) for ln, n in paras if n >= 10]
    sizes = [n for _, n in paras]
    return Readability(
        name,
        len(lengths),
        statistics.mean(lengths) if lengths else 0.0,
        100 * sum(n > LONG_SENTENCE for n in lengths) / len(lengths) if lengths else 0.0,
        statistics.median(sizes) if sizes else 0.0,
        max(sizes, default=0),
        [(ln, n) for ln, n in paras if n > LONG_PARAGRAPH],
        long_sentences,
    )


def page_facts(text: str, names: names_src.Names) -> dict[tuple[str, str], int]:
    """(name, number) -> first line, for an Atlas model or benchmark and a number in the same
    sentence (years and small integers left out)."""
    matchers = (names_src.model_matcher(names), names_src.benchmark_matcher(names))
    found: dict[tuple[str, str], int] = {}
    clean = prose(text)
    for s in sentences(clean):
        mentions = [m for matcher in matchers for m in matcher.find(s.text)]
        if not mentions:
            continue
        blanked = list(s.text)
        for m in mentions:
            blanked[m.start : m.end] = " " * (m.end - m.start)
        numbers = {
            n.group(1) + (n.group(2) or "").strip()
            for n in _FACT_NUMBER.finditer("".join(blanked))
            if not re.fullmatch(r"(?:19|20)\d\d", n.group(1))
            and (n.group(2) or "." in n.group(1) or int(n.group(1).replace(",", "")) >= 10)
        }
        for m in {x.surface for x in mentions}:
            for number in numbers:
                found.setdefault((m, number), s.line)
    return found


def facts_retold(per_page: list[tuple[str, dict]]) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(name, number) -> one location per chapter, for facts in RETOLD_IN or more chapters."""
    found: dict[tuple[str, str], dict[str, int]] = {}
    for page, facts in per_page:
        for fact, line in facts.items():
            found.setdefault(fact, {}).setdefault(page, line)
    return {k: sorted(v.items()) for k, v in found.items() if len(v) >= RETOLD_IN}


def page_words(text: str) -> list[tuple[str, int]]:
    """The page's prose as (lower-case word, line), for finding shared passages."""
    clean = prose(text)  # citations are blanked there
    toks = [(m.group(0).lower().strip('.,;:()"“”'), m.start()) for m in re.finditer(r"[^\s|*_`]+", clean)]
    return [(w, line_of(clean, o)) for w, o in toks if w]


def shared_passages(per_page: list[tuple[str, list[tuple[str, int]]]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Verbatim passages of SHARED_WORDS or more words found in two or more chapters: (the
    passage, its locations), longest first."""
    tokens = dict(per_page)
    index: dict[tuple[str, ...], set[tuple[str, int]]] = {}
    for page, toks in per_page:
        for i in range(len(toks) - SHARED_WORDS + 1):
            index.setdefault(tuple(w for w, _ in toks[i : i + SHARED_WORDS]), set()).add((page, i))
    shared = {k: v for k, v in index.items() if len({p for p, _ in v}) >= 2}
    passages: dict[tuple[tuple[str, int], ...], str] = {}
    for toks in tokens.values():
        i = 0
        while i <= len(toks) - SHARED_WORDS:
            key = tuple(w for w, _ in toks[i : i + SHARED_WORDS])
            if key not in shared:
                i += 1
                continue
            j = i
            while j + 1 <= len(toks) - SHARED_WORDS and tuple(w for w, _ in toks[j + 1 : j + 1 + SHARED_WORDS]) in shared:
                j += 1
            text = " ".join(w for w, _ in toks[i : j + SHARED_WORDS])
            places = {(p, tokens[p][k][1]) for p, k in shared[key]}
            where = tuple(sorted(places))
            if where not in passages or len(text) > len(passages[where]):
                passages[where] = text
            i = j + SHARED_WORDS
    out = sorted(((t, list(w)) for w, t in passages.items()), key=lambda x: -len(x[0].split()))
    return out


def page_models(text: str, names: names_src.Names) -> set[str]:
    return {m.id for m in names_src.model_matcher(names).find(prose(text))}


def unmentioned_models(seen: set[str], atlas: Atlas) -> list[tuple[str, str, str]]:
    """(id, name, released) of Atlas models released since SINCE that no chapter names."""
    return [
        (str(m.get("id")), str(m.get("name")), str(m.get("released")))
        for m in atlas.models
        if str(m.get("released") or "") >= SINCE and m.get("id") not in seen
    ]


def build(chapters: list[Path], atlas: Atlas, root: Path, memo=None) -> str:
    """The reports as text."""
    names = names_src.load(atlas, root)
    pages = [(rel(p, root), p.read_text(encoding="utf-8")) for p in chapters]

    def per_page(page: str, text: str):
        def compute():
            return readability(text, page), page_facts(text, names), page_words(text), page_models(text, names)

        return memo.get(page + "\0" + text, compute) if memo else compute()

    measured = [(page, *per_page(page, text)) for page, text in pages]
    out = ["Reports (not failing yet)", "", "Readability per chapter:"]
    out.append(f"  {'chapter':<28} {'sent.':>5} {'mean':>5} {'>40w':>5} {'med.par':>7} {'max.par':>7}")
    details = []
    for page, r, _, _, _ in measured:
        out.append(
            f"  {page:<28} {r.sentences:>5} {r.mean_words:>5.1f} {r.share_over_40:>4.1f}% {r.median_paragraph:>7.0f} {r.longest_paragraph:>7}"
        )
        details += [f"  {page}:{ln}: paragraph of {n} words (over {LONG_PARAGRAPH})" for ln, n in r.long_paragraphs]
        details += [f"  {page}:{ln}: sentence of {n} words (over {VERY_LONG_SENTENCE})" for ln, n in r.long_sentences]
    out += [
        "",
        f"Paragraphs over {LONG_PARAGRAPH} words and sentences over {VERY_LONG_SENTENCE} words ({len(details)}):",
        *details,
    ]
    retold = facts_retold([(page, f) for page, _, f, _, _ in measured])
    out += ["", f"Facts (name, number) retold in {RETOLD_IN} or more chapters ({len(retold)}):"]
    for (name, number), places in sorted(retold.items(), key=lambda x: (-len(x[1]), x[0])):
        out.append(f"  {name} {number}: " + ", ".join(f"{p}:{ln}" for p, ln in places))
    shared = shared_passages([(page, w) for page, _, _, w, _ in measured])
    out += ["", f"Verbatim passages of {SHARED_WORDS}+ words shared between chapters ({len(shared)}):"]
    for text, places in shared:
        shown = text if len(text) <= 140 else text[:137] + "..."
        out.append(f'  "{shown}" at ' + ", ".join(f"{p}:{ln}" for p, ln in places))
    missing = unmentioned_models(set().union(*(m for *_, m in measured)) if measured else set(), atlas)
    out += ["", f"Atlas models released since {SINCE} that no chapter names ({len(missing)}):"]
    out += [f"  {i} ({n}, {r})" for i, n, r in missing]
    return "\n".join(out)
