//! Identifier checks, one kind at a time: a valid and an invalid value of each kind, checked alone
//! (`cargo bench --bench identifiers`). What `ident::check` costs a form per identifier field;
//! the figures before and after the allocation-free rewrite are in bench/results/changes.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use formseal::ident::{IdentifierKind, Today};

/// (kind, valid value as people type it, invalid value). The valid values are those of the
/// built-in examples (spaces and hyphens included, so normalisation does some work).
const SAMPLES: [(IdentifierKind, &str, &str); 11] = [
    (IdentifierKind::Uscc, "91110000600037341L", "91110000600037341M"),
    (IdentifierKind::OrgCode, "60003734-1", "60003734-2"),
    (IdentifierKind::ResidentId, "110108196507221013", "110108196507221014"),
    (IdentifierKind::Domain, "www.huaxin-wt.com.cn", "-huaxin.cn"),
    (IdentifierKind::Email, "zhangjianguo@huaxin-wt.com.cn", "zhangjianguo@@huaxin-wt.com.cn"),
    (IdentifierKind::Url, "http://www.huaxin-wt.com.cn/", "ftp://ftp.huaxin-wt.com.cn/"),
    (IdentifierKind::Phone, "010-65012345", "010-123456"),
    (IdentifierKind::Mobile, "139 0101 2345", "128 1234 5678"),
    (IdentifierKind::Ip, "202.106.12.34", "010.1.1.1"),
    (IdentifierKind::PsbFilingNumber, "京公网安备 11010502030143号", "沪公网安备11010502030143号"),
    (IdentifierKind::IcpNumber, "京ICP备05012345号", "京ICP备0501234号"),
];

fn identifiers(c: &mut Criterion) {
    let today = Some(Today { year: 2005, month: 6, day: 1 });
    let mut group = c.benchmark_group("ident");
    for (kind, valid, invalid) in SAMPLES {
        assert!(formseal::check_identifier(kind, valid, today).is_valid(), "{valid}");
        assert!(!formseal::check_identifier(kind, invalid, today).is_valid(), "{invalid}");
        group.bench_function(format!("{}/valid", kind.as_str()), |b| {
            b.iter(|| formseal::check_identifier(kind, black_box(valid), today))
        });
        group.bench_function(format!("{}/invalid", kind.as_str()), |b| {
            b.iter(|| formseal::check_identifier(kind, black_box(invalid), today))
        });
    }
    // A Chinese domain: the path that needs UTS #46 mapping and the script table.
    group.bench_function("domain/valid-han", |b| {
        b.iter(|| formseal::check_identifier(IdentifierKind::Domain, black_box("华信网通.中国"), today))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(30)
        .without_plots()
}

criterion_group! { name = benches; config = config(); targets = identifiers }
criterion_main!(benches);
