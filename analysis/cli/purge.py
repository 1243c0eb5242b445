"""``python -m analysis purge DATASET_ID --yes [--version VERSION_ID]``: delete a dataset for good.

Deletes a dataset (or one version) with the uploaded files no other version uses. Nothing else
deletes data: the app only archives. It is for administrators only: unless the sign-in mode is
``none`` (where everyone is admin), name an active admin account with ``--admin NAME`` and give its
password (typed, or ``--password-stdin``); the purge is audited under that name, and the audit
entry stays.
"""

from __future__ import annotations

from analysis.core import roles
from analysis.cli.common import cli_actor, database_options, print_json, read_password
from analysis.core.errors import AnalysisError
from store import accounts, auth
from store.datasets import Store


def register(subparsers) -> None:
    p = subparsers.add_parser("purge", parents=[database_options()], help="delete a dataset for good (admin, audited)",
                              description=__doc__.split("\n\n")[1])
    p.add_argument("dataset_id", type=int, metavar="DATASET_ID")
    p.add_argument("--version", type=int, metavar="VERSION_ID", help="only this version of the dataset")
    p.add_argument("--yes", action="store_true", help="really delete")
    p.add_argument("--admin", metavar="NAME", help="administrator account (modes local and oidc)")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    store = Store(args.database_url)
    mode = auth.auth_mode()
    if mode == "none":
        user = cli_actor()
    else:
        if not args.admin:
            raise AnalysisError(
                "admin_required",
                f"Mode masuk {mode}: purge hanya untuk administrator. Sebutkan akun dengan --admin NAMA "
                "(kata sandinya akan ditanyakan, atau --password-stdin).",
                f"Sign-in mode {mode}: purge is for administrators only. Name the account with --admin NAME "
                "(its password is asked for, or --password-stdin).",
            )
        user = accounts.authenticate(store, args.admin, read_password(args.password_stdin, confirm=False))
        roles.require_role(user, "admin")
    if not args.yes:
        listing = store.list_datasets(status=None)
        rows = listing[listing["dataset_id"] == args.dataset_id]
        if args.version is not None:
            rows = rows[rows["version_id"] == args.version]
        what = ", ".join(f"v{r.version_no} (id {r.version_id}, {r.status}, {r.rows_accepted} baris/rows)"
                         for r in rows.itertuples()) or "-"
        raise AnalysisError(
            "confirm_required",
            f"Purge menghapus permanen dataset {args.dataset_id}: {what}. Ulangi dengan --yes.",
            f"Purge deletes dataset {args.dataset_id} for good: {what}. Repeat with --yes.",
        )
    counts = store.purge(args.dataset_id, user, version_id=args.version)
    if args.json:
        print_json(counts)
    else:
        print(
            f"{counts['kind']} {counts['name']!r}: {counts['versions']} versi/versions, "
            f"{counts['files']} berkas/files dihapus/deleted"
            + ("; dataset dihapus/deleted" if counts["dataset_deleted"] else "")
        )
    return 0
