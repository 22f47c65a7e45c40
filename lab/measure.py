"""Step 5: time to first token and throughput against any OpenAI-compatible endpoint.

Each request streams its answer; the time to the first content chunk is the time to first token
(TTFT, mostly the prefill of the image tokens), the gaps after it give the time per output token,
and all requests together give the throughput at the chosen concurrency. Standard library only.

    python -m lab.measure --endpoint http://127.0.0.1:8000/v1 --model NAME \\
        --image runs/data/images/eval-0002.png --requests 32 --concurrency 8
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from lab.client import image_part


def stream_once(endpoint: str, model: str, content: list[dict], max_tokens: int) -> dict:
    payload = {
        "model": model,
        "messages": [{"role": "user", "content": content}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},  # the server reports the exact token count at the end
    }
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/chat/completions",
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": "Bearer EMPTY"},
    )
    start = time.perf_counter()
    first = None
    chunks, usage_tokens = 0, None
    with urllib.request.urlopen(request, timeout=300) as response:
        for raw in response:  # server-sent events: one "data: {...}" line per chunk
            line = raw.decode("utf-8").strip()
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            event = json.loads(line[len("data: ") :])
            if event.get("usage"):
                usage_tokens = event["usage"]["completion_tokens"]
            if event.get("choices") and event["choices"][0]["delta"].get("content"):
                first = first or time.perf_counter()
                chunks += 1
    end = time.perf_counter()
    tokens = usage_tokens if usage_tokens is not None else chunks
    per_token = (end - first) / (tokens - 1) if first and tokens > 1 else None
    return {"ttft": (first or end) - start, "latency": end - start, "tokens": tokens, "per_token": per_token}


def measure(endpoint: str, model: str, content: list[dict], requests: int, concurrency: int, max_tokens: int) -> dict:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: stream_once(endpoint, model, content, max_tokens), range(requests)))
    wall = time.perf_counter() - start
    ttfts = sorted(r["ttft"] for r in results)
    per_token = [r["per_token"] for r in results if r["per_token"] is not None]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "ttft_p50_s": statistics.median(ttfts),
        "ttft_p90_s": ttfts[min(len(ttfts) - 1, int(0.9 * len(ttfts)))],
        "time_per_output_token_s": statistics.mean(per_token) if per_token else None,
        "output_tokens_per_s": sum(r["tokens"] for r in results) / wall,
        "requests_per_s": requests / wall,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure TTFT and throughput of an OpenAI-compatible endpoint.")
    parser.add_argument("--endpoint", required=True, help="base URL, such as http://127.0.0.1:8000/v1")
    parser.add_argument("--model", required=True, help="the model name the server serves")
    parser.add_argument("--image", help="an image sent with every request")
    parser.add_argument("--prompt", default="Describe this image in one paragraph.")
    parser.add_argument("--requests", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args(argv)
    content = ([image_part(args.image)] if args.image else []) + [{"type": "text", "text": args.prompt}]
    report = measure(args.endpoint, args.model, content, args.requests, args.concurrency, args.max_tokens)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
