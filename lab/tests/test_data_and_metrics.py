"""Step 1 and the metrics of step 2: the set is drawn as described and each metric scores as defined."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from lab import make_data
from lab.metrics import anls, bootstrap_ci, exact_match, relaxed_accuracy


def test_the_set_holds_each_task_with_its_image_and_answer(data_dir):
    records = make_data.read_records(data_dir / "eval.jsonl")
    assert Counter(r["task"] for r in records) == {"chart-value": 2, "chart-count": 2, "receipt-shop": 2, "text-arithmetic": 2}
    for record in records:
        assert record["answers"] and record["question"].endswith(("?", "number."))
        if record["task"] == "text-arithmetic":
            assert record["image"] is None
        else:
            assert (data_dir / record["image"]).is_file(), record
    assert json.loads((data_dir / "eval.jsonl").read_text().splitlines()[0])["id"] == "eval-0000"


def test_the_set_is_the_same_for_the_same_seed(tmp_path):
    first = make_data.make_records(tmp_path / "a", "eval", 8, 0)
    again = make_data.make_records(tmp_path / "b", "eval", 8, 0)
    other = make_data.make_records(tmp_path / "c", "eval", 8, 1)
    assert first == again
    assert first != other


def test_records_become_chat_messages_with_typed_parts(data_dir):
    record = make_data.read_records(data_dir / "eval.jsonl")[0]
    messages = make_data.to_messages(record, data_dir, with_answer=True)
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert [part["type"] for part in messages[0]["content"]] == ["image", "text"]
    assert messages[0]["content"][0]["path"].endswith(record["image"])
    assert messages[1]["content"][0]["text"] == record["answers"][0]


def test_exact_match_normalizes_case_spaces_and_final_period():
    assert exact_match("  Five. ", ["five"]) == 1.0
    assert exact_match("5", ["five"]) == 0.0


def test_relaxed_accuracy_accepts_numbers_within_five_percent():
    assert relaxed_accuracy("The value is 48", ["50"]) == 1.0  # 4% off
    assert relaxed_accuracy("47", ["50"]) == 0.0  # 6% off
    assert relaxed_accuracy("Blue", ["blue"]) == 1.0  # not a number: exact match


def test_anls_gives_partial_credit_below_the_threshold_only():
    assert anls("Lantern Cafe", ["Lantern Cafe"]) == 1.0
    assert anls("Lanten Cafe", ["Lantern Cafe"]) == pytest.approx(1 - 1 / 12)
    assert anls("Maple Pharmacy", ["Lantern Cafe"]) == 0.0


def test_bootstrap_interval_brackets_the_mean():
    assert bootstrap_ci([1.0] * 20) == (1.0, 1.0)
    low, high = bootstrap_ci([1.0, 0.0] * 20)
    assert low < 0.5 < high
    assert 0.25 < low and high < 0.75
