#!/usr/bin/env python3
"""Runs a command beside a throw-away PostgreSQL cluster (tests/e2e/pgcluster.py): initdb in a
temporary directory, the server on a loopback port, a database 'unit' the command may empty
at will, named to it in GUILD_TEST_PG; the cluster is stopped by PID afterwards. Exits with the
command's status. Usage: tests/pg-run.py COMMAND [ARG...]"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e"))
from pgcluster import PgCluster  # noqa: E402


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cluster = PgCluster().start()
    try:
        uri = cluster.createdb("unit")
        print("PostgreSQL %s" % uri, flush=True)
        return subprocess.run(sys.argv[1:], env=dict(os.environ, GUILD_TEST_PG=uri),
                              timeout=900).returncode
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
