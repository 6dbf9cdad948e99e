//! The engagement's facts as templates see them: who, which versions,
//! when, and each environment with who upgrades it.

use crate::strings::Strings;
use serde::Serialize;

use crate::model::Playbook;
use crate::model::engagement::{Upgrader, iso};
use crate::model::exclusions::Exclusion;

#[derive(Serialize)]
pub struct Facts {
    pub customer: String,
    pub product: String,
    pub current_version: String,
    pub target_version: String,
    pub case: Option<String>,
    pub earliest_start: String,
    pub ideal_start: String,
    pub deadline: String,
    pub deadline_reason: String,
    pub access_acknowledged: bool,
    pub provider: String,
    pub program: String,
    pub request_title: String,
}

#[derive(Serialize)]
pub struct EnvironmentRow {
    pub name: String,
    pub role: String,
    pub upgraded_by: &'static str,
    pub by_provider: bool,
    pub paid: bool,
    pub hosts: Vec<HostRow>,
    pub vars: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct HostRow {
    pub name: String,
    pub role: String,
}

#[derive(Serialize)]
pub struct ExclusionView {
    pub title: &'static str,
    pub summary: String,
}

pub(super) fn facts(playbook: &Playbook) -> Facts {
    let e = &playbook.engagement;
    let p = &playbook.process;
    Facts {
        customer: e.customer.clone(),
        product: e.product.clone(),
        current_version: e.current_version.clone(),
        target_version: e.target_version.clone(),
        case: e.case.clone(),
        earliest_start: iso(e.dates.earliest_start),
        ideal_start: iso(e.dates.ideal_start),
        deadline: iso(e.dates.deadline),
        deadline_reason: e.dates.deadline_reason.clone(),
        access_acknowledged: e.access_acknowledged,
        provider: p.provider.clone(),
        program: p.program.clone(),
        request_title: p.request_title.clone(),
    }
}

pub(super) fn environments(playbook: &Playbook, strings: &Strings) -> Vec<EnvironmentRow> {
    // Environments the membership does not cover are upgraded as a paid
    // engagement: the exclusion names them.
    let paid: Vec<&str> = playbook
        .exclusions
        .iter()
        .flat_map(|x| match x {
            Exclusion::MultipleEnvironments { paid } => paid.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    playbook
        .engagement
        .environments
        .iter()
        .map(|env| EnvironmentRow {
            name: env.name.clone(),
            role: strings.name("environment_role", env.role.label()),
            upgraded_by: env.upgraded_by.party(),
            by_provider: env.upgraded_by == Upgrader::Platinum,
            paid: paid.contains(&env.name.as_str()),
            hosts: env
                .hosts
                .iter()
                .map(|h| HostRow {
                    name: h.name.clone(),
                    role: h.role.clone(),
                })
                .collect(),
            vars: env
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect()
}

pub(super) fn exclusions(playbook: &Playbook) -> Vec<ExclusionView> {
    playbook
        .exclusions
        .iter()
        .map(|x| ExclusionView {
            title: x.title(),
            summary: x.summary(),
        })
        .collect()
}
