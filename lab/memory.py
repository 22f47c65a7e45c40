"""The Implementation chapter's memory estimate, reused for the lab's GPU table and serve command.

Weights take P * b / 8 bytes; the KV cache takes 2 * layers * kv_heads * head_dim * bytes per
token; a native-resolution page costs about (W / 28) * (H / 28) visual tokens within the pixel cap.

    python -m lab.memory
"""

from __future__ import annotations

import math

GB = 1e9
FACTOR = 28  # Qwen2.5-VL: 14-pixel patches merged 2 x 2, so one token per 28 x 28 pixels
QWEN_7B = {"params": 8.0e9, "layers": 28, "kv_heads": 4, "head_dim": 128}  # round 8B, as in the chapter
LLAMA_11B, LLAMA_90B = 10.6e9, 88.8e9  # Llama 3.2-Vision parameter counts from its model card
PAGE = (1240, 1754)  # an A4 page scanned at 150 dpi
CAP = 1280 * 28 * 28  # max_pixels: at most 1,280 visual tokens per image
TEXT_TOKENS, ANSWER_TOKENS = 300, 500


def weights_gb(params: float, bits: int) -> float:
    return params * bits / 8 / GB


def kv_bytes_per_token(layers: int, kv_heads: int, head_dim: int, bytes_per_value: int = 2) -> int:
    return 2 * layers * kv_heads * head_dim * bytes_per_value  # keys and values


def visual_tokens(width: int, height: int, min_pixels: int = 4 * 28 * 28, max_pixels: int = 16384 * 28 * 28) -> int:
    """Keep the aspect ratio, round sides to multiples of 28, clamp the pixel count (the chapter's rule)."""
    w = max(FACTOR, round(width / FACTOR) * FACTOR)
    h = max(FACTOR, round(height / FACTOR) * FACTOR)
    if w * h > max_pixels:
        beta = math.sqrt(width * height / max_pixels)
        w = math.floor(width / beta / FACTOR) * FACTOR
        h = math.floor(height / beta / FACTOR) * FACTOR
    elif w * h < min_pixels:
        beta = math.sqrt(min_pixels / (width * height))
        w = math.ceil(width * beta / FACTOR) * FACTOR
        h = math.ceil(height * beta / FACTOR) * FACTOR
    return (w // FACTOR) * (h // FACTOR)


def request_tokens(images: int = 1, max_pixels: int = CAP) -> int:
    return images * visual_tokens(*PAGE, max_pixels=max_pixels) + TEXT_TOKENS + ANSWER_TOKENS


def kv_gb(requests: int, tokens: int, shape: dict = QWEN_7B) -> float:
    return requests * tokens * kv_bytes_per_token(shape["layers"], shape["kv_heads"], shape["head_dim"]) / GB


def gpu_table() -> str:
    """GPU memory per lab step, in GB: weights plus KV cache, without activations or buffers."""
    tokens = request_tokens()
    rows = [
        ("Evaluate, one request at a time", 16, 1),
        ("LoRA fine-tuning (frozen BF16 base)", 16, 0),
        ("QLoRA fine-tuning (frozen 4-bit base)", 4, 0),
        ("Serve 16 requests at once", 16, 16),
    ]
    lines = [
        "| Step | Weights | Qwen2.5-VL-7B shape: weights + KV cache | Llama 3.2-Vision 11B: weights | Llama 3.2-Vision 90B: weights |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step, bits, requests in rows:
        qwen = weights_gb(QWEN_7B["params"], bits) + kv_gb(requests, tokens)
        lines.append(
            f"| {step} | {bits}-bit | {qwen:.1f} | {weights_gb(LLAMA_11B, bits):.1f} | {weights_gb(LLAMA_90B, bits):.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(f"One capped A4 page: {visual_tokens(*PAGE, max_pixels=CAP)} visual tokens; one request: {request_tokens()} tokens")
    print(gpu_table())
