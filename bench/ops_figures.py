#!/usr/bin/env python3
"""Operations figures for the release build: start-up time (process start to
/healthz 200) with SQLite and with PostgreSQL, the RSS with N stored
sessions, and the time of a /metrics scrape with them. Needs scripts/build.sh first; starts its own registry:2 and
PostgreSQL (as the `postgres` user when run as root) in a temp dir.

    bench/ops_figures.py [SESSIONS]        (default 10000; about a minute)
"""
import http.client, os, shutil, sqlite3, subprocess, sys, tempfile, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "target", "release", "berth")
REG_PORT, BERTH_PORT, PG_PORT = 5077, 3077, 25432
work = tempfile.mkdtemp(prefix="berth-ops-")


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024


def start_berth(db_url, extra=None):
    env = dict(os.environ, BERTH_REGISTRY_URL=f"http://127.0.0.1:{REG_PORT}", BERTH_AUTH="htpasswd",
               BERTH_HTPASSWD=f"{work}/htpasswd", BERTH_LISTEN=f"127.0.0.1:{BERTH_PORT}",
               BERTH_DATABASE_URL=db_url, LEPTOS_SITE_ROOT=f"{ROOT}/target/site", RUST_LOG="warn",
               BERTH_COOKIE_SECURE="false", BERTH_METRICS_OPEN="true", **(extra or {}))
    t0 = time.monotonic()
    p = subprocess.Popen([BERTH], env=env, stdout=subprocess.DEVNULL, stderr=open(f"{work}/berth.log", "a"))
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{BERTH_PORT}/healthz", timeout=1).read()
            return p, (time.monotonic() - t0) * 1000
        except Exception:
            if p.poll() is not None:
                sys.exit(f"berth exited; see {work}/berth.log")
            time.sleep(0.005)


def startup(db_url, extra=None):
    times = []
    for _ in range(5):
        p, ms = start_berth(db_url, extra)
        times.append(ms)
        p.terminate(); p.wait()
    kind = db_url.split(":")[0]
    print(f"start-up to /healthz 200, {kind}: first {times[0]:.0f} ms (creates and migrates), "
          f"then median {sorted(times[1:])[1]:.0f} ms of {', '.join(f'{t:.0f}' for t in times[1:])}")


def start_postgres():
    bindir = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    bindir = f"/usr/lib/postgresql/{bindir}/bin"
    pgdir = f"{work}/pg"
    os.makedirs(pgdir)
    as_user = []
    if os.geteuid() == 0:
        # The server's user must be able to pass through the temp dir.
        os.chmod(work, 0o755)
        shutil.chown(pgdir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_user + [f"{bindir}/initdb", "-A", "trust", "-U", "berth", "-E", "UTF8", "--no-sync",
                              "-D", f"{pgdir}/data"], check=True, stdout=subprocess.DEVNULL)
    pg = subprocess.Popen(as_user + [f"{bindir}/postgres", "-D", f"{pgdir}/data", "-p", str(PG_PORT),
                                     "-h", "127.0.0.1", "-k", pgdir], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "berth", "-d", "postgres",
                           "-c", "CREATE DATABASE berth"], capture_output=True).returncode == 0:
            return pg
        time.sleep(0.1)
    sys.exit("PostgreSQL did not start")


def sessions(n):
    p, _ = start_berth(f"sqlite://{work}/rss.db")
    time.sleep(1)
    base = rss_mib(p.pid)
    body = urllib.parse.urlencode({"username": "u", "password": "pw", "next": "/"})
    t0 = time.monotonic()
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", BERTH_PORT)
        c.request("POST", "/auth/login", body, {"content-type": "application/x-www-form-urlencoded",
                                                "origin": f"http://127.0.0.1:{BERTH_PORT}"})
        r = c.getresponse(); r.read(); c.close()
        assert r.status == 303, r.status
    took = time.monotonic() - t0
    time.sleep(2)
    stored = sqlite3.connect(f"{work}/rss.db").execute("SELECT COUNT(*) FROM tower_sessions").fetchone()[0]
    print(f"RSS: {base} MiB at start, {rss_mib(p.pid)} MiB with {stored} stored sessions "
          f"({n} logins in {took:.0f} s)")
    # A scrape counts the live sessions in the database: its cost with them.
    scrapes = []
    for _ in range(21):
        t0 = time.monotonic()
        text = urllib.request.urlopen(f"http://127.0.0.1:{BERTH_PORT}/metrics", timeout=10).read()
        scrapes.append((time.monotonic() - t0) * 1000)
    active = [l for l in text.decode().splitlines() if l.startswith("berth_sessions_active")]
    print(f"/metrics with {stored} sessions: median {sorted(scrapes)[10]:.1f} ms of 21 scrapes, "
          f"{len(text)} bytes, {active[0] if active else 'no session gauge'}")
    p.terminate(); p.wait()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    subprocess.run(["htpasswd", "-Bbc", "-C", "4", f"{work}/htpasswd", "u", "pw"], check=True, capture_output=True)
    reg = subprocess.run([f"{ROOT}/scripts/registry.sh", f"{work}/registry", str(REG_PORT)], check=True,
                         capture_output=True, text=True).stdout.strip()
    pg = None
    try:
        startup(f"sqlite://{work}/start.db")
        pg = start_postgres()
        startup(f"postgres://berth@127.0.0.1:{PG_PORT}/berth", {"BERTH_SECRET_KEY": "7f" * 32})
        sessions(n)
    finally:
        subprocess.run(["kill", reg])
        if pg:
            # Immediate shutdown of the server itself (runuser may not pass
            # the signal on).
            subprocess.run(["pkill", "-QUIT", "-f", f"postgres -D {work}/pg/data"])
            pg.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


main()
