"""Every table of the store, in one :data:`metadata` (SQLAlchemy 2 Core).

One database holds everything: the uploaded files and dataset versions (:mod:`store.datasets`),
the accounts and their sessions (:mod:`store.accounts`, :mod:`store.sessions`), the theme
dictionary of citizens' comments (:mod:`store.themes`), the rule sets and the decisions recorded in
evaluation meetings (:mod:`store.rulesets`, :mod:`store.decisions`) and the audit log
(:mod:`store.audit`).
:class:`store.db.Database` creates the missing tables when it opens a database. Times are naive
UTC (:func:`store.db.utcnow`).

``files``
    Each uploaded file byte for byte with its SHA-256, stored once however often it is uploaded.
``datasets``
    A name per kind (``training``, ``feedback``, ``mentoring``, ``events``), e.g. "Latsar 2025".
``versions`` and ``version_data``
    Each upload of a dataset is a new, immutable version: period, source file, uploader, time, row
    counts, and (in ``version_data``) the validation report (JSON), the accepted and the rejected
    rows (Parquet, :mod:`store.frames`). Only its status moves: ``draft`` → ``published`` →
    ``archived``.
``users`` and ``sessions``
    Accounts of sign-in mode ``local`` (argon2id hashes) and OIDC accounts an admin made; a
    session keeps only the SHA-256 of its token. (The columns ``failed_attempts`` and
    ``locked_until`` of ``users`` are no longer written: failed sign-ins are throttled instead.)
``session_handoffs``
    For a minute after a sign-in, the single-use code with which the browser fetches its session
    cookie (:mod:`store.sessions`): the code's SHA-256 and the session token sealed with the code.
``sign_in_throttle`` and ``sign_in_addresses``
    Failed sign-ins counted per account, per client address and per both, with the wait each count
    imposes; and the addresses each account has signed in from (:mod:`store.throttle`).
``theme_versions`` and ``theme_keywords``
    Each save of the keyword dictionary is a new version with its (theme, keyword) rows; a version
    marked ``reset`` goes back to the dictionary shipped in ``data/tema_saran.csv``.
``rule_set_versions``
    Each save of a rule set (e.g. ``followup``, the follow-up recommendation rules) is a new version
    holding the TOML text as written; a version marked ``reset`` goes back to the rules shipped
    with the product.
``decisions``
    What an evaluation meeting decided (per rule set and subject, e.g. a program): the decision,
    the reasons, the date, who recorded it, the recommendation it was taken against. Append-only:
    the database refuses an update or a delete (a trigger on SQLite and PostgreSQL); a correction
    is a new record naming the one it corrects.
``audit_log``
    Who did what, when; only ever appended to.
"""

from __future__ import annotations

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)

#: Longest dataset name.
MAX_NAME = 200
#: Longest theme or keyword of the theme dictionary.
MAX_THEME_TEXT = 200
#: Longest name of a rule set, and of a decision's subject (a program's name).
MAX_RULE_SET_NAME = 60
MAX_SUBJECT = 500

metadata = MetaData()

# --------------------------------------------------------------------------- datasets

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

# --------------------------------------------------------------------------- accounts

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(255), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("email", String(255), nullable=True),
    Column("password_hash", String(255), nullable=True),  # None: signs in through OIDC only
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("last_login_at", DateTime, nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),  # the token itself is never stored
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

session_handoffs = Table(
    "session_handoffs",
    metadata,
    Column("code_sha256", String(64), primary_key=True),
    Column("sealed_token", String(128), nullable=False),  # hex: the token XOR a key stream of the code
    Column("expires_at", DateTime, nullable=False, index=True),
)

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("scope", String(8), primary_key=True),  # account | address | pair
    Column("key", String(64), primary_key=True),  # SHA-256 of the account name, the address, or both
    Column("account", String(255), nullable=True),  # as an administrator sees it; "?" + hash for no account
    Column("address", String(64), nullable=True),
    Column("failures", Integer, nullable=False),
    Column("refused", Integer, nullable=False),  # attempts refused while the wait ran
    Column("first_failure_at", DateTime, nullable=False),
    Column("last_failure_at", DateTime, nullable=False),
    Column("blocked_until", DateTime, nullable=True),
)

sign_in_addresses = Table(
    "sign_in_addresses",
    metadata,
    Column("account", String(255), primary_key=True),
    Column("address_sha256", String(64), primary_key=True),
    Column("last_success_at", DateTime, nullable=False),
)

# --------------------------------------------------------------------------- theme dictionary

theme_versions = Table(
    "theme_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the version number
    Column("saved_at", DateTime, nullable=False),
    Column("saved_by", String(255), nullable=False),
    Column("reset", Boolean, nullable=False),  # True: back to the shipped dictionary, no keywords
    Column("themes", Integer, nullable=False),
    Column("keywords", Integer, nullable=False),
)

theme_keywords = Table(
    "theme_keywords",
    metadata,
    Column("version_id", Integer, ForeignKey("theme_versions.id"), primary_key=True),
    Column("position", Integer, primary_key=True),  # the dictionary's order: the order of its themes
    Column("tema", String(MAX_THEME_TEXT), nullable=False),
    Column("kata_kunci", String(MAX_THEME_TEXT), nullable=False),
)

# --------------------------------------------------------------------------- rule sets and decisions

rule_set_versions = Table(
    "rule_set_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the version number
    Column("name", String(MAX_RULE_SET_NAME), nullable=False, index=True),
    Column("saved_at", DateTime, nullable=False),
    Column("saved_by", String(255), nullable=False),
    Column("reset", Boolean, nullable=False),  # True: back to the shipped rules, no text
    Column("text", Text, nullable=True),
    Column("sha256", String(64), nullable=True),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_set", String(MAX_RULE_SET_NAME), nullable=False, index=True),
    Column("subject", String(MAX_SUBJECT), nullable=False, index=True),
    Column("period", String(20), nullable=True),  # the evaluation period the decision concerns
    Column("decision", String(40), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("recorded_by", String(255), nullable=False),
    Column("recommendation", String(40), nullable=True),  # what the rules recommended then
    Column("rule", String(MAX_RULE_SET_NAME), nullable=True),
    Column("rules_version", Integer, nullable=True),  # 0: the shipped rules
    Column("corrects", Integer, ForeignKey("decisions.id"), nullable=True),
    Column("snapshot", Text, nullable=True),  # JSON: the scorecard's numbers when it was decided
)

_APPEND_ONLY = "decisions are append-only: record a correction instead"
for _operation in ("UPDATE", "DELETE"):
    event.listen(decisions, "after_create", DDL(
        f"CREATE TRIGGER decisions_no_{_operation.lower()} BEFORE {_operation} ON decisions "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END").execute_if(dialect="sqlite"))
event.listen(decisions, "after_create", DDL(
    "CREATE OR REPLACE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$").execute_if(dialect="postgresql"))
event.listen(decisions, "after_create", DDL(
    "CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions "
    "FOR EACH ROW EXECUTE FUNCTION decisions_append_only()").execute_if(dialect="postgresql"))

# --------------------------------------------------------------------------- audit log

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),  # naive UTC
    Column("actor", String(255), nullable=False, index=True),
    Column("action", String(40), nullable=False, index=True),
    Column("ok", Boolean, nullable=False),
    Column("dataset_id", Integer, nullable=True, index=True),  # no FK: entries outlive a purge
    Column("version_id", Integer, nullable=True),
    Column("target", String(255), nullable=True),  # the account an action was about
    Column("detail", Text, nullable=True),  # JSON object
)
