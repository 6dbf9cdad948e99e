//! Who is answered, and what every answer carries. `serve` answers only
//! requests that name this server as their one `Host`, and every
//! response says what the page may load.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The `Host` values the server answers to. A page on some other site
/// can point a name it controls at 127.0.0.1 (DNS rebinding) and read
/// whatever a local server returns; the browser still sends that name as
/// `Host`, so answering only to this server's own names stops it.
pub struct Hosts {
    port: u16,
    names: Vec<String>,
    /// Listening on every interface (`--bind 0.0.0.0`): other machines
    /// reach it by any of this machine's addresses, so any address, but
    /// still no name, is answered.
    any_address: bool,
}

impl Hosts {
    pub fn new(bind: IpAddr, port: u16) -> Hosts {
        let mut names = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
        ];
        names.push(match bind {
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        });
        Hosts {
            port,
            names,
            any_address: bind.is_unspecified(),
        }
    }

    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        self.names.contains(&name)
            || (self.any_address
                && name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok())
    }
}

/// Policies for what a served file may load. Pages run scripts from this
/// server only; an SVG opened on its own runs none at all.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const IMAGE_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

/// Refuses requests for another host, and gives every response its
/// security headers.
pub(super) async fn guard(
    State(hosts): State<Arc<Hosts>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut named = request.headers().get_all(header::HOST).iter();
    let host = named
        .next()
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let mut response = if named.next().is_some() {
        // Which one a proxy or cache in between would believe is anyone's
        // guess; HTTP/1.1 says to refuse (RFC 9112, section 3.2).
        (
            StatusCode::BAD_REQUEST,
            "a request names one host, not several\n",
        )
            .into_response()
    } else if hosts.allows(host) {
        next.run(request).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "upbook serve answers only to its own address (such as localhost)\n",
        )
            .into_response()
    };
    let headers = response.headers_mut();
    let is_svg = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"image/svg"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if is_svg { IMAGE_POLICY } else { PAGE_POLICY }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_own_names_are_answered() {
        let local = Hosts::new(IpAddr::from([127, 0, 0, 1]), 3000);
        for good in [
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
            "LOCALHOST:3000",
        ] {
            assert!(local.allows(good), "{good}");
        }
        for bad in [
            "",
            "localhost",
            "localhost:3001",
            "evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "192.168.1.4:3000",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let shared = Hosts::new(IpAddr::from([0, 0, 0, 0]), 80);
        assert!(shared.allows("192.168.1.4"));
        assert!(shared.allows("[fe80::1]:80"));
        assert!(!shared.allows("rebound.example"));
    }
}
