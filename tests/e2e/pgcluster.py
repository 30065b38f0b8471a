"""A throw-away PostgreSQL cluster for tests: initdb into a temporary directory, the server on
a free loopback port and a Unix socket in that directory, stopped by PID. Debian's
postgresql 15 binaries; as root, they run as the postgres user (initdb refuses root)."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BIN = "/usr/lib/postgresql/15/bin"


def available():
    return os.path.exists(os.path.join(BIN, "initdb")) and shutil.which("psql") is not None


class PgCluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="guild-pg-")
        self.proc = None
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.as_user = []
        if os.geteuid() == 0:  # the cluster's files belong to postgres, as initdb wants
            os.chown(self.dir, *self._postgres_ids())
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @staticmethod
    def _postgres_ids():
        import pwd
        p = pwd.getpwnam("postgres")
        return p.pw_uid, p.pw_gid

    def start(self):
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_user + [BIN + "/initdb", "-D", data, "-U", "guild", "-A", "trust",
                                       "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.proc = subprocess.Popen(
            self.as_user + [BIN + "/postgres", "-D", data, "-k", self.dir, "-p", str(self.port),
                            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                            "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "guild",
                                "-d", "postgres", "-Atc", "SELECT 1"], capture_output=True,
                               text=True, timeout=10)
            if r.returncode == 0:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError("PostgreSQL did not start: " + open(self.log.name).read()[-2000:])

    def uri(self, db):
        return "postgresql://guild@127.0.0.1:%d/%s" % (self.port, db)

    def createdb(self, name):
        self.sql("postgres", "CREATE DATABASE %s" % name)
        return self.uri(name)

    def sql(self, db, query):
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "guild", "-d",
                            db, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\x1f", "-R", "\x1e",
                            "-c", query],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("psql: %s: %s" % (query[:200], r.stderr))
        # unit and record separators: a value may hold tabs and newlines (a mail's body)
        out = r.stdout[:-1] if r.stdout.endswith("\n") else r.stdout
        return [rec.split("\x1f") for rec in out.split("\x1e")] if out else []

    def _server_pid(self):
        """The postmaster's own PID (under runuser, self.proc is runuser's)."""
        try:
            with open(os.path.join(self.dir, "data", "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return self.proc.pid if self.proc else None

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            pid = self._server_pid()
            for sig, wait in ((signal.SIGINT, 20), (signal.SIGQUIT, 5), (signal.SIGKILL, 5)):
                try:
                    os.kill(pid, sig)  # SIGINT: fast shutdown, then harder
                except ProcessLookupError:
                    break
                deadline = time.time() + wait
                while time.time() < deadline:
                    try:
                        os.kill(pid, 0)
                    except ProcessLookupError:
                        break
                    time.sleep(0.05)
                else:
                    continue
                break
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
