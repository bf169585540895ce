//! A small SMTP server on 127.0.0.1 for the invitation tests: it speaks EHLO/HELO, MAIL,
//! RCPT, DATA, RSET, NOOP and QUIT, keeps every message whose DATA ended, and can be told
//! to refuse the next messages for now (451) or to stop answering at a given RCPT (so a
//! test can kill the sender mid-transaction).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A message as received: the envelope and the message itself.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// A header's value, unfolded (the first with that name, case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':') {
                if n.eq_ignore_ascii_case(name) {
                    value = Some(v.trim().to_string());
                }
            }
        }
        value
    }

    /// The body, its transfer encoding (base64 or quoted-printable) undone.
    pub fn body(&self) -> String {
        let raw = self.data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        match self
            .header("Content-Transfer-Encoding")
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("base64") => {
                let compact: String = raw.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .expect("base64 body");
                String::from_utf8(bytes).expect("UTF-8 body")
            }
            Some("quoted-printable") => quoted_printable(raw),
            _ => raw.to_string(),
        }
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let body = self.body();
        let start = body.find(prefix)?;
        let rest = &body[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 body")
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    /// Messages to refuse with 451 at MAIL FROM.
    refuse_next: usize,
    /// RCPTs seen so far, and the one (1-based) at which to stop answering.
    rcpts: usize,
    hang_at_rcpt: Option<usize>,
    hung: bool,
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
        let port = listener.local_addr().unwrap().port();
        let sink = SmtpSink {
            port,
            state: Arc::default(),
        };
        let state = sink.state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, state.clone()));
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// Refuse the next `n` messages with "451 try again later".
    pub fn refuse_next(&self, n: usize) {
        self.state.lock().unwrap().refuse_next = n;
    }

    /// Stop answering at the `n`-th RCPT from now (the sender waits, mid-transaction).
    pub fn hang_at_rcpt(&self, n: usize) {
        let mut s = self.state.lock().unwrap();
        s.hang_at_rcpt = Some(s.rcpts + n);
    }

    /// Whether a session is hanging at the RCPT `hang_at_rcpt` chose.
    pub fn hung(&self) -> bool {
        self.state.lock().unwrap().hung
    }

    /// Waits until `n` messages have arrived (panics after `secs`).
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        for _ in 0..secs * 20 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} of {n} messages arrived", self.received().len());
    }
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut to = Vec::new();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO") || command == "NOOP" {
            b"250 ok\r\n"
        } else if command == "RSET" {
            to.clear();
            b"250 ok\r\n"
        } else if command.starts_with("MAIL FROM:") {
            let mut s = state.lock().unwrap();
            if s.refuse_next > 0 {
                s.refuse_next -= 1;
                b"451 4.3.0 try again later\r\n"
            } else {
                b"250 ok\r\n"
            }
        } else if command.starts_with("RCPT TO:") {
            let hang = {
                let mut s = state.lock().unwrap();
                s.rcpts += 1;
                let hang = s.hang_at_rcpt == Some(s.rcpts);
                s.hung |= hang;
                hang
            };
            if hang {
                // Never answers: the sender is stuck here until it is killed.
                let mut rest = Vec::new();
                let _ = tokio::io::AsyncReadExt::read_to_end(&mut lines, &mut rest).await;
                return;
            }
            let addr = line.trim_end()[8..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            to.push(addr);
            b"250 ok\r\n"
        } else if command == "DATA" {
            if write.write_all(b"354 go ahead\r\n").await.is_err() {
                return;
            }
            let Some(data) = read_data(&mut lines).await else {
                return; // DATA did not end: nothing was delivered
            };
            let message = Received {
                to: std::mem::take(&mut to),
                data,
            };
            state.lock().unwrap().received.push(message);
            b"250 ok: queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// The message up to the line ".", dot-unstuffed; `None` if the connection ends first.
async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text == "." {
            return Some(data.trim_end_matches("\r\n").to_string());
        }
        data.push_str(text.strip_prefix('.').unwrap_or(text));
        data.push_str("\r\n");
    }
}
