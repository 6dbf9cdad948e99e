//! `{{ name }}` in notes and process text: which names exist, and the one
//! substitution applied to the parsed tree (never to Markdown source, so a
//! customer's name can never turn into markup).

use std::collections::BTreeMap;

use super::engagement::{Engagement, Environment};
use crate::diagnostic::{did_you_mean, did_you_mean_in};

/// Every `{{ ... }}` in `text`: byte offset of the `{{` and the trimmed name.
pub fn references(text: &str) -> impl Iterator<Item = (usize, &str)> {
    spans(text).map(|(open, _, name)| (open, name))
}

/// Like `references`, with the byte offset just past the closing `}}`.
pub fn spans(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let open = rest + find_double(&text[rest..], b'{')?;
        let close = open + find_double(&text[open..], b'}')?;
        rest = close + 2;
        Some((open, close + 2, text[open + 2..close].trim()))
    })
}

/// Whether `text` may name a value: most text does not, and is then
/// left as it is.
pub fn has_reference(text: &str) -> bool {
    find_double(text, b'{').is_some()
}

/// Where `{{` (or `}}`) starts. Every text of every note is searched, most
/// of it short: a byte search and a look at the next byte is several
/// times quicker there than a general substring search.
fn find_double(text: &str, brace: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memchr(brace, &bytes[from..]) {
        let at = from + found;
        if bytes.get(at + 1) == Some(&brace) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Replaces each known `{{ name }}`; unknown ones were reported when the
/// text was loaded and are left as written.
pub fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if !has_reference(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (open, close, name) in spans(text) {
        if let Some(value) = lookup(name) {
            out.push_str(&text[last..open]);
            out.push_str(&value);
            last = close;
        }
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// The names a text may use: the engagement's facts, the process data's
/// figures, and `env.*` from the environments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub values: BTreeMap<String, String>,
    /// Each environment's `vars`, by environment name.
    pub environments: Vec<(String, BTreeMap<String, String>)>,
    /// Each environment's name, role and hosts' roles: what `only` and
    /// `each-host` blocks may name.
    pub shapes: Vec<Shape>,
    permissive: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub name: String,
    pub role: String,
    pub host_roles: Vec<String>,
}

pub struct Unknown {
    pub message: String,
    pub hint: Option<String>,
}

impl Scope {
    pub fn new(engagement: &Engagement, process_values: BTreeMap<String, String>) -> Self {
        let mut values: BTreeMap<String, String> = engagement
            .variables()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        values.extend(process_values);
        Scope {
            values,
            environments: engagement
                .environments
                .iter()
                .map(|e| (e.name.clone(), e.vars.clone()))
                .collect(),
            shapes: engagement
                .environments
                .iter()
                .map(|e| Shape {
                    name: e.name.clone(),
                    role: e.role.label().to_string(),
                    host_roles: e.hosts.iter().map(|h| h.role.clone()).collect(),
                })
                .collect(),
            permissive: false,
        }
    }

    /// The environments a selector of `only` names (by name or role);
    /// an error when it names none.
    pub fn check_only(&self, selector: &str) -> Result<Vec<&Shape>, Unknown> {
        let s = selector.trim();
        let named: Vec<&Shape> = self
            .shapes
            .iter()
            .filter(|e| {
                s.eq_ignore_ascii_case(&e.name)
                    || super::slug::slugify(s) == super::slug::slugify(&e.name)
                    || s.eq_ignore_ascii_case(&e.role)
            })
            .collect();
        if !named.is_empty() || self.permissive {
            return Ok(named);
        }
        let mut known: Vec<String> = self.shapes.iter().map(|e| e.name.clone()).collect();
        known.extend(self.shapes.iter().map(|e| e.role.to_lowercase()));
        known.dedup();
        Err(Unknown {
            message: format!("no environment is named `{s}` or has that role"),
            hint: Some(
                did_you_mean(s, known.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("environments and roles: {}", known.join(", "))),
            ),
        })
    }

    /// Checks that every environment among `within` has a host of `role`
    /// (unless the block says what to do when none has).
    pub fn check_host_role(&self, role: &str, within: &[&Shape]) -> Result<(), Unknown> {
        if self.permissive {
            return Ok(());
        }
        let lacking: Vec<&str> = within
            .iter()
            .filter(|e| !e.host_roles.iter().any(|r| r == role))
            .map(|e| e.name.as_str())
            .collect();
        if lacking.is_empty() {
            return Ok(());
        }
        let roles: Vec<&str> = self
            .shapes
            .iter()
            .flat_map(|e| e.host_roles.iter().map(String::as_str))
            .collect();
        Err(Unknown {
            message: format!("no host of {} has the role `{role}`", lacking.join(", ")),
            // A role some other environment's hosts have is no typo.
            hint: Some(
                (!roles.contains(&role))
                    .then(|| did_you_mean(role, roles.iter().copied()))
                    .flatten()
                    .unwrap_or_else(|| "add such hosts in content/engagement.yaml, or say what to do without one: `when-none=\"...\"`".to_string()),
            ),
        })
    }

    /// The most characters `{{ name }}` can be replaced by, in any copy;
    /// `None` for a name only a copy or a host fills.
    pub fn longest_value(&self, name: &str) -> Option<usize> {
        match name.strip_prefix("env.") {
            Some(var) => self
                .environments
                .iter()
                .filter_map(|(_, vars)| vars.get(var))
                .map(|v| v.chars().count())
                .max(),
            None => self.values.get(name).map(|v| v.chars().count()),
        }
    }

    /// Every value `{{ name }}` takes, in any copy; none for a name only
    /// a host fills, or that no copy knows.
    pub fn values_of(&self, name: &str) -> Vec<&str> {
        match name.strip_prefix("env.") {
            Some(var) => self
                .environments
                .iter()
                .filter_map(|(_, vars)| vars.get(var).map(String::as_str))
                .collect(),
            None => self
                .values
                .get(name)
                .map(String::as_str)
                .into_iter()
                .collect(),
        }
    }

    pub fn check(&self, name: &str) -> Result<(), Unknown> {
        if self.permissive {
            return Ok(());
        }
        if let Some(var) = name.strip_prefix("env.") {
            let missing: Vec<&str> = self
                .environments
                .iter()
                .filter(|(_, vars)| !vars.contains_key(var))
                .map(|(n, _)| n.as_str())
                .collect();
            if missing.is_empty() {
                return Ok(());
            }
            let known: Vec<&str> = self
                .environments
                .iter()
                .flat_map(|(_, v)| v.keys().map(String::as_str))
                .collect();
            return Err(Unknown {
                message: format!(
                    "`env.{var}` is not set for {}: every environment's copy of the playbook needs it",
                    missing.join(", ")
                ),
                hint: did_you_mean_in("env.", var, known).or_else(|| {
                    Some(format!(
                        "add `{var}` under `vars` of each environment in content/engagement.yaml"
                    ))
                }),
            });
        }
        if self.values.contains_key(name) {
            return Ok(());
        }
        Err(Unknown {
            message: format!("unknown variable `{{{{ {name} }}}}`"),
            hint: Some(
                match did_you_mean(name, self.values.keys().map(String::as_str)) {
                    Some(hint) => hint,
                    None => format!(
                        "known names: {}, and env.NAME for environment values",
                        self.values
                            .keys()
                            .filter(|k| !k.contains('.'))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            ),
        })
    }

    /// The lookup for one environment's copy of the playbook.
    pub fn lookup<'a>(
        &'a self,
        env: Option<&'a Environment>,
    ) -> impl Fn(&str) -> Option<String> + 'a {
        move |name: &str| match name.strip_prefix("env.") {
            Some(var) => env.and_then(|e| e.vars.get(var).cloned()),
            None => self.values.get(name).cloned(),
        }
    }
}

impl Scope {
    /// A scope that accepts every name: used when the engagement itself
    /// failed to load, so notes are still checked for everything else.
    pub fn permissive() -> Self {
        Scope {
            permissive: true,
            ..Scope::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_names() {
        let text = "to {{ target_version }} on `{{env.host}}` {{ nope }}";
        let refs: Vec<_> = references(text).collect();
        assert_eq!(
            refs,
            vec![(3, "target_version"), (28, "env.host"), (42, "nope")]
        );
        let out = substitute(text, &|n| match n {
            "target_version" => Some("11.2".into()),
            "env.host" => Some("stg-dm01".into()),
            _ => None,
        });
        assert_eq!(out.as_deref(), Some("to 11.2 on `stg-dm01` {{ nope }}"));
    }

    #[test]
    fn single_braces_are_text_and_an_unclosed_name_ends_the_search() {
        let text = "{a} {b}} {{ x }} }{{ y}}{{z";
        let spans: Vec<_> = spans(text).collect();
        assert_eq!(spans, vec![(9, 16, "x"), (18, 24, "y")]);
        assert!(has_reference("ends with {{"));
        assert!(!has_reference("{ a } { b }{"));
        assert_eq!(substitute("no names {here}", &|_| None), None);
    }
}
