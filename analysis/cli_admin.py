"""Administration from the shell: ``purge``, ``audit``, ``datasets list|publish|archive|restore``.

``python -m analysis purge DATASET_ID --yes [--version VERSION_ID]`` deletes a dataset (or one
version) for good, with the uploaded files no other version uses. Nothing else deletes data: the app
only archives. It is for administrators only: unless the sign-in mode is ``none`` (where everyone is
admin), name an active admin account with ``--admin NAME`` and give its password (typed, or
``--password-stdin``); the purge is audited under that name, and the audit entry stays.

``python -m analysis audit [--limit N] [--action A] [--actor NAME] [--dataset ID] [--json]`` prints
the audit log, newest first. ``python -m analysis datasets list [--status S …] [--kind K] [--json]``
lists dataset versions; ``datasets archive|restore|publish VERSION_ID`` change a version's status,
audited with the OS user as actor (``cli:<name>``).
"""

from __future__ import annotations

import argparse

from analysis import auth
from analysis.audit import ACTIONS, read_audit
from analysis.cli import print_json
from analysis.cli_users import cli_actor, read_password
from analysis.errors import AnalysisError
from analysis.store import KINDS, STATUSES, VISIBLE, Store


def _store(args) -> Store:
    return Store(getattr(args, "database_url", None))


def _purge(args) -> int:
    store = _store(args)
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
        user = auth.authenticate(store, args.admin, read_password(args.password_stdin, confirm=False))
        auth.require_role(user, "admin")
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


def _audit(args) -> int:
    frame = read_audit(_store(args), limit=args.limit, action=args.action or None, actor=args.actor,
                       dataset_id=args.dataset)
    if args.json:
        print_json({"audit": frame.to_dict("records")})
        return 0
    if frame.empty:
        print("Log audit kosong." if args.lang != "en" else "The audit log is empty.")
        return 0
    shown = frame.assign(at=frame["at"].dt.strftime("%Y-%m-%d %H:%M:%S UTC"))
    print(shown.drop(columns=["id"]).astype(object).fillna("-").to_string(index=False))
    return 0


def _list(args) -> int:
    status = None if args.all else (args.status or list(VISIBLE))
    frame = _store(args).list_datasets(status=status, kind=args.kind)
    if args.json:
        print_json({"datasets": frame.to_dict("records")})
        return 0
    if frame.empty:
        print("Belum ada dataset." if args.lang != "en" else "No datasets yet.")
        return 0
    columns = ["version_id", "dataset_id", "version_no", "kind", "name", "period", "status", "rows_accepted",
               "rows_rejected", "uploaded_by", "uploaded_at"]
    shown = frame[columns].assign(uploaded_at=frame["uploaded_at"].dt.strftime("%Y-%m-%d %H:%M UTC"))
    print(shown.astype(object).fillna("-").to_string(index=False))
    return 0


def _status_command(method: str):
    def run(args) -> int:
        store = _store(args)
        getattr(store, method)(args.version_id, cli_actor())
        version = store.get_version(args.version_id)
        if args.json:
            print_json({"version_id": version["version_id"], "status": version["status"]})
        else:
            print(f"{version['version_id']}: {version['status']}")
        return 0

    return run


def register(subparsers) -> None:
    """Add ``purge``, ``audit`` and ``datasets`` to the CLI.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["purge", "3", "--yes"])
    >>> args.dataset_id, args.yes
    (3, True)
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument("--lang", choices=("id", "en"), default="id")
    common.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL or the SQLite file)")

    purge = subparsers.add_parser("purge", parents=[common], help="delete a dataset for good (admin, audited)",
                                  description=__doc__.split("\n\n")[1])
    purge.add_argument("dataset_id", type=int, metavar="DATASET_ID")
    purge.add_argument("--version", type=int, metavar="VERSION_ID", help="only this version of the dataset")
    purge.add_argument("--yes", action="store_true", help="really delete")
    purge.add_argument("--admin", metavar="NAME", help="administrator account (modes local and oidc)")
    purge.add_argument("--password-stdin", action="store_true")
    purge.set_defaults(func=_purge)

    audit = subparsers.add_parser("audit", parents=[common], help="print the audit log, newest first")
    audit.add_argument("--limit", type=int, default=200)
    audit.add_argument("--action", action="append", choices=ACTIONS)
    audit.add_argument("--actor")
    audit.add_argument("--dataset", type=int, metavar="DATASET_ID")
    audit.set_defaults(func=_audit)

    data = subparsers.add_parser("datasets", help="list dataset versions; publish, archive, restore")
    actions = data.add_subparsers(dest="datasets_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="dataset versions, newest first")
    listing.add_argument("--status", action="append", choices=STATUSES)
    listing.add_argument("--all", action="store_true", help="archived ones too")
    listing.add_argument("--kind", choices=KINDS)
    listing.set_defaults(func=_list)
    for method, text in (("publish", "publish a draft version"), ("archive", "hide a version (nothing deleted)"),
                         ("restore", "bring an archived version back")):
        sub = actions.add_parser(method, parents=[common], help=text)
        sub.add_argument("version_id", type=int, metavar="VERSION_ID")
        sub.set_defaults(func=_status_command(method))

