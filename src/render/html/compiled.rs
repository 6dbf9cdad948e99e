//! Compiled templates, remembered between builds: `serve` renders the
//! same theme's pages after every save, and compiling the templates and
//! their words anew each time cost more than a small note's sections.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use foldhash::quality::FixedState;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use super::sections::Sections;
use super::{blocks, fill, template_error};
use crate::diagnostic::Diagnostic;
use crate::render::escape;
use crate::strings::Strings;
use crate::theme::Theme;

/// Environments by what they were compiled from. A build holds one per
/// theme its versions use (a release keeps the theme it was made with).
#[derive(Default)]
pub struct Compiled {
    environments: Mutex<HashMap<u64, Kept>>,
}

struct Kept {
    environment: Arc<Environment<'static>>,
    /// Asked for since the last `sweep`.
    used: bool,
}

impl Compiled {
    /// The environment compiled from `theme` with `strings`,
    /// made by `compile` the first time.
    pub fn get(
        &self,
        theme: &Theme,
        strings: &Strings,
        compile: impl FnOnce() -> Result<Environment<'static>, Diagnostic>,
    ) -> Result<Arc<Environment<'static>>, Diagnostic> {
        let mut hasher = FixedState::with_seed(0).build_hasher();
        // Every file, not only the templates: the pages carry the words
        // the theme's scripts ask for.
        for (name, file) in &theme.files {
            name.hash(&mut hasher);
            file.text.hash(&mut hasher);
        }
        strings.fingerprint().hash(&mut hasher);
        let key = hasher.finish();
        if let Some(kept) = self.lock().get_mut(&key) {
            kept.used = true;
            return Ok(Arc::clone(&kept.environment));
        }
        let environment = Arc::new(compile()?);
        self.lock().insert(
            key,
            Kept {
                environment: Arc::clone(&environment),
                used: true,
            },
        );
        Ok(environment)
    }

    /// Forgets the environments not asked for since the last sweep.
    pub fn sweep(&self) {
        self.lock().retain(|_, kept| std::mem::take(&mut kept.used));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Kept>> {
        // Inserts are single calls, so a poisoned map is still whole.
        self.environments.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The theme's templates compiled, with the filters and words they use.
pub(super) fn compile(
    theme: &Theme,
    sections: &Sections,
    strings: &Strings,
) -> Result<Environment<'static>, Diagnostic> {
    let mut env = Environment::new();
    // The fixed words, as `strings.KEY` (`crate::strings`), escaped
    // here as all text upbook writes is (`escape`), so templates write
    // them as they are; `fill` puts a value in a `{placeholder}`.
    let escaped: std::collections::BTreeMap<String, Value> = strings
        .iter()
        .map(|(key, text)| {
            (
                key.to_string(),
                Value::from_safe_string(escape::escape_words(text)),
            )
        })
        .collect();
    env.add_global("strings", Value::from_object(escaped));
    env.add_filter("fill", fill);
    // `plain("KEY", name=value)`: the words filled as plain text, for
    // what is not HTML (an e-mail link's subject and body, which
    // `urlencode` then encodes).
    let plain = strings.clone();
    env.add_function(
        "plain",
        move |key: String, named: minijinja::value::Kwargs| -> Result<String, minijinja::Error> {
            let mut values = Vec::new();
            for name in named.args() {
                let value: Value = named.get(name)?;
                let shown = if value.is_none() || value.is_undefined() {
                    String::new()
                } else {
                    value.to_string()
                };
                values.push((name, shown));
            }
            let values: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
            Ok(plain.fill(&key, &values))
        },
    );
    // The scripts' words as JSON, for the page's `data-strings`
    // (on `<body>`: on `<html>` they pushed the charset past the
    // first 1024 bytes, where browsers look for it)
    // (escaped there as any attribute value).
    let scripts: Vec<&str> = theme
        .files
        .iter()
        .filter(|(name, _)| name.ends_with(".js"))
        .map(|(_, file)| file.text.as_str())
        .collect();
    let script_words =
        serde_json::to_string(&strings.asked_by_scripts(&scripts)).unwrap_or_default();
    env.add_global("script_strings", Value::from(script_words));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // Text from people goes out isolated when it holds a direction
    // override (`crate::bidi`), as `escape::push_escaped` does for
    // the notes; markup marked safe was escaped that way already.
    env.set_formatter(|out, state, value| {
        let isolated = match value.as_str() {
            Some(text) if !value.is_safe() && !matches!(state.auto_escape(), AutoEscape::None) => {
                crate::bidi::isolate(text)
            }
            _ => Cow::Borrowed(""),
        };
        match isolated {
            Cow::Owned(text) => minijinja::escape_formatter(out, state, &Value::from(text)),
            Cow::Borrowed(_) => minijinja::escape_formatter(out, state, value),
        }
    });
    // A section's HTML is most of a page and is safe already: the
    // built-in `safe` would copy its megabytes into a new string on
    // every page of every save.
    env.add_filter("safe", |v: Value| -> Result<Value, minijinja::Error> {
        if v.is_safe() {
            return Ok(v);
        }
        let text = <String as minijinja::value::ArgType>::from_value(Some(&v))?;
        Ok(minijinja::filters::safe(text))
    });
    // The change view shows unchanged code as the playbook does, and
    // from the same memory: `serve` draws it on every save.
    let highlighter = sections.highlighter();
    env.add_filter(
        "code_block",
        move |code: String, language: Option<String>| {
            Value::from_safe_string(blocks::code_block(&highlighter, &code, language.as_deref()))
        },
    );
    for (name, file) in theme.templates() {
        env.add_template_owned(name.to_string(), file.text.clone())
            .map_err(|e| template_error(theme, &e))?;
    }
    Ok(env)
}
