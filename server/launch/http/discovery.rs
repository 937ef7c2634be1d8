//! RFC 9728 protected-resource metadata: after a 401/403, where the server
//! says its authorization lives. Imports `exchange` only.

use std::time::Duration;

use reqwest::Client;
use reqwest::header::ACCEPT;
use serde_json::Value;
use url::Url;

use super::exchange::{SNIFF_BYTES, error_chain, read_capped};
use crate::launch::report::{ResourceMetadata, WwwAuthenticate};
use crate::redact::mask::Masker;

/// Protected-resource metadata fetch, per URL.
pub(super) const PRM_TIMEOUT: Duration = Duration::from_secs(3);

/// RFC 9728 discovery: the `resource_metadata` URL from the challenge, else
/// the path-specific and then the root well-known URL.
pub(super) async fn probe_resource_metadata(
    client: &Client,
    url: &Url,
    www: Option<&WwwAuthenticate>,
    masker: &Masker,
) -> ResourceMetadata {
    let mut candidates: Vec<Url> = Vec::new();
    if let Some(u) = www
        .and_then(|w| w.resource_metadata.as_deref())
        .and_then(|s| url.join(s).ok())
    {
        candidates.push(u);
    } else {
        let path = url.path().trim_end_matches('/');
        let mut base = url.clone();
        base.set_query(None);
        base.set_fragment(None);
        if !path.is_empty()
            && let Ok(u) = base.join(&format!("/.well-known/oauth-protected-resource{path}"))
        {
            candidates.push(u);
        }
        if let Ok(u) = base.join("/.well-known/oauth-protected-resource") {
            candidates.push(u);
        }
    }
    let mut md = ResourceMetadata::default();
    if candidates.is_empty() {
        md.error = Some("no usable metadata URL".into());
        return md;
    }
    for cand in candidates {
        md = ResourceMetadata {
            url: masker.url(&cand),
            ..ResourceMetadata::default()
        };
        if !matches!(cand.scheme(), "http" | "https") {
            md.error = Some("not an http(s) URL".into());
            continue;
        }
        let fetch = async {
            let mut resp = client
                .get(cand.clone())
                .header(ACCEPT, "application/json")
                .send()
                .await
                .map_err(|e| error_chain(&e))?;
            let status = resp.status().as_u16();
            let (body, _) = read_capped(&mut resp, SNIFF_BYTES)
                .await
                .map_err(|e| error_chain(&e))?;
            Ok::<_, String>((status, body))
        };
        match tokio::time::timeout(PRM_TIMEOUT, fetch).await {
            Err(_) => md.error = Some(format!("no answer within {} s", PRM_TIMEOUT.as_secs())),
            Ok(Err(e)) => md.error = Some(e),
            Ok(Ok((status, body))) => {
                md.status = Some(status);
                if !(200..300).contains(&status) {
                    md.error = Some(format!("HTTP {status}"));
                    continue;
                }
                match serde_json::from_slice::<Value>(&body) {
                    Ok(v) => {
                        let strs = |k: &str| -> Vec<String> {
                            v.get(k)
                                .and_then(Value::as_array)
                                .map(|a| {
                                    a.iter()
                                        .filter_map(Value::as_str)
                                        .map(str::to_string)
                                        .collect()
                                })
                                .unwrap_or_default()
                        };
                        md.resource = v
                            .get("resource")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        md.authorization_servers = strs("authorization_servers");
                        md.scopes_supported = strs("scopes_supported");
                        return md;
                    }
                    Err(e) => md.error = Some(format!("not JSON: {e}")),
                }
            }
        }
    }
    md
}
