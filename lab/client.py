"""Step 5: a client for any OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp's server, a hosted API).

It sends an image and a question and asks for JSON that follows a schema, through the portable
request field `response_format` of type `json_schema`; then it checks the answer against the
schema, because a schema constrains the shape of the output, not its truth. Standard library only.

    python -m lab.client --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct \\
        --image runs/data/images/eval-0002.png --question "Read the shop's name and the total."
"""

from __future__ import annotations

import argparse
import base64
import json
import mimetypes
import urllib.request
from pathlib import Path

RECEIPT_SCHEMA = {
    "type": "object",
    "properties": {"shop": {"type": "string"}, "total": {"type": "number", "minimum": 0}},
    "required": ["shop", "total"],
    "additionalProperties": False,
}
TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "object": dict, "array": list}


def image_part(path: str | Path) -> dict:
    """An image as a data URL, so the request carries it and the server needs no access to our files."""
    mime = mimetypes.guess_type(str(path))[0] or "image/png"
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{data}"}}


def post_json(url: str, payload: dict, api_key: str = "EMPTY", timeout: float = 120) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def chat(endpoint: str, model: str, content: list[dict], max_tokens: int = 64, **extra) -> str:
    payload = {
        "model": model,
        "messages": [{"role": "user", "content": content}],
        "max_tokens": max_tokens,
        "temperature": 0,
        **extra,
    }
    reply = post_json(endpoint.rstrip("/") + "/chat/completions", payload)
    return reply["choices"][0]["message"]["content"]


def validate(value, schema: dict, where: str = "$") -> None:
    """Check the subset of JSON Schema used here: type, required, properties, enum, minimum."""
    expected = TYPES[schema["type"]]
    if not isinstance(value, expected) or (schema["type"] in ("number", "integer") and isinstance(value, bool)):
        raise ValueError(f"{where}: expected {schema['type']}, got {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        raise ValueError(f"{where}: {value} is below the minimum {schema['minimum']}")
    if schema["type"] == "object":
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{where}: missing field {key!r}")
        for key, item in value.items():
            if key in schema.get("properties", {}):
                validate(item, schema["properties"][key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                raise ValueError(f"{where}: unexpected field {key!r}")


def ask_json(endpoint: str, model: str, image: str | Path, question: str, schema: dict = RECEIPT_SCHEMA) -> dict:
    content = [image_part(image), {"type": "text", "text": question}]
    response_format = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": True}}
    text = chat(endpoint, model, content, max_tokens=256, response_format=response_format)
    record = json.loads(text)
    validate(record, schema)
    return record


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ask an OpenAI-compatible endpoint for JSON about an image.")
    parser.add_argument("--endpoint", required=True, help="base URL, such as http://127.0.0.1:8000/v1")
    parser.add_argument("--model", required=True, help="the model name the server serves")
    parser.add_argument("--image", required=True)
    parser.add_argument("--question", default="Read the shop's name and the total from this receipt.")
    args = parser.parse_args(argv)
    print(json.dumps(ask_json(args.endpoint, args.model, args.image, args.question)))


if __name__ == "__main__":
    main()
