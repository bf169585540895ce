//! The server under load: a real `valuebond serve` process, and what it uses (CPU time,
//! resident memory) read from `/proc`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// Starts `valuebond serve --demo` (no synthetic responses, no rate limits), with at most
/// `pool` connections to PostgreSQL when given.
pub async fn start(database_url: Option<&str>, pool: Option<u32>) -> Server {
    let exe = std::env::current_exe()
        .expect("exe")
        .with_file_name("valuebond");
    let dir = crate::temp_dir(&format!("load-{}", free_port()));
    let port = free_port();
    let mut cmd = Command::new(exe);
    cmd.args(["serve", "--demo"])
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", &dir)
        .env("DEMO_RESPONSES", "0")
        .env("RATE_CLIENT", "0")
        .env("RATE_SURVEY", "0")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    match database_url {
        Some(url) => cmd.env("DATABASE_URL", url),
        None => cmd.env_remove("DATABASE_URL"),
    };
    // Without one, the bench's own `DATABASE_POOL` if set (to compare pool sizes).
    if let Some(pool) = pool {
        cmd.env("DATABASE_POOL", pool.to_string());
    }
    // Owned by `Server` at once, so the process is killed and reaped on every path.
    let server = Server {
        child: cmd
            .spawn()
            .expect("start valuebond (build it with cargo leptos build --release)"),
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

/// CPU time the process has used (user + system), in seconds.
pub fn cpu_seconds(pid: u32) -> f64 {
    stat_seconds(pid, &[11, 12])
}

/// The sum of fields `fields` (counted from the process state, field 3, as 0) of
/// `/proc/{pid}/stat`, in seconds: Linux reports CPU time in USER_HZ ticks, which are
/// 1/100 s on every Linux ABI.
fn stat_seconds(pid: u32, wanted: &[usize]) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = wanted
        .iter()
        .map(|i| {
            fields
                .get(*i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum();
    ticks as f64 / 100.0
}

/// The machine's CPU time so far, from the first line of `/proc/stat`, in ticks.
pub struct MachineTicks {
    busy: u64,
    total: u64,
}

pub fn machine_ticks() -> MachineTicks {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    // cpu user nice system idle iowait irq softirq steal (guest time is in user already).
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|t| t.parse().ok())
        .collect();
    let total: u64 = ticks.iter().sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    MachineTicks {
        busy: total - idle,
        total,
    }
}

impl MachineTicks {
    /// The share of the CPU time between `self` and `later` that was busy (0 to 1).
    pub fn busy_share_until(&self, later: &MachineTicks) -> f64 {
        let total = later.total.saturating_sub(self.total);
        later.busy.saturating_sub(self.busy) as f64 / total.max(1) as f64
    }
}

pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// CPU time the PostgreSQL cluster listening on `port` has used, in seconds: its
/// postmaster (the `postgres` process started with `-p port`) and every process it forked
/// (backends live as long as the servers' pooled connections; the CPU of children that
/// ended is in the postmaster's `cutime`/`cstime`). Other clusters on the machine are not
/// counted. 0 when there is none.
pub fn postgres_cpu_seconds(port: u16) -> f64 {
    let processes: Vec<(u32, String)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .map(|pid| {
            (
                pid,
                std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default(),
            )
        })
        .collect();
    let wanted_port = port.to_string();
    let postmaster = processes.iter().find_map(|(pid, _)| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        let is_postgres = args.first().is_some_and(|a| a.ends_with(b"/postgres"));
        let on_port = args
            .windows(2)
            .any(|w| w[0] == b"-p" && w[1] == wanted_port.as_bytes());
        (is_postgres && on_port).then_some(*pid)
    });
    let Some(postmaster) = postmaster else {
        return 0.0;
    };
    let parent = |stat: &str| -> Option<u32> {
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let mut total = stat_seconds(postmaster, &[11, 12, 13, 14]);
    for (pid, stat) in &processes {
        if parent(stat) == Some(postmaster) {
            total += stat_seconds(*pid, &[11, 12]);
        }
    }
    total
}
