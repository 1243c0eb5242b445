"""The dataset store on SQLite and PostgreSQL: round trips, versions, statuses, atomic uploads
(injected failures and killed processes), concurrent publishers, purge and its CLI (store/datasets.py,
store/uploads.py, analysis/cli/{datasets,purge,audit}.py)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli.common import cli_actor
from analysis.core.errors import AnalysisError
from store.audit import read_audit
from store.auth import User
from store.datasets import Store
from store_rows import training, upload
from store_fixtures import cheap_hasher, db_url, run_cli, store  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
EMPTY = {"files": 0, "datasets": 0, "versions": 0, "version_data": 0, "audit_log": 0}


@pytest.mark.parametrize("n", [0, 1, 2, 500])
def test_rows_round_trip_through_the_store(store, n):
    frame = training(n, seed=n)
    vid = store.save_upload(upload(frame, source=f"file {n}".encode()), name=f"Latsar {n}", uploader="budi")
    loaded = store.load_rows(vid)
    pd.testing.assert_frame_equal(loaded, frame)
    assert loaded["kinerja_sebelum"].cat.ordered and list(loaded["kinerja_sesudah"].cat.categories)[0] == "Buruk"
    assert str(loaded["tanggal_mulai"].dtype) == "datetime64[s]"


def test_source_report_and_rejected_are_kept_byte_for_byte(store):
    source = bytes(range(256)) * 40 + b"\x00PK\x03\x04"
    report = {"kind": "training", "rows_read": 3, "score": np.float64("nan"), "when": pd.Timestamp("2025-03-12"),
              "issues": [{"row": 30, "column": "Kec.", "value": "Medan Raya", "code": "unknown_kecamatan"}]}
    up = upload(source=source, source_name="REKAP LATSAR 2025 (final).xlsx")
    up.report = lambda lang="id": report
    vid = store.save_upload(up, name="Latsar 2025", period="2025", uploader="budi")
    assert store.load_source(vid) == ("REKAP LATSAR 2025 (final).xlsx", source)
    assert store.load_report(vid) == {**report, "score": None, "when": "2025-03-12T00:00:00"}
    pd.testing.assert_frame_equal(store.load_rejected(vid), up.rejected)
    meta = store.get_version(vid)
    assert meta["source_sha256"] == hashlib.sha256(source).hexdigest()
    assert (meta["rows_read"], meta["rows_accepted"], meta["rows_rejected"]) == (6, 5, 1)
    assert (meta["sheet"], meta["header_row"], meta["uploaded_by"]) == ("Sheet1", 1, "budi")


# --------------------------------------------------------------------------- versions and files


def test_same_bytes_are_recognised_and_stored_once(store):
    first = store.save_upload(upload(), name="Latsar 2025", period="2025", uploader="budi")
    again = store.save_upload(upload(), name="Latsar 2025", period="2025", uploader="ani")
    other_name = store.save_upload(upload(), name="Latsar 2025 ulang", period="2025", uploader="ani")
    other_period = store.save_upload(upload(), name="Latsar 2025", period="2024", uploader="ani")
    assert again == first
    assert len({first, other_name, other_period}) == 3
    counts = store.counts()
    assert counts["files"] == 1 and counts["versions"] == 3
    assert sorted(store.find_file(upload().sha256)["version_id"]) == sorted([first, other_name, other_period])
    assert read_audit(store, action="upload_duplicate")["version_id"].tolist() == [first]


def test_new_content_makes_a_new_numbered_version(store):
    v1 = store.save_upload(upload(training(3), source=b"one"), name="Latsar", uploader="budi")
    v2 = store.save_upload(upload(training(4), source=b"two"), name="  Latsar ", uploader="budi")
    fb = store.save_upload(upload(training(2), source=b"one", kind="feedback"), name="Latsar", uploader="budi")
    listing = store.list_datasets().set_index("version_id")
    assert listing.loc[v1, "version_no"] == 1 and listing.loc[v2, "version_no"] == 2
    assert listing.loc[v1, "dataset_id"] == listing.loc[v2, "dataset_id"] != listing.loc[fb, "dataset_id"]
    assert store.counts()["files"] == 2


def test_archived_duplicate_is_uploaded_again(store):
    first = store.save_upload(upload(), name="Latsar", uploader="budi")
    store.archive(first, "admin")
    again = store.save_upload(upload(), name="Latsar", uploader="budi")
    assert again != first and store.get_version(again)["version_no"] == 2


@pytest.mark.parametrize(
    "change, error, match",
    [
        ({"kind": "survey"}, ValueError, "result.kind must be one of"),
        ({"source_bytes": None}, ValueError, "result.source_bytes must be bytes, got NoneType"),
        ({"sha256": "0" * 64}, ValueError, "result.sha256 does not match source_bytes"),
        ({"accepted": [1, 2]}, ValueError, "must be pandas DataFrames"),
    ],
)
def test_save_upload_checks_its_input(store, change, error, match):
    up = upload()
    for key, value in change.items():
        setattr(up, key, value)
    with pytest.raises(error, match=match):
        store.save_upload(up, name="Latsar", uploader="budi")
    assert store.counts() == EMPTY


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_dataset_needs_a_name(store, name):
    with pytest.raises(AnalysisError) as err:
        store.save_upload(upload(), name=name, uploader="budi")
    assert err.value.code == "bad_dataset_name"


# --------------------------------------------------------------------------- statuses and roles


def test_status_flow_and_what_each_role_sees(store):
    viewer, analyst, admin = User("pimpinan", "viewer"), User("budi", "analyst"), User("root", "admin")
    draft = store.save_upload(upload(source=b"draft"), name="Draf", uploader=analyst)
    public = store.save_upload(upload(source=b"pub"), name="Terbit", uploader=analyst)
    store.publish(public, analyst)
    store.publish(public, analyst)  # harmless twice
    assert store.latest_published("training") == public
    assert store.list_datasets(user=viewer)["version_id"].tolist() == [public]
    assert sorted(store.list_datasets(user=analyst)["version_id"]) == sorted([draft, public])
    assert len(store.load_rows(public, user=viewer)) == 5
    for call in (lambda: store.load_rows(draft, user=viewer), lambda: store.get_version(draft, user=viewer)):
        with pytest.raises(AnalysisError) as err:
            call()
        assert err.value.code == "not_found"
    for call in (lambda: store.load_rejected(public, user=viewer), lambda: store.load_source(public, user=viewer),
                 lambda: store.archive(public, analyst), lambda: store.save_upload(upload(), "X", uploader=viewer),
                 lambda: store.publish(draft, viewer), lambda: store.purge(1, analyst)):
        with pytest.raises(AnalysisError) as err:
            call()
        assert err.value.code == "forbidden"

    store.archive(public, admin)
    assert store.latest_published("training") is None
    assert store.list_datasets()["version_id"].tolist() == [draft]
    assert store.list_datasets(status="archived")["version_id"].tolist() == [public]
    with pytest.raises(AnalysisError) as err:
        store.publish(public, analyst)
    assert err.value.code == "archived"
    assert len(store.load_rows(public)) == 5  # archived hides, deletes nothing
    store.restore(public, admin)
    store.archive(draft, admin)
    store.restore(draft, admin)
    assert store.get_version(public)["status"] == "published" and store.get_version(draft)["status"] == "draft"
    actions = read_audit(store)["action"].tolist()[::-1]
    assert actions == ["upload", "upload", "publish", "archive", "restore", "archive", "restore"]


def test_list_datasets_frame(store):
    empty = store.list_datasets()
    assert empty.empty and "version_id" in empty.columns
    store.save_upload(upload(), name="Latsar", period="2025", uploader="budi", publish=True)
    frame = store.list_datasets(status=["published"], kind="training")
    assert frame.loc[0, "status"] == "published" and frame.loc[0, "published_by"] == "budi"
    assert str(frame["uploaded_at"].dtype).startswith("datetime64") and frame["uploaded_at"].dt.tz is not None
    assert store.list_datasets(kind="feedback").empty
    with pytest.raises(ValueError, match="status must be among"):
        store.list_datasets(status="deleted")
    with pytest.raises(ValueError, match="kind must be one of"):
        store.list_datasets(kind="survey")


def test_empty_version_cannot_be_published(store):
    vid = store.save_upload(upload(training(0)), name="Kosong", uploader="budi")
    with pytest.raises(AnalysisError) as err:
        store.publish(vid, "budi")
    assert err.value.code == "empty_dataset"
    with pytest.raises(AnalysisError):
        store.save_upload(upload(training(0), source=b"other"), name="Kosong 2", uploader="budi", publish=True)
    assert store.counts()["versions"] == 1  # the failed save-and-publish left nothing


@pytest.mark.parametrize("call", ["publish", "archive", "restore", "load_rows", "load_source", "get_version"])
def test_unknown_version(store, call):
    method = getattr(store, call)
    with pytest.raises(AnalysisError) as err:
        method(99) if call.startswith(("load", "get")) else method(99, "root")
    assert err.value.code == "not_found"


# --------------------------------------------------------------------------- atomic uploads


@pytest.mark.parametrize("point", ["file_saved", "version_saved", "before_commit"])
def test_failure_mid_upload_leaves_nothing(store, monkeypatch, point):
    def fail(self, name):
        if name == point:
            raise RuntimeError(f"injected at {name}")

    monkeypatch.setattr(Store, "_checkpoint", fail)
    with pytest.raises(RuntimeError, match="injected"):
        store.save_upload(upload(), name="Latsar", uploader="budi", publish=True)
    assert store.counts() == EMPTY
    monkeypatch.undo()
    vid = store.save_upload(upload(), name="Latsar", uploader="budi", publish=True)
    assert store.get_version(vid)["version_no"] == 1


def test_failure_keeps_a_file_other_versions_use(store, monkeypatch):
    store.save_upload(upload(), name="Latsar", uploader="budi")
    monkeypatch.setattr(Store, "_checkpoint", lambda self, name: (_ for _ in ()).throw(RuntimeError(name)))
    with pytest.raises(RuntimeError):
        store.save_upload(upload(), name="Latsar lain", uploader="budi")
    assert {k: store.counts()[k] for k in ("files", "datasets", "versions")} == {"files": 1, "datasets": 1,
                                                                               "versions": 1}


CHILD = """
import sys, time
from store.datasets import Store
from store.uploads import sample_upload
import pandas as pd, numpy as np
url, point = sys.argv[1], sys.argv[2]
def checkpoint(self, name):
    if name == point:
        print("ready", flush=True)
        time.sleep(120)
Store._checkpoint = checkpoint
frame = pd.DataFrame({"nip": [str(10**17 + i) for i in range(20000)], "nilai": np.arange(20000.0)})
Store(url).save_upload(sample_upload(frame, source_bytes=b"big" * 100000), name="Dibunuh", period="2025",
                       uploader="budi", publish=True)
print("finished", flush=True)
"""


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize("point", ["file_saved", "before_commit"])
def test_killed_process_mid_publish_leaves_nothing(db_url, point):  # noqa: F811
    store = Store(db_url)
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, point], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=_env(), text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read()
        started = time.perf_counter()
        assert store.counts() == EMPTY  # readers are not blocked by the writer, and see nothing of it
        assert store.list_datasets().empty and time.perf_counter() - started < 5
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert store.counts() == EMPTY
    vid = store.save_upload(upload(), name="Dibunuh", period="2025", uploader="budi", publish=True)
    assert store.get_version(vid)["version_no"] == 1 and store.counts()["files"] == 1
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()


# --------------------------------------------------------------------------- concurrency


def test_concurrent_publishers_in_threads_all_land(store):
    n = 6
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def analyst(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            vid = store.save_upload(upload(training(50, seed=i), source=f"file {i}".encode()),
                                    name=f"Dataset {i % 2}", uploader=f"analis{i}")
            store.publish(vid, f"analis{i}")
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=analyst, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    listing = store.list_datasets(status="published")
    assert len(listing) == n
    assert sorted(listing.groupby("name")["version_no"].apply(sorted).tolist()) == [[1, 2, 3], [1, 2, 3]]
    assert read_audit(store)["action"].value_counts().to_dict() == {"upload": n, "publish": n}


PUBLISHER = """
import sys, time
from store.datasets import Store
from store.uploads import sample_upload
import pandas as pd
import os
url, me, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = Store(url)
print("waiting", flush=True)
while not os.path.exists(go):
    time.sleep(0.002)
for k in range(3):
    frame = pd.DataFrame({"nip": [f"{me}-{k}-{i}" for i in range(2000)], "nilai": range(2000)})
    store.save_upload(sample_upload(frame, source_bytes=f"{me}/{k}".encode()), name="Bersama",
                      uploader=f"analis{me}", publish=True)
print("ok", flush=True)
"""


def test_concurrent_publishers_in_processes_all_land(db_url, tmp_path):  # noqa: F811
    Store(db_url).close()  # tables first, so the children race on data, not on DDL
    go = tmp_path / "go"
    children = [subprocess.Popen([sys.executable, "-c", PUBLISHER, db_url, str(i), str(go)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), text=True)
                for i in range(3)]
    for child in children:  # all started and connected: then let them go at once
        assert child.stdout.readline().strip() == "waiting", child.stderr.read()
    go.touch()
    outputs = [c.communicate(timeout=120) for c in children]
    assert [c.returncode for c in children] == [0, 0, 0], [err for _, err in outputs]
    store = Store(db_url)
    listing = store.list_datasets(status="published")
    assert sorted(listing["version_no"]) == list(range(1, 10))
    assert listing["dataset_id"].nunique() == 1 and store.counts()["files"] == 9
    store.close()


# --------------------------------------------------------------------------- purge


def test_purge_removes_dataset_and_orphan_files_only(store):
    shared = upload(source=b"shared")
    keep = store.save_upload(shared, name="Tetap", uploader="budi")
    v1 = store.save_upload(shared, name="Hapus", uploader="budi")
    v2 = store.save_upload(upload(training(3), source=b"own"), name="Hapus", uploader="budi")
    dataset = store.get_version(v1)["dataset_id"]
    with pytest.raises(AnalysisError):
        store.purge(dataset, "root", version_id=keep)  # not part of that dataset
    result = store.purge(dataset, "root", version_id=v2)
    assert (result["versions"], result["files"], result["dataset_deleted"]) == (1, 1, False)
    result = store.purge(dataset, "root")
    assert (result["versions"], result["files"], result["dataset_deleted"]) == (1, 0, True)
    assert store.list_datasets(status=None)["version_id"].tolist() == [keep]
    assert store.load_source(keep)[1] == b"shared"
    log = read_audit(store, action="purge")
    assert log["dataset_id"].tolist() == [dataset, dataset] and log["actor"].tolist() == ["root", "root"]
    with pytest.raises(AnalysisError) as err:
        store.purge(dataset, "root")
    assert err.value.code == "not_found"


@pytest.mark.parametrize("mode", ["local", "oidc"])
def test_purge_cli_is_the_server_administrators_and_audited(store, db_url, run_cli, monkeypatch, mode):  # noqa: F811
    """The command line asks for no app password (it holds the database); it asks for --yes and is
    audited under the OS user, and the audit entry outlives the data."""
    vid = store.save_upload(upload(), name="Latsar", uploader="budi", publish=True)
    dataset = str(store.get_version(vid)["dataset_id"])
    db = ["--database-url", db_url, "--json"]
    monkeypatch.setenv("EVALUASI_AUTH_MODE", mode)
    with pytest.raises(SystemExit):
        run_cli(["purge", dataset, "--yes", "--admin", "root", *db])  # the pretend check is gone
    code, out, _ = run_cli(["purge", dataset, *db])  # stdin is empty and no terminal: nothing is asked
    assert code == 2 and json.loads(out)["error"]["code"] == "confirm_required"
    assert store.counts()["versions"] == 1
    code, out, _ = run_cli(["purge", dataset, "--yes", *db])
    assert code == 0 and json.loads(out)["versions"] == 1
    assert store.counts()["versions"] == 0
    entry = read_audit(store, action="purge").iloc[0]
    assert entry["actor"] == cli_actor() and entry["dataset_id"] == int(dataset)
    code, out, _ = run_cli(["audit", "--action", "purge", *db])
    assert code == 0 and json.loads(out)["audit"][0]["action"] == "purge"


def test_purge_cli_in_mode_none_and_datasets_commands(store, db_url, run_cli, monkeypatch):  # noqa: F811
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "none")
    vid = store.save_upload(upload(), name="Latsar", uploader="budi")
    db = ["--database-url", db_url]
    code, out, _ = run_cli(["datasets", "publish", str(vid), *db, "--json"])
    assert code == 0 and json.loads(out) == {"version_id": vid, "status": "published"}
    code, out, _ = run_cli(["datasets", "archive", str(vid), *db])
    assert code == 0 and out.strip() == f"{vid}: archived"
    code, out, _ = run_cli(["datasets", "list", *db, "--json"])
    assert json.loads(out) == {"datasets": []}
    code, out, _ = run_cli(["datasets", "list", "--all", *db])
    assert code == 0 and "Latsar" in out and "archived" in out
    code, out, _ = run_cli(["audit", *db, "--lang", "en"])
    assert code == 0 and "archive" in out and "cli:" in out
    code, out, _ = run_cli(["purge", str(store.get_version(vid)["dataset_id"]), "--yes", *db])
    assert code == 0 and "1 versi" in out
    assert read_audit(store, action="purge")["actor"].iloc[0].startswith("cli:")
