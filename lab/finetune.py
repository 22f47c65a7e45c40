"""Step 3: fine-tune with LoRA (or QLoRA on a CUDA GPU) through TRL and PEFT, and save the adapter.

The collator masks the labels to the answer tokens and checks that it did, so a wrong chat template
or a forgotten mask stops the run with a message instead of training on the prompt.

    python -m lab.finetune runs/data/train.jsonl --model runs/tiny-llava --out runs/adapter --max-steps 2
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image

from lab.make_data import read_records, to_messages

IGNORE = -100  # the label value that PyTorch's cross-entropy loss skips
# Adapters on the language model's attention and MLP projections only. The pattern names no vision
# module, so the vision encoder and the projector stay frozen.
TARGET_MODULES = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


def encode(processor, record: dict, data_dir: Path, mask_prompt: bool = True) -> dict:
    """Tokenize prompt and answer together; label only the answer (and the end-of-turn marker)."""
    prompt = processor.apply_chat_template(to_messages(record, data_dir), tokenize=False, add_generation_prompt=True)
    full = processor.apply_chat_template(to_messages(record, data_dir, with_answer=True), tokenize=False)
    if not full.startswith(prompt):
        raise ValueError(
            "chat template: the prompt rendered with add_generation_prompt=True is not the start of the "
            f"conversation rendered with the answer, so the answer cannot be located.\nprompt: {prompt!r}\nfull:   {full!r}"
        )
    images = [Image.open(data_dir / record["image"]).convert("RGB")] if record["image"] else None
    placeholders = prompt.count(processor.image_token)
    if placeholders != len(images or []):
        raise ValueError(
            f"chat template: the prompt holds {placeholders} image placeholders ({processor.image_token!r}) "
            f"for {len(images or [])} images, so the model would not see the image where the text refers to it"
        )
    full_ids = processor(text=[full], images=images, return_tensors="pt")
    prompt_len = processor(text=[prompt], images=images, return_tensors="pt")["input_ids"].shape[1]
    labels = full_ids["input_ids"].clone()
    if mask_prompt:
        labels[:, :prompt_len] = IGNORE
    example = {key: value[0] for key, value in full_ids.items() if key != "pixel_values"}
    example["labels"] = labels[0]
    example["pixel_values"] = full_ids.get("pixel_values")
    example["n_images"] = len(images or [])
    return example


def check_labels(processor, example: dict, answer: str) -> None:
    """Assert, not assume: the labeled tokens are the answer and the end-of-turn marker, nothing else."""
    tokenizer = processor.tokenizer
    ids, labels = example["input_ids"], example["labels"]
    image_id = tokenizer.convert_tokens_to_ids(processor.image_token)
    if example["n_images"] and not (ids == image_id).any():
        raise ValueError("chat template: the tokenized prompt holds no image token although the example has an image")
    labeled = labels[labels != IGNORE]
    if (labeled == image_id).any():
        raise ValueError(f"labels not masked: {int((labeled == image_id).sum())} image tokens carry labels")
    text = tokenizer.decode(labeled)
    expected = answer + tokenizer.eos_token
    if not text.startswith(expected) or text[len(expected) :].strip():
        raise ValueError(
            f"labels not masked to the answer: the loss would be computed on {text!r} "
            f"({len(labeled)} tokens), expected {expected!r} and at most a line break"
        )


def make_collator(processor, data_dir: Path, mask_prompt: bool = True):
    pad_id = processor.tokenizer.pad_token_id

    def collate(records: list[dict]) -> dict:
        import torch

        examples = []
        for record in records:
            example = encode(processor, record, data_dir, mask_prompt)
            check_labels(processor, example, record["answers"][0])
            examples.append(example)
        length = max(len(e["input_ids"]) for e in examples)

        def pad(key, value):
            return torch.stack([torch.nn.functional.pad(e[key], (0, length - len(e[key])), value=value) for e in examples])

        batch = {
            "input_ids": pad("input_ids", pad_id),
            "attention_mask": pad("attention_mask", 0),
            "labels": pad("labels", IGNORE),
        }
        pixels = [e["pixel_values"] for e in examples if e["n_images"]]
        if pixels:
            batch["pixel_values"] = torch.cat(pixels)
        return batch

    return collate


def lora_config(rank: int = 16):
    from peft import LoraConfig

    return LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.05, target_modules=TARGET_MODULES, task_type="CAUSAL_LM")


def qlora_quantization():
    """QLoRA: the frozen base model stored in 4-bit NormalFloat; needs a CUDA GPU and bitsandbytes."""
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16,
    )


def trainable_outside_language_model(model) -> list[str]:
    return [name for name, p in model.named_parameters() if p.requires_grad and "language_model" not in name]


def finetune(data: Path, model_dir: str, out_dir: Path, max_steps: int = 2, qlora: bool = False, mask_prompt: bool = True):
    import torch
    from datasets import Dataset
    from transformers import AutoModelForImageTextToText, AutoProcessor
    from trl import SFTConfig, SFTTrainer

    processor = AutoProcessor.from_pretrained(model_dir)
    quantization = qlora_quantization() if qlora else None
    model = AutoModelForImageTextToText.from_pretrained(model_dir, dtype="auto", quantization_config=quantization)
    args = SFTConfig(
        output_dir=str(out_dir),
        max_steps=max_steps,
        per_device_train_batch_size=2,
        gradient_accumulation_steps=1,
        learning_rate=2e-4,
        lr_scheduler_type="constant",
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
        use_cpu=not torch.cuda.is_available(),
        remove_unused_columns=False,  # the collator needs the raw records
        dataset_kwargs={"skip_prepare_dataset": True},  # the collator tokenizes
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(read_records(data)),
        data_collator=make_collator(processor, data.parent, mask_prompt),
        processing_class=processor,
        peft_config=lora_config(),
    )
    stray = trainable_outside_language_model(trainer.model)
    if stray:
        raise ValueError(f"only the language model's adapters should train, but these do too: {stray[:5]}")
    trainer.train()
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    if not losses or not all(math.isfinite(loss) for loss in losses):
        raise ValueError(f"training losses not finite: {losses}")
    trainer.model.save_pretrained(out_dir)  # the adapter only: a few hundred kilobytes here
    return trainer, losses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="LoRA fine-tuning on a JSONL set made by lab.make_data.")
    parser.add_argument("data", help="a .jsonl training file")
    parser.add_argument("--model", required=True, help="a local checkpoint folder or Hub name")
    parser.add_argument("--out", required=True, help="folder for the adapter")
    parser.add_argument("--max-steps", type=int, default=2)
    parser.add_argument("--qlora", action="store_true", help="load the base model in 4 bits (CUDA GPU only)")
    args = parser.parse_args(argv)
    trainer, losses = finetune(Path(args.data), args.model, Path(args.out), args.max_steps, args.qlora)
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in trainer.model.parameters())
    print(f"trainable parameters: {trainable:,} of {total:,} ({100 * trainable / total:.2f}%)")
    print("losses:", ", ".join(f"{loss:.3f}" for loss in losses))
    print(f"adapter saved to {args.out}")


if __name__ == "__main__":
    main()
