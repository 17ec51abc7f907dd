#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Native only: stats_alloc is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]
//! Heap allocations of one identifier check (issue 12, item 4): a valid value allocates only what
//! its result owns, the normalised value (and a display form where it differs), nothing on the
//! way. Its own test binary, because it installs a counting global allocator, and one `#[test]`,
//! so no other test allocates while it counts.

use std::alloc::System;

use formseal::ident::{self, IdentifierKind, Today};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// (kind, valid value as typed, allocations its result owns: the normalised value, plus the
/// display form where the kind has one (an organisation code's `60003734-1`)).
const VALID: [(IdentifierKind, &str, usize); 12] = [
    (IdentifierKind::Uscc, "91110000600037341L", 1),
    (IdentifierKind::Uscc, "９１１１ 0000-600037341l", 1),
    (IdentifierKind::OrgCode, "60003734-1", 2),
    (IdentifierKind::ResidentId, "110108196507221013", 1),
    (IdentifierKind::Domain, "www.huaxin-wt.com.cn", 1),
    (IdentifierKind::Email, "zhangjianguo@huaxin-wt.com.cn", 1),
    (IdentifierKind::Phone, "010-65012345", 1),
    (IdentifierKind::Mobile, "139 0101 2345", 1),
    (IdentifierKind::Mobile, "+86 138-1234-5678", 1),
    (IdentifierKind::Ip, "202.106.12.34", 1),
    (IdentifierKind::PsbFilingNumber, "京公网安备 11010502030143号", 1),
    (IdentifierKind::IcpNumber, "京ICP备05012345号", 1),
];

/// Allocations and reallocations (a string growing is a heap call too) made by `f`.
fn counted<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let region = Region::new(GLOBAL);
    let value = f();
    let change = region.change();
    (change.allocations + change.reallocations, value)
}

#[test]
fn a_valid_check_allocates_only_its_normalised_value() {
    let today = Some(Today { year: 2005, month: 6, day: 1 });
    let mut over = Vec::new();
    for (kind, input, owned) in VALID {
        let (count, outcome) = counted(|| ident::examine(kind, input, today));
        assert!(outcome.findings.is_empty() && outcome.normalized.is_some(), "{kind:?} {input:?}: {outcome:?}");
        // `check` also copies the input into its result.
        let (checked, _) = counted(|| ident::check(kind, input, today));
        println!("{:<18} {input:<32} examine {count}, check {checked} allocation(s)", kind.as_str());
        if count > owned || checked > owned + 1 {
            over.push(format!("{kind:?} {input:?}: {count} allocations ({checked} by check), its result owns {owned}"));
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}
