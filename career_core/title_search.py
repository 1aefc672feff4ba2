"""Finding occupations by the words people use for jobs: stems, prefixes and small typos tolerated.

An index is built once over every title an occupation is known by (its official title and its alternate and
reported titles). A query word matches a title word with the same stem ("nurses" ~ "nurse"), a word it begins
("electr" ~ "electrician") or a word one or two edits away ("sofware" ~ "software"). A title scores by how
much of the query it covers (rare words weigh more) and how much of the title the query covers, so "Nurse"
beats "Nurse Anesthetists" for "nurse". An occupation takes its best title's score, plus a little for its
official title and for titles many O*NET sources give: the "Nurse" of five sources is a Registered Nurse.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[a-z0-9+#]+")
_CODE = re.compile(r"^\d{2}-?\d{0,4}(\.\d{0,2})?$")
STOP_WORDS = frozenset({"and", "or", "of", "the", "in", "for", "a", "an", "to", "with", "at", "on", "all", "other"})

#: How well a query word matches a title word.
EXACT, PREFIX, ONE_EDIT, TWO_EDITS = 1.0, 0.85, 0.8, 0.6
#: An occupation's official title, and each further source naming a title, lift it by this much.
OFFICIAL_BONUS = 0.04
SOURCE_BONUS = 0.01
MAX_SOURCE_BONUS = 5
#: A title must cover at least this share of the query's weight to be offered at all.
MIN_COVERAGE = 0.5
#: Bound the words a short prefix or a typo may stand for, so a query stays fast.
MAX_EXPANSIONS = 40

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` (keeping ``c++`` and ``c#``), stop words left out."""
    return [w for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]


@dataclass(frozen=True)
class TitleEntry:
    """One title an occupation is known by; ``sources`` is how many O*NET sources give it (0: official)."""

    code: str
    title: str
    sources: int = 0

    @property
    def official(self) -> bool:
        return self.sources == 0


@dataclass(frozen=True)
class TitleMatch:
    """An occupation found by a query: its code and official title, the title that matched, and the score."""

    code: str
    title: str
    matched_title: str
    score: float

    @property
    def matched_other_title(self) -> bool:
        """Whether the match came through another title than the official one (not just its singular)."""
        return [stem(w) for w in words(self.matched_title)] != [stem(w) for w in words(self.title)]


class TitleIndex:
    """An inverted index of title word stems; build once (about half a second for O*NET), query in milliseconds."""

    def __init__(self, entries: Iterable[TitleEntry]) -> None:
        self._entries: list[TitleEntry] = []
        self._stems: list[tuple[int, ...]] = []
        self._official: dict[str, str] = {}
        stem_ids: dict[str, int] = {}
        postings: list[list[int]] = []
        surface: dict[str, int] = {}
        for entry in entries:
            if entry.official:
                self._official[entry.code] = entry.title
            ids = []
            for word in words(entry.title):
                sid = stem_ids.setdefault(stem(word), len(stem_ids))
                if sid == len(postings):
                    postings.append([])
                surface.setdefault(word, sid)
                if sid not in ids:
                    ids.append(sid)
            if not ids:
                continue
            position = len(self._entries)
            self._entries.append(entry)
            self._stems.append(tuple(ids))
            for sid in ids:
                postings[sid].append(position)
        self._stem_ids = stem_ids
        self._postings = postings
        self._surface = surface
        self._vocabulary = sorted(surface)
        total = max(len(self._entries), 1)
        self._idf = [math.log(1 + total / len(p)) for p in postings]

    def __len__(self) -> int:
        return len(self._entries)

    def _expand(self, word: str) -> dict[int, float]:
        """The stems ``word`` may stand for, with how well it matches each."""
        found: dict[int, float] = {}
        sid = self._stem_ids.get(stem(word))
        if sid is not None:
            found[sid] = EXACT
        if len(word) >= 3:
            start = bisect_left(self._vocabulary, word)
            for candidate in self._vocabulary[start : start + MAX_EXPANSIONS]:
                if not candidate.startswith(word):
                    break
                found.setdefault(self._surface[candidate], PREFIX)
        if len(word) >= 4 and word not in self._surface:
            cutoff = 2 if len(word) >= 8 else 1
            for candidate, distance, _ in process.extract(
                word, self._vocabulary, scorer=OSA.distance, score_cutoff=cutoff, limit=MAX_EXPANSIONS
            ):
                quality = ONE_EDIT if distance <= 1 else TWO_EDITS
                sid = self._surface[candidate]
                found[sid] = max(found.get(sid, 0.0), quality)
        return found

    def search(self, text: str, limit: int = 8) -> list[TitleMatch]:
        """Occupations best matching ``text``, best first; a code or code prefix lists those codes first."""
        query = text.strip()
        if not query or limit < 1:
            return []
        if _CODE.match(query):
            return self._by_code(query, limit)
        query_words = list(dict.fromkeys(words(query)))
        if len(query_words) > 1:  # a stray letter among real words is noise
            query_words = [w for w in query_words if len(w) > 1] or query_words
        expansions = [self._expand(word) for word in query_words]
        if not any(expansions):
            return []
        # A word matching nothing still counts, as much as an average matched word: a title must cover at least
        # half of what was typed to be offered.
        matched = [max(self._idf[sid] for sid in e) for e in expansions if e]
        unmatched = sum(matched) / len(matched)
        weights = [max(self._idf[sid] for sid in e) if e else unmatched for e in expansions]
        total_weight = sum(weights)
        # entry -> best match quality per query word
        qualities: dict[int, list[float]] = {}
        for i, expansion in enumerate(expansions):
            for sid, quality in expansion.items():
                for position in self._postings[sid]:
                    row = qualities.get(position)
                    if row is None:
                        row = qualities[position] = [0.0] * len(expansions)
                    if quality > row[i]:
                        row[i] = quality
        best: dict[str, tuple[float, str]] = {}
        for position, row in qualities.items():
            entry = self._entries[position]
            covered = sum(w * q for w, q in zip(weights, row, strict=True)) / total_weight
            if covered < MIN_COVERAGE:
                continue
            matched_words = sum(1 for q in row if q)
            title_share = min(1.0, matched_words / len(self._stems[position]))
            score = covered * (0.75 + 0.25 * title_share)
            score += OFFICIAL_BONUS if entry.official else SOURCE_BONUS * min(entry.sources, MAX_SOURCE_BONUS)
            current = best.get(entry.code)
            if current is None or score > current[0]:
                best[entry.code] = (score, entry.title)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self._official.get(item[0], item[0])))
        return [
            TitleMatch(code, self._official.get(code, matched), matched, round(score, 4))
            for code, (score, matched) in ranked[:limit]
        ]

    def _by_code(self, query: str, limit: int) -> list[TitleMatch]:
        codes = sorted(code for code in self._official if code.startswith(query))
        return [TitleMatch(code, self._official[code], self._official[code], 1.0) for code in codes[:limit]]

    def exact(self, text: str) -> str | None:
        """The code ``text`` names outright: a code, or an official title up to case and plural; else None."""
        query = text.strip()
        if query in self._official:
            return query
        wanted = tuple(stem(word) for word in words(query))
        return self._official_by_stems.get(wanted) if wanted else None

    @cached_property
    def _official_by_stems(self) -> dict[tuple[str, ...], str]:
        by_stems: dict[tuple[str, ...], str] = {}
        for code, title in sorted(self._official.items()):
            by_stems.setdefault(tuple(stem(word) for word in words(title)), code)
        return by_stems
