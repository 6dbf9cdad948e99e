//! The service's scope exclusions, as rules over the engagement's facts.

use serde::{Deserialize, Serialize};

use super::engagement::{Engagement, Environment, EnvironmentRole, Upgrader};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Exclusion {
    /// No development or staging access was acknowledged: the upgrade can
    /// only be assisted by screen sharing, as a paid engagement.
    NoAccess,
    /// The provider upgrades an environment the membership does not
    /// cover: a second one, or one that is not development or staging
    /// (Production). Those are a paid engagement.
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
                "the membership covers one development or staging environment; upgrading {} is a paid engagement",
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

/// Environments the provider upgrades beyond the one the membership
/// covers: the first development or staging environment it upgrades.
pub fn paid_environments(engagement: &Engagement) -> impl Iterator<Item = &Environment> {
    let covered = engagement.environments.iter().position(|e| {
        e.upgraded_by == Upgrader::Platinum
            && matches!(
                e.role,
                EnvironmentRole::Development | EnvironmentRole::Staging
            )
    });
    engagement
        .environments
        .iter()
        .enumerate()
        .filter(move |(i, e)| e.upgraded_by == Upgrader::Platinum && Some(*i) != covered)
        .map(|(_, e)| e)
}

pub fn applicable(engagement: &Engagement) -> Vec<Exclusion> {
    let mut found = Vec::new();
    if !engagement.access_acknowledged {
        found.push(Exclusion::NoAccess);
    }
    let paid: Vec<String> = paid_environments(engagement)
        .map(|e| e.name.clone())
        .collect();
    if !paid.is_empty() {
        found.push(Exclusion::MultipleEnvironments { paid });
    }
    found
}
