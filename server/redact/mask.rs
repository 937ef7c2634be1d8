//! Secret masking for everything that goes into a [`LaunchReport`](super::LaunchReport).
//!
//! A secret is replaced by its first 4 characters and its length:
//! `sk-live-abcdefgh` → `sk-l…(16 chars)`. Secrets shorter than 8 characters
//! show no prefix at all (`…(6 chars)`), since 4 characters would be most of
//! them. Values shorter than [`MIN_SECRET_CHARS`] are not treated as secrets:
//! masking every `1` or `ab` in a log would destroy the evidence.
//!
//! Text that was cut from a longer stream (the stderr ring buffer keeps only
//! its tail, a stdout line is cut to 200 chars) can start with the *end* of a
//! secret or end with its *beginning*; [`Masker::mask_cut`] masks those
//! fragments too.

use crate::secrets::is_sensitive_query_key;
use aho_corasick::{AhoCorasick, MatchKind};
use url::Url;

/// Values shorter than this (in chars) are ignored as secrets.
pub const MIN_SECRET_CHARS: usize = 4;

/// Replaces secret values in strings. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Longest first, so that a secret containing another one wins.
    secrets: Vec<String>,
    /// All of them at once: masking a string costs its length, however many
    /// secrets a file holds (a big config has thousands).
    automaton: Option<AhoCorasick>,
}

/// `ghp_abcdef...` → `ghp_…(40 chars)`: the first 4 characters, only for
/// values of 8 or more (a shorter secret would be mostly revealed), and the length.
/// Free text is masked with [`Masker`].
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    if n >= 8 {
        let head: String = value.chars().take(4).collect();
        format!("{head}…({n} chars)")
    } else {
        format!("…({n} chars)")
    }
}

impl Masker {
    /// Builds a masker from secret values. Empty and very short values are
    /// dropped; for `Bearer xyz`-style values the credential part after the
    /// scheme is added as a secret of its own.
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out: Vec<String> = Vec::new();
        for s in secrets {
            let s = s.as_ref();
            push_secret(&mut out, s);
            // "Bearer abc", "Basic abc", "token abc": mask the credential alone too.
            if let Some((scheme, rest)) = s.split_once(' ')
                && !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                push_secret(&mut out, rest.trim());
            }
        }
        Masker::of(out)
    }

    fn of(mut secrets: Vec<String>) -> Self {
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        // Leftmost-longest: where two secrets start at one place, the longer wins.
        let automaton = (!secrets.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&secrets)
                    .ok()
            })
            .flatten();
        Masker { secrets, automaton }
    }

    /// Adds the values of sensitive query parameters and the password of a URL.
    pub fn add_url_secrets(&mut self, url: &Url) {
        let mut extra = Vec::new();
        if let Some(p) = url.password() {
            extra.push(p.to_string());
        }
        for (k, v) in url.query_pairs() {
            if is_sensitive_query_key(&k) {
                extra.push(v.into_owned());
                // The raw (still percent-encoded) form appears in URL strings.
                if let Some(raw) = raw_query_value(url, &k) {
                    extra.push(raw);
                }
            }
        }
        let mut secrets = std::mem::take(&mut self.secrets);
        for e in extra {
            push_secret(&mut secrets, &e);
        }
        *self = Masker::of(secrets);
    }

    /// The secrets this masker replaces (longest first).
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// Replaces every occurrence of every secret.
    pub fn mask(&self, s: &str) -> String {
        let Some(automaton) = &self.automaton else {
            return s.to_string();
        };
        let mut out = String::with_capacity(s.len());
        automaton.replace_all_with(s, &mut out, |m, _, dst| {
            dst.push_str(&redact(&self.secrets[m.pattern().as_usize()]));
            true
        });
        out
    }

    /// Like [`mask`](Self::mask) for text cut out of a longer stream: when
    /// `cut_start`, a leading fragment that is the end of a secret (3+ chars)
    /// is masked; when `cut_end`, a trailing fragment that is the beginning of
    /// a secret (5+ chars, the first 4 are shown anyway) is masked.
    pub fn mask_cut(&self, s: &str, cut_start: bool, cut_end: bool) -> String {
        let mut out = self.mask(s);
        if cut_end && let Some(n) = self.longest_partial(&out, Edge::End) {
            let keep = out.len() - n;
            out.truncate(keep);
            out.push_str("…(cut secret)");
        }
        if cut_start && let Some(n) = self.longest_partial(&out, Edge::Start) {
            out = format!("(cut secret)…{}", &out[n..]);
        }
        out
    }

    /// Length in bytes of the longest proper fragment of a secret sitting at
    /// the given edge of `s`.
    fn longest_partial(&self, s: &str, edge: Edge) -> Option<usize> {
        let min_chars = match edge {
            Edge::Start => 3,
            Edge::End => 5,
        };
        let mut best: Option<usize> = None;
        for sec in &self.secrets {
            let idx: Vec<usize> = sec.char_indices().map(|(i, _)| i).skip(1).collect();
            for &cut in &idx {
                let frag = match edge {
                    Edge::End => &sec[..cut],
                    Edge::Start => &sec[cut..],
                };
                if frag.chars().count() < min_chars {
                    continue;
                }
                let hit = match edge {
                    Edge::End => s.ends_with(frag),
                    Edge::Start => s.starts_with(frag),
                };
                if hit && best.is_none_or(|b| frag.len() > b) {
                    best = Some(frag.len());
                }
            }
        }
        best
    }

    /// A URL for display: sensitive query values and the password are
    /// redacted, then the secrets are masked.
    pub fn url(&self, url: &Url) -> String {
        let mut u = url.clone();
        if u.password().is_some() {
            let _ = u.set_password(Some("REDACTED"));
        }
        if u.query().is_some() {
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let v = if is_sensitive_query_key(&k) {
                        redact(&v)
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            u.query_pairs_mut().clear().extend_pairs(pairs);
        }
        self.mask(u.as_str())
    }
}

#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// A value made only of references (`${env:TOKEN}`, `Bearer $TOKEN`) holds no
/// secret: masking it would only hide which variable is meant.
fn push_secret(out: &mut Vec<String>, s: &str) {
    let mut literal = String::new();
    let mut pos = 0;
    for r in crate::substitution::references(s) {
        literal.push_str(&s[pos..r.range.start]);
        pos = r.range.end;
    }
    literal.push_str(&s[pos..]);
    let literal = literal.trim();
    let only_scheme = literal
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && pos > 0;
    if literal.is_empty() || only_scheme {
        return;
    }
    if s.chars().count() >= MIN_SECRET_CHARS {
        out.push(s.to_string());
    }
}

fn raw_query_value(url: &Url, key: &str) -> Option<String> {
    url.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        let k_dec = url::form_urlencoded::parse(k.as_bytes())
            .next()
            .map(|(k, _)| k.into_owned())
            .unwrap_or_default();
        (k_dec == key || k == key).then(|| v.to_string())
    })
}

/// Cuts `s` to at most `max` chars, appending `…` when cut.
pub(crate) fn cut_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_with_prefix_and_length() {
        assert_eq!(redact("sk-live-abcdefgh"), "sk-l…(16 chars)");
        assert_eq!(redact("short1"), "…(6 chars)");
    }

    #[test]
    fn masks_all_occurrences_longest_first() {
        let m = Masker::new(["supersecret-123", "supersecret"]);
        assert_eq!(
            m.mask("a supersecret-123 b supersecret c"),
            "a supe…(15 chars) b supe…(11 chars) c"
        );
    }

    #[test]
    fn ignores_tiny_and_empty_values() {
        let m = Masker::new(["", "ab", "abc"]);
        assert!(m.secrets().is_empty());
        assert_eq!(m.mask("abc ab"), "abc ab");
    }

    #[test]
    fn bearer_credential_is_masked_alone() {
        let m = Masker::new(["Bearer tok_0123456789"]);
        assert_eq!(m.mask("got tok_0123456789"), "got tok_…(14 chars)");
        assert_eq!(
            m.mask("Authorization: Bearer tok_0123456789"),
            "Authorization: Bear…(21 chars)"
        );
    }

    #[test]
    fn masks_fragments_at_cut_edges() {
        let m = Masker::new(["ABCDEFGHIJKLMNOP"]);
        // Ring buffer kept only the end of the secret.
        assert_eq!(
            m.mask_cut("KLMNOP then text", true, false),
            "(cut secret)… then text"
        );
        // A line cut in the middle of the secret.
        assert_eq!(
            m.mask_cut("text ABCDEFG", false, true),
            "text …(cut secret)"
        );
        // Not cut: the same text is left alone.
        assert_eq!(
            m.mask_cut("KLMNOP then text", false, false),
            "KLMNOP then text"
        );
    }

    #[test]
    fn multibyte_text_is_safe() {
        let m = Masker::new(["ünïcødé-sécret"]);
        let s = "→ ünïcødé-sécret ←";
        assert_eq!(m.mask(s), "→ ünïc…(14 chars) ←");
        let _ = m.mask_cut("é-sécret…", true, true);
    }

    #[test]
    fn url_query_tokens_are_redacted() {
        let url = Url::parse("https://x.example/mcp?api_key=abcdefghijkl&mode=full").unwrap();
        let mut m = Masker::new(Vec::<String>::new());
        m.add_url_secrets(&url);
        let shown = m.url(&url);
        assert!(!shown.contains("abcdefghijkl"), "{shown}");
        assert!(shown.contains("mode=full"));
        assert_eq!(m.mask("echo abcdefghijkl"), "echo abcd…(12 chars)");
    }

    #[test]
    fn cut_chars_respects_boundaries() {
        assert_eq!(cut_chars("héllo", 2), "hé…");
        assert_eq!(cut_chars("hi", 5), "hi");
    }
}
