"""Where datasets live: uploaded files, immutable dataset versions, their rows (issue 5).

One database holds everything (SQLAlchemy 2 Core): an embedded SQLite file in the data folder by
default (``EVALUASI_DATA_DIR``), or PostgreSQL when ``DATABASE_URL`` names one (several app
servers). What it keeps:

``files``
    Each uploaded file byte for byte with its SHA-256. The same bytes uploaded again are
    recognised and stored once.
``datasets``
    A name per kind (``training``, ``feedback``, ``mentoring``, ``events``), e.g. "Latsar 2025".
``versions`` and ``version_data``
    Each upload of a dataset is a new, immutable version: period, source file, uploader, time,
    row counts, the validation report (JSON), the accepted rows and the rejected rows (Parquet
    bytes, which load at the speed of ``pd.read_parquet`` and keep every pandas dtype, ordered
    Categoricals and datetimes included). Only its status moves: ``draft`` → ``published`` →
    ``archived`` (archiving hides; :meth:`Store.restore` brings it back). Nothing is deleted
    except by :meth:`Store.purge`, which only the admin CLI calls, and which is audited.

An upload is one transaction: the file, the version, its rows and the audit entry commit together
or not at all, so a failure or a killed process leaves neither a half dataset nor an orphan file.
SQLite runs in WAL mode with a busy timeout and takes the write lock at the start of a write
transaction (``BEGIN IMMEDIATE``), so concurrent publishers queue instead of failing; PostgreSQL
locks the dataset row while it numbers a new version.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, make_url

from analysis.core import roles
from store import audit
from store import auth
from analysis.core.errors import AnalysisError
from analysis.core.kinds import KINDS

STATUSES = ("draft", "published", "archived")
VISIBLE = ("draft", "published")
MAX_NAME = 200
_CODEC = b"evaluasi:frame"
_SCHEMA_LOCK = 0x45564131  # PostgreSQL advisory lock held while creating tables

metadata = MetaData()

files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("first_name", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("data", LargeBinary, nullable=False),  # last, so listing never reads it
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(MAX_NAME), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    UniqueConstraint("kind", "name", name="uq_datasets_kind_name"),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False, index=True),
    Column("version_no", Integer, nullable=False),
    Column("period", String(100), nullable=True),
    Column("file_id", Integer, ForeignKey("files.id"), nullable=False, index=True),
    Column("source_name", String(255), nullable=False),
    Column("sheet", String(255), nullable=True),
    Column("header_row", Integer, nullable=True),
    Column("rows_read", Integer, nullable=False),
    Column("rows_accepted", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("uploaded_by", String(255), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("published_by", String(255), nullable=True),
    Column("published_at", DateTime, nullable=True),
    Column("archived_by", String(255), nullable=True),
    Column("archived_at", DateTime, nullable=True),
    UniqueConstraint("dataset_id", "version_no", name="uq_versions_dataset_no"),
    CheckConstraint("status IN ('draft', 'published', 'archived')", name="ck_versions_status"),
)

version_data = Table(
    "version_data",
    metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("report_json", Text, nullable=False),
    Column("rows_parquet", LargeBinary, nullable=False),
    Column("rejected_parquet", LargeBinary, nullable=False),
)

LIST_COLUMNS = [
    "version_id", "dataset_id", "version_no", "kind", "name", "period", "status",
    "source_name", "source_sha256", "source_size", "sheet", "header_row",
    "rows_read", "rows_accepted", "rows_rejected",
    "uploaded_by", "uploaded_at", "published_by", "published_at", "archived_by", "archived_at",
]


# --------------------------------------------------------------------------- frames as Parquet


def _json_label(label: Any) -> Any:
    if isinstance(label, tuple):
        return {"t": [_json_label(x) for x in label]}
    if label is None or isinstance(label, (bool, int, float, str)):
        return label
    return str(label)


def _label_back(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return tuple(_label_back(x) for x in value["t"])
    return value


def _as_text(series: pd.Series) -> pd.Series:
    values = [v if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in series.tolist()]
    return pd.Series(values, index=series.index, dtype="str", name=series.name)


def _dtype_note(series: pd.Series) -> dict:
    dtype = series.dtype
    note: dict = {"dtype": str(dtype)}
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories.tolist()
        if all(isinstance(c, (str, bool, int, float)) for c in cats):
            note["categories"] = cats
            note["ordered"] = bool(dtype.ordered)
    return note


def encode_frame(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet bytes that :func:`decode_frame` turns back into an equal frame.

    Beyond what Parquet keeps by itself, this keeps column labels that are not unique strings
    (rejected rows carry the file's own headers), the categories and order of Categoricals even
    when a frame is empty, and ``datetime64[s]`` resolution. Object columns mixing types that
    Arrow cannot hold (a number and a text in one column of rejected rows) are stored as text.

    Examples
    --------
    >>> order = pd.CategoricalDtype(["Kurang", "Baik", "Sangat Baik"], ordered=True)
    >>> df = pd.DataFrame({"nip": ["198503122010011003"], "kinerja": pd.Series(["Baik"], dtype=order),
    ...                    "tanggal": pd.to_datetime(["2025-03-12"]).astype("datetime64[s]")})
    >>> back = decode_frame(encode_frame(df))
    >>> back.equals(df), back["kinerja"].dtype == order, str(back["tanggal"].dtype)
    (True, True, 'datetime64[s]')
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    labels = list(frame.columns)
    renamed = not (all(isinstance(c, str) for c in labels) and len(set(labels)) == len(labels))
    work = frame.copy(deep=False)
    if renamed:
        work.columns = [f"c{i}" for i in range(len(labels))]
    notes = [_dtype_note(work.iloc[:, i]) for i in range(work.shape[1])]
    texted: list[int] = []
    try:
        table = pa.Table.from_pandas(work, preserve_index=None)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        for i in range(work.shape[1]):
            column = work.iloc[:, i]
            if column.dtype == object:
                try:
                    pa.array(column, from_pandas=True)
                except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                    work.isetitem(i, _as_text(column))
                    texted.append(i)
        table = pa.Table.from_pandas(work, preserve_index=None)
    manifest = {
        "v": 1,
        "labels": [_json_label(c) for c in labels] if renamed else None,
        "dtypes": notes,
        "texted": texted,
    }
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[_CODEC] = json.dumps(manifest).encode("utf-8")
    table = table.replace_schema_metadata(schema_meta)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue()


def decode_frame(data: bytes) -> pd.DataFrame:
    """The DataFrame that :func:`encode_frame` stored (see there).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2]})
    >>> decode_frame(encode_frame(df)).equals(df)
    True
    """
    buffer = pa.py_buffer(data)
    frame = pd.read_parquet(pa.BufferReader(buffer))
    raw = (pq.read_schema(pa.BufferReader(buffer)).metadata or {}).get(_CODEC)
    if raw is None:
        return frame
    manifest = json.loads(raw)
    texted = set(manifest.get("texted") or [])
    for i, note in enumerate(manifest.get("dtypes") or []):
        if i in texted or i >= frame.shape[1]:
            continue
        column = frame.iloc[:, i]
        if "categories" in note:
            dtype = pd.CategoricalDtype(note["categories"], ordered=note["ordered"])
            have = column.dtype
            if not (isinstance(have, pd.CategoricalDtype) and have.ordered == dtype.ordered
                    and have.categories.tolist() == note["categories"]):
                frame.isetitem(i, column.astype(dtype))
        elif str(column.dtype) != note["dtype"]:
            try:
                frame.isetitem(i, column.astype(pd.api.types.pandas_dtype(note["dtype"])))
            except (TypeError, ValueError):
                pass
    labels = manifest.get("labels")
    if labels is not None:
        restored = [_label_back(c) for c in labels]
        if restored and all(isinstance(c, tuple) for c in restored):
            frame.columns = pd.MultiIndex.from_tuples(restored)
        else:
            frame.columns = pd.Index(restored, dtype=object)
    return frame


# --------------------------------------------------------------------------- the store


def normalise_url(url: str) -> str:
    """SQLAlchemy URL with the installed PostgreSQL driver (psycopg 3) made explicit.

    Examples
    --------
    >>> normalise_url("postgres://u:p@db:5432/evaluasi")
    'postgresql+psycopg://u:p@db:5432/evaluasi'
    >>> normalise_url("sqlite:////srv/evaluasi/evaluasi.sqlite3")
    'sqlite:////srv/evaluasi/evaluasi.sqlite3'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sample_upload(
    accepted: pd.DataFrame | None = None,
    *,
    kind: str = "training",
    source_bytes: bytes = b"contoh isi berkas",
    source_name: str = "contoh.xlsx",
    rejected: pd.DataFrame | None = None,
) -> Any:
    """A minimal stand-in for an intake result (``analysis.intake.pipeline.read_file``), for examples and
    tests: the attributes :meth:`Store.save_upload` reads.

    Examples
    --------
    >>> up = sample_upload()
    >>> up.kind, len(up.accepted), up.report()["rows_accepted"]
    ('training', 2, 2)
    """
    from types import SimpleNamespace

    if accepted is None:
        accepted = pd.DataFrame({"nip": ["198503122010011003", "199001012015032001"],
                                 "nilai_pre": [60.0, 70.5], "nilai_post": [75.0, 80.0]})
    if rejected is None:
        rejected = pd.DataFrame({"NIP": ["1.98503122010011E+17"], "_row": [7], "_reasons": ["nip_as_number"]})
    report = {"kind": kind, "rows_read": len(accepted) + len(rejected), "rows_accepted": len(accepted),
              "rows_rejected": len(rejected), "issues": []}
    return SimpleNamespace(
        kind=kind, accepted=accepted, rejected=rejected, report=lambda lang="id": dict(report),
        source_name=source_name, source_bytes=source_bytes, sha256=hashlib.sha256(source_bytes).hexdigest(),
        rows_read=len(accepted) + len(rejected), sheet="Sheet1", header_row=1,
    )


def _version_select():
    """The columns of :data:`LIST_COLUMNS`: a version with its dataset and source file."""
    return (
        select(
            versions.c.id.label("version_id"), versions.c.dataset_id, versions.c.version_no,
            datasets.c.kind, datasets.c.name, versions.c.period, versions.c.status,
            versions.c.source_name, files.c.sha256.label("source_sha256"), files.c.size.label("source_size"),
            versions.c.sheet, versions.c.header_row, versions.c.rows_read, versions.c.rows_accepted,
            versions.c.rows_rejected, versions.c.uploaded_by, versions.c.uploaded_at,
            versions.c.published_by, versions.c.published_at, versions.c.archived_by, versions.c.archived_at,
        )
        .join(datasets, datasets.c.id == versions.c.dataset_id)
        .join(files, files.c.id == versions.c.file_id)
    )


def _not_found(version_id: Any) -> AnalysisError:
    return AnalysisError(
        "not_found",
        f"Versi dataset {version_id} tidak ada.",
        f"Dataset version {version_id} does not exist.",
    )


def _actor(user: Any, needed: str) -> str:
    """The name to record for ``user``; a user object must also hold role ``needed``.

    Plain names are trusted (the CLI and tests); the app passes its :class:`store.auth.User`.
    """
    if hasattr(user, "role"):
        roles.require_role(user, needed)
    return audit.actor_name(user)


def _is_viewer(user: Any) -> bool:
    return user is not None and hasattr(user, "role") and not roles.has_role(user, "analyst")


class Store:
    """The dataset store on one database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default ``get_settings().database_url`` (``DATABASE_URL``, else SQLite at
        ``EVALUASI_DATA_DIR/evaluasi.sqlite3``, whose folder is created, readable by its owner only).
        ``postgres://`` and ``postgresql://`` use psycopg 3.

    Methods that change something take ``user``: a name (trusted: CLI, scripts) or an
    :class:`store.auth.User`, whose role is then checked (analyst to upload and publish, admin to
    archive, restore and purge). Reading methods take an optional ``user``; a viewer sees published
    versions only and never the rejected rows or the source file.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> store = Store("sqlite://")
    >>> upload = SimpleNamespace(kind="training", accepted=pd.DataFrame({"nip": ["198503122010011003"]}),
    ...     rejected=pd.DataFrame(), report=lambda lang="id": {"rows_read": 1}, source_name="latsar.xlsx",
    ...     source_bytes=b"PK...", rows_read=1)
    >>> vid = store.save_upload(upload, name="Latsar 2025", period="2025", uploader="budi")
    >>> store.publish(vid, "budi")
    >>> store.latest_published("training") == vid
    True
    >>> store.load_rows(vid)
                      nip
    0  198503122010011003
    >>> store.load_source(vid)
    ('latsar.xlsx', b'PK...')
    """

    def __init__(self, url: str | None = None) -> None:
        if url is None:
            from analysis.core.config import get_settings

            url = get_settings().database_url
        self.url = normalise_url(str(url))
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"url must be a SQLite or PostgreSQL URL, got {parsed.drivername!r}")
        self._ensured: set[int] = set()
        self._lock = threading.Lock()
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(parsed)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        for meta in (metadata, audit.metadata, auth.metadata):
            self.ensure_tables(meta)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def _sqlite_engine(self, parsed) -> Engine:
        database = parsed.database
        on_disk = bool(database) and database != ":memory:" and not database.startswith("file:")
        if on_disk:
            path = Path(database)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                path.touch(mode=0o600)  # personal data: owner only
        engine = create_engine(self.url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            if on_disk:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            write = conn.get_execution_options().get("evaluasi_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def close(self) -> None:
        """Close the connection pool.

        Examples
        --------
        >>> Store("sqlite://").close()
        """
        self.engine.dispose()

    def ensure_tables(self, meta: MetaData) -> None:
        """Create the tables of ``meta`` once per store (other modules keep their tables apart).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> store.ensure_tables(metadata)  # already there: nothing happens
        >>> sorted(metadata.tables)
        ['datasets', 'files', 'version_data', 'versions']
        """
        if id(meta) in self._ensured:
            return
        with self._lock:
            if id(meta) not in self._ensured:
                with self.transaction() as conn:
                    if self.dialect == "postgresql":  # app servers starting together: one at a time
                        conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
                    meta.create_all(conn, checkfirst=True)
                self._ensured.add(id(meta))

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Connection]:
        """A connection inside one transaction, committed on success and rolled back on error.

        On SQLite a write transaction takes the write lock at once (``BEGIN IMMEDIATE``), waiting
        up to a minute for another writer, so two publishers queue instead of failing.

        Examples
        --------
        >>> from sqlalchemy import text
        >>> store = Store("sqlite://")
        >>> with store.transaction(write=False) as conn:
        ...     conn.execute(text("SELECT 1")).scalar()
        1
        """
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(evaluasi_write=True)
            with conn.begin():
                yield conn

    def _checkpoint(self, name: str) -> None:
        """A named point inside :meth:`save_upload`; tests replace it to inject a failure or a kill."""

    # ------------------------------------------------------------------ writing

    def save_upload(
        self,
        result: Any,
        name: str,
        period: str | None = None,
        uploader: Any = "system",
        *,
        publish: bool = False,
    ) -> int:
        """Store a read and validated upload as a new draft version; return its version id.

        Parameters
        ----------
        result : IntakeResult or alike
            Needs ``kind``, ``accepted``, ``rejected`` (DataFrames), ``report()``, ``source_name``,
            ``source_bytes``; uses ``sha256``, ``rows_read``, ``sheet``, ``header_row`` when present.
        name : str
            Dataset name, e.g. "Latsar CPNS 2025"; a new name makes a new dataset, a known one (of
            the same kind) a new version of it.
        period : str, optional
            Period the data covers, e.g. "2025" or "2025-S1".
        uploader : str or User
            Who uploads (an analyst or admin).
        publish : bool
            Publish in the same transaction.

        Returns
        -------
        int
            The version id. Uploading the same bytes again as the same dataset and period, with the
            same accepted rows, returns the existing version (unless archived) instead of a copy; the
            file itself is always stored once per SHA-256.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> first = store.save_upload(sample_upload(), name="Latsar 2025", period="2025", uploader="budi")
        >>> again = store.save_upload(sample_upload(), name="Latsar 2025", period="2025", uploader="budi")
        >>> first == again, store.counts()["files"]
        (True, 1)
        """
        who = _actor(uploader, "analyst")
        kind = getattr(result, "kind", None)
        if kind not in KINDS:
            raise ValueError(f"result.kind must be one of {', '.join(KINDS)}, got {kind!r}")
        name = " ".join(str(name or "").split())
        if not name or len(name) > MAX_NAME:
            raise AnalysisError(
                "bad_dataset_name",
                f"Beri dataset nama 1–{MAX_NAME} karakter, mis. 'Latsar CPNS 2025'.",
                f"Give the dataset a name of 1–{MAX_NAME} characters, e.g. 'Latsar CPNS 2025'.",
            )
        if period is not None:
            period = " ".join(str(period).split())[:100] or None
        source = getattr(result, "source_bytes", None)
        if not isinstance(source, (bytes, bytearray, memoryview)):
            raise ValueError(f"result.source_bytes must be bytes, got {type(source).__name__}")
        source = bytes(source)
        sha = hashlib.sha256(source).hexdigest()
        claimed = getattr(result, "sha256", None)
        if claimed and str(claimed).lower() != sha:
            raise ValueError(f"result.sha256 does not match source_bytes: {claimed!r} != {sha!r}")
        source_name = _short(str(getattr(result, "source_name", None) or "upload"), 255)
        accepted, rejected = result.accepted, result.rejected
        if not isinstance(accepted, pd.DataFrame) or not isinstance(rejected, pd.DataFrame):
            raise ValueError("result.accepted and result.rejected must be pandas DataFrames")
        report = result.report() if callable(getattr(result, "report", None)) else {}
        from analysis.core.jsonable import to_jsonable

        report_json = json.dumps(to_jsonable(report), ensure_ascii=False, allow_nan=False)
        rows_parquet = encode_frame(accepted)
        rejected_parquet = encode_frame(rejected)
        content = hashlib.sha256(report_json.encode("utf-8") + rows_parquet).hexdigest()
        rows_read = getattr(result, "rows_read", None)
        rows_read = int(rows_read) if rows_read is not None else len(accepted) + len(rejected)
        sheet = getattr(result, "sheet", None)
        if isinstance(sheet, (list, tuple)):
            sheet = ", ".join(map(str, sheet))
        header_row = getattr(result, "header_row", None)
        now = audit.utcnow()

        with self.transaction() as conn:
            file_id = self._file_id(conn, sha, source, source_name, who, now)
            self._checkpoint("file_saved")
            dataset_id = self._dataset_id(conn, kind, name, who, now)
            existing = conn.execute(
                select(versions.c.id, versions.c.status)
                .where(
                    versions.c.dataset_id == dataset_id,
                    versions.c.file_id == file_id,
                    versions.c.content_sha256 == content,
                    versions.c.status != "archived",
                    versions.c.period.is_(None) if period is None else versions.c.period == period,
                )
                .order_by(versions.c.id.desc())
            ).first()
            if existing is not None:
                audit.record(conn, who, "upload_duplicate", dataset_id=dataset_id, version_id=existing.id,
                             detail={"sha256": sha, "source_name": source_name})
                if publish and existing.status == "draft":
                    self._set_published(conn, existing.id, who, now, dataset_id)
                return int(existing.id)
            number = conn.execute(
                select(func.coalesce(func.max(versions.c.version_no), 0)).where(versions.c.dataset_id == dataset_id)
            ).scalar_one() + 1
            version_id = conn.execute(
                versions.insert()
                .values(
                    dataset_id=dataset_id, version_no=number, period=period, file_id=file_id,
                    source_name=source_name, sheet=None if sheet is None else _short(str(sheet), 255),
                    header_row=None if header_row is None else int(header_row),
                    rows_read=rows_read, rows_accepted=len(accepted), rows_rejected=len(rejected),
                    content_sha256=content, uploaded_by=who, uploaded_at=now, status="draft",
                )
                .returning(versions.c.id)
            ).scalar_one()
            self._checkpoint("version_saved")
            conn.execute(
                version_data.insert().values(
                    version_id=version_id, report_json=report_json,
                    rows_parquet=rows_parquet, rejected_parquet=rejected_parquet,
                )
            )
            audit.record(
                conn, who, "upload", dataset_id=dataset_id, version_id=version_id,
                detail={"kind": kind, "name": name, "period": period, "version_no": number,
                        "source_name": source_name, "sha256": sha, "rows_accepted": len(accepted),
                        "rows_rejected": len(rejected)},
            )
            if publish:
                self._set_published(conn, version_id, who, now, dataset_id, rows=len(accepted))
            self._checkpoint("before_commit")
        return int(version_id)

    def _file_id(self, conn: Connection, sha: str, data: bytes, name: str, who: str, now) -> int:
        found = conn.execute(select(files.c.id).where(files.c.sha256 == sha)).scalar()
        if found is not None:
            return int(found)
        values = dict(sha256=sha, size=len(data), first_name=name, created_at=now, created_by=who, data=data)
        conn.execute(self._insert_ignore(files, ["sha256"]).values(**values))
        return int(conn.execute(select(files.c.id).where(files.c.sha256 == sha)).scalar_one())

    def _dataset_id(self, conn: Connection, kind: str, name: str, who: str, now) -> int:
        conn.execute(
            self._insert_ignore(datasets, ["kind", "name"]).values(kind=kind, name=name, created_at=now, created_by=who)
        )
        # lock the dataset row (PostgreSQL) so concurrent uploads number their versions in turn
        return int(
            conn.execute(
                select(datasets.c.id).where(datasets.c.kind == kind, datasets.c.name == name).with_for_update()
            ).scalar_one()
        )

    def _insert_ignore(self, table: Table, keys: list[str]):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table).on_conflict_do_nothing(index_elements=keys)

    def _set_published(self, conn: Connection, version_id: int, who: str, now, dataset_id: int,
                       rows: int | None = None) -> None:
        if rows is None:
            rows = conn.execute(select(versions.c.rows_accepted).where(versions.c.id == version_id)).scalar_one()
        if not rows:
            raise AnalysisError(
                "empty_dataset",
                "Versi ini tidak punya baris yang diterima; perbaiki berkasnya lalu unggah lagi.",
                "This version has no accepted rows; fix the file and upload it again.",
            )
        changed = conn.execute(
            update(versions)
            .where(versions.c.id == version_id, versions.c.status == "draft")
            .values(status="published", published_by=who, published_at=now)
        ).rowcount
        if changed:
            audit.record(conn, who, "publish", dataset_id=dataset_id, version_id=version_id)

    def _status_row(self, conn: Connection, version_id: int, lock: bool = False):
        query = select(versions.c.id, versions.c.status, versions.c.dataset_id, versions.c.published_at).where(
            versions.c.id == int(version_id)
        )
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise _not_found(version_id)
        return row

    def publish(self, version_id: int, user: Any) -> None:
        """Make a draft version visible to viewers (audited). Publishing twice is harmless; an
        archived version must be restored first; a version without accepted rows cannot be published.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.publish(vid, "budi")
        >>> store.get_version(vid)["status"]
        'published'
        """
        who = _actor(user, "analyst")
        with self.transaction() as conn:
            row = self._status_row(conn, version_id, lock=True)
            if row.status == "archived":
                raise AnalysisError(
                    "archived",
                    f"Versi {version_id} sudah diarsipkan; pulihkan dulu sebelum menerbitkan.",
                    f"Version {version_id} is archived; restore it before publishing.",
                )
            self._set_published(conn, row.id, who, audit.utcnow(), row.dataset_id)

    def archive(self, version_id: int, user: Any) -> None:
        """Hide a version (admin; audited). Nothing is deleted; :meth:`restore` brings it back.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi", publish=True)
        >>> store.archive(vid, "admin")
        >>> len(store.list_datasets()), len(store.list_datasets(status="archived"))
        (0, 1)
        """
        who = _actor(user, "admin")
        with self.transaction() as conn:
            row = self._status_row(conn, version_id, lock=True)
            if row.status == "archived":
                return
            conn.execute(
                update(versions).where(versions.c.id == row.id)
                .values(status="archived", archived_by=who, archived_at=audit.utcnow())
            )
            audit.record(conn, who, "archive", dataset_id=row.dataset_id, version_id=row.id,
                         detail={"from": row.status})

    def restore(self, version_id: int, user: Any) -> None:
        """Bring an archived version back (admin; audited): published again if it had been
        published, else a draft.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi", publish=True)
        >>> store.archive(vid, "admin")
        >>> store.restore(vid, "admin")
        >>> store.get_version(vid)["status"]
        'published'
        """
        who = _actor(user, "admin")
        with self.transaction() as conn:
            row = self._status_row(conn, version_id, lock=True)
            if row.status != "archived":
                return
            status = "draft" if row.published_at is None else "published"
            conn.execute(
                update(versions).where(versions.c.id == row.id)
                .values(status=status, archived_by=None, archived_at=None)
            )
            audit.record(conn, who, "restore", dataset_id=row.dataset_id, version_id=row.id, detail={"to": status})

    def purge(self, dataset_id: int, user: Any, *, version_id: int | None = None) -> dict:
        """Delete a dataset — or one of its versions — for good, with files no version still uses.

        Only the admin CLI (``python -m analysis purge``) calls this; the entry in the audit log
        stays. Returns the counts deleted.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> dataset = store.get_version(vid)["dataset_id"]
        >>> store.purge(dataset, "admin")["versions"], store.counts()["files"]
        (1, 0)
        """
        who = _actor(user, "admin")
        with self.transaction() as conn:
            ds = conn.execute(select(datasets).where(datasets.c.id == int(dataset_id)).with_for_update()).first()
            if ds is None:
                raise AnalysisError(
                    "not_found", f"Dataset {dataset_id} tidak ada.", f"Dataset {dataset_id} does not exist."
                )
            query = select(versions.c.id, versions.c.file_id).where(versions.c.dataset_id == ds.id)
            if version_id is not None:
                query = query.where(versions.c.id == int(version_id))
            doomed = conn.execute(query).all()
            if version_id is not None and not doomed:
                raise AnalysisError(
                    "not_found",
                    f"Versi {version_id} bukan bagian dataset {dataset_id}.",
                    f"Version {version_id} is not part of dataset {dataset_id}.",
                )
            ids = [r.id for r in doomed]
            file_ids = sorted({r.file_id for r in doomed})
            if ids:
                conn.execute(delete(version_data).where(version_data.c.version_id.in_(ids)))
                conn.execute(delete(versions).where(versions.c.id.in_(ids)))
            left = conn.execute(select(func.count()).select_from(versions).where(versions.c.dataset_id == ds.id)).scalar_one()
            if not left:
                conn.execute(delete(datasets).where(datasets.c.id == ds.id))
            used = set(conn.execute(select(versions.c.file_id).where(versions.c.file_id.in_(file_ids))).scalars())
            orphans = [f for f in file_ids if f not in used]
            if orphans:
                conn.execute(delete(files).where(files.c.id.in_(orphans)))
            counts = {"dataset_id": ds.id, "kind": ds.kind, "name": ds.name, "versions": len(ids),
                      "files": len(orphans), "dataset_deleted": not left}
            audit.record(conn, who, "purge", dataset_id=ds.id, version_id=version_id, detail=counts)
        return counts

    # ------------------------------------------------------------------ reading

    def list_datasets(
        self,
        status: str | Iterable[str] | None = VISIBLE,
        kind: str | None = None,
        *,
        user: Any = None,
    ) -> pd.DataFrame:
        """Dataset versions, newest first.

        Parameters
        ----------
        status : str, iterable of str or None
            Only these statuses; default draft and published (archived ones are hidden); None: all.
        kind : str, optional
            Only this kind.
        user : User, optional
            A viewer only ever sees published versions.

        Returns
        -------
        pandas.DataFrame
            One row per version: ``version_id, dataset_id, version_no, kind, name, period, status,
            source_name, source_sha256, source_size, sheet, header_row, rows_read, rows_accepted,
            rows_rejected, uploaded_by, uploaded_at, published_by, published_at, archived_by,
            archived_at`` (times in UTC).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", period="2025", uploader="budi")
        >>> store.list_datasets()[["version_no", "kind", "name", "status", "rows_accepted"]]
           version_no      kind         name status  rows_accepted
        0           1  training  Latsar 2025  draft              2
        """
        wanted = list(STATUSES) if status is None else [status] if isinstance(status, str) else list(status)
        bad = [s for s in wanted if s not in STATUSES]
        if bad:
            raise ValueError(f"status must be among {', '.join(STATUSES)}, got {bad[0]!r}")
        if _is_viewer(user):
            wanted = [s for s in wanted if s == "published"]
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        query = (
            _version_select()
            .where(versions.c.status.in_(wanted))
            .order_by(versions.c.uploaded_at.desc(), versions.c.id.desc())
        )
        if kind is not None:
            query = query.where(datasets.c.kind == kind)
        with self.transaction(write=False) as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame([tuple(r) for r in rows], columns=LIST_COLUMNS)
        for name in ("version_id", "dataset_id", "version_no", "source_size", "rows_read", "rows_accepted",
                     "rows_rejected"):
            frame[name] = frame[name].astype("int64")
        frame["header_row"] = frame["header_row"].astype("Int64")
        for name in ("uploaded_at", "published_at", "archived_at"):
            frame[name] = pd.to_datetime(frame[name], utc=True)
        for name in ("kind", "name", "period", "status", "source_name", "source_sha256", "sheet",
                     "uploaded_by", "published_by", "archived_by"):
            frame[name] = frame[name].astype("str")
        return frame

    def get_version(self, version_id: int, *, user: Any = None) -> dict:
        """One version's metadata (the columns of :meth:`list_datasets`) as a dict.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.get_version(vid)["source_name"]
        'contoh.xlsx'
        """
        query = (
            _version_select()
            .where(versions.c.id == int(version_id))
        )
        with self.transaction(write=False) as conn:
            row = conn.execute(query).first()
        if row is None or (_is_viewer(user) and row.status != "published"):
            raise _not_found(version_id)
        return dict(row._mapping)

    def _blob(self, version_id: int, column, user: Any, *, viewer_ok: bool) -> Any:
        if _is_viewer(user) and not viewer_ok:
            roles.require_role(user, "analyst")
        query = (
            select(versions.c.status, column)
            .join(versions, versions.c.id == version_data.c.version_id)
            .where(version_data.c.version_id == int(version_id))
        )
        with self.transaction(write=False) as conn:
            row = self._fetch(conn, query)
        if row is None or (_is_viewer(user) and row[0] != "published"):
            raise _not_found(version_id)
        return row[1]

    def _fetch(self, conn: Connection, query) -> tuple | None:
        """First row of ``query``; on PostgreSQL in psycopg's binary format, which moves a bytea
        without the hex text encoding (half the bytes, no decoding: the 500k-row load benchmark)."""
        if self.dialect != "postgresql":
            row = conn.execute(query).first()
            return None if row is None else tuple(row)
        compiled = query.compile(dialect=conn.dialect)
        driver = conn.connection.driver_connection
        with driver.cursor(binary=True) as cursor:
            cursor.execute(str(compiled), compiled.params)
            return cursor.fetchone()

    def load_rows(self, version_id: int, *, user: Any = None) -> pd.DataFrame:
        """The accepted rows of a version, with the dtypes they were saved with.

        A viewer may load published versions only (and should see them through
        :func:`store.privacy.for_role`).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.load_rows(vid)
                          nip  nilai_pre  nilai_post
        0  198503122010011003       60.0        75.0
        1  199001012015032001       70.5        80.0
        """
        return decode_frame(self._blob(version_id, version_data.c.rows_parquet, user, viewer_ok=True))

    def load_rejected(self, version_id: int, *, user: Any = None) -> pd.DataFrame:
        """The rejected rows of a version as written in the file, with ``_row``, ``_sheet``,
        ``_reasons`` (analysts and admins).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.load_rejected(vid)
                            NIP  _row       _reasons
        0  1.98503122010011E+17     7  nip_as_number
        """
        return decode_frame(self._blob(version_id, version_data.c.rejected_parquet, user, viewer_ok=False))

    def load_report(self, version_id: int, *, user: Any = None) -> dict:
        """The validation report saved with a version (what ``validate --json`` printed).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.load_report(vid)["rows_rejected"]
        1
        """
        return json.loads(self._blob(version_id, version_data.c.report_json, user, viewer_ok=True))

    def load_source(self, version_id: int, *, user: Any = None) -> tuple[str, bytes]:
        """The uploaded file of a version, byte for byte: ``(file name, bytes)`` (analysts and admins).

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.load_source(vid)
        ('contoh.xlsx', b'contoh isi berkas')
        """
        if _is_viewer(user):
            roles.require_role(user, "analyst")
        query = (
            select(versions.c.source_name, files.c.data)
            .join(files, files.c.id == versions.c.file_id)
            .where(versions.c.id == int(version_id))
        )
        with self.transaction(write=False) as conn:
            row = self._fetch(conn, query)
        if row is None:
            raise _not_found(version_id)
        return row[0], bytes(row[1])

    def latest_published(self, kind: str, name: str | None = None) -> int | None:
        """The id of the most recently published version of ``kind`` (and dataset ``name``), or None.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> store.latest_published("training") is None
        True
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi", publish=True)
        >>> store.latest_published("training", name="Latsar 2025") == vid
        True
        """
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        query = (
            select(versions.c.id)
            .join(datasets, datasets.c.id == versions.c.dataset_id)
            .where(datasets.c.kind == kind, versions.c.status == "published")
            .order_by(versions.c.published_at.desc(), versions.c.id.desc())
            .limit(1)
        )
        if name is not None:
            query = query.where(datasets.c.name == " ".join(str(name).split()))
        with self.transaction(write=False) as conn:
            found = conn.execute(query).scalar()
        return None if found is None else int(found)

    def find_file(self, sha256: str) -> pd.DataFrame:
        """The versions made from the file with this SHA-256 (all statuses): lets the upload page say
        "this file was already uploaded as … by … on …" before saving.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> up = sample_upload()
        >>> vid = store.save_upload(up, name="Latsar 2025", uploader="budi")
        >>> store.find_file(up.sha256)["version_id"].tolist() == [vid]
        True
        """
        frame = self.list_datasets(status=None)
        return frame[frame["source_sha256"] == str(sha256).lower()].reset_index(drop=True)

    def counts(self) -> dict:
        """Rows per table, for health checks and tests.

        Examples
        --------
        >>> Store("sqlite://").counts()
        {'files': 0, 'datasets': 0, 'versions': 0, 'version_data': 0, 'audit_log': 0}
        """
        out = {}
        with self.transaction(write=False) as conn:
            for table in (files, datasets, versions, version_data, audit.audit_log):
                out[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        return out


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, keeping its end (the file extension)."""
    return text if len(text) <= limit else text[: limit - 21] + "…" + text[-20:]
