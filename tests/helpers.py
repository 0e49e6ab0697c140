"""Shared helpers for the tests: run the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_SPEC = ROOT / "examples" / "self-inspection-2021.yaml"
SMALL_SPEC = ROOT / "examples" / "work-area-2023-small.yaml"
REFERENCE_DOC = ROOT / "tests" / "corpus" / "reference-2021.txt"  # copy of shared/reference


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DRAFTER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY")}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, input=input, timeout=120)
