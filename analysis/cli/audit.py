"""``python -m analysis audit [--limit N] [--action A] [--actor NAME] [--dataset ID] [--json]``: the audit log, newest first."""

from __future__ import annotations

from analysis.cli.common import database_options, print_json
from store.audit import ACTIONS, read_audit
from store.datasets import Store


def register(subparsers) -> None:
    p = subparsers.add_parser("audit", parents=[database_options()], help="print the audit log, newest first")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--action", action="append", choices=ACTIONS)
    p.add_argument("--actor")
    p.add_argument("--dataset", type=int, metavar="DATASET_ID")
    p.set_defaults(func=run)


def run(args) -> int:
    frame = read_audit(Store(args.database_url), limit=args.limit, action=args.action or None, actor=args.actor,
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
