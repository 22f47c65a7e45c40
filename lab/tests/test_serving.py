"""Step 5: the client, the evaluation through an endpoint and the measurement script, each against
an endpoint that the test starts on 127.0.0.1; the vLLM command from the memory estimate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lab import client, evaluate, measure, memory, serve
from lab.make_data import read_records
from lab.tests.endpoint import Endpoint

ROOT = Path(__file__).resolve().parents[2]


def test_the_client_sends_the_image_and_the_schema_and_checks_the_answer(data_dir):
    image = data_dir / read_records(data_dir / "eval.jsonl")[2]["image"]
    with Endpoint(reply=lambda request: '{"shop": "Lantern Cafe", "total": 20.74}') as server:
        record = client.ask_json(server.url, "tiny", image, "Read the shop's name and the total.")
    assert record == {"shop": "Lantern Cafe", "total": 20.74}
    sent = server.requests[0]
    image_part, text_part = sent["messages"][0]["content"]
    assert image_part["image_url"]["url"].startswith("data:image/png;base64,")
    assert text_part == {"type": "text", "text": "Read the shop's name and the total."}
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == client.RECEIPT_SCHEMA


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ('{"shop": 5, "total": 1}', "expected string"),
        ('{"shop": "A"}', "missing field 'total'"),
        ('{"shop": "A", "total": -2}', "below"),
    ],
)
def test_an_answer_that_breaks_the_schema_is_rejected(data_dir, reply, message):
    image = data_dir / read_records(data_dir / "eval.jsonl")[2]["image"]
    with Endpoint(reply=lambda request: reply) as server, pytest.raises(ValueError, match=message):
        client.ask_json(server.url, "tiny", image, "Read the receipt.")


def test_evaluation_through_an_endpoint_scores_its_answers(data_dir, tmp_path):
    records = read_records(data_dir / "eval.jsonl")
    # The endpoint answers every question right: it finds the record by its image, or its text.
    answers = {
        client.image_part(data_dir / r["image"])["image_url"]["url"] if r["image"] else r["question"]: r["answers"][0]
        for r in records
    }

    def reply(request):
        first = request["messages"][0]["content"][0]
        return answers[first["image_url"]["url"] if first["type"] == "image_url" else first["text"]]

    out = tmp_path / "endpoint.json"
    with Endpoint(reply=reply) as server:
        evaluate.main([str(data_dir / "eval.jsonl"), "--endpoint", server.url, "--served-model", "tiny", "--out", str(out)])
    summary = json.loads(out.read_text())["summary"]
    assert {task: s["mean"] for task, s in summary.items()} == dict.fromkeys(summary, 1.0)


def test_measurement_recovers_a_known_first_token_delay_and_token_gap():
    with Endpoint(reply=lambda request: " ".join("abcdefghij"), first_delay=0.3, gap=0.02) as server:
        content = [{"type": "text", "text": "Count to ten."}]
        report = measure.measure(server.url, "tiny", content, requests=4, concurrency=2, max_tokens=10)
    assert 0.3 <= report["ttft_p50_s"] < 1.0
    assert 0.02 <= report["time_per_output_token_s"] < 0.1
    assert report["requests"] == 4 and report["output_tokens_per_s"] > 0
    assert all(r["stream"] and r["stream_options"] == {"include_usage": True} for r in server.requests)


def test_the_serve_command_fits_the_memory_estimate():
    command, estimate = serve.serve_command(gpu_gb=24)
    assert command == (
        "vllm serve Qwen/Qwen2.5-VL-7B-Instruct --max-model-len 2560 --limit-mm-per-prompt '{\"image\": 1}' "
        "--mm-processor-kwargs '{\"max_pixels\": 1003520}' --max-num-seqs 16 --gpu-memory-utilization 0.9"
    )
    assert "16 sequences of 2560 tokens" in estimate
    assert "--max-num-seqs 8 " in serve.serve_command(gpu_gb=20, images=2)[0]
    with pytest.raises(ValueError, match="cannot hold"):
        serve.serve_command(gpu_gb=16)


def test_the_estimate_matches_the_implementation_chapter():
    assert memory.visual_tokens(*memory.PAGE) == 2772 and memory.visual_tokens(*memory.PAGE, max_pixels=memory.CAP) == 1260
    assert memory.kv_bytes_per_token(28, 4, 128) == 56 * 1024
    chapter = (ROOT / "docs" / "implementation.md").read_text(encoding="utf-8")
    assert "LAYERS, KV_HEADS, HEAD_DIM = 28, 4, 128" in chapter and "PARAMS = 8.0e9" in chapter


def test_the_page_shows_the_tested_files_and_the_computed_outputs(capsys):
    page = (ROOT / "docs" / "lab.md").read_text(encoding="utf-8")
    included = re.findall(r'--8<-- "([^"]+)"', page)
    assert {"lab/make_data.py", "lab/metrics.py", "lab/evaluate.py", "lab/finetune.py", "lab/serve.py"} <= set(included)
    assert all((ROOT / path).is_file() for path in included)
    assert memory.gpu_table() in page, "the GPU table in docs/lab.md differs from `python -m lab.memory`: paste its output"
    serve.main([])
    for line in capsys.readouterr().out.splitlines():
        assert line in page, f"docs/lab.md does not show this line of `python -m lab.serve`: {line}"
