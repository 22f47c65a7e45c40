"""A tiny LLaVA with random weights, its tokenizer and its processor, all made locally.

The lab's tests run every step on this model, because CI machines cannot download weights. It has
a real architecture (a CLIP vision encoder, the two-layer MLP projector of LLaVA-1.5 and a Llama
language model) at toy sizes, so shapes, formats, masks and the training loop are exercised; its
answers are noise.

    python -m lab.tiny_model runs/tiny-llava
"""

from __future__ import annotations

import argparse
from pathlib import Path

# A ChatML chat format with the turn markers of Qwen's templates: each turn between <|im_start|>
# and <|im_end|>, each image as one <image> placeholder, which the processor expands to as many
# copies as the encoder produces visual tokens.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' }}"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}{{ '<image>\n' }}"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}"
    "{{ '<|im_end|>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>"]
# A 112-pixel input in 14-pixel patches: 8 x 8 = 64 visual tokens per image (LLaVA-1.5: 336 pixels,
# 576 tokens), which keeps every step fast on a CPU.
IMAGE_SIZE, PATCH_SIZE = 112, 14
CORPUS = [
    "What is the value of the bar labeled B? Answer with a number.",
    "What is the total on this receipt? Answer with a number.",
    "Which label has the highest bar? Answer with one word.",
    "What is the name of the shop on this receipt?",
    "What is 7 plus 5? Answer with a number.",
    "0123456789 .,:;!?-+%$()[]{}\"' abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ",
]


def make_tokenizer(chat_template: str = CHAT_TEMPLATE):
    """A byte-level BPE tokenizer trained on a few sentences: it encodes any text, like Qwen's."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    core.train_from_iterator(CORPUS * 4, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL_TOKENS[1:],
    )
    tokenizer.chat_template = chat_template
    return tokenizer


def make_processor(chat_template: str = CHAT_TEMPLATE):
    from transformers import CLIPImageProcessorPil, LlavaProcessor

    tokenizer = make_tokenizer(chat_template)
    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}
    )
    return LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        patch_size=PATCH_SIZE,
        vision_feature_select_strategy="default",  # drop the encoder's CLS token, as LLaVA-1.5 does
        num_additional_image_tokens=1,
        chat_template=chat_template,
    )


def make_model(tokenizer, seed: int = 0):
    import torch
    from transformers import LlavaConfig, LlavaForConditionalGeneration

    torch.manual_seed(seed)
    ids = tokenizer.convert_tokens_to_ids
    config = LlavaConfig(
        vision_config={
            "model_type": "clip_vision_model",
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": IMAGE_SIZE,
            "patch_size": PATCH_SIZE,
            "projection_dim": 32,
        },
        text_config={
            "model_type": "llama",
            "vocab_size": len(tokenizer),
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "max_position_embeddings": 1024,
            "bos_token_id": ids("<|endoftext|>"),
            "eos_token_id": ids("<|im_end|>"),
            "pad_token_id": ids("<|endoftext|>"),
        },
        image_token_id=ids("<image>"),
        vision_feature_select_strategy="default",
        vision_feature_layer=-1,
    )
    model = LlavaForConditionalGeneration(config)
    model.generation_config.eos_token_id = ids("<|im_end|>")
    model.generation_config.pad_token_id = ids("<|endoftext|>")
    return model


def build(out_dir: str | Path, chat_template: str = CHAT_TEMPLATE) -> Path:
    """Save a tiny model and its processor where from_pretrained can load them."""
    out = Path(out_dir)
    processor = make_processor(chat_template)
    model = make_model(processor.tokenizer)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="folder to write the model and processor into")
    args = parser.parse_args(argv)
    out = build(args.out_dir)
    print(f"tiny LLaVA written to {out}")


if __name__ == "__main__":
    main()
