"""Failed sign-ins slow the next attempts down instead of locking accounts (store/throttle.py,
store/accounts.py), on SQLite and PostgreSQL.

The waits expected here are worked out by hand from the rules of NIST SP 800-63B §5.2.2 as
implemented (pair: 3 free failures, then 2 s doubling to 1 h; account: 5 free, then 2 s doubling to
15 min; address: 20 free, then 2 s doubling to 1 h).
"""

from __future__ import annotations

import statistics
import threading
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from analysis.core.errors import AnalysisError
from store import accounts, throttle
from store.audit import read_audit
from store.datasets import Store
from store_fixtures import cheap_hasher, clock, code_of, db_url, store  # noqa: F401  (fixtures)

PASSWORD = "rahasia-panjang-sekali"
ATTACKER, DESK, ELSEWHERE = "203.0.113.9", "10.0.0.1", "198.51.100.7"


def _attempt(store, name, password, address=None):
    """The outcome of one sign-in: ``("ok", username)`` or ``(code, message_en)``."""
    try:
        return "ok", accounts.authenticate(store, name, password, address=address).username
    except AnalysisError as err:
        return err.code, err.message("en")


def _fail_checked(store, clock, name, address, times):
    """``times`` wrong passwords that are all checked: the clock waits out every wait first."""
    for _ in range(times):
        clock.now += timedelta(seconds=throttle.wait_seconds(store, name, address) + 0.001)
        assert _attempt(store, name, "salah", address)[0] == "bad_credentials"


def test_failures_make_the_next_attempt_wait_instead_of_locking(store, clock):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(3):  # the pair's free failures
        assert _attempt(store, "budi", "salah", ATTACKER)[0] == "bad_credentials"
    assert throttle.wait_seconds(store, "budi", ATTACKER) == 0
    assert _attempt(store, "budi", "salah", ATTACKER)[0] == "bad_credentials"  # the 4th starts a 2 s wait
    assert throttle.wait_seconds(store, "budi", ATTACKER) == pytest.approx(2.0)
    # during the wait even the right password is not checked — and the wait does not grow
    assert _attempt(store, "budi", PASSWORD, ATTACKER) == ("throttled", "Too many failed sign-ins. Try again in 2 seconds.")
    assert throttle.wait_seconds(store, "budi", ATTACKER) == pytest.approx(2.0)
    clock.now += timedelta(seconds=2)
    assert _attempt(store, "budi", PASSWORD, ATTACKER) == ("ok", "budi")


def test_the_wait_doubles_up_to_its_cap(store, clock):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    waits = []
    for _ in range(16):
        _fail_checked(store, clock, "budi", ATTACKER, 1)
        waits.append(throttle.wait_seconds(store, "budi", ATTACKER))
    # failures 1–3 free, then 2, 4, 8 … s for the pair; the account's own waits (from failure 6:
    # 2, 4 … s, at most 900) are always shorter here
    assert waits == [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600]


def test_unknown_and_existing_names_get_the_same_answers(store, clock, monkeypatch):
    """Same messages, same number of password-hash checks, step by step (no "Akun terkunci")."""
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    checks = {"n": 0}

    class Counting:
        """The hasher in use, counting its password checks."""

        def __init__(self, inner):
            self.inner = inner

        def verify(self, hashed, password):
            checks["n"] += 1
            return self.inner.verify(hashed, password)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(accounts, "_hasher", Counting(accounts._hasher))

    def story(name):
        out = []
        for step in range(12):
            before = checks["n"]
            out.append((_attempt(store, name, "salah", ATTACKER), checks["n"] - before))
            clock.now += timedelta(seconds=3 if step % 2 else 0.5)
        return out

    start = clock.now
    existing = story("budi")
    clock.now = start + timedelta(days=2)  # a fresh start for the second name
    unknown = story("tidak-ada-akun")
    assert existing == unknown
    assert {code for (code, _), _ in existing} == {"bad_credentials", "throttled"}
    assert all(n == (1 if outcome[0] == "bad_credentials" else 0) for outcome, n in existing)


def test_unknown_and_existing_names_take_the_same_time(store, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())  # the real cost (RFC 9106 low-memory)
    accounts.add_user(store, "budi", "viewer", PASSWORD)

    def one(name, address):
        start = time.perf_counter()
        assert _attempt(store, name, "salah", address)[0] == "bad_credentials"
        return time.perf_counter() - start

    _attempt(store, "pemanasan", "salah", "192.0.2.1")  # warm up the dummy hash
    # in turn, so a busy machine slows both alike; without the dummy hash an unknown name answers
    # in microseconds, thousands of times faster than a hash
    times = [(one("budi", f"192.0.2.{10 + i}"), one("tidak-ada-akun", f"192.0.2.{20 + i}")) for i in range(5)]
    existing, unknown = (statistics.median(t) for t in zip(*times))
    assert 0.5 < existing / unknown < 2.0, (existing, unknown)


def test_someone_elses_failures_do_not_keep_the_administrator_out(store, clock):
    accounts.add_user(store, "admin", "admin", PASSWORD)
    assert _attempt(store, "admin", PASSWORD, DESK) == ("ok", "admin")  # the desk becomes known
    _fail_checked(store, clock, "admin", ATTACKER, 40)
    assert throttle.wait_seconds(store, "admin", ATTACKER) == 3600  # the attacker waits an hour
    assert throttle.wait_seconds(store, "admin", DESK) == 0  # the administrator at the desk does not
    assert _attempt(store, "admin", PASSWORD, DESK) == ("ok", "admin")
    _fail_checked(store, clock, "admin", ATTACKER, 10)
    # from an address the account never used, the account's wait applies: 15 minutes at most
    assert 0 < throttle.wait_seconds(store, "admin", ELSEWHERE) <= 900
    accounts.unlock_user(store, "admin", actor="cli:root")  # the server administrator's way in
    assert throttle.wait_seconds(store, "admin", ELSEWHERE) == 0
    assert _attempt(store, "admin", PASSWORD, ELSEWHERE) == ("ok", "admin")


def test_one_address_trying_many_names_waits(store, clock):
    for i in range(20):
        assert _attempt(store, f"nama{i}", "salah", ATTACKER)[0] == "bad_credentials"
    assert throttle.wait_seconds(store, "nama-baru", ATTACKER) == 0
    _attempt(store, "nama20", "salah", ATTACKER)  # the 21st failure from this address
    assert throttle.wait_seconds(store, "nama-baru", ATTACKER) == pytest.approx(2.0)
    assert throttle.wait_seconds(store, "nama-baru", ELSEWHERE) == 0


def test_an_unknown_address_is_not_shared_as_one_scope(store):
    for i in range(30):
        _attempt(store, f"nama{i}", "salah", None)
    assert throttle.wait_seconds(store, "budi", None) == 0


def test_failures_are_forgotten_after_a_day(store, clock):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    _fail_checked(store, clock, "budi", ATTACKER, 6)
    clock.now += timedelta(hours=25)
    _fail_checked(store, clock, "budi", ATTACKER, 1)
    assert throttle.wait_seconds(store, "budi", ATTACKER) == 0  # one failure of a fresh count


def test_two_servers_see_the_same_waits(db_url, clock):  # noqa: F811
    one, two = Store(db_url), Store(db_url)
    try:
        accounts.add_user(one, "budi", "viewer", PASSWORD)
        for _ in range(4):
            _attempt(one, "budi", "salah", ATTACKER)
        assert _attempt(two, "budi", PASSWORD, ATTACKER)[0] == "throttled"
        accounts.unlock_user(two, "budi")
        assert _attempt(one, "budi", PASSWORD, ATTACKER) == ("ok", "budi")
    finally:
        one.close()
        two.close()


def test_attempts_are_logged_and_listed_for_administrators(store, clock):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(4):
        _attempt(store, "budi", "salah", ATTACKER)
    _attempt(store, "budi", "salah", ATTACKER)  # refused during the wait
    _attempt(store, "rahasia-panjang-sekali", "x", ATTACKER)  # a password typed as a name
    log = read_audit(store)
    failed = log[log["action"] == "sign_in_failed"]
    assert len(failed) == 5 and all(ATTACKER in d for d in failed["detail"])
    assert (log["action"] == "sign_in_throttled").sum() == 1
    listing = throttle.list_throttles(store)
    pair = listing[(listing["scope"] == "pair") & (listing["account"] == "budi")].iloc[0]
    assert (pair["failures"], pair["refused"], pair["address"], bool(pair["waiting"])) == (4, 1, ATTACKER, True)
    assert "rahasia-panjang-sekali" not in listing.to_string() + log.to_string()
    assert listing["account"].str.startswith("?").any()  # that name shows as a hash


def test_concurrent_failures_are_all_counted(store, code_of):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    barrier = threading.Barrier(8)
    codes: list[str] = []

    def attempt() -> None:
        barrier.wait(timeout=30)
        codes.append(_attempt(store, "budi", "salah", ATTACKER)[0])

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(codes) == 8 and set(codes) <= {"bad_credentials", "throttled"}
    checked = codes.count("bad_credentials")
    assert (read_audit(store)["action"] == "sign_in_failed").sum() == checked
    pair = throttle.list_throttles(store).query("scope == 'pair'").iloc[0]
    assert pair["failures"] == checked and pair["refused"] == codes.count("throttled")


def test_a_new_password_lifts_the_waits(store, clock):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    _fail_checked(store, clock, "budi", ATTACKER, 8)
    accounts.set_password(store, "budi", "kata-sandi-baru-sekali", actor="root")
    assert _attempt(store, "budi", "kata-sandi-baru-sekali", ATTACKER) == ("ok", "budi")
