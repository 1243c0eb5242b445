"""Run every benchmark, one after another: ``python benchmarks/run.py [--quick]``.

Each prints its figures as ratios against a baseline measured in the same process.
``--quick`` passes ``--quick`` to the benchmarks that accept it (smaller inputs, for a smoke run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    extra = sys.argv[1:]
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        args = [sys.executable, str(script)]
        if "--quick" in extra:
            help_text = subprocess.run(args + ["--help"], capture_output=True, text=True, cwd=HERE).stdout
            if "--quick" in help_text:
                args.append("--quick")
        status |= subprocess.run(args, cwd=HERE).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
