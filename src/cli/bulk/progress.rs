//! The progress line of a push on stderr: rows done of the total, rows a second and the
//! time left. Redrawn in place on a terminal; one line per batch otherwise (a log).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    total: usize,
    /// Rows done when this run started (a resumed push's earlier batches).
    resumed: usize,
    started: Instant,
    terminal: bool,
}

impl Progress {
    pub fn new(total: usize, resumed: usize) -> Self {
        Self {
            total,
            resumed,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, done: usize) {
        let line = line(self.total, self.resumed, done, self.started.elapsed());
        let mut stderr = std::io::stderr().lock();
        // Progress is a courtesy: a closed stderr must not stop the push.
        let _ = if self.terminal {
            write!(stderr, "\r{line}\x1b[K")
        } else {
            writeln!(stderr, "{line}")
        };
    }

    /// Ends the redrawn line, so that what follows starts on a line of its own.
    pub fn finish(&self) {
        if self.terminal {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// `rows 1500/12000 (12%), 850 rows/s, 12 s left`: the rate of this run's rows only.
fn line(total: usize, resumed: usize, done: usize, elapsed: Duration) -> String {
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let mut line = format!("rows {done}/{total} ({percent}%)");
    let seconds = elapsed.as_secs_f64();
    let sent = done.saturating_sub(resumed);
    if sent > 0 && seconds > 0.0 {
        let rate = sent as f64 / seconds;
        let left = total.saturating_sub(done) as f64 / rate;
        line.push_str(&format!(", {rate:.0} rows/s, {} left", duration(left)));
    }
    line
}

fn duration(seconds: f64) -> String {
    let seconds = seconds.round() as u64;
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min {} s", seconds / 60, seconds % 60),
        _ => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_rows_rate_and_time_left_of_this_run() {
        let secs = Duration::from_secs;
        assert_eq!(line(1000, 0, 0, secs(0)), "rows 0/1000 (0%)");
        assert_eq!(
            line(12_000, 0, 1_500, secs(2)),
            "rows 1500/12000 (12%), 750 rows/s, 14 s left"
        );
        // 500 rows were done before a resume: the rate is of the 1,000 sent since.
        assert_eq!(
            line(10_000, 500, 1_500, secs(10)),
            "rows 1500/10000 (15%), 100 rows/s, 1 min 25 s left"
        );
        assert_eq!(
            line(1_000_000, 0, 1_000, secs(10)),
            "rows 1000/1000000 (0%), 100 rows/s, 2 h 46 min left"
        );
        assert_eq!(line(0, 0, 0, secs(1)), "rows 0/0 (100%)");
    }
}
