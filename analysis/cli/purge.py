"""``python -m analysis purge DATASET_ID --yes [--version VERSION_ID]``: delete a dataset for good.

Deletes a dataset (or one version) with the uploaded files no other version uses. Nothing else
deletes data: the app only archives. Like every command here, it is the server administrator's
tool: whoever can run it can already open the database (its file, or the credentials in
``DATABASE_URL``), so it asks for no sign-in, whatever the app's sign-in mode; it asks for
``--yes`` and is audited under the OS user (``cli:<name>``), and the audit entry outlives the data.
"""

from __future__ import annotations

from analysis.cli.common import cli_actor, database_options, print_json
from analysis.core.errors import AnalysisError
from store.datasets import Store


def register(subparsers) -> None:
    p = subparsers.add_parser("purge", parents=[database_options()],
                              help="delete a dataset for good (server administrators, audited)",
                              description=__doc__.split("\n\n")[1])
    p.add_argument("dataset_id", type=int, metavar="DATASET_ID")
    p.add_argument("--version", type=int, metavar="VERSION_ID", help="only this version of the dataset")
    p.add_argument("--yes", action="store_true", help="really delete")
    p.set_defaults(func=run)


def run(args) -> int:
    store = Store(args.database_url)
    user = cli_actor()
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
