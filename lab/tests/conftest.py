"""Shared fixtures: one tiny model and one data set per session, built locally without downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab import make_data, tiny_model


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    return tiny_model.build(tmp_path_factory.mktemp("tiny-llava"))


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data")
    make_data.main([str(out), "--split", "eval", "--n", "8", "--seed", "0"])
    make_data.main([str(out), "--split", "train", "--n", "8", "--seed", "1"])
    return out


@pytest.fixture(scope="session")
def processor(model_dir):
    from transformers import AutoProcessor

    return AutoProcessor.from_pretrained(model_dir)
