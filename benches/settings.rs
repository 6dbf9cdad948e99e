//! What a bench run covers, from `UPBOOK_BENCH_*` variables, so a run can
//! be narrowed or widened without editing code. A value that is not a
//! number counts as unset.

/// `name` as a count, or `default`.
pub fn count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// `name` as comma-separated counts (`1000,5000`), or `default`.
#[allow(dead_code, reason = "the serve bench times one size")]
pub fn counts(name: &str, default: &[usize]) -> Vec<usize> {
    match std::env::var(name) {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => default.to_vec(),
    }
}
