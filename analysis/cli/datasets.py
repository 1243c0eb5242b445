"""``python -m analysis datasets list|publish|archive|restore``: dataset versions from the shell.

``datasets list [--status S …] [--all] [--kind K] [--json]`` lists dataset versions, newest first;
``datasets archive|restore|publish VERSION_ID`` change a version's status, audited with the OS user
as actor (``cli:<name>``). In the app only analysts publish and only administrators archive; the
command line is the server administrator's tool (it holds the database), so it asks for no sign-in.
"""

from __future__ import annotations

from analysis.cli.common import cli_actor, database_options, print_json
from analysis.core.kinds import KINDS
from store.datasets import STATUSES, VISIBLE, Store


def register(subparsers) -> None:
    """Add ``datasets`` and its actions to the CLI.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers())
    >>> parser.parse_args(["datasets", "archive", "3"]).version_id
    3
    """
    data = subparsers.add_parser("datasets", help="list dataset versions; publish, archive, restore")
    actions = data.add_subparsers(dest="datasets_command", required=True, metavar="ACTION")
    common = database_options()
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


def _list(args) -> int:
    status = None if args.all else (args.status or list(VISIBLE))
    frame = Store(args.database_url).list_datasets(status=status, kind=args.kind)
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
        store = Store(args.database_url)
        getattr(store, method)(args.version_id, cli_actor())
        version = store.get_version(args.version_id)
        if args.json:
            print_json({"version_id": version["version_id"], "status": version["status"]})
        else:
            print(f"{version['version_id']}: {version['status']}")
        return 0

    return run
