"""Step 5: the vLLM command for a memory budget, from the Implementation chapter's estimate.

The context length, the images per prompt, the pixel cap and the number of concurrent sequences
are computed, not guessed: the weights and the KV cache of every sequence must fit in the share of
GPU memory that vLLM may use.

    python -m lab.serve --gpu-gb 24
"""

from __future__ import annotations

import argparse
import json
import math

from lab.memory import CAP, QWEN_7B, kv_gb, request_tokens, weights_gb


def serve_command(
    model: str = "Qwen/Qwen2.5-VL-7B-Instruct",
    gpu_gb: float = 24,
    images: int = 1,
    max_pixels: int = CAP,
    sequences: int = 16,
    utilization: float = 0.9,
) -> tuple[str, str]:
    context = math.ceil(request_tokens(images, max_pixels) / 512) * 512  # round up to a multiple of 512
    weights = weights_gb(QWEN_7B["params"], 16)
    budget = gpu_gb * utilization - weights
    while sequences > 1 and kv_gb(sequences, context) > budget:
        sequences //= 2
    if kv_gb(sequences, context) > budget:
        raise ValueError(f"{gpu_gb} GB cannot hold {weights:.1f} GB of weights and one {context}-token sequence")
    command = (
        f"vllm serve {model} --max-model-len {context} "
        f"--limit-mm-per-prompt '{json.dumps({'image': images})}' "
        f"--mm-processor-kwargs '{json.dumps({'max_pixels': max_pixels})}' "
        f"--max-num-seqs {sequences} --gpu-memory-utilization {utilization}"
    )
    estimate = (
        f"weights {weights:.1f} GB + KV cache {kv_gb(sequences, context):.2f} GB "
        f"({sequences} sequences of {context} tokens) <= {gpu_gb * utilization:.1f} GB"
    )
    return command, estimate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print a vLLM command sized for one GPU.")
    parser.add_argument("--gpu-gb", type=float, default=24, help="GPU memory in GB")
    parser.add_argument("--images", type=int, default=1, help="images per prompt")
    args = parser.parse_args(argv)
    command, estimate = serve_command(gpu_gb=args.gpu_gb, images=args.images)
    print(estimate)
    print(command)


if __name__ == "__main__":
    main()
