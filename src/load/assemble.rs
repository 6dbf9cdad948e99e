//! From a loaded project to the model: notes grouped under the process
//! activities they belong to, steps numbered, the schedule planned.

use std::collections::BTreeMap;

use time::Date;

use super::Project;
use crate::model::document::{BACK_OUT, Section};
use crate::model::variables::Scope;
use crate::model::{Phase, Playbook, exclusions, schedule};
use crate::strings::Strings;

/// Puts a loaded project in reading order, as the playbook every backend
/// reads. `load` has already rejected unknown phases, duplicate ids and
/// dangling references. `delivered` is the final release's date, when
/// there is one: on-call support runs from it.
/// `strings` gives the words the model holds (the known issues' part).
pub fn playbook(
    project: Project,
    date: Option<Date>,
    delivered: Option<Date>,
    strings: &Strings,
) -> Playbook {
    let Project {
        config,
        engagement,
        process,
        notes,
        process_text,
        requests,
        run,
        assets,
        ..
    } = project;
    let run = run.map(|r| r.run).unwrap_or_default();
    let mut by_phase: BTreeMap<String, Vec<Section>> = BTreeMap::new();
    for loaded in notes {
        let phase = loaded.section.phase.clone().unwrap_or_default();
        by_phase.entry(phase).or_default().push(loaded.section);
    }
    let mut back_out = by_phase.remove(BACK_OUT).unwrap_or_default();
    back_out.sort_by_key(|s| s.order);
    let mut phases = Vec::new();
    for milestone in &process.milestones {
        for activity in milestone.groups.iter().flat_map(|g| &g.activities) {
            if let Some(mut sections) = by_phase.remove(&activity.id) {
                // Stable: equal `order` keeps file-name order.
                sections.sort_by_key(|s| s.order);
                phases.push(Phase {
                    activity: activity.id.clone(),
                    title: activity.title.clone(),
                    milestone: milestone.name.clone(),
                    owner: activity.owner.clone(),
                    sections,
                });
            }
        }
    }
    let scope = Scope::new(&engagement, process.variables());
    let upgraded = engagement.provider_environment().map(|e| e.name.as_str());
    let known_issues = super::findings::place(&run, &mut phases, upgraded, strings);
    let schedule = schedule::plan(&engagement, &process, &run, delivered);
    let exclusions = exclusions::applicable(&engagement);
    let mut playbook = Playbook {
        config,
        version: "draft".into(),
        accepted_by: None,
        accepted_on: None,
        acceptance_reference: None,
        date,
        engagement,
        process,
        schedule,
        exclusions,
        environment: None,
        phases,
        back_out,
        known_issues,
        appendix: process_text.into_iter().map(|l| l.section).collect(),
        change_requests: requests.into_iter().map(|r| r.request).collect(),
        run,
        assets,
        scope,
    };
    playbook.number_steps();
    playbook
}
