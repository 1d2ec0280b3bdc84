"""`tryghedsbot classify`: route messages read from stdin, one JSON object per line out.

Imports only the classifier, so it starts at once: it streams, answering each line as it is
read."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("classify", help="route messages: one per line on stdin, JSON lines out")
    p.set_defaults(handler=cmd_classify)


def cmd_classify(args: argparse.Namespace) -> int:
    from intents import Classifier

    classifier = Classifier.from_package_data()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\n")
        out.write(json.dumps(classifier.classify(text).to_json_dict(), ensure_ascii=False) + "\n")
        out.flush()
    return 0
