"""Reading a file through the intake in a child process whose address space is capped, so a file
that would make the reader allocate gigabytes fails the test instead of the machine. Shared by the
hostile-file and sheet-extent tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys
limit = int(sys.argv[2]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from analysis.core.errors import AnalysisError
from analysis.intake.pipeline import read_file
try:
    res = read_file(sys.argv[1])
    print(json.dumps({"rows_read": res.rows_read}))
except AnalysisError as err:
    print(json.dumps({"code": err.code, "message": err.message("en")}))
"""


def read_capped(path: Path, limit_mb: int = 2048, timeout: float = 120) -> dict:
    """Read ``path`` with ``read_file`` in a child capped at ``limit_mb`` of address space (the
    ``EVALUASI_MAX_*`` limits of the environment left out); its outcome as ``{"rows_read"}`` or
    ``{"code", "message"}``. The child must end normally, without a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVALUASI_MAX_")}
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(limit_mb)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"the reader died ({proc.returncode}): {proc.stderr[-800:]}"
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
