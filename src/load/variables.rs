//! `{{ name }}` references checked where they are written, in notes and
//! in `run.yaml`, so an unknown name is reported at its own line and
//! column rather than when a copy is filled.

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::model::variables::{self, Scope};

/// Checks every `{{ name }}` in `text` against `scope`, reporting unknown
/// names at their own line and column. `{{ host.name }}` and
/// `{{ host.role }}` are known only `in_host` (an `each-host` block).
pub fn check_variables(
    file: &SourceFile,
    body_offset: usize,
    text: &str,
    scope: &Scope,
    in_host: bool,
    diags: &mut Diagnostics,
) {
    for (start, end, name) in variables::spans(text) {
        let checked = match name.strip_prefix("host.") {
            Some("name" | "role") if in_host => Ok(()),
            Some(_) if in_host => Err(variables::Unknown {
                message: format!("unknown host value `{{{{ {name} }}}}`"),
                hint: Some("a host has `host.name` and `host.role`".into()),
            }),
            Some(_) => Err(variables::Unknown {
                message: format!("`{{{{ {name} }}}}` is filled only inside an `each-host` block"),
                hint: Some(
                    "wrap the steps in `::: {each-host=\"ROLE\"}` ... `:::` to repeat them per host"
                        .into(),
                ),
            }),
            None => scope.check(name),
        };
        if let Err(unknown) = checked {
            let mut diag: Diagnostic = file
                .error_at(body_offset + start, unknown.message)
                .with_length(text[start..end].chars().count());
            if let Some(hint) = unknown.hint {
                diag = diag.with_hint(hint);
            }
            diags.push(diag);
        }
    }
}
