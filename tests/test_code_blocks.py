"""The guide's Python examples: every block compiles (scripts/checks/markdown.py, run by make check),
and every block that declares it needs nothing beyond the standard library runs, printing exactly
the output block that follows it in the text."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from scripts.checks.markdown import check_python_blocks
from scripts.sources.markdown import code_blocks, doc_pages
from scripts.sources.project import DOCS, rel

RUNNABLE = "# Runs as is: standard library only."


def runnable_blocks():
    found = []
    for path in doc_pages(DOCS):
        blocks = code_blocks(path.read_text(encoding="utf-8"))
        for i, block in enumerate(blocks):
            if block.lang in ("python", "py") and block.code.startswith(RUNNABLE):
                following = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1].lang == "text" else None
                found.append(pytest.param(block, following, id=f"{rel(path)}:{block.line}"))
    return found


@pytest.mark.parametrize(
    ("block", "expected"), runnable_blocks() or [pytest.param(None, None, marks=pytest.mark.skip("no runnable block"))]
)
def test_runnable_examples_print_what_the_text_shows(block, expected):
    proc = subprocess.run([sys.executable, "-I", "-c", block.code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"the example at line {block.line} failed:\n{proc.stderr}"
    if expected is not None:
        assert proc.stdout == expected.code, f"the output block after line {block.line} differs from what the code prints"


def test_a_block_that_does_not_compile_fails_with_its_line(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(
        textwrap.dedent("""\
        # Page

        ```python
        x = 1
        print(x
        ```
        """)
    )
    (problem,) = check_python_blocks(docs)
    assert str(problem).startswith(f"{rel(docs / 'page.md')}:5: Python code block does not compile") or ":6: " in str(problem), (
        problem
    )


def test_blocks_inside_admonitions_are_read_without_their_indent():
    (block,) = code_blocks('!!! example\n\n    ```python\n    print("hi")\n    ```\n')
    assert block.lang == "python" and block.code == 'print("hi")\n'
