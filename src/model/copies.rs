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
                let hosts: Vec<_> = env
                    .map(|e| e.hosts.iter().filter(|h| h.role == *role).collect())
                    .unwrap_or_default();
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

/// How many steps `blocks` have in `env`'s copy, without making it.
pub fn count_steps(blocks: &[Block], env: Option<&Environment>) -> u32 {
    blocks
        .iter()
        .map(|b| match b {
            Block::Steps { steps } => steps.len() as u32,
            Block::Only { only, blocks } if shows(only, env) => count_steps(blocks, env),
            Block::EachHost { role, blocks, .. } => {
                let hosts = env.map_or(0, |e| e.hosts.iter().filter(|h| h.role == *role).count());
                hosts as u32 * count_steps(blocks, env)
            }
            _ => 0,
        })
        .sum()
}

/// Where each section's steps start in one copy: the section ids the
/// copy shows, with the steps before them, and the copy's step count.
#[derive(Debug, Clone, Default)]
pub struct StepLayout {
    pub offsets: HashMap<String, u32>,
    pub total: u32,
}

impl StepLayout {
    pub fn of<'a>(sections: impl Iterator<Item = &'a Section>, env: Option<&Environment>) -> Self {
        let mut layout = StepLayout::default();
        for section in sections {
            if !shows(&section.only, env) {
                continue;
            }
            layout.offsets.insert(section.id.clone(), layout.total);
            layout.total += count_steps(&section.blocks, env);
        }
        layout
    }
}
