"""Steps 2 to 4 on the tiny model: baseline evaluation, label masking, two LoRA steps, the adapter
saved and loaded, re-evaluation and the text-only forgetting check. The tiny model's answers are
noise: these tests check shapes, formats, masks and the training loop, not quality."""

from __future__ import annotations

import json
import math

import pytest
import torch

from lab import evaluate, finetune, tiny_model
from lab.make_data import read_records

BROKEN_GENERATION_PROMPT = tiny_model.CHAT_TEMPLATE.replace("'<|im_start|>assistant\n'", "'<|im_start|>model\n'")
NO_IMAGE_PLACEHOLDER = tiny_model.CHAT_TEMPLATE.replace("{{ '<image>\n' }}", "")


@pytest.fixture(scope="module")
def trained(model_dir, data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("adapter")
    trainer, losses = finetune.finetune(data_dir / "train.jsonl", str(model_dir), out, max_steps=2)
    return trainer, losses, out


def test_the_processor_expands_the_image_to_its_visual_tokens(processor, data_dir):
    record = read_records(data_dir / "eval.jsonl")[0]
    example = finetune.encode(processor, record, data_dir)
    image_id = processor.tokenizer.convert_tokens_to_ids(processor.image_token)
    assert int((example["input_ids"] == image_id).sum()) == 64  # (112 / 14) ** 2 patches
    assert tuple(example["pixel_values"].shape) == (1, 3, 112, 112)


def test_baseline_evaluation_reports_every_task_with_an_interval(model_dir, data_dir, tmp_path, capsys):
    out = tmp_path / "base.json"
    evaluate.main([str(data_dir / "eval.jsonl"), "--model", str(model_dir), "--out", str(out)])
    report = json.loads(out.read_text())
    assert set(report["summary"]) == {"chart-count", "chart-value", "receipt-shop", "text-arithmetic"}
    for task in report["summary"].values():
        low, high = task["ci95"]
        assert task["n"] == 2 and 0.0 <= low <= task["mean"] <= high <= 1.0
    assert all(isinstance(row["prediction"], str) for row in report["predictions"])
    assert "95% CI" in capsys.readouterr().out


def test_labels_cover_the_answer_and_nothing_else(processor, data_dir):
    for record in read_records(data_dir / "train.jsonl"):
        example = finetune.encode(processor, record, data_dir)
        finetune.check_labels(processor, example, record["answers"][0])
        labeled = example["labels"][example["labels"] != finetune.IGNORE]
        assert processor.tokenizer.decode(labeled).startswith(record["answers"][0] + "<|im_end|>")


def test_unmasked_labels_stop_the_run_with_a_clear_message(processor, data_dir):
    record = read_records(data_dir / "train.jsonl")[0]
    example = finetune.encode(processor, record, data_dir, mask_prompt=False)
    with pytest.raises(ValueError, match="labels not masked"):
        finetune.check_labels(processor, example, record["answers"][0])


@pytest.mark.parametrize(
    ("template", "message"),
    [(BROKEN_GENERATION_PROMPT, "is not the start of the conversation"), (NO_IMAGE_PLACEHOLDER, "0 image placeholders")],
    ids=["generation-prompt-differs", "image-placeholder-missing"],
)
def test_a_wrong_chat_template_stops_the_run_with_a_clear_message(data_dir, template, message):
    assert template != tiny_model.CHAT_TEMPLATE
    processor = tiny_model.make_processor(template)
    record = read_records(data_dir / "train.jsonl")[0]  # a chart: it has an image
    with pytest.raises(ValueError, match=message):
        finetune.encode(processor, record, data_dir)


def test_two_lora_steps_train_only_language_model_adapters(trained):
    trainer, losses, out = trained
    assert len(losses) == 2 and all(math.isfinite(loss) for loss in losses)
    trainable = [name for name, p in trainer.model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in name and "language_model" in name for name in trainable)
    assert not any("vision_tower" in name or "projector" in name for name in trainable)
    changed = [p for name, p in trainer.model.named_parameters() if "lora_B" in name and p.abs().sum() > 0]
    assert changed, "LoRA's B matrices start at zero; two steps must have moved them"
    assert (out / "adapter_model.safetensors").is_file() and (out / "adapter_config.json").is_file()


def test_the_saved_adapter_loads_and_gives_the_same_logits(trained, model_dir, processor, data_dir):
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText

    trainer, _, out = trained
    record = read_records(data_dir / "eval.jsonl")[0]
    example = finetune.encode(processor, record, data_dir)
    inputs = {
        "input_ids": example["input_ids"][None],
        "attention_mask": example["attention_mask"][None],
        "pixel_values": example["pixel_values"],
    }
    loaded = PeftModel.from_pretrained(AutoModelForImageTextToText.from_pretrained(model_dir), out).eval()
    trained_model = trainer.model.eval()
    with torch.no_grad():
        expected = trained_model(**inputs).logits
        actual = loaded(**inputs).logits
    assert torch.allclose(expected, actual, atol=1e-5)


def test_re_evaluation_with_the_adapter_and_the_text_only_forgetting_check(trained, model_dir, data_dir, tmp_path):
    _, _, adapter = trained
    out = tmp_path / "after.json"
    args = [str(data_dir / "eval.jsonl"), "--model", str(model_dir), "--adapter", str(adapter)]
    evaluate.main([*args, "--out", str(out)])
    assert len(json.loads(out.read_text())["predictions"]) == 8
    evaluate.main([*args, "--tasks", "text-arithmetic", "--out", str(out)])
    assert set(json.loads(out.read_text())["summary"]) == {"text-arithmetic"}


def test_qlora_asks_for_4_bit_normalfloat_weights():
    config = finetune.qlora_quantization()
    assert config.load_in_4bit and config.bnb_4bit_quant_type == "nf4"


def test_the_adapter_pattern_skips_the_vision_mlp_of_qwen2_5_vl():
    """Qwen2.5-VL's vision blocks have gate_proj, up_proj and down_proj too: a plain list of module
    names would put adapters on them; the pattern selects the language model's modules only."""
    import re

    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    text = {"vocab_size": 100, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1}
    text |= {"num_attention_heads": 4, "num_key_value_heads": 2, "bos_token_id": 0, "eos_token_id": 1}
    text["rope_parameters"] = {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]}
    vision = {"depth": 1, "hidden_size": 32, "intermediate_size": 64, "num_heads": 2, "out_hidden_size": 64}
    model = Qwen2_5_VLForConditionalGeneration(Qwen2_5_VLConfig(text_config=text, vision_config=vision))
    names = [name for name, _ in model.named_modules()]
    selected = [name for name in names if re.fullmatch(finetune.TARGET_MODULES, name)]
    assert len(selected) == 7 and all(name.startswith("model.language_model.") for name in selected)
    assert any(name.startswith("model.visual.") and name.endswith(".mlp.gate_proj") for name in names)
