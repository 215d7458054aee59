//! A webhook receiver for the tests: a real HTTP/1.1 server on 127.0.0.1 that records every
//! delivery it gets and answers as the test scripted it (a status, a redirect, no answer
//! at all, or a connection closed without one).

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// How the receiver answers one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Status(u16),
    /// `302 Found` to another path of this receiver.
    Redirect,
    /// Keeps the connection open without answering, longer than any delivery waits.
    Hang,
    /// Closes the connection without answering.
    Close,
    /// `500` with a body that does not end (a gibibyte), for as long as it is read.
    Endless,
}

/// One delivery as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// Lower-case names.
    pub headers: HashMap<String, String>,
    pub body: String,
    pub reply: Reply,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON delivery")
    }

    pub fn acknowledged(&self) -> bool {
        matches!(self.reply, Reply::Status(s) if (200..300).contains(&s))
    }

    /// The feed position of the change it delivers.
    pub fn position(&self) -> i64 {
        self.json()["data"]["position"]
            .as_i64()
            .expect("a position")
    }
}

struct State {
    script: VecDeque<Reply>,
    /// The answer once the script is played.
    otherwise: Reply,
    /// How long answering takes.
    delay: Duration,
    received: Vec<Received>,
    /// Deliveries being answered now, and the most there ever were at once.
    in_flight: usize,
    most_in_flight: usize,
}

pub struct Receiver {
    pub port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Listens on a free port; answers 204 to every delivery beyond `script`.
    pub fn start(script: &[Reply]) -> Self {
        Self::on_port(0, script)
    }

    /// Listens on `port` (0 for a free one): a receiver that comes back where it was.
    pub fn on_port(port: u16, script: &[Reply]) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the receiver");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            script: script.iter().copied().collect(),
            otherwise: Reply::Status(204),
            delay: Duration::ZERO,
            received: Vec::new(),
            in_flight: 0,
            most_in_flight: 0,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let state = state.clone();
                            std::thread::spawn(move || serve(stream, &state));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            port,
            state,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/sinergi", self.port)
    }

    /// How to answer once the script is played (204 until told otherwise).
    pub fn answer_from_now(&self, reply: Reply) {
        self.state.lock().unwrap().otherwise = reply;
    }

    /// Takes this long to answer each delivery.
    pub fn answer_after(&self, delay: Duration) {
        self.state.lock().unwrap().delay = delay;
    }

    /// The most deliveries that were being answered at the same time.
    pub fn most_at_once(&self) -> usize {
        self.state.lock().unwrap().most_in_flight
    }

    /// Every delivery so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// The deliveries answered with 2xx, in arrival order.
    pub fn acknowledged(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(Received::acknowledged)
            .collect()
    }
}

impl Drop for Receiver {
    /// Stops listening: connections are refused from here on.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (reply, delay) = {
        let mut state = state.lock().unwrap();
        let reply = state.script.pop_front().unwrap_or(state.otherwise);
        state.received.push(Received {
            path,
            headers,
            body: String::from_utf8(body).expect("a UTF-8 body"),
            reply,
        });
        state.in_flight += 1;
        state.most_in_flight = state.most_in_flight.max(state.in_flight);
        (reply, state.delay)
    };
    std::thread::sleep(delay);
    answer(reader.into_inner(), reply);
    state.lock().unwrap().in_flight -= 1;
}

fn answer(mut stream: TcpStream, reply: Reply) {
    let answer = match reply {
        Reply::Status(status) if status < 300 => {
            format!("HTTP/1.1 {status} Scripted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        }
        Reply::Status(status) => {
            let text = format!("scripted failure {status}\n{}", "x".repeat(8_000));
            format!(
                "HTTP/1.1 {status} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            )
        }
        Reply::Redirect => "HTTP/1.1 302 Found\r\nlocation: /elsewhere\r\n\
            content-length: 0\r\nconnection: close\r\n\r\n"
            .to_owned(),
        Reply::Hang => {
            std::thread::sleep(Duration::from_secs(3));
            return;
        }
        Reply::Close => return,
        Reply::Endless => {
            let head = "HTTP/1.1 500 Endless\r\nconnection: close\r\n\r\n";
            let chunk = [b'x'; 64 * 1024];
            if stream.write_all(head.as_bytes()).is_ok() {
                // Until Sinergi hangs up.
                for _ in 0..16 * 1024 {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                }
            }
            return;
        }
    };
    stream.write_all(answer.as_bytes()).ok();
    stream.flush().ok();
}
