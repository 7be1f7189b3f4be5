//! A real PostgreSQL (Debian's `postgresql` package) in a temp dir on a free
//! loopback port, for the replica tests. PostgreSQL refuses to run as root,
//! so under root the server runs as the `postgres` user the package made;
//! otherwise as the current user. Stopped (immediate shutdown) on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::registry::free_port;

pub struct TestPostgres {
    child: Child,
    /// `postgres://berth@127.0.0.1:PORT/berth`, trust auth on loopback.
    pub url: String,
    _dir: tempfile::TempDir,
}

/// Where `initdb` and `postgres` live: `BERTH_TEST_PG_BIN`, else the newest
/// Debian version under /usr/lib/postgresql.
fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("BERTH_TEST_PG_BIN") {
        return dir.into();
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed: run scripts/setup.sh (apt package postgresql)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("postgres").exists())
        .collect();
    versions.sort();
    versions.pop().expect("no PostgreSQL server binaries found")
}

/// The uid and gid to run the server as: `postgres` when we are root.
fn run_as() -> Option<(u32, u32)> {
    let id = |flag: &str, user: &str| -> u32 {
        let out = Command::new("id").args([flag, user]).output().expect("id");
        assert!(
            out.status.success(),
            "user {user} is missing (apt package postgresql makes it)"
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("numeric id")
    };
    let me = Command::new("id").arg("-u").output().expect("id");
    (String::from_utf8_lossy(&me.stdout).trim() == "0")
        .then(|| (id("-u", "postgres"), id("-g", "postgres")))
}

fn command(bin: &Path, user: Option<(u32, u32)>) -> Command {
    let mut cmd = Command::new(bin);
    if let Some((uid, gid)) = user {
        use std::os::unix::process::CommandExt;
        cmd.uid(uid).gid(gid);
    }
    cmd.env("LC_ALL", "C").env_remove("PGDATA");
    cmd
}

impl TestPostgres {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let user = run_as();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown temp dir");
        }
        let data = dir.path().join("data");
        let bin = bin_dir();
        let init = command(&bin.join("initdb"), user)
            .args([
                "-A",
                "trust",
                "-U",
                "berth",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .output()
            .expect("initdb");
        assert!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("postgres.log")).expect("log");
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path().join("postgres.log"), Some(uid), Some(gid))
                .expect("chown log");
        }
        let child = command(&bin.join("postgres"), user)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-h", "127.0.0.1", "-k"])
            .arg(dir.path())
            .args(["-c", "fsync=off", "-c", "max_connections=100"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres");
        let pg = TestPostgres {
            child,
            url: format!("postgres://berth@127.0.0.1:{port}/berth"),
            _dir: dir,
        };
        pg.wait_ready(port).await;
        pg
    }

    /// Waits until the server takes connections, then makes the database.
    async fn wait_ready(&self, port: u16) {
        use sqlx::Connection;
        let admin = format!("postgres://berth@127.0.0.1:{port}/postgres");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match sqlx::PgConnection::connect(&admin).await {
                Ok(mut conn) => {
                    sqlx::query("CREATE DATABASE berth")
                        .execute(&mut conn)
                        .await
                        .expect("create database");
                    return;
                }
                Err(e) if Instant::now() > deadline => {
                    let log = std::fs::read_to_string(self._dir.path().join("postgres.log"))
                        .unwrap_or_default();
                    panic!("PostgreSQL did not start: {e}\n{log}");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // SIGQUIT: immediate shutdown, backends included (SIGKILL would
        // leave them running until they notice the postmaster is gone).
        let _ = Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
