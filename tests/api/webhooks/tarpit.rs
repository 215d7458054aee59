//! A webhook receiver that accepts connections and never answers: not over HTTP, not even
//! a TLS handshake. It holds every connection until the other side gives up, and counts
//! how many it holds.

use std::io::{ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Default)]
struct Held {
    streams: Vec<TcpStream>,
    accepted: usize,
    most_open: usize,
}

impl Held {
    /// Lets go of the connections the other side closed.
    fn prune(&mut self) {
        self.streams.retain(is_open);
    }
}

/// Whether the other side still holds the connection: what it sent is read and dropped
/// until nothing more is waiting (open) or the stream ends (closed).
fn is_open(mut stream: &TcpStream) -> bool {
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return false,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
}

pub struct Tarpit {
    pub ip: String,
    pub port: u16,
    held: Arc<Mutex<Held>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Tarpit {
    /// Listens on a free port of `ip` (a loopback address such as `127.0.0.2`, so that
    /// tests can have receivers on several hosts).
    pub fn start(ip: &str) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("bind the tarpit");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = Arc::new(Mutex::new(Held::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (held, stop) = (held.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            stream.set_nonblocking(true).unwrap();
                            let mut held = held.lock().unwrap();
                            held.prune();
                            held.streams.push(stream);
                            held.accepted += 1;
                            held.most_open = held.most_open.max(held.streams.len());
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            ip: ip.to_owned(),
            port,
            held,
            stop,
            thread: Some(thread),
        }
    }

    /// A URL at the tarpit: `scheme` `http` (the request is sent, no answer comes) or
    /// `https` (the TLS handshake never completes).
    pub fn url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://{}:{}{path}", self.ip, self.port)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.held.lock().unwrap().accepted
    }

    /// Connections the other side holds open now.
    pub fn open(&self) -> usize {
        let mut held = self.held.lock().unwrap();
        held.prune();
        held.streams.len()
    }

    /// The most connections open at the same time so far.
    pub fn most_open(&self) -> usize {
        self.held.lock().unwrap().most_open
    }
}

impl Drop for Tarpit {
    /// Stops listening and closes what it holds.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}
