"""Steps 2 and 4: evaluate a model on your own set, per task, with bootstrap confidence intervals.

Predictions come from a local Transformers model (optionally with a LoRA adapter) or from any
OpenAI-compatible endpoint; the scoring is the same for both.

    python -m lab.evaluate runs/data/eval.jsonl --model runs/tiny-llava --out runs/eval-base.json
    python -m lab.evaluate runs/data/eval.jsonl --model runs/tiny-llava --adapter runs/adapter
    python -m lab.evaluate runs/data/eval.jsonl --endpoint http://127.0.0.1:8000/v1 --served-model NAME
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from lab.client import chat, image_part
from lab.make_data import read_records, to_messages
from lab.metrics import METRICS, bootstrap_ci


class TransformersModel:
    """Greedy answers from a local checkpoint, prompted through the processor's own chat template."""

    def __init__(self, model_dir: str, adapter: str | None = None, max_new_tokens: int = 16):
        import torch
        from transformers import AutoModelForImageTextToText, AutoProcessor

        self.torch = torch
        self.processor = AutoProcessor.from_pretrained(model_dir)
        self.model = AutoModelForImageTextToText.from_pretrained(model_dir, dtype="auto")
        if adapter:
            from peft import PeftModel

            self.model = PeftModel.from_pretrained(self.model, adapter)
        self.model.eval()
        self.max_new_tokens = max_new_tokens

    def __call__(self, record: dict, data_dir: Path) -> str:
        inputs = self.processor.apply_chat_template(
            to_messages(record, data_dir),
            add_generation_prompt=True,  # end the prompt with the assistant's turn marker
            tokenize=True,
            return_dict=True,
            return_tensors="pt",
        ).to(self.model.device)
        with self.torch.no_grad():
            output = self.model.generate(**inputs, max_new_tokens=self.max_new_tokens, do_sample=False)
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        return self.processor.decode(new_tokens, skip_special_tokens=True).strip()


class EndpointModel:
    """Answers from an OpenAI-compatible server: the same messages, with images as data URLs."""

    def __init__(self, endpoint: str, served_model: str, max_tokens: int = 16):
        self.endpoint, self.served_model, self.max_tokens = endpoint, served_model, max_tokens

    def __call__(self, record: dict, data_dir: Path) -> str:
        content = [image_part(data_dir / record["image"])] if record["image"] else []
        content.append({"type": "text", "text": record["question"]})
        return chat(self.endpoint, self.served_model, content, max_tokens=self.max_tokens).strip()


def evaluate(records: list[dict], predict: Callable[[dict, Path], str], data_dir: Path) -> list[dict]:
    rows = []
    for record in records:
        prediction = predict(record, data_dir)
        score = METRICS[record["metric"]](prediction, record["answers"])
        rows.append({"id": record["id"], "task": record["task"], "prediction": prediction, "score": score})
    return rows


def summarize(rows: list[dict], records: list[dict]) -> dict[str, dict]:
    metric_of = {r["task"]: r["metric"] for r in records}
    summary = {}
    for task in sorted({row["task"] for row in rows}):
        scores = [row["score"] for row in rows if row["task"] == task]
        low, high = bootstrap_ci(scores)
        mean = sum(scores) / len(scores)
        summary[task] = {"metric": metric_of[task], "n": len(scores), "mean": mean, "ci95": [low, high]}
    return summary


def format_summary(summary: dict[str, dict]) -> str:
    lines = [f"{'task':<16} {'metric':<17} {'n':>3} {'score':>6}  95% CI"]
    for task, s in summary.items():
        low, high = s["ci95"]
        lines.append(f"{task:<16} {s['metric']:<17} {s['n']:>3} {s['mean']:6.3f}  [{low:.3f}, {high:.3f}]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Evaluate a model on a JSONL set made by lab.make_data.")
    parser.add_argument("data", help="a .jsonl file; its images are read relative to its folder")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a local Transformers checkpoint folder or Hub name")
    source.add_argument("--endpoint", help="base URL of an OpenAI-compatible server, such as http://127.0.0.1:8000/v1")
    parser.add_argument("--adapter", help="a LoRA adapter folder saved by lab.finetune (with --model)")
    parser.add_argument("--served-model", default="default", help="the model name the endpoint serves")
    parser.add_argument("--tasks", nargs="*", help="only these tasks, e.g. text-arithmetic for the forgetting check")
    parser.add_argument("--out", help="write the predictions and the summary to this JSON file")
    args = parser.parse_args(argv)

    data = Path(args.data)
    records = [r for r in read_records(data) if not args.tasks or r["task"] in args.tasks]
    if args.model:
        predict = TransformersModel(args.model, args.adapter)
    else:
        predict = EndpointModel(args.endpoint, args.served_model)
    rows = evaluate(records, predict, data.parent)
    summary = summarize(rows, records)
    print(format_summary(summary))
    if args.out:
        Path(args.out).write_text(json.dumps({"summary": summary, "predictions": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
