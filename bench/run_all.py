"""Run every benchmark in bench/ in turn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name not in {"run_all.py", "harness.py", "__init__.py"}:
        print(f"\n##### {script.name}", flush=True)
        subprocess.run([sys.executable, str(script)], check=True)
