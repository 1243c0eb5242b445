"""``python -m analysis users add|role|disable|enable|password|unlock|list``: accounts of mode ``local``.

The first administrator is made here::

    python -m analysis users add admin --role admin            # asks for the password twice
    printf '%s\\n' "$PASSWORD" | python -m analysis users add admin --role admin --password-stdin

The command line is the server administrator's tool: whoever can run it can already open the
database (its file, or the credentials in ``DATABASE_URL``), so it asks for no sign-in; every
change is audited with the OS user as actor (``cli:<name>``). ``unlock`` lifts the waits that
failed sign-ins put on an account — the way in for an administrator whom someone else's attempts
keep waiting. An account with ``--no-password`` can only sign in through OIDC, where it gives that
e-mail address its role (overriding ``EVALUASI_OIDC_ROLES``) or, disabled, keeps it out.
"""

from __future__ import annotations

import sys

from analysis.core import roles
from analysis.cli.common import cli_actor, database_options, print_json, read_password
from store import accounts


def _store(args):
    from store.db import Database

    return Database(args.database_url)


def _done(args, payload: dict, text: str) -> int:
    if args.json:
        print_json(payload)
    else:
        print(text)
    return 0


def _add(args) -> int:
    store = _store(args)
    password = None if args.no_password else read_password(args.password_stdin)
    user = accounts.add_user(store, args.name, args.role, password, email=args.email, actor=cli_actor())
    return _done(args, {"username": user.username, "role": user.role, "has_password": password is not None},
                 f"{user.username}: {user.role}")


def _role(args) -> int:
    store = _store(args)
    name = args.name.strip().lower()
    before = accounts.get_user(store, name)
    if before is not None and before.role == "admin" and args.role != "admin" and accounts.count_admins(store) <= 1:
        _warn_last_admin(args)
    accounts.set_role(store, name, args.role, actor=cli_actor())
    return _done(args, {"username": name, "role": args.role}, f"{name}: {args.role}")


def _warn_last_admin(args) -> None:
    message = ("Peringatan: ini administrator aktif terakhir." if args.lang != "en"
               else "Warning: this is the last active administrator.")
    sys.stderr.write(message + "\n")


def _disable(args) -> int:
    store = _store(args)
    name = args.name.strip().lower()
    before = accounts.get_user(store, name)
    if before is not None and before.role == "admin" and accounts.count_admins(store) <= 1:
        _warn_last_admin(args)
    accounts.disable_user(store, name, actor=cli_actor())
    return _done(args, {"username": name, "disabled": True}, f"{name}: disabled")


def _enable(args) -> int:
    name = args.name.strip().lower()
    accounts.enable_user(_store(args), name, actor=cli_actor())
    return _done(args, {"username": name, "disabled": False}, f"{name}: enabled")


def _password(args) -> int:
    name = args.name.strip().lower()
    store = _store(args)
    if accounts.get_user(store, name) is None:
        raise accounts.no_such_user(name)
    accounts.set_password(store, name, read_password(args.password_stdin), actor=cli_actor())
    return _done(args, {"username": name, "password_changed": True}, f"{name}: password changed")


def _unlock(args) -> int:
    name = args.name.strip().lower()
    accounts.unlock_user(_store(args), name, actor=cli_actor())
    return _done(args, {"username": name, "waiting": False}, f"{name}: sign-in waits lifted")


def _list(args) -> int:
    frame = accounts.list_users(_store(args))
    if args.json:
        print_json({"users": frame.to_dict("records")})
        return 0
    if frame.empty:
        print("Belum ada akun." if args.lang != "en" else "No accounts yet.")
        return 0
    shown = frame.assign(
        state=[
            "disabled" if d else "waiting" if w else "active" for d, w in zip(frame["disabled"], frame["waiting"])
        ],
        last_login_at=frame["last_login_at"].dt.strftime("%Y-%m-%d %H:%M UTC").fillna("-"),
        password=frame["has_password"].map({True: "yes", False: "no (OIDC)"}),
    )[["username", "role", "state", "password", "email", "last_login_at"]]
    print(shown.astype(object).fillna("-").to_string(index=False))
    return 0


def register(subparsers) -> None:
    """Add ``users`` and its sub-commands to the CLI.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers())
    >>> parser.parse_args(["users", "role", "budi", "analyst"]).role
    'analyst'
    """
    common = database_options()
    parser = subparsers.add_parser("users", help="manage sign-in accounts (mode local)",
                                   description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    add = actions.add_parser("add", parents=[common], help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=roles.ROLES)
    add.add_argument("--email")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    secret.add_argument("--no-password", action="store_true", help="an OIDC-only account")
    add.set_defaults(func=_add)

    role = actions.add_parser("role", parents=[common], help="change an account's role")
    role.add_argument("name")
    role.add_argument("role", choices=roles.ROLES)
    role.set_defaults(func=_role)

    disable = actions.add_parser("disable", parents=[common], help="stop an account from signing in")
    disable.add_argument("name")
    disable.set_defaults(func=_disable)

    enable = actions.add_parser("enable", parents=[common], help="let a disabled account sign in again")
    enable.add_argument("name")
    enable.set_defaults(func=_enable)

    password = actions.add_parser("password", parents=[common], help="set a new password")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(func=_password)

    unlock = actions.add_parser("unlock", parents=[common], help="lift the waits failed sign-ins put on an account")
    unlock.add_argument("name")
    unlock.set_defaults(func=_unlock)

    listing = actions.add_parser("list", parents=[common], help="list accounts")
    listing.set_defaults(func=_list)
