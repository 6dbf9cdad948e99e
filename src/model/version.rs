//! Release versions and their order.

use std::cmp::Ordering;

/// A release's version: numbers separated by dots, compared by number,
/// so 1.2 < 1.10 < 2.0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(Vec<u64>);

impl Version {
    /// `None` for anything but one to four dot-separated numbers.
    pub fn parse(text: &str) -> Option<Version> {
        let parts: Option<Vec<u64>> = text.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| !p.is_empty() && p.len() <= 4).map(Version)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn versions_compare_by_number() {
        let v = |t| Version::parse(t).unwrap();
        assert!(v("1.10") > v("1.2"));
        assert!(v("2.0") > v("1.10"));
        assert_eq!(Version::parse("v1"), None);
        assert_eq!(Version::parse(""), None);
    }
}
