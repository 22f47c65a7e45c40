"""The one place where a build extension replaces a third-party internal.

Each replacement is recorded with the library version it was written for and a hash of the
source of the function it replaces. When either differs (the library was upgraded), the build
warns, and the strict build fails, until someone re-reads the new code and updates the record;
tests/hooks/test_compat.py fails in the same case.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from dataclasses import dataclass
from importlib.metadata import version

log = logging.getLogger("mkdocs.hooks.guide")


@dataclass
class Replacement:
    package: str  # the distribution, as pip names it
    written_for: str  # its version when the replacement was written
    target: str  # what is replaced, for messages
    source_sha: str  # sha256 of the replaced function's source, first 16 hex digits
    original: object
    where: str  # the hook module that holds the replacement

    def drift(self) -> list[str]:
        """What changed underneath the replacement since it was written (empty: nothing)."""
        found = []
        installed = version(self.package)
        if installed != self.written_for:
            found.append(f"{self.package} is {installed}, but the replacement was written for {self.written_for}")
        sha = source_sha(self.original)
        if sha != self.source_sha:
            found.append(f"the source of {self.target} changed (sha {sha}, recorded {self.source_sha})")
        return [
            f"{self.where}: replaces {self.target}: {what}; re-read the library's code, then update the record" for what in found
        ]


REPLACEMENTS: list[Replacement] = []


def source_sha(obj) -> str:
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


def replace(owner, name: str, new, *, package: str, written_for: str, source_sha: str, where: str):
    """Set `owner.name = new` (a module function or an object's method) and return the original."""
    original = getattr(owner, name)
    target = f"{getattr(owner, '__name__', type(owner).__name__)}.{name}"
    record = Replacement(package, written_for, target, source_sha, original, where)
    REPLACEMENTS.append(record)
    for message in record.drift():
        log.warning(message)
    setattr(owner, name, new)
    return original
