"""One spelling per name (scripts/names.yml and the Atlas data hold the spellings).

- A model or benchmark written in a spelling that differs from its accepted ones only in spaces,
  hyphens or dots ("Llama 3.2 Vision" for "Llama 3.2-Vision", "InternVL2.5" for "InternVL 2.5").
- A spelling listed under `not:` in scripts/names.yml ("VQA v2" for "VQAv2").
- An acronym expanded two ways in the guide ("multi-layer perceptron (MLP)" and "multilayer
  perceptron (MLP)"), or another way than scripts/names.yml gives; an acronym used for a meaning
  its entry rules out (GQA for grouped-query attention); an acronym marked `expand_first` used in a
  chapter before the chapter expands it.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.sources import names as names_src
from scripts.sources.atlas import Atlas
from scripts.sources.markdown import doc_pages, mask_code
from scripts.sources.project import Problem, line_of, rel
from scripts.sources.prose import blank, prose

_TITLE_OR_QUOTE = re.compile(r"(?<![*\w])\*(?![*\s])[^*\n]+(?<![*\s])\*(?![*\w])|_[^_\n]+_(?!\w)|\"[^\"\n]*\"|“[^”\n]*”")
_BOUNDARY_BEFORE = r"(?<![\w.\-·])"
_BOUNDARY_AFTER = r"(?![\w]|[.·]\d|-[A-Za-z])"
# "Long form (ACR)" and "ACR (long form)"
_ACRONYM_IN_PARENS = re.compile(r"(?<= )\(([A-Z][A-Za-z0-9-]*[A-Z])s?\)")
_EXPANDED_AFTER = re.compile(r"\b([A-Z][A-Za-z0-9-]*[A-Z])s? \(([a-z][a-z -]{2,80})\)")


def _initials_fit(long: str, acronym: str) -> list[str] | None:
    """The trailing words of `long` whose initials (and inner capitals) spell the acronym."""
    words = re.split(r"[ -]", long)
    letters = re.sub(r"[^A-Za-z]", "", acronym).lower()
    for n in range(1, len(words) + 1):
        tail = words[-n:]
        initials = "".join(w[0] for w in tail if w).lower()
        if (
            initials == letters
            or "".join(re.findall(r"^[a-z]|[A-Z]", w) and "".join(c for c in w if c.isupper()) or w[0] for w in tail).lower()
            == letters
        ):
            return tail
    return None


class Spelling:
    def __init__(self, atlas: Atlas, root: Path):
        self.names = names_src.load(atlas, root)
        # Every spelling by its letters and digits alone: a run of words in the text whose
        # letters and digits equal a key is that name, however it is spaced or hyphenated.
        self.by_key: dict[str, tuple[set[str], str]] = {}
        for table in (self.names.models, self.names.benchmarks):
            for spellings in table.values():
                for s in spellings:
                    if len(s) >= 3:
                        self.by_key.setdefault(_key(s), (set(spellings), spellings[0]))
        self.prefixes = {k[:n] for k in self.by_key for n in range(1, len(k) + 1)}
        self.wrong = [
            (re.compile(_BOUNDARY_BEFORE + re.escape(str(bad)) + _BOUNDARY_AFTER), str(entry["name"]), str(bad))
            for entry in self.names.others
            for bad in entry.get("not") or []
        ]
        self.accepted_all = {s for t in (self.names.models, self.names.benchmarks) for ss in t.values() for s in ss}

    def check_text(self, text: str, name: str) -> list[Problem]:
        clean = blank(prose(text), _TITLE_OR_QUOTE)  # titles and quotations keep their own spelling
        problems = []
        seen: set[tuple[int, str]] = set()
        for rx, canonical, bad in self.wrong:
            for m in rx.finditer(clean):
                problems.append(Problem(name, line_of(clean, m.start()), f"write '{canonical}', not '{bad}' (scripts/names.yml)"))
                seen.add((m.start(), bad))
        starts = {a for a, _ in seen}
        for start, surface in self._loose(clean):
            accepted, canonical = self.by_key[_key(surface)]
            if surface in accepted or surface in self.accepted_all or start in starts:
                continue
            problems.append(
                Problem(
                    name,
                    line_of(clean, start),
                    f"write '{canonical}', not '{surface}' (the Atlas's name; accepted spellings: {', '.join(sorted(accepted))}; "
                    "add an alias to data/models.yaml or data/benchmarks.yaml if this spelling is right)",
                )
            )
        return problems

    def _loose(self, clean: str):
        """(offset, surface) of the longest run of words, joined by spaces, hyphens or middle dots,
        whose letters and digits spell a known name."""
        tokens = [(m.start(), m.start() + len(m.group(0).rstrip("."))) for m in _TOKEN.finditer(clean) if m.group(0).strip(".")]
        i = 0
        while i < len(tokens):
            best, key = None, ""
            for j in range(i, len(tokens)):
                if j > i and clean[tokens[j - 1][1] : tokens[j][0]] not in _JOINS:
                    break
                key += _key(clean[tokens[j][0] : tokens[j][1]])
                if key not in self.prefixes:
                    break
                if key in self.by_key:
                    best = (j, clean[tokens[i][0] : tokens[j][1]])
            if best:
                yield tokens[i][0], best[1]
                i = best[0] + 1
            else:
                i += 1


_TOKEN = re.compile(r"[\w.·π]+")
_JOINS = {"", " ", "-", "·", " - "}


def expansions(text: str) -> list[tuple[int, str, str]]:
    """(offset, acronym, long form as written) for every 'long form (ACR)' and 'ACR (long form)'
    whose words' initials spell the acronym."""
    clean = blank(mask_code(text), re.compile(r"^ {0,3}#{1,6} .*$", re.M))
    out = []
    for m in _ACRONYM_IN_PARENS.finditer(clean):
        start = max(0, m.start() - 90)
        words = re.search(r"((?:[A-Za-z][\w-]*[ -]){0,5}[A-Za-z][\w-]*)\**\s*$", clean[start : m.start()])
        tail = _initials_fit(words.group(1), m.group(1)) if words else None
        if tail:
            parts = list(re.finditer(r"[^ -]+", words.group(1)))
            begin = start + words.start(1) + parts[-len(tail)].start()
            out.append((begin, m.group(1), clean[begin : start + words.end(1)]))
    for m in _EXPANDED_AFTER.finditer(clean):
        if _initials_fit(m.group(2), m.group(1)) == re.split(r"[ -]", m.group(2)):
            out.append((m.start(), m.group(1), m.group(2)))
    return out


_SEPARATORS = str.maketrans("", "", " \t\n-·")


def _key(spelling: str) -> str:
    return spelling.translate(_SEPARATORS)


def _norm(long: str) -> str:
    """A long form compared without case, plural or hyphens between words ('mixture-of-experts'
    is 'mixture of experts'; 'multi-layer' is not 'multilayer')."""
    words = []
    for token in long.strip().lower().split():
        parts = token.split("-")
        words += parts if set(parts) & {"of", "for", "to", "and", "the", "on", "in"} else [token]
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def first_uses(text: str, names: names_src.Names) -> dict[str, tuple[int, bool]]:
    """For each acronym marked expand_first that the page uses: (line of its first use, whether
    the page expands it there or before)."""
    out = {}
    clean = None
    for acronym, entry in names.acronyms.items():
        if not (entry or {}).get("expand_first"):
            continue
        clean = clean if clean is not None else prose(text)
        first = re.search(rf"\b{re.escape(acronym)}s?\b", clean)
        if first is None:
            continue
        expanded = [o for o, a, _ in expansions(text) if a == acronym]
        ok = bool(expanded) and (min(expanded) <= first.start() or _expands_at(clean, first, entry))
        out[acronym] = (line_of(clean, first.start()), ok)
    return out


def check_acronyms(pages: list[tuple[str, list, dict]], names: names_src.Names) -> list[Problem]:
    """`pages`: (name, expansions(text), first_uses(text, names)) per page."""
    problems: list[Problem] = []
    forms: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for name, found, _ in pages:
        for line, acronym, long in found:
            forms.setdefault(acronym, {}).setdefault(_norm(long), []).append((name, line))
    for acronym, by_form in sorted(forms.items()):
        entry = names.acronyms.get(acronym) or {}
        canonical = entry.get("expansion")
        banned = {_norm(b) for b in entry.get("not_for") or []}
        if canonical and not entry.get("not_for"):
            for form, places in by_form.items():
                if form != _norm(canonical):
                    problems += [
                        Problem(f, ln, f"{acronym} is expanded '{canonical}' (scripts/names.yml), not '{form}'")
                        for f, ln in places
                    ]
        elif banned:
            for form, places in by_form.items():
                if form in banned:
                    problems += [
                        Problem(
                            f, ln, f"{acronym} names {canonical} only (scripts/names.yml): write '{form}' without the acronym"
                        )
                        for f, ln in places
                    ]
        elif len(by_form) > 1:
            listing = "; ".join(f"'{form}' at {places[0][0]}:{places[0][1]}" for form, places in sorted(by_form.items()))
            for places in by_form.values():
                problems += [
                    Problem(f, ln, f"{acronym} is expanded two ways ({listing}): choose one, and record it in scripts/names.yml")
                    for f, ln in places
                ]
    for name, _, first in pages:
        for acronym, (line, ok) in sorted(first.items()):
            if not ok:
                expansion = names.acronyms[acronym]["expansion"]
                problems.append(Problem(name, line, f"expand {acronym} at its first use in the page: '{expansion} ({acronym})'"))
    return problems


def _expands_at(clean: str, first: re.Match, entry: dict) -> bool:
    before = clean[max(0, first.start() - len(entry["expansion"]) - 3) : first.start()]
    return _norm(entry["expansion"]) in _norm(before)


SKIP = ("references.md", "contributing.md", "license.md")


def check(docs: Path, atlas: Atlas, root: Path, memo=None) -> list[Problem]:
    spelling = Spelling(atlas, root)
    per_page = []
    for path in doc_pages(docs):
        if path.name.startswith("atlas") or path.name in SKIP:
            continue
        name, text = rel(path, root), path.read_text(encoding="utf-8")

        def compute(text=text, name=name):
            found = [(line_of(text, o), a, long) for o, a, long in expansions(text)]
            return spelling.check_text(text, name), found, first_uses(text, spelling.names)

        per_page.append((name, *(memo.get(name + "\0" + text, compute) if memo else compute())))
    problems = [p for _, spelled, _, _ in per_page for p in spelled]
    return problems + check_acronyms([(n, found, first) for n, _, found, first in per_page], spelling.names)
