"""Where datasets live: uploaded files, immutable dataset versions, their rows.

:class:`Store` is the :class:`store.db.Database` with the datasets (tables ``files``,
``datasets``, ``versions``, ``version_data`` of :mod:`store.schema`):

- each uploaded file is kept byte for byte with its SHA-256; the same bytes uploaded again are
  recognised and stored once;
- a dataset is a name per kind (``training``, ``feedback``, ``mentoring``, ``events``), e.g.
  "Latsar 2025";
- each upload of a dataset is a new, immutable version: period, source file, uploader, time, row
  counts, the validation report (JSON), the accepted rows and the rejected rows (Parquet bytes,
  :mod:`store.frames`). Only its status moves: ``draft`` → ``published`` → ``archived``
  (archiving hides; :meth:`Store.restore` brings it back). Nothing is deleted except by
  :meth:`Store.purge`, which only the admin CLI calls, and which is audited.

An upload is one transaction: the file, the version, its rows and the audit entry commit together
or not at all, so a failure or a killed process leaves neither a half dataset nor an orphan file.
Concurrent publishers queue (SQLite's write lock; on PostgreSQL the dataset row is locked while a
new version is numbered).
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection

from analysis.core import roles
from analysis.core.errors import AnalysisError
from analysis.core.kinds import KINDS
from store import audit, db
from store.db import Database
from store.frames import decode_frame
from store.schema import audit_log, datasets, files, version_data, versions
from store.uploads import Upload, prepare_upload, sample_upload  # noqa: F401  (sample_upload: the examples)

STATUSES = ("draft", "published", "archived")
VISIBLE = ("draft", "published")

LIST_COLUMNS = [
    "version_id", "dataset_id", "version_no", "kind", "name", "period", "status",
    "source_name", "source_sha256", "source_size", "sheet", "header_row",
    "rows_read", "rows_accepted", "rows_rejected",
    "uploaded_by", "uploaded_at", "published_by", "published_at", "archived_by", "archived_at",
]


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


def _is_viewer(user: Any) -> bool:
    return user is not None and hasattr(user, "role") and not roles.has_role(user, "analyst")


class Store(Database):
    """The dataset store on one database (a :class:`store.db.Database` with the datasets).

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
        who = audit.acting(uploader, "analyst")
        upload = prepare_upload(result, name, period)
        now = db.utcnow()
        with self.transaction() as conn:
            file_id = self._file_id(conn, upload, who, now)
            self._checkpoint("file_saved")
            dataset_id = self._dataset_id(conn, upload.kind, upload.name, who, now)
            existing = self._same_version(conn, dataset_id, file_id, upload)
            if existing is not None:
                audit.record(conn, who, "upload_duplicate", dataset_id=dataset_id, version_id=existing.id,
                             detail={"sha256": upload.sha256, "source_name": upload.source_name})
                if publish and existing.status == "draft":
                    self._set_published(conn, existing.id, who, now, dataset_id)
                return int(existing.id)
            version_id = self._new_version(conn, dataset_id, file_id, upload, who, now)
            if publish:
                self._set_published(conn, version_id, who, now, dataset_id, rows=upload.rows_accepted)
            self._checkpoint("before_commit")
        return version_id

    def _file_id(self, conn: Connection, upload: Upload, who: str, now) -> int:
        """The id of the stored file with the upload's SHA-256, stored now when it is new."""
        found = conn.execute(select(files.c.id).where(files.c.sha256 == upload.sha256)).scalar()
        if found is not None:
            return int(found)
        values = dict(sha256=upload.sha256, size=len(upload.source), first_name=upload.source_name,
                      created_at=now, created_by=who, data=upload.source)
        conn.execute(self.insert_ignore(files, ["sha256"]).values(**values))
        return int(conn.execute(select(files.c.id).where(files.c.sha256 == upload.sha256)).scalar_one())

    def _dataset_id(self, conn: Connection, kind: str, name: str, who: str, now) -> int:
        """The id of dataset ``name`` of ``kind``, made now when it is new; its row stays locked."""
        conn.execute(
            self.insert_ignore(datasets, ["kind", "name"]).values(kind=kind, name=name, created_at=now, created_by=who)
        )
        # lock the dataset row (PostgreSQL) so concurrent uploads number their versions in turn
        return int(
            conn.execute(
                select(datasets.c.id).where(datasets.c.kind == kind, datasets.c.name == name).with_for_update()
            ).scalar_one()
        )

    def _same_version(self, conn: Connection, dataset_id: int, file_id: int, upload: Upload) -> Any:
        """The newest version (not archived) of the dataset with the same file, period and content."""
        period = versions.c.period.is_(None) if upload.period is None else versions.c.period == upload.period
        return conn.execute(
            select(versions.c.id, versions.c.status)
            .where(
                versions.c.dataset_id == dataset_id,
                versions.c.file_id == file_id,
                versions.c.content_sha256 == upload.content_sha256,
                versions.c.status != "archived",
                period,
            )
            .order_by(versions.c.id.desc())
        ).first()

    def _new_version(self, conn: Connection, dataset_id: int, file_id: int, upload: Upload, who: str,
                     now) -> int:
        """Number and insert a draft version with its rows and report; audited as ``upload``."""
        number = conn.execute(
            select(func.coalesce(func.max(versions.c.version_no), 0)).where(versions.c.dataset_id == dataset_id)
        ).scalar_one() + 1
        version_id = conn.execute(
            versions.insert()
            .values(
                dataset_id=dataset_id, version_no=number, period=upload.period, file_id=file_id,
                source_name=upload.source_name, sheet=upload.sheet, header_row=upload.header_row,
                rows_read=upload.rows_read, rows_accepted=upload.rows_accepted, rows_rejected=upload.rows_rejected,
                content_sha256=upload.content_sha256, uploaded_by=who, uploaded_at=now, status="draft",
            )
            .returning(versions.c.id)
        ).scalar_one()
        self._checkpoint("version_saved")
        conn.execute(
            version_data.insert().values(
                version_id=version_id, report_json=upload.report_json,
                rows_parquet=upload.rows_parquet, rejected_parquet=upload.rejected_parquet,
            )
        )
        audit.record(
            conn, who, "upload", dataset_id=dataset_id, version_id=version_id,
            detail={"kind": upload.kind, "name": upload.name, "period": upload.period, "version_no": number,
                    "source_name": upload.source_name, "sha256": upload.sha256,
                    "rows_accepted": upload.rows_accepted, "rows_rejected": upload.rows_rejected},
        )
        return int(version_id)

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
        who = audit.acting(user, "analyst")
        with self.transaction() as conn:
            row = self._status_row(conn, version_id, lock=True)
            if row.status == "archived":
                raise AnalysisError(
                    "archived",
                    f"Versi {version_id} sudah diarsipkan; pulihkan dulu sebelum menerbitkan.",
                    f"Version {version_id} is archived; restore it before publishing.",
                )
            self._set_published(conn, row.id, who, db.utcnow(), row.dataset_id)

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
        who = audit.acting(user, "admin")
        with self.transaction() as conn:
            row = self._status_row(conn, version_id, lock=True)
            if row.status == "archived":
                return
            conn.execute(
                update(versions).where(versions.c.id == row.id)
                .values(status="archived", archived_by=who, archived_at=db.utcnow())
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
        who = audit.acting(user, "admin")
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
        who = audit.acting(user, "admin")
        with self.transaction() as conn:
            ds = conn.execute(select(datasets).where(datasets.c.id == int(dataset_id)).with_for_update()).first()
            if ds is None:
                raise AnalysisError(
                    "not_found", f"Dataset {dataset_id} tidak ada.", f"Dataset {dataset_id} does not exist."
                )
            doomed = self._doomed_versions(conn, ds.id, version_id)
            file_ids = sorted({r.file_id for r in doomed})
            ids = [r.id for r in doomed]
            if ids:
                conn.execute(delete(version_data).where(version_data.c.version_id.in_(ids)))
                conn.execute(delete(versions).where(versions.c.id.in_(ids)))
            left = conn.execute(select(func.count()).select_from(versions).where(versions.c.dataset_id == ds.id)).scalar_one()
            if not left:
                conn.execute(delete(datasets).where(datasets.c.id == ds.id))
            orphans = self._delete_orphan_files(conn, file_ids)
            counts = {"dataset_id": ds.id, "kind": ds.kind, "name": ds.name, "versions": len(ids),
                      "files": orphans, "dataset_deleted": not left}
            audit.record(conn, who, "purge", dataset_id=ds.id, version_id=version_id, detail=counts)
        return counts

    def _doomed_versions(self, conn: Connection, dataset_id: int, version_id: int | None) -> list:
        """The versions (id, file id) a purge deletes: all of the dataset's, or the one named."""
        query = select(versions.c.id, versions.c.file_id).where(versions.c.dataset_id == dataset_id)
        if version_id is not None:
            query = query.where(versions.c.id == int(version_id))
        doomed = conn.execute(query).all()
        if version_id is not None and not doomed:
            raise AnalysisError(
                "not_found",
                f"Versi {version_id} bukan bagian dataset {dataset_id}.",
                f"Version {version_id} is not part of dataset {dataset_id}.",
            )
        return doomed

    def _delete_orphan_files(self, conn: Connection, file_ids: list[int]) -> int:
        """Delete those of ``file_ids`` that no version uses any more; return how many."""
        used = set(conn.execute(select(versions.c.file_id).where(versions.c.file_id.in_(file_ids))).scalars())
        orphans = [f for f in file_ids if f not in used]
        if orphans:
            conn.execute(delete(files).where(files.c.id.in_(orphans)))
        return len(orphans)

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
            row = self.fetch_first(conn, query)
        if row is None or (_is_viewer(user) and row[0] != "published"):
            raise _not_found(version_id)
        return row[1]

    def load_rows(self, version_id: int, *, user: Any = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The accepted rows of a version, with the dtypes they were saved with.

        A viewer may load published versions only (and should see them through
        :func:`store.privacy.for_role`). ``columns`` reads only those columns, in that order (the
        rows are stored as Parquet, so the others are not decoded); a name the version does not
        hold is left out.

        Examples
        --------
        >>> store = Store("sqlite://")
        >>> vid = store.save_upload(sample_upload(), name="Latsar 2025", uploader="budi")
        >>> store.load_rows(vid)
                          nip  nilai_pre  nilai_post
        0  198503122010011003       60.0        75.0
        1  199001012015032001       70.5        80.0
        >>> store.load_rows(vid, columns=["nilai_post", "bobot_pembanding"])
           nilai_post
        0        75.0
        1        80.0
        """
        return decode_frame(self._blob(version_id, version_data.c.rows_parquet, user, viewer_ok=True), columns)

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
            row = self.fetch_first(conn, query)
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
            for table in (files, datasets, versions, version_data, audit_log):
                out[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        return out
