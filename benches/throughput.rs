//! Native throughput of one built-in form, for `bench/node.mjs`, which runs it in its alternating
//! rounds beside the JavaScript peers so the native/JS ratio comes from the same minutes of a
//! shared machine. Usage: `throughput <form-id> <valid|invalid> <milliseconds>`; prints ops/s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use formseal::{Form, Locale, Timestamp};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (Some(id), Some(kind)) = (args.first(), args.get(1)) else {
        eprintln!("usage: throughput <form-id> <valid|invalid> [milliseconds]");
        std::process::exit(2);
    };
    let ms: u64 = args.get(2).and_then(|m| m.parse().ok()).unwrap_or(200);
    let builtin = formseal::forms::builtin(id).expect("a built-in form id");
    let text = if kind == "invalid" { builtin.invalid_example() } else { builtin.valid_example() };
    let data: Value = serde_json::from_str(text).unwrap();
    let form = Form::builtin(id).unwrap();
    let now: Timestamp = "2005-06-01T10:00:00+08:00".parse().unwrap();
    let run = |budget: Duration| {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget {
            for _ in 0..16 {
                black_box(form.validate(black_box(&data), now, Locale::ZhCn));
            }
            n += 16;
        }
        n as f64 / start.elapsed().as_secs_f64()
    };
    run(Duration::from_millis(ms / 4)); // warm-up
    println!("{:.1}", run(Duration::from_millis(ms)));
}
