"""Step 1: an evaluation set you own, drawn with Pillow, with known answers.

Each record holds an image, a question, its reference answers and the metric that scores it:
bar charts (read a value: relaxed accuracy; count the bars: exact match), receipts (the shop's
name: ANLS) and text-only arithmetic (exact match), which checks for forgetting after fine-tuning.

    python -m lab.make_data runs/data --split eval --n 24 --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LABELS = "ABCDE"
SHOPS = ["Corner Bakery", "Blue Harbor Books", "Maple Pharmacy", "Northside Market", "Lantern Cafe"]
ITEMS = ["bread", "milk", "coffee", "pens", "soap", "apples", "tea", "rice"]


def draw_chart(rng: random.Random, path: Path) -> dict[str, int]:
    """A bar chart of three to five labeled bars, each value written above its bar."""
    values = {label: rng.randint(10, 90) for label in LABELS[: rng.randint(3, 5)]}
    image = Image.new("RGB", (320, 240), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    draw.line([(30, 210), (310, 210)], fill="black", width=2)
    width = 260 // len(values)
    for i, (label, value) in enumerate(values.items()):
        x0 = 40 + i * width
        top = 210 - value * 2
        draw.rectangle([x0, top, x0 + width - 12, 210], fill=(60, 90, 170))
        draw.text((x0 + 4, top - 16), str(value), fill="black", font=font)
        draw.text((x0 + 8, 214), label, fill="black", font=font)
    image.save(path)
    return values


def draw_receipt(rng: random.Random, path: Path) -> tuple[str, float]:
    """A receipt: the shop's name, two to four priced items and their total."""
    shop = rng.choice(SHOPS)
    items = [(rng.choice(ITEMS), rng.randint(100, 2000) / 100) for _ in range(rng.randint(2, 4))]
    total = round(sum(price for _, price in items), 2)
    image = Image.new("RGB", (240, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 14), shop, fill="black", font=ImageFont.load_default(size=18))
    font = ImageFont.load_default(size=14)
    for i, (name, price) in enumerate(items):
        draw.text((16, 60 + i * 24), name, fill="black", font=font)
        draw.text((170, 60 + i * 24), f"{price:.2f}", fill="black", font=font)
    draw.line([(16, 170), (224, 170)], fill="black", width=1)
    draw.text((16, 180), "TOTAL", fill="black", font=font)
    draw.text((170, 180), f"{total:.2f}", fill="black", font=font)
    image.save(path)
    return shop, total


def make_records(out_dir: Path, split: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(f"{split}-{seed}")
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(n):
        kind = i % 4
        rid = f"{split}-{i:04d}"
        image = f"images/{rid}.png"
        if kind == 0:
            values = draw_chart(rng, out_dir / image)
            label = rng.choice(list(values))
            question = f"What is the value of the bar labeled {label}? Answer with a number."
            record = {"task": "chart-value", "metric": "relaxed_accuracy", "answers": [str(values[label])]}
        elif kind == 1:
            values = draw_chart(rng, out_dir / image)
            question = "How many bars are in the chart? Answer with a number."
            record = {"task": "chart-count", "metric": "exact_match", "answers": [str(len(values))]}
        elif kind == 2:
            shop, _ = draw_receipt(rng, out_dir / image)
            question = "What is the name of the shop on this receipt?"
            record = {"task": "receipt-shop", "metric": "anls", "answers": [shop]}
        else:
            a, b = rng.randint(2, 20), rng.randint(2, 20)
            image = None
            question = f"What is {a} plus {b}? Answer with a number."
            record = {"task": "text-arithmetic", "metric": "exact_match", "answers": [str(a + b)]}
        records.append({"id": rid, "image": image, "question": question, **record})
    return records


def to_messages(record: dict, data_dir: str | Path, with_answer: bool = False) -> list[dict]:
    """The record as a chat in the format Transformers processors take (typed content parts)."""
    content = []
    if record["image"] is not None:
        content.append({"type": "image", "path": str(Path(data_dir) / record["image"])})
    content.append({"type": "text", "text": record["question"]})
    messages = [{"role": "user", "content": content}]
    if with_answer:
        messages.append({"role": "assistant", "content": [{"type": "text", "text": record["answers"][0]}]})
    return messages


def read_records(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Draw a small labeled image set with known answers.")
    parser.add_argument("out_dir")
    parser.add_argument("--split", default="eval", help="name of the file written: <split>.jsonl")
    parser.add_argument("--n", type=int, default=24, help="number of records (a quarter of each kind)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    records = make_records(out, args.split, args.n, args.seed)
    with open(out / f"{args.split}.jsonl", "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
    print(f"{len(records)} records in {out / (args.split + '.jsonl')}")
    print(json.dumps(records[0]))


if __name__ == "__main__":
    main()
