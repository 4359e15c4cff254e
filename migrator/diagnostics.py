"""Located problems (errors and warnings) and how they are printed."""

from __future__ import annotations

import difflib
import functools
import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Literal

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]
# A diagnostic about a mapping key points at the key itself; about a value, at the value.
Target = Literal["key", "value"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, at a place in one file.

    ``line`` and ``col`` are 1-based; 0 means "not known yet" (they are filled in by a
    location pass over the file, only when the diagnostic is going to be shown).
    """

    severity: Severity
    file: str
    path: KeyPath
    message: str
    target: Target = "value"
    line: int = 0
    col: int = 0

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = self.file
        if self.line:
            where = f"{where}:{self.line}:{self.col}"
        key = format_path(self.path)
        if key:
            return f"{where}: {self.severity}: {key}: {self.message}"
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "path": format_path(self.path),
            "message": self.message,
        }


def format_path(path: KeyPath) -> str:
    """``("applications", 3, "criticality")`` → ``applications[3].criticality``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif parts:
            parts.append(f".{part}")
        else:
            parts.append(part)
    return "".join(parts)


def count(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    """Number of errors and of warnings."""
    errors = warnings = 0
    for diag in diags:
        if diag.is_error:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def did_you_mean(matches: Sequence[str]) -> str:
    """The hint that ends a message about an unknown word: the best match, if any.

    Three ways find it: ``suggest`` (a close word among few candidates), ``Suggestions``
    (among many, at a bounded cost) and ``suggest_typo`` (a likely typo only)."""
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def suggest(word: str, candidates: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` when a candidate is close to ``word``, else ``""``."""
    return _suggest(word, tuple(candidates))


@functools.lru_cache(maxsize=4096)  # the same slip is often made on every entity
def _suggest(word: str, candidates: tuple[str, ...]) -> str:
    if len(candidates) > Suggestions.SMALL:
        return Suggestions(candidates)(word)
    return did_you_mean(difflib.get_close_matches(word, candidates, n=1, cutoff=0.6))


class Suggestions:
    """ "Did you mean" among many candidates (every id of an estate), at a bounded cost.

    difflib compares a word with every candidate: 500 unknown references among 2,000 ids
    took 50 s. Here the candidates are indexed by their three-letter pieces; a word looks
    at the candidates sharing its rarest pieces (a bounded number of them), and difflib
    ranks only the few that share the most. The index is built on the first question.
    """

    SMALL = 64  # at most this many candidates: difflib compares them all
    BUDGET = 2048  # index entries a question may look at
    SHORTLIST = 12  # candidates difflib ranks

    def __init__(self, candidates: Iterable[str], cutoff: float = 0.6) -> None:
        self._candidates = sorted(set(candidates))
        self._cutoff = cutoff
        self._index: dict[str, list[int]] | None = None
        self._answers: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        """`` (did you mean 'x'?)``, or ``""``."""
        answer = self._answers.get(word)
        if answer is None:
            matches = difflib.get_close_matches(
                word, self._shortlist(word), n=1, cutoff=self._cutoff
            )
            answer = did_you_mean(matches)
            if len(self._answers) < 100_000:
                self._answers[word] = answer
        return answer

    def _shortlist(self, word: str) -> list[str]:
        if len(self._candidates) <= self.SMALL:
            return self._candidates
        if self._index is None:
            index: dict[str, list[int]] = {}
            for number, candidate in enumerate(self._candidates):
                for piece in _pieces(candidate):
                    index.setdefault(piece, []).append(number)
            self._index = index
        postings = sorted((self._index.get(piece, ()) for piece in _pieces(word)), key=len)
        chosen: list[Sequence[int]] = []
        spent = 0
        for posting in postings:
            if posting and spent + len(posting) > self.BUDGET and chosen:
                break
            chosen.append(posting[: self.BUDGET])
            spent += len(posting)
        counts = Counter(chain.from_iterable(chosen))
        best = heapq.nlargest(self.SHORTLIST, counts.items(), key=lambda item: item[1])
        return [self._candidates[number] for number, _ in best]


def _pieces(word: str) -> set[str]:
    padded = f"\x00{word}\x00"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def one_of(choices: Sequence[str]) -> str:
    return ", ".join(choices)


def suggest_typo(word: str, candidates: Sequence[str]) -> str:
    """Like ``suggest``, but only for a likely typo (an edit or two away).

    For open vocabularies, where a value unlike any known one is legitimate:
    'gpx' → 'gxp', but not 'streaming-replication' → 'replication'.
    """
    limit = max(1, len(word) // 4)
    best = min(candidates, key=lambda c: _distance(word, c, limit), default=None)
    return did_you_mean(
        [best] if best is not None and _distance(word, best, limit) <= limit else []
    )


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit; ``limit + 1`` when beyond."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
