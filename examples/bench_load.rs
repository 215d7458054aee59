//! The load generator of `bench/load.sh`: a mixed workload against a running `serve --demo`
//! for a fixed time, every answer checked, every latency kept.
//!
//!   cargo run --release --example bench_load -- BASE_URL SECONDS CONNECTIONS OUT_JSON OUT_SVG
//!
//! Each of CONNECTIONS workers loops, drawing an operation at random: 60 % search
//! graduations by a NIK of the demo data, 20 % read one graduation by id (the two together
//! are the 80 % reads), 15 % publish one new graduation, 5 % publish a batch of 100 new
//! ones. Any answer other than the expected status is an error. Writes per-operation counts,
//! throughput and latency percentiles as JSON, and the latency distributions as an SVG plot.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use sinergi::demo::records::graduations;

const OPS: [&str; 4] = ["search", "read", "publish", "batch_100"];

async fn token(client: &reqwest::Client, base: &str, id: &str) -> String {
    let secret = format!("{id}-DEMO-SECRET-not-for-production");
    let res: Value = client
        .post(format!("{base}/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token answer");
    res["access_token"].as_str().expect("a token").to_owned()
}

/// The demo graduations' ids and NIKs, read page by page.
async fn demo_data(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> (Vec<String>, Vec<String>) {
    let (mut ids, mut niks) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/v1/graduations?limit=1000");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("page");
        for g in page["items"].as_array().expect("items") {
            ids.push(g["id"].as_str().unwrap().to_owned());
            niks.push(g["household"]["head_nik"].as_str().unwrap().to_owned());
            for m in g["member_niks"].as_array().unwrap() {
                niks.push(m.as_str().unwrap().to_owned());
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (ids, niks),
        }
    }
}

struct Sample {
    op: usize,
    micros: u32,
    ok: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, seconds, connections, out_json, out_svg] = &args[..] else {
        panic!("usage: bench_load BASE_URL SECONDS CONNECTIONS OUT_JSON OUT_SVG");
    };
    let (seconds, connections): (u64, usize) =
        (seconds.parse().unwrap(), connections.parse().unwrap());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    let publisher = token(&client, base, "demo-kemensos").await;
    let reader = token(&client, base, "demo-kemendes").await;
    let (ids, niks) = demo_data(&client, base, &reader).await;
    assert!(!ids.is_empty(), "the demo data holds graduations");
    // Bodies to publish: demo-generator graduations, each sent once under a fresh id.
    let pool: Vec<Value> = graduations(2_000, 7)
        .into_iter()
        .map(|g| serde_json::to_value(g).unwrap())
        .collect();

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers = (0..connections).map(|w| {
        let (client, base, publisher, reader) = (
            client.clone(),
            base.clone(),
            publisher.clone(),
            reader.clone(),
        );
        let (ids, niks, pool) = (ids.clone(), niks.clone(), pool.clone());
        tokio::task::spawn_local(async move {
            let mut rng = StdRng::seed_from_u64(w as u64);
            let mut samples = Vec::new();
            let mut n = 0usize;
            let mut fresh = |rng: &mut StdRng| {
                n += 1;
                let mut body = pool[rng.gen_range(0..pool.len())].clone();
                body["source_record_id"] = json!(format!("LOAD-{w}-{n}"));
                body
            };
            while Instant::now() < deadline {
                let draw = rng.gen_range(0..100);
                let (op, request, expected) = if draw < 60 {
                    let nik = &niks[rng.gen_range(0..niks.len())];
                    (
                        0,
                        client
                            .get(format!("{base}/v1/graduations?nik={nik}"))
                            .bearer_auth(&reader),
                        200,
                    )
                } else if draw < 80 {
                    let id = &ids[rng.gen_range(0..ids.len())];
                    (
                        1,
                        client
                            .get(format!("{base}/v1/graduations/{id}"))
                            .bearer_auth(&reader),
                        200,
                    )
                } else if draw < 95 {
                    let body = fresh(&mut rng);
                    (
                        2,
                        client
                            .post(format!("{base}/v1/graduations"))
                            .bearer_auth(&publisher)
                            .json(&body),
                        201,
                    )
                } else {
                    let items: Vec<Value> = (0..100).map(|_| fresh(&mut rng)).collect();
                    (
                        3,
                        client
                            .post(format!("{base}/v1/graduations/batch"))
                            .bearer_auth(&publisher)
                            .json(&json!({"items": items})),
                        200,
                    )
                };
                let t = Instant::now();
                let ok = match request.send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let body = res.bytes().await;
                        status == expected
                            && body.is_ok()
                            && (op != 3
                                || !String::from_utf8_lossy(&body.unwrap())
                                    .contains("\"rejected\""))
                    }
                    Err(_) => false,
                };
                let micros = u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX);
                samples.push(Sample { op, micros, ok });
            }
            samples
        })
    });
    let local = tokio::task::LocalSet::new();
    let samples: Vec<Sample> = local
        .run_until(async {
            let mut all = Vec::new();
            for handle in workers.collect::<Vec<_>>() {
                all.extend(handle.await.unwrap());
            }
            all
        })
        .await;
    let elapsed = started.elapsed().as_secs_f64();

    let mut per_op: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let mut errors = [0usize; 4];
    for s in &samples {
        per_op.entry(s.op).or_default().push(s.micros);
        if !s.ok {
            errors[s.op] += 1;
        }
    }
    let pct = |v: &[u32], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)] as f64 / 1e3;
    let mut ops = serde_json::Map::new();
    for (op, latencies) in per_op.iter_mut() {
        latencies.sort_unstable();
        ops.insert(
            OPS[*op].into(),
            json!({
                "requests": latencies.len(), "errors": errors[*op],
                "per_s": (latencies.len() as f64 / elapsed).round(),
                "p50_ms": pct(latencies, 0.5), "p99_ms": pct(latencies, 0.99),
                "p999_ms": pct(latencies, 0.999), "max_ms": *latencies.last().unwrap() as f64 / 1e3,
            }),
        );
    }
    let total = json!({
        "seconds": (elapsed * 10.0).round() / 10.0, "connections": connections,
        "requests": samples.len(), "errors": errors.iter().sum::<usize>(),
        "per_s": (samples.len() as f64 / elapsed).round(),
        "records_published": per_op.get(&2).map_or(0, Vec::len) + 100 * per_op.get(&3).map_or(0, Vec::len),
        "operations": ops,
    });
    std::fs::write(out_json, serde_json::to_string_pretty(&total).unwrap()).unwrap();
    std::fs::write(out_svg, svg(&per_op)).unwrap();
    println!("{}", serde_json::to_string_pretty(&total).unwrap());
}

/// Each operation's latency distribution as a curve: the share of requests (y) answered
/// within a time (x, log scale from 0.1 ms to 10 s).
fn svg(per_op: &BTreeMap<usize, Vec<u32>>) -> String {
    let (w, h, left, bottom, top, right) = (760.0, 420.0, 70.0, 50.0, 40.0, 170.0);
    let (plot_w, plot_h) = (w - left - right, h - top - bottom);
    let x_of = |ms: f64| left + (ms.max(0.1).log10() + 1.0) / 5.0 * plot_w;
    let y_of = |share: f64| top + (1.0 - share) * plot_h;
    let colours = ["#1f77b4", "#2ca02c", "#ff7f0e", "#d62728"];
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{left}" y="22" font-size="14">Latency by operation under the mixed load (share answered within x)</text>
"#
    );
    for decade in 0..=5 {
        let ms = 10f64.powi(decade - 1);
        let x = x_of(ms);
        let label = if ms < 1.0 {
            format!("{ms} ms")
        } else if ms < 1000.0 {
            format!("{ms:.0} ms")
        } else {
            format!("{:.0} s", ms / 1000.0)
        };
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{label}</text>"##,
            top + plot_h,
            top + plot_h + 18.0
        );
    }
    for share in [0.0, 0.5, 0.9, 0.99] {
        let y = y_of(share);
        let _ = writeln!(
            out,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{:.0} %</text>"##,
            left + plot_w,
            left - 6.0,
            y + 4.0,
            share * 100.0
        );
    }
    for (i, (op, latencies)) in per_op.iter().enumerate() {
        let n = latencies.len();
        let step = (n / 400).max(1);
        let mut points = String::new();
        for (k, micros) in latencies
            .iter()
            .enumerate()
            .step_by(step)
            .chain(std::iter::once((n - 1, &latencies[n - 1])))
        {
            let _ = write!(
                points,
                "{:.1},{:.1} ",
                x_of(*micros as f64 / 1e3),
                y_of((k + 1) as f64 / n as f64)
            );
        }
        let colour = colours[i % colours.len()];
        let _ = writeln!(
            out,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>"#
        );
        let ly = top + 20.0 + 20.0 * i as f64;
        let _ = writeln!(
            out,
            r#"<line x1="{:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"/><text x="{:.1}" y="{:.1}">{} ({n})</text>"#,
            left + plot_w + 12.0,
            left + plot_w + 32.0,
            left + plot_w + 38.0,
            ly + 4.0,
            OPS[*op]
        );
    }
    out.push_str("</svg>\n");
    out
}
