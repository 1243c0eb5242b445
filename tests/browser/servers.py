"""Real ``streamlit run app.py`` servers for the browser tests, each on a free loopback port with
its own settings, and the Chromium that drives them.

``with running(tmp_path, EVALUASI_AUTH_MODE="local") as server:`` starts a fresh server process
(``server.url``, ``server.proc``, ``server.log``) and stops it afterwards; ``chromium(pw)`` launches
Debian's Chromium through Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT = 90  # seconds for a server to answer
STEP_TIMEOUT = 90_000  # milliseconds for one step in the browser


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.proc.poll() is None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"streamlit did not answer {url} within {START_TIMEOUT} s:\n{log.read_text(errors='replace')}")


@contextmanager
def running(folder: Path, **settings: str) -> Iterator[Server]:
    """A fresh server with the environment's settings plus ``settings``; its data folder is
    ``folder / "var"`` unless ``DATABASE_URL`` is given. Started from the repository root with the
    README's command, so ``.streamlit/config.toml`` applies."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("EVALUASI_")}
    env.update(EVALUASI_DATA_DIR=str(folder / "var"), EVALUASI_AUTH_MODE="none", PYTHONUNBUFFERED="1")
    env.update(settings)
    log = folder / f"streamlit_{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/_stcore/health", proc, log)
        yield Server(f"http://127.0.0.1:{port}", proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def chromium(pw):
    """Debian's Chromium, headless."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def context(browser):
    """A browser context (its own cookies) with an Indonesian locale and a wide window."""
    return browser.new_context(viewport={"width": 1440, "height": 1200}, locale="id-ID")


def new_page(ctx):
    """A new page of ``ctx`` with the tests' step timeout."""
    page = ctx.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    return page
