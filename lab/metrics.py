"""Step 2: metrics per task type, with bootstrap confidence intervals. Standard library only."""

from __future__ import annotations

import random
import re


def normalize(text: str) -> str:
    """Lower case, no surrounding spaces or final period: '  Five.' and 'five' compare equal."""
    return text.strip().lower().rstrip(".").strip()


def exact_match(prediction: str, answers: list[str]) -> float:
    return float(any(normalize(prediction) == normalize(a) for a in answers))


def _number(text: str) -> float | None:
    match = re.search(r"-?\d+(?:\.\d+)?", text.replace(",", ""))
    return float(match.group()) if match else None


def relaxed_accuracy(prediction: str, answers: list[str], tolerance: float = 0.05) -> float:
    """ChartQA's rule: a numeric answer within 5% of the reference counts; others must match exactly."""
    for answer in answers:
        target, value = _number(answer), _number(prediction)
        if target is not None and value is not None:
            if abs(value - target) <= tolerance * abs(target):
                return 1.0
        elif normalize(prediction) == normalize(answer):
            return 1.0
    return 0.0


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def anls(prediction: str, answers: list[str], threshold: float = 0.5) -> float:
    """Average Normalized Levenshtein Similarity for one question: partial credit for small slips."""
    best = 0.0
    for answer in answers:
        p, a = normalize(prediction), normalize(answer)
        distance = levenshtein(p, a) / max(len(p), len(a), 1)
        best = max(best, 1.0 - distance if distance < threshold else 0.0)
    return best


METRICS = {"exact_match": exact_match, "relaxed_accuracy": relaxed_accuracy, "anls": anls}


def bootstrap_ci(scores: list[float], resamples: int = 2000, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap: resample the questions with replacement, take the spread of the means."""
    rng = random.Random(seed)
    n = len(scores)
    means = sorted(sum(rng.choices(scores, k=n)) / n for _ in range(resamples))
    low = means[int((1 - level) / 2 * resamples)]
    high = means[min(resamples - 1, int((1 + level) / 2 * resamples))]
    return low, high
