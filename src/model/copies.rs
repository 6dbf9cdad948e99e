//! What one environment's copy of the playbook holds: content limited to
//! other environments dropped, content for every host repeated once per
//! host of that environment, and steps numbered again so they run on
//! without a gap. The playbook keeps the tree unresolved; each copy is
//! made from it.

use std::collections::HashMap;

use super::document::{Block, Section, map_text};
use super::engagement::Environment;
use super::slug::slugify;
use super::variables;

/// Whether a copy for `env` shows content limited to `only` (names or
/// roles of environments; empty means every copy).
pub fn shows(only: &[String], env: Option<&Environment>) -> bool {
    if only.is_empty() {
        return true;
    }
    let Some(env) = env else { return false };
    only.iter().any(|o| names(o, env))
}

/// Whether `selector` (from `only`) names `env`, by name or by role.
pub fn names(selector: &str, env: &Environment) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case(&env.name)
        || slugify(s) == env.slug
        || s.eq_ignore_ascii_case(env.role.label())
}

/// Whether `blocks` hold anything a copy must resolve.
pub fn varies(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Only { .. } | Block::EachHost { .. } => true,
        Block::Steps { steps } => steps.iter().any(|s| varies(&s.blocks)),
        Block::List { items, .. } => items.iter().any(|i| varies(&i.blocks)),
        Block::Callout { blocks, .. }
        | Block::Quote { blocks }
        | Block::Footnote { blocks, .. } => varies(blocks),
        _ => false,
    })
}

/// `blocks` as `env`'s copy shows them.
pub fn resolve(blocks: &[Block], env: Option<&Environment>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Only { only, blocks } => {
                if shows(only, env) {
                    out.extend(resolve(blocks, env));
                }
            }
            Block::EachHost {
                role,
                when_none,
                blocks,
            } => {
                let hosts: Vec<_> = hosts_of(env, role).collect();
                if hosts.is_empty() {
                    if let Some(text) = when_none {
                        out.push(Block::Paragraph {
                            content: vec![super::document::Inline::Text { text: text.clone() }],
                        });
                    }
                    continue;
                }
                for host in hosts {
                    let mut copy = resolve(blocks, env);
                    let lookup = |name: &str| match name {
                        "host.name" => Some(host.name.clone()),
                        "host.role" => Some(host.role.clone()),
                        _ => None,
                    };
                    map_text(&mut copy, &mut |text: &mut String| {
                        if let Some(done) = variables::substitute(text, &lookup) {
                            *text = done;
                        }
                    });
                    // Each host's headings get anchors of their own.
                    let suffix = slugify(&host.name);
                    for block in &mut copy {
                        if let Block::Heading { id, .. } = block {
                            id.push('-');
                            id.push_str(&suffix);
                        }
                    }
                    out.extend(copy);
                }
            }
            other => {
                let mut other = other.clone();
                match &mut other {
                    Block::Steps { steps } => {
                        for step in steps {
                            step.blocks = resolve(&step.blocks, env);
                        }
                    }
                    Block::List { items, .. } => {
                        for item in items {
                            item.blocks = resolve(&item.blocks, env);
                        }
                    }
                    Block::Callout { blocks, .. }
                    | Block::Quote { blocks }
                    | Block::Footnote { blocks, .. } => *blocks = resolve(blocks, env),
                    _ => {}
                }
                out.push(other);
            }
        }
    }
    out
}

/// Numbers the steps of a section from 1, in reading order.
pub fn renumber(blocks: &mut [Block]) {
    let mut n = 0;
    for block in blocks {
        if let Block::Steps { steps } = block {
            for step in steps {
                n += 1;
                step.number = n;
            }
        }
    }
}

/// The hosts of `role` in `env`, in the order the engagement lists them.
fn hosts_of<'e>(
    env: Option<&'e Environment>,
    role: &'e str,
) -> impl Iterator<Item = &'e super::engagement::Host> {
    env.into_iter()
        .flat_map(|e| &e.hosts)
        .filter(move |h| h.role == role)
}

/// Where each section's steps start in one copy: the section ids the
/// copy shows, with the steps before them; the copy's step count; and
/// its point of no return.
#[derive(Debug, Clone, Default)]
pub struct StepLayout {
    pub offsets: HashMap<String, u32>,
    pub total: u32,
    /// The label of the last step marked as the point of no return.
    pub no_return: Option<String>,
}

impl StepLayout {
    pub fn of<'a>(sections: impl Iterator<Item = &'a Section>, env: Option<&Environment>) -> Self {
        let mut layout = StepLayout::default();
        let mut back_out = 0;
        for section in sections {
            if !shows(&section.only, env) {
                continue;
            }
            let counter = if section.is_back_out() {
                &mut back_out
            } else {
                &mut layout.total
            };
            layout.offsets.insert(section.id.clone(), *counter);
            // One walk counts the section's steps and finds its mark.
            let marked = walk_steps(&section.blocks, env, counter);
            if let Some(n) = marked.filter(|_| !section.is_back_out()) {
                layout.no_return = Some(n.to_string());
            }
        }
        layout
    }
}

/// Counts the steps of `blocks` as `env`'s copy shows them onto `n`,
/// without making the copy, and returns the number of the last one marked
/// as the point of no return.
fn walk_steps(blocks: &[Block], env: Option<&Environment>, n: &mut u32) -> Option<u32> {
    let mut found = None;
    for b in blocks {
        match b {
            Block::Steps { steps } => {
                for step in steps {
                    *n += 1;
                    if step.no_return {
                        found = Some(*n);
                    }
                }
            }
            Block::Only { only, blocks } if shows(only, env) => {
                found = walk_steps(blocks, env, n).or(found);
            }
            Block::EachHost { role, blocks, .. } => {
                for _ in hosts_of(env, role) {
                    found = walk_steps(blocks, env, n).or(found);
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether `blocks` hold a ticked task (`- [x]`).
pub fn has_ticks(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::List { items, .. } => items
            .iter()
            .any(|i| i.checked == Some(true) || has_ticks(&i.blocks)),
        Block::Steps { steps } => steps.iter().any(|s| has_ticks(&s.blocks)),
        Block::Callout { blocks, .. }
        | Block::Quote { blocks }
        | Block::Footnote { blocks, .. }
        | Block::Only { blocks, .. }
        | Block::EachHost { blocks, .. } => has_ticks(blocks),
        _ => false,
    })
}

/// Clears every ticked task: what was done on Staging is still to do in
/// the customer's copy.
pub fn untick(blocks: &mut [Block]) {
    for block in blocks {
        match block {
            Block::List { items, .. } => {
                for item in items {
                    if item.checked == Some(true) {
                        item.checked = Some(false);
                    }
                    untick(&mut item.blocks);
                }
            }
            Block::Steps { steps } => {
                for step in steps {
                    untick(&mut step.blocks);
                }
            }
            Block::Callout { blocks, .. }
            | Block::Quote { blocks }
            | Block::Footnote { blocks, .. }
            | Block::Only { blocks, .. }
            | Block::EachHost { blocks, .. } => untick(blocks),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::Inline;
    use crate::model::engagement::{EnvironmentRole, Host, Upgrader};

    fn env(hosts: &[&str]) -> Environment {
        Environment {
            name: "Production".into(),
            slug: "production".into(),
            role: EnvironmentRole::Production,
            upgraded_by: Upgrader::Customer,
            hosts: hosts
                .iter()
                .map(|h| Host {
                    name: h.to_string(),
                    role: "Message broker".into(),
                })
                .collect(),
            vars: Default::default(),
        }
    }

    #[test]
    fn each_host_repeats_with_its_name_and_anchors_of_its_own() {
        let blocks = vec![Block::EachHost {
            role: "Message broker".into(),
            when_none: None,
            blocks: vec![Block::Heading {
                level: 1,
                id: "broker".into(),
                content: vec![Inline::Text {
                    text: "Broker {{ host.name }}".into(),
                }],
            }],
        }];
        let out = resolve(&blocks, Some(&env(&["br01", "br02"])));
        let headings: Vec<(String, String)> = out
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, content, .. } => {
                    Some((id.clone(), Inline::plain_text(content)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            vec![
                ("broker-br01".to_string(), "Broker br01".to_string()),
                ("broker-br02".to_string(), "Broker br02".to_string()),
            ]
        );
        assert!(resolve(&blocks, Some(&env(&[]))).is_empty());
    }
}
