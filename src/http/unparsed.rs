//! Requests the HTTP layer refuses before the service sees them: a head actix-http cannot
//! parse (a control byte in a header value, a broken request line), one larger than its
//! buffer, one that did not arrive in time. actix-http answers those itself, with a bare
//! `400`, `431` or `408` (no body, no request id) and closes the connection, and no
//! middleware runs. Every 4xx must be a problem with a request id, and every request must
//! leave its mark in the audit log, so the connection is wrapped ([`Unparsed`]): when the
//! dispatcher writes such a bare answer, the wrapper writes a full problem answer in its
//! place and counts the request like any other that named no client (`audit::anonymous`).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::ResponseError;
use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::rt::net::TcpStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::problem::{ApiError, PROBLEM_JSON, REQUEST_ID};
use super::request_id::HEADER as REQUEST_ID_HEADER;
use super::{security_headers, source_address};
use crate::audit::report::Touched;
use crate::audit::trail::{Arrival, Trail};
use crate::audit::writer::Recorder;

/// A client's connection, as the HTTP dispatcher reads and writes it.
pub struct Unparsed {
    io: TcpStream,
    peer: Option<SocketAddr>,
    recorder: Recorder,
    /// The problem answer being written in place of a bare refusal, and how much of it is
    /// written. The dispatcher is told its own answer was written only once all of this is.
    replacing: Option<(Vec<u8>, usize)>,
}

impl Unparsed {
    pub fn new(io: TcpStream, peer: Option<SocketAddr>, recorder: Recorder) -> Self {
        Self {
            io,
            peer,
            recorder,
            replacing: None,
        }
    }

    /// The answer to a refused request, and its count in the audit log. The request named no
    /// client (nothing of it could be read), so it is counted in the aggregate of its source
    /// address like every anonymous request, which keeps a flood of them to a handful of
    /// entries. It draws nothing from the address's allowance: it cost nothing to refuse.
    fn answer(&self, bare: &BareRefusal) -> Vec<u8> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let problem = ApiError::MalformedRequest(bare.status);
        let source = source_address::of_peer(self.peer);
        let at = chrono::Utc::now();
        let arrival = Arrival {
            time: at,
            request_id: request_id.clone(),
            // Neither is known: the head could not be read.
            method: String::new(),
            route: None,
            purpose: None,
            source_address: source.map(|ip| ip.to_string()),
        };
        let entry = Trail::open(arrival, self.recorder.keys().clone())
            .pending()
            .finish(bare.status.as_u16(), &Touched::default());
        self.recorder
            .anonymous()
            .count(&entry, &source_address::limit_key(source), at);

        let body = REQUEST_ID.sync_scope(request_id.clone(), || problem.error_response());
        let body = body
            .into_body()
            .try_into_bytes()
            .expect("a problem body is bytes");
        let mut answer = format!(
            "{}\r\n{REQUEST_ID_HEADER}: {request_id}\r\n",
            bare.status_line
        );
        let fixed = [
            (header::CONTENT_TYPE, PROBLEM_JSON),
            (header::CONNECTION, "close"),
        ];
        for (name, value) in fixed.into_iter().chain(security_headers::api_headers()) {
            answer.push_str(&format!("{name}: {value}\r\n"));
        }
        answer.push_str(&format!(
            "content-length: {}\r\n{}\r\n\r\n",
            body.len(),
            bare.date_line
        ));
        let mut answer = answer.into_bytes();
        answer.extend_from_slice(&body);
        answer
    }
}

/// The dispatcher's own answer at the end of what it writes, as it makes it
/// (`HTTP/1.1 400 Bad Request`, `content-length: 0`, perhaps `connection: close`, `date`):
/// where it starts, its status and the lines kept in the replacement.
struct BareRefusal<'a> {
    at: usize,
    status: StatusCode,
    status_line: &'a str,
    date_line: &'a str,
}

/// Finds a bare refusal ending `written`. The service's own answers always carry a request
/// id, and its bodies are JSON (which cannot hold a raw line break) or fixed files, so a
/// head of exactly this shape at the end of a write is the dispatcher's.
fn bare_refusal(written: &[u8]) -> Option<BareRefusal<'_>> {
    let head = written.strip_suffix(b"\r\n\r\n")?;
    let at = head.windows(7).rposition(|w| w == b"HTTP/1.")?;
    let text = std::str::from_utf8(&head[at..]).ok()?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let status = match status_line.get(9..12)? {
        "400" => StatusCode::BAD_REQUEST,
        "408" => StatusCode::REQUEST_TIMEOUT,
        "431" => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let mut date_line = None;
    for line in lines {
        match line {
            "content-length: 0" | "connection: close" | "connection: keep-alive" => {}
            date if date.starts_with("date: ") => date_line = Some(date),
            _ => return None,
        }
    }
    Some(BareRefusal {
        at,
        status,
        status_line,
        date_line: date_line?,
    })
}

impl AsyncRead for Unparsed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Unparsed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.replacing.is_none() {
            match bare_refusal(buf) {
                None => return Pin::new(&mut this.io).poll_write(cx, buf),
                // Whatever precedes it (answers to pipelined requests) goes out as it is.
                Some(bare) if bare.at > 0 => {
                    return Pin::new(&mut this.io).poll_write(cx, &buf[..bare.at]);
                }
                Some(bare) => this.replacing = Some((this.answer(&bare), 0)),
            }
        }
        let (answer, written) = this.replacing.as_mut().expect("set above");
        while *written < answer.len() {
            match ready!(Pin::new(&mut this.io).poll_write(cx, &answer[*written..]))? {
                0 => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                n => *written += n,
            }
        }
        this.replacing = None;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "date: Sat, 01 Aug 2026 03:12:45 GMT";

    #[test]
    fn the_dispatchers_bare_refusals_are_recognised() {
        let bare = format!("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n{DATE}\r\n\r\n");
        let found = bare_refusal(bare.as_bytes()).unwrap();
        assert_eq!((found.at, found.status), (0, StatusCode::BAD_REQUEST));
        assert_eq!(found.date_line, DATE);
        let after =
            format!("HTTP/1.1 200 OK\r\nx-request-id: a\r\ncontent-length: 2\r\n\r\n{{}}{bare}");
        assert_eq!(
            bare_refusal(after.as_bytes()).unwrap().at,
            after.len() - bare.len()
        );
        let timeout = format!(
            "HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n{DATE}\r\n\r\n"
        );
        assert_eq!(
            bare_refusal(timeout.as_bytes()).unwrap().status,
            StatusCode::REQUEST_TIMEOUT
        );
    }

    #[test]
    fn the_services_own_answers_are_left_alone() {
        for own in [
            format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nx-request-id: a\r\n{DATE}\r\n\r\n"
            ),
            format!("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n{DATE}\r\n\r\n"),
            format!("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n{DATE}\r\n\r\nx"),
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_owned(),
        ] {
            assert!(bare_refusal(own.as_bytes()).is_none(), "{own}");
        }
    }
}
