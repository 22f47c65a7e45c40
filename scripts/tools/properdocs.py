"""The guide built with ProperDocs in place of MkDocs (`make properdocs`; a scheduled workflow runs it).

ProperDocs is a maintained fork of MkDocs 1.x: the same configuration (it reads mkdocs.yml), the
same plugin and theme entry points, and an import alias so that code written against `mkdocs.*`
(Material, mkdocs-bibtex, print-site, the guide's hooks) runs on it unchanged. This tool checks
that claim on the guide itself, without touching the project's lock or .venv:

1. A throwaway virtual environment (.cache/properdocs/venv, made anew each run) gets exactly the
   locked runtime dependencies (`uv export`) except MkDocs, installed without their dependencies
   so that nothing pulls MkDocs back in, plus ProperDocs.
2. The strict build (scripts/tools/build.py: source checks, `properdocs build --strict`, any
   warning fails, then the built-HTML checks) runs in that environment.
3. With --compare, the same build with MkDocs (.venv) runs too, and the pages whose HTML differs
   are listed (the generator's own name and version in each page's <meta name="generator"> aside).

It prints what breaks, if anything, and exits 1 when the ProperDocs build fails.

Usage: python -m scripts.tools.properdocs [--version 1.6.7] [--uv PATH] [--compare]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.sources.project import ROOT

VERSION = "1.6.7"
VENV = ROOT / ".cache" / "properdocs" / "venv"
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def make_venv(uv: str, version: str, python: str) -> Path:
    """The throwaway environment: the lock's runtime packages less MkDocs, plus ProperDocs."""
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([uv, "venv", "--quiet", "--python", python, str(VENV)], check=True)
    exported = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", "--quiet"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    requirements = [line for line in exported.splitlines() if not re.match(r"mkdocs==", line)]
    reqs = VENV / "requirements.txt"
    reqs.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    py = VENV / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(py), "--no-deps", "-r", str(reqs)], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(py), f"properdocs=={version}"], check=True)
    return py


def strict_build(python: Path, generator: str, site: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [str(python), "-m", "scripts.tools.build", "--generator", generator, "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return proc.returncode, proc.stdout + proc.stderr


def differing_pages(a: Path, b: Path) -> list[str]:
    """HTML pages present in only one site, or whose bytes differ (the generator meta tag aside)."""
    pages_a = {p.relative_to(a).as_posix() for p in a.rglob("*.html")}
    pages_b = {p.relative_to(b).as_posix() for p in b.rglob("*.html")}
    out = [f"{p}: only in the ProperDocs build" for p in sorted(pages_a - pages_b)]
    out += [f"{p}: only in the MkDocs build" for p in sorted(pages_b - pages_a)]
    for page in sorted(pages_a & pages_b):
        if _GENERATOR.sub(b"", (a / page).read_bytes()) != _GENERATOR.sub(b"", (b / page).read_bytes()):
            out.append(f"{page}: differs")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", default=VERSION, help=f"ProperDocs version (default {VERSION})")
    ap.add_argument("--uv", default=shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv"))
    ap.add_argument("--python", default=sys.executable, help="the interpreter for the throwaway environment")
    ap.add_argument("--compare", action="store_true", help="also build with MkDocs and list the pages that differ")
    args = ap.parse_args(argv)
    print(f"properdocs: installing ProperDocs {args.version} and the locked plugins into {VENV.relative_to(ROOT)}")
    python = make_venv(args.uv, args.version, args.python)
    installed = subprocess.run([str(python), "-m", "properdocs", "--version"], capture_output=True, text=True)
    print(f"properdocs: {(installed.stdout or installed.stderr).strip()}")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site-properdocs"
        code, output = strict_build(python, "properdocs", site)
        print(output.rstrip())
        if code != 0:
            print(f"properdocs: the strict build with ProperDocs {args.version} FAILS (the problems above)")
            return 1
        print(f"properdocs: the strict build with ProperDocs {args.version} passes, built-HTML checks included")
        if args.compare:
            reference = Path(tmp) / "site-mkdocs"
            code, output = strict_build(Path(sys.executable), "mkdocs", reference)
            if code != 0:
                print(output.rstrip())
                print("properdocs: the MkDocs build failed; nothing to compare")
                return 1
            diffs = differing_pages(site, reference)
            for line in diffs:
                print(f"  {line}")
            print(f"properdocs: {len(diffs)} page(s) differ from the MkDocs build (the generator meta tag aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
