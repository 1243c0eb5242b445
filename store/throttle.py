"""Throttling of failed sign-ins: waits that grow with the failures, instead of a lock.

A hard lock after five failures lets anyone lock anyone out — the administrator included — by
typing five wrong passwords. NIST SP 800-63B §5.2.2 ("Rate Limiting (Throttling)") allows instead
that a claimant "wait following a failed attempt for a period of time that increases as the
account approaches its maximum allowance", and that requests be accepted "from IP addresses from
which the subscriber has been successfully authenticated before". So:

- failures are counted in three scopes (:data:`RULES`): one **account** from anywhere, one client
  **address** against any account (password spraying), and the **pair** of both;
- after a scope's free failures, each further failure makes the next attempt in that scope wait
  twice as long as the one before, up to the scope's cap; an attempt during a wait is refused
  without checking the password and does not lengthen it;
- the account scope does not apply to an address from which that account has signed in within
  :data:`KNOWN_DAYS` days: someone trying the administrator's name from elsewhere slows down only
  themselves, never the administrator at their usual desk;
- a success clears the account and pair counts; failures older than :data:`FORGET_HOURS` are
  forgotten; an unknown address (``None``: no proxy information, or loopback) is never a scope of
  its own, since every user would share it.

Counts live in the database (:data:`store.schema.sign_in_throttle`), so every app server sees the
same waits. Names are kept only as SHA-256 keys; the account as an administrator sees it is the
name of an existing account, or ``?`` and a hash prefix for a name no account has (it may be a
password typed into the wrong box). Administrators read the counts with :func:`list_throttles` and
lift them with :func:`clear` (the Administrasi page, ``python -m analysis users unlock``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import and_, delete, or_, select, update

from store import audit, db
from store.schema import sign_in_addresses, sign_in_throttle

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.engine import Connection

    from store.db import Database


@dataclass(frozen=True)
class Rule:
    """How one scope throttles: ``free`` failures without a wait, then a first wait of ``first``
    seconds, doubling with each failure up to ``cap`` seconds.

    Examples
    --------
    >>> [Rule(3, 2, 60).wait(n) for n in (1, 3, 4, 5, 6, 20)]
    [0.0, 0.0, 2.0, 4.0, 8.0, 60.0]
    """

    free: int
    first: float
    cap: float

    def wait(self, failures: int) -> float:
        """Seconds the next attempt waits after ``failures`` failures in a row."""
        if failures <= self.free:
            return 0.0
        return float(min(self.cap, self.first * 2.0 ** min(failures - self.free - 1, 60)))


#: The scopes: the pair (this address trying this account) waits soonest and longest; the account
#: from anywhere is capped at 15 minutes; an address trying many accounts gets 20 free failures.
RULES = {
    "pair": Rule(free=3, first=2, cap=3600),
    "account": Rule(free=5, first=2, cap=900),
    "address": Rule(free=20, first=2, cap=3600),
}
FORGET_HOURS = 24
KNOWN_DAYS = 90


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keys(account: str, address: str | None) -> dict[str, str]:
    """The scopes an attempt falls in, with their keys (no address scope for an unknown address)."""
    keys = {"account": _sha("account\0" + account), "pair": _sha(f"pair\0{account}\0{address or '-'}")}
    if address:
        keys["address"] = _sha("address\0" + address)
    return keys


def _known(conn: Connection, account: str, address: str | None, now: datetime) -> bool:
    if not address:
        return False
    row = conn.execute(select(sign_in_addresses.c.last_success_at).where(
        sign_in_addresses.c.account == account, sign_in_addresses.c.address_sha256 == _sha(address))).first()
    return row is not None and row.last_success_at > now - timedelta(days=KNOWN_DAYS)


def _rows(conn: Connection, keys: dict[str, str], *, lock: bool = False) -> dict[str, Any]:
    query = select(sign_in_throttle).where(or_(*(
        and_(sign_in_throttle.c.scope == scope, sign_in_throttle.c.key == key) for scope, key in keys.items())))
    return {row.scope: row for row in conn.execute(query.with_for_update() if lock else query)}


def _insert_missing(conn: Connection, table, keys: list[str], values: dict) -> None:
    """``INSERT … ON CONFLICT DO NOTHING``: two servers counting the same first failure both succeed."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).on_conflict_do_nothing(index_elements=keys).values(**values))


def wait_seconds(store: Database, account: str, address: str | None, *, now: datetime | None = None) -> float:
    """How long an attempt to sign in as ``account`` from ``address`` must still wait (0: it may
    go ahead). ``account`` is the name as typed, lower-cased; it need not exist.

    Examples
    --------
    >>> from store.db import Database
    >>> wait_seconds(Database("sqlite://"), "budi", "10.0.0.5")
    0.0
    """
    now = now or db.utcnow()
    keys = _keys(account, address)
    with store.transaction(write=False) as conn:
        rows = _rows(conn, keys)
        if "account" in rows and _known(conn, account, address, now):
            del rows["account"]
    until = [r.blocked_until for r in rows.values() if r.blocked_until is not None and r.blocked_until > now]
    return max(((u - now).total_seconds() for u in until), default=0.0)


def count_refusal(store: Database, account: str, address: str | None) -> None:
    """Count an attempt refused during a wait (shown to administrators; it lengthens nothing).

    Examples
    --------
    >>> from store.db import Database
    >>> count_refusal(Database("sqlite://"), "budi", None)  # nothing to count yet
    """
    keys = _keys(account, address)
    with store.transaction() as conn:
        for scope, key in keys.items():
            conn.execute(update(sign_in_throttle).where(sign_in_throttle.c.scope == scope,
                                                        sign_in_throttle.c.key == key)
                         .values(refused=sign_in_throttle.c.refused + 1))


def record_failure(conn: Connection, account: str, address: str | None, label: str, now: datetime) -> list[dict]:
    """Count a failed sign-in in every scope, inside the caller's transaction; return the waits it
    started, ``[{"scope", "seconds"}]`` (empty while the failures are still free).

    ``label`` is the account as an administrator may see it (see the module text).

    Examples
    --------
    >>> from store.db import Database
    >>> database = Database("sqlite://")
    >>> with database.transaction() as conn:
    ...     waits = [record_failure(conn, "budi", "10.0.0.5", "budi", utc) for utc in [db.utcnow()] * 4]
    >>> waits[-1]
    [{'scope': 'pair', 'seconds': 2.0}]
    """
    started = []
    keys = _keys(account, address)
    for scope, key in keys.items():
        _insert_missing(conn, sign_in_throttle, ["scope", "key"], dict(
            scope=scope, key=key, failures=0, refused=0, first_failure_at=now, last_failure_at=now))
    rows = _rows(conn, keys, lock=True)
    for scope, key in keys.items():
        row = rows[scope]
        stale = row.last_failure_at < now - timedelta(hours=FORGET_HOURS)
        failures = 1 if stale else int(row.failures) + 1
        seconds = RULES[scope].wait(failures)
        values = dict(failures=failures, last_failure_at=now, account=label if scope != "address" else None,
                      address=address if scope != "account" else None,
                      blocked_until=now + timedelta(seconds=seconds) if seconds else None)
        if stale:
            values.update(first_failure_at=now, refused=0)
        conn.execute(update(sign_in_throttle).where(sign_in_throttle.c.scope == scope,
                                                    sign_in_throttle.c.key == key).values(**values))
        if seconds:
            started.append({"scope": scope, "seconds": seconds})
    return started


def record_success(conn: Connection, account: str, address: str | None, now: datetime) -> None:
    """A good sign-in, inside the caller's transaction: the account and pair counts start again and
    the address becomes one this account is known to sign in from.

    Examples
    --------
    >>> from store.db import Database
    >>> with Database("sqlite://").transaction() as conn:
    ...     record_success(conn, "budi", "10.0.0.5", db.utcnow())
    """
    keys = _keys(account, address)
    for scope in ("account", "pair"):
        conn.execute(delete(sign_in_throttle).where(sign_in_throttle.c.scope == scope,
                                                    sign_in_throttle.c.key == keys[scope]))
    if address:
        where = (sign_in_addresses.c.account == account, sign_in_addresses.c.address_sha256 == _sha(address))
        _insert_missing(conn, sign_in_addresses, ["account", "address_sha256"],
                        dict(account=account, address_sha256=_sha(address), last_success_at=now))
        conn.execute(update(sign_in_addresses).where(*where).values(last_success_at=now))


def clear(store: Database, *, account: str | None = None, address: str | None = None, actor: Any = "system") -> int:
    """Lift the waits of an account (its account and pair counts) or of an address (its address
    and pair counts); return how many counts were removed. Audited as ``throttle_clear`` when it
    removed any.

    Examples
    --------
    >>> from store.db import Database
    >>> clear(Database("sqlite://"), account="budi")
    0
    """
    if (account is None) == (address is None):
        raise ValueError(f"give exactly one of account and address, got account={account!r}, address={address!r}")
    if account is not None:
        where = or_(sign_in_throttle.c.key == _sha("account\0" + account),
                    and_(sign_in_throttle.c.scope == "pair", sign_in_throttle.c.account == account))
    else:
        where = or_(sign_in_throttle.c.key == _sha("address\0" + address),
                    and_(sign_in_throttle.c.scope == "pair", sign_in_throttle.c.address == address))
    with store.transaction() as conn:
        removed = conn.execute(delete(sign_in_throttle).where(where)).rowcount
        if removed:
            audit.record(conn, actor, "throttle_clear", target=account, detail={"address": address, "counts": removed})
    return int(removed)


def list_throttles(store: Database, *, now: datetime | None = None) -> pd.DataFrame:
    """Every count of failed sign-ins, longest wait first, for administrators.

    Returns
    -------
    pandas.DataFrame
        ``scope, account, address, failures, refused, first_failure_at, last_failure_at,
        blocked_until, waiting`` (times in UTC; ``waiting`` says whether a wait is running).

    Examples
    --------
    >>> from store.db import Database
    >>> list_throttles(Database("sqlite://")).columns.tolist()[:4]
    ['scope', 'account', 'address', 'failures']
    """
    now = now or db.utcnow()
    columns = ["scope", "account", "address", "failures", "refused", "first_failure_at", "last_failure_at",
               "blocked_until"]
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(*(sign_in_throttle.c[c] for c in columns))).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    frame["waiting"] = [u is not None and u > now for u in frame["blocked_until"]]
    for name in ("first_failure_at", "last_failure_at", "blocked_until"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("failures", "refused"):
        frame[name] = frame[name].astype("int64")
    frame["waiting"] = frame["waiting"].astype(bool)
    return frame.sort_values(["waiting", "blocked_until", "failures"], ascending=False,
                             na_position="last").reset_index(drop=True)


def account_waits(store: Database, *, now: datetime | None = None) -> dict[str, tuple[int, datetime | None]]:
    """Per account label: failures counted from anywhere and the end of its running wait (None when
    none runs), for the accounts table.

    Examples
    --------
    >>> from store.db import Database
    >>> account_waits(Database("sqlite://"))
    {}
    """
    now = now or db.utcnow()
    with store.transaction(write=False) as conn:
        rows = conn.execute(select(sign_in_throttle.c.account, sign_in_throttle.c.failures,
                                   sign_in_throttle.c.blocked_until).where(sign_in_throttle.c.scope == "account"))
        return {r.account: (int(r.failures), r.blocked_until if r.blocked_until and r.blocked_until > now else None)
                for r in rows}
