//! The service's scope exclusions, as rules over the engagement's facts.

use serde::{Deserialize, Serialize};

use super::engagement::{Engagement, Upgrader};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Exclusion {
    /// No development or staging access was acknowledged: the upgrade can
    /// only be assisted by screen sharing, as a paid engagement.
    NoAccess,
    /// More than one environment is marked as upgraded by the provider; the
    /// membership covers one, so the others are a paid engagement.
    MultipleEnvironments { paid: Vec<String> },
}

impl Exclusion {
    pub fn title(&self) -> &'static str {
        match self {
            Exclusion::NoAccess => "No Access exclusion applies",
            Exclusion::MultipleEnvironments { .. } => {
                "Multiple Environment Assistance exclusion applies"
            }
        }
    }

    pub fn summary(&self) -> String {
        match self {
            Exclusion::NoAccess => {
                "access to a development or staging environment was not acknowledged, \
                so the upgrade can only be assisted by screen sharing as a paid engagement"
                    .into()
            }
            Exclusion::MultipleEnvironments { paid } => format!(
                "the membership covers one environment; upgrading {} is a paid engagement",
                join_names(paid)
            ),
        }
    }
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn applicable(engagement: &Engagement) -> Vec<Exclusion> {
    let mut found = Vec::new();
    if !engagement.access_acknowledged {
        found.push(Exclusion::NoAccess);
    }
    let paid: Vec<String> = engagement
        .environments
        .iter()
        .filter(|e| e.upgraded_by == Upgrader::Platinum)
        .skip(1)
        .map(|e| e.name.clone())
        .collect();
    if !paid.is_empty() {
        found.push(Exclusion::MultipleEnvironments { paid });
    }
    found
}
