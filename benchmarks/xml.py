#!/usr/bin/env python3
"""Domain XML throughput: parse + format of the conformance corpus on one core.

Budget (issue 3): at least 500 documents per second.  Prints the figure and
exits non-zero below the budget.  Time is the process's CPU time, so other
load on the machine does not count against the figure.

    python benchmarks/xml.py [--corpus DIR] [--seconds N]
"""
import argparse
import os
import sys
import time

BUDGET = 500.0
DEFAULT_CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "shared", "conformance", "xml")


def load(corpus):
    docs = []
    for case in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, case, "in.xml")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                docs.append(f.read())
    return docs


def run(docs, seconds):
    from virtsh import xmlconf
    from virtsh.drivers.errors import VirtError
    from virtsh.xmlconf import domain
    done = 0
    start = time.process_time()
    while True:
        for text in docs:
            try:
                domain.format(domain.parse(text), xmlconf.XML_INACTIVE)
            except VirtError:
                pass
            done += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    docs = load(args.corpus)
    if not docs:
        sys.exit("no documents under %s" % args.corpus)
    rate = run(docs, args.seconds)
    print("xml: %.0f documents per CPU-second parse+format (%d corpus documents, budget %d/s)"
          % (rate, len(docs), BUDGET))
    sys.exit(0 if rate >= BUDGET else 1)


if __name__ == "__main__":
    main()
