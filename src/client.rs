//! Who sent a request, for rate limits and sign-in throttles, and whether a write comes
//! from our own pages. Pure functions over the peer address and headers, so the rules
//! are tested without a network.
//!
//! Behind a reverse proxy every TCP peer is the proxy: keying limits on it would put all
//! respondents in one bucket. `X-Forwarded-For` is only believed when the peer is one of
//! the `TRUSTED_PROXIES`, and then the client is the right-most hop that is not itself a
//! trusted proxy (hops further left are whatever the client chose to send).

use std::net::IpAddr;

use axum::http::{header, HeaderMap};
use ipnet::IpNet;

/// Networks whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (`TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated CIDRs or single addresses: `10.0.0.0/8, 127.0.0.1, ::1`. Empty: none.
    pub fn parse(s: &str) -> Result<TrustedProxies, String> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("\"{p}\" is not an IP address or CIDR network"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client as rate limits see it: its address, an IPv6 client by its /64 (one
/// subscriber usually holds a whole /64, and could otherwise rotate through it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr {
    pub ip: IpAddr,
    /// Whether the request reached us through a trusted proxy (then its forwarded
    /// scheme and host are believed).
    pub via_proxy: bool,
}

impl ClientAddr {
    /// The client of a request from `peer` carrying `headers`.
    pub fn of(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> ClientAddr {
        let peer = canonical(peer);
        if !trusted.contains(peer) {
            return ClientAddr {
                ip: peer,
                via_proxy: false,
            };
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // A hop our proxy did not write sensibly: stop at the last address we trust.
            let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
                break;
            };
            client = ip;
            if !trusted.contains(ip) {
                break;
            }
        }
        ClientAddr {
            ip: client,
            via_proxy: true,
        }
    }

    /// The rate-limit key: the IPv4 address, or the IPv6 /64.
    pub fn key(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

/// IPv4 addresses written as IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket reports)
/// are the IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Where a state-changing request comes from, as far as the browser tells us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOrigin {
    /// `Origin` names this site (scheme, host and port), or without `Origin` the browser
    /// says `Sec-Fetch-Site: same-origin` (or `none`: the user typed it).
    SameSite,
    /// Another site, an opaque origin (`null`), or another scheme.
    CrossSite,
    /// Neither header: not a browser (curl, a script). Fine for a survey post, which
    /// carries no ambient authority; refused on staff endpoints.
    Unknown,
}

/// Classifies a write: `Origin` must equal `scheme://host` of this request.
pub fn write_origin(headers: &HeaderMap, secure: bool, client: Option<&ClientAddr>) -> WriteOrigin {
    let text = |name: &str| headers.get(name).and_then(|h| h.to_str().ok());
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        let expected = own_origin(headers, secure, client);
        return match (parse_origin(origin), expected) {
            (Some(got), Some(want)) if got == want => WriteOrigin::SameSite,
            _ => WriteOrigin::CrossSite,
        };
    }
    match text("sec-fetch-site") {
        Some("same-origin") | Some("none") => WriteOrigin::SameSite,
        Some(_) => WriteOrigin::CrossSite,
        None => WriteOrigin::Unknown,
    }
}

/// `(scheme, host, port)` this request was addressed to: HTTPS when cookies are marked
/// secure or a trusted proxy says so; the host from `Host` (or a trusted proxy's
/// `X-Forwarded-Host`).
fn own_origin(
    headers: &HeaderMap,
    secure: bool,
    client: Option<&ClientAddr>,
) -> Option<(String, String, u16)> {
    let via_proxy = client.is_some_and(|c| c.via_proxy);
    let forwarded = |name: &str| {
        via_proxy
            .then(|| headers.get(name).and_then(|h| h.to_str().ok()))
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(str::trim)
    };
    let scheme = if secure || forwarded("x-forwarded-proto") == Some("https") {
        "https"
    } else {
        "http"
    };
    let host = forwarded("x-forwarded-host")
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))?;
    parse_origin(&format!("{scheme}://{host}"))
}

/// `scheme://host[:port]` as `(scheme, lower-case host, port)`; `None` for anything else
/// (a path, user info, `null`).
fn parse_origin(origin: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    if rest.is_empty() || rest.contains(['/', '@', '?', '#', '\\']) {
        return None;
    }
    let (host, port) = match rest.rsplit_once(':') {
        // An IPv6 literal's colons are inside brackets.
        Some((h, p)) if !p.contains(']') => (h, p.parse::<u16>().ok()?),
        _ => (rest, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9")]);
        // No trusted proxy: the peer is the client, whatever it claims.
        assert_eq!(
            ClientAddr::of(ip("198.51.100.1"), &h, &none).ip,
            ip("198.51.100.1")
        );
        // Through our proxy: the right-most hop it added, not the spoofed one on the left.
        let c = ClientAddr::of(ip("10.1.2.3"), &h, &proxies);
        assert_eq!(c.ip, ip("203.0.113.9"));
        assert!(c.via_proxy);
        // Through two of our proxies (the header may also come split over two lines).
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9, 10.9.9.9"),
        ]);
        assert_eq!(
            ClientAddr::of(ip("10.1.2.3"), &h, &proxies).ip,
            ip("203.0.113.9")
        );
        // A peer outside the trusted networks cannot forge its way in.
        assert_eq!(
            ClientAddr::of(ip("203.0.113.7"), &h, &proxies).ip,
            ip("203.0.113.7")
        );
        // Garbage written where our proxy's hop should be: the proxy itself is the client.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, not-an-ip")]);
        assert_eq!(
            ClientAddr::of(ip("10.1.2.3"), &h, &proxies).ip,
            ip("10.1.2.3")
        );
        // No header at all through a proxy: the proxy.
        assert_eq!(
            ClientAddr::of(ip("127.0.0.1"), &HeaderMap::new(), &proxies).ip,
            ip("127.0.0.1")
        );
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
        assert!(proxies.contains(ip("::ffff:10.0.0.1")));
    }

    #[test]
    fn ipv6_clients_share_a_key_per_64() {
        let none = TrustedProxies::default();
        let a = ClientAddr::of(ip("2001:db8:1:2:aaaa::1"), &HeaderMap::new(), &none);
        let b = ClientAddr::of(ip("2001:db8:1:2:ffff::9"), &HeaderMap::new(), &none);
        let c = ClientAddr::of(ip("2001:db8:1:3::1"), &HeaderMap::new(), &none);
        assert_eq!(a.key(), "2001:db8:1:2::/64");
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        let v4 = ClientAddr::of(ip("::ffff:192.0.2.1"), &HeaderMap::new(), &none);
        assert_eq!(v4.key(), "192.0.2.1");
    }

    #[test]
    fn bad_proxy_settings_are_named() {
        assert_eq!(
            TrustedProxies::parse(" ").unwrap(),
            TrustedProxies::default()
        );
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/8,nope").unwrap_err(),
            "\"nope\" is not an IP address or CIDR network"
        );
        assert!(TrustedProxies::parse("::1, fd00::/8").is_ok());
    }

    #[test]
    fn writes_must_come_from_this_scheme_host_and_port() {
        let host = [("host", "survey.example:3000")];
        let with = |origin: &'static str| {
            let mut h = headers(&host);
            h.insert("origin", HeaderValue::from_static(origin));
            write_origin(&h, false, None)
        };
        assert_eq!(with("http://survey.example:3000"), WriteOrigin::SameSite);
        assert_eq!(with("http://SURVEY.example:3000"), WriteOrigin::SameSite);
        assert_eq!(
            with("https://survey.example:3000"),
            WriteOrigin::CrossSite,
            "scheme"
        );
        assert_eq!(
            with("http://survey.example:3001"),
            WriteOrigin::CrossSite,
            "port"
        );
        assert_eq!(
            with("http://survey.example"),
            WriteOrigin::CrossSite,
            "default port"
        );
        assert_eq!(with("http://evil.example:3000"), WriteOrigin::CrossSite);
        assert_eq!(with("null"), WriteOrigin::CrossSite);
        assert_eq!(with("http://survey.example:3000/x"), WriteOrigin::CrossSite);
        assert_eq!(with("http://a@survey.example:3000"), WriteOrigin::CrossSite);

        // Default ports are implied on both sides; secure cookies mean HTTPS.
        let mut h = headers(&[
            ("host", "survey.example"),
            ("origin", "https://survey.example"),
        ]);
        assert_eq!(write_origin(&h, true, None), WriteOrigin::SameSite);
        assert_eq!(write_origin(&h, false, None), WriteOrigin::CrossSite);
        // A trusted proxy's X-Forwarded-Proto/Host are believed; anyone else's are not.
        h.insert("host", HeaderValue::from_static("10.0.0.5:3000"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        h.insert(
            "x-forwarded-host",
            HeaderValue::from_static("survey.example"),
        );
        let proxied = ClientAddr {
            ip: ip("203.0.113.9"),
            via_proxy: true,
        };
        let direct = ClientAddr {
            via_proxy: false,
            ..proxied
        };
        assert_eq!(
            write_origin(&h, false, Some(&proxied)),
            WriteOrigin::SameSite
        );
        assert_eq!(
            write_origin(&h, false, Some(&direct)),
            WriteOrigin::CrossSite
        );
    }

    #[test]
    fn without_origin_fetch_metadata_decides() {
        let fetch =
            |site: &'static str| write_origin(&headers(&[("sec-fetch-site", site)]), false, None);
        assert_eq!(fetch("same-origin"), WriteOrigin::SameSite);
        assert_eq!(fetch("none"), WriteOrigin::SameSite);
        assert_eq!(fetch("same-site"), WriteOrigin::CrossSite);
        assert_eq!(fetch("cross-site"), WriteOrigin::CrossSite);
        assert_eq!(
            write_origin(&HeaderMap::new(), false, None),
            WriteOrigin::Unknown
        );
    }
}
