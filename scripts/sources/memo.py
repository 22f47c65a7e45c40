"""Results of slow per-page readings, kept between runs in the build's cache folder and keyed by a
hash of everything they depend on (the page's text, the data files, the code that computed them),
so `make check` redoes only the pages that changed. No rules live here."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from scripts.sources.project import cache_dir


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def files_digest(paths: list[Path]) -> str:
    return digest(*(p.read_bytes() if p.is_file() else b"" for p in paths))


class Memo:
    """A dict of results by key, loaded from and saved to one pickle file per kind."""

    def __init__(self, root: Path, kind: str, salt: str):
        self.path = cache_dir(root) / f"memo-{kind}.pickle"
        self.salt = salt
        try:
            stored = pickle.loads(self.path.read_bytes())
        except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ImportError):
            stored = {}
        self.stored = stored if isinstance(stored, dict) else {}
        self.used: dict = {}

    def get(self, text: str, compute):
        key = digest(self.salt, text)
        if key in self.used:
            return self.used[key]
        value = self.stored[key] if key in self.stored else compute()
        self.used[key] = value
        return value

    def save(self) -> None:
        if set(self.used) == set(self.stored):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.used))
        except OSError:
            pass  # a read-only checkout computes every time
