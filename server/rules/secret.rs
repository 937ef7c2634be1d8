//! The `secret/*` family, and the detectors other families share.
//!
//! `secret/plaintext` [information]: a literal in `env`, `headers` or `args`
//! that looks like a real credential: a known token format (GitHub, OpenAI,
//! Anthropic, Slack, AWS, Google, Stripe, GitLab, ...), a JWT, or a
//! high-entropy value of token length under a name like `*TOKEN*`, `*KEY*`,
//! `*SECRET*`, `*PASSWORD*`. The fix moves it out of the file: VS Code gets a
//! `${input:...}` with a password prompt (the input is added), clients with
//! an environment reference get `${env:VAR}` or `${VAR}` (VAR = the env key);
//! Claude Desktop and others without references get no fix, just the note.
//!
//! Secrets never appear whole in a message (`redact`), and no fix carries
//! them: fixes replace the value, they never copy it.

use super::ctx::{Ctx, report};
use super::edit::{InputIds, add_inputs, prompt_input};
use crate::config::{Server, Str};
use crate::finding::{Edit, Finding, Fix, Span};
use crate::redact::redact;
use crate::registry::*;
use crate::substitution::{self, source_span};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Placeholders {
    exact: Vec<String>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    token_prefixes: Vec<String>,
}

/// The lists, with the bytes their entries start (or end) with, so that a
/// value is compared only with entries that can match it.
struct Index {
    lists: Placeholders,
    /// The lengths of the exact entries (63: that long or longer).
    exact_len: [bool; 64],
    prefix_first: [bool; 256],
    suffix_last: [bool; 256],
    token_first: [bool; 256],
}

fn placeholders() -> &'static Index {
    static P: OnceLock<Index> = OnceLock::new();
    P.get_or_init(|| {
        let lists: Placeholders = serde_json::from_str(include_str!("../data/placeholders.json"))
            .unwrap_or(Placeholders {
                exact: Vec::new(),
                prefixes: Vec::new(),
                suffixes: Vec::new(),
                token_prefixes: Vec::new(),
            });
        let mark = |words: &[String], last: bool| {
            let mut m = [false; 256];
            for w in words {
                let b = if last {
                    w.bytes().last()
                } else {
                    w.bytes().next()
                };
                match b {
                    Some(b) => m[usize::from(b)] = true,
                    None => m = [true; 256], // an empty entry matches everything
                }
            }
            m
        };
        let mut exact_len = [false; 64];
        for e in &lists.exact {
            exact_len[e.len().min(63)] = true;
        }
        Index {
            exact_len,
            prefix_first: mark(&lists.prefixes, false),
            suffix_last: mark(&lists.suffixes, true),
            token_first: mark(&lists.token_prefixes, false),
            lists,
        }
    })
}

/// `t.to_ascii_lowercase() == e`, without the copy.
fn eq_lower(t: &[u8], e: &[u8]) -> bool {
    t.len() == e.len() && t.iter().zip(e).all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// `t.to_ascii_lowercase().starts_with(e)`, without the copy.
fn starts_lower(t: &[u8], e: &[u8]) -> bool {
    t.len() >= e.len() && eq_lower(&t[..e.len()], e)
}

/// `t.to_ascii_lowercase().ends_with(e)`, without the copy.
fn ends_lower(t: &[u8], e: &[u8]) -> bool {
    t.len() >= e.len() && eq_lower(&t[t.len() - e.len()..], e)
}

fn is_filler(s: &str) -> bool {
    !s.is_empty()
        && (s == "..." || s == "…" || s.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '…')))
}

/// Whether a value is still a placeholder from a README (`YOUR_API_KEY`,
/// `<token>`, `sk-...`, `ghp_xxxx`, `changeme`, `TODO`...).
pub fn is_placeholder(value: &str) -> bool {
    let t = value.trim();
    if t.is_empty() || t.starts_with('$') && substitution::is_whole_reference(t) {
        return false;
    }
    let b = t.as_bytes();
    let (first, last) = (b[0], b[b.len() - 1]);
    let index = placeholders();
    let p = &index.lists;
    if index.exact_len[b.len().min(63)] && p.exact.iter().any(|e| eq_lower(b, e.as_bytes()))
        || index.prefix_first[usize::from(first.to_ascii_lowercase())]
            && p.prefixes.iter().any(|e| starts_lower(b, e.as_bytes()))
        || index.suffix_last[usize::from(last.to_ascii_lowercase())]
            && p.suffixes.iter().any(|e| ends_lower(b, e.as_bytes()))
    {
        return true;
    }
    if (t.starts_with('<') && t.ends_with('>') && t.len() > 2 && !t[1..].contains('<'))
        || (t.starts_with("{{") && t.ends_with("}}"))
    {
        return true;
    }
    if is_filler(t) && t.chars().count() >= 3 {
        return true;
    }
    // A real token's prefix with filler after it: `sk-...`, `ghp_xxxxxxxx`, `sk-ant-api03-...`.
    if let Some(prefix) = index.token_first[usize::from(first)]
        .then(|| {
            p.token_prefixes
                .iter()
                .filter(|x| x.as_bytes().first().is_none_or(|&b| b == first))
                .find(|x| t.starts_with(x.as_str()))
        })
        .flatten()
    {
        let rest = &t[prefix.len()..];
        if rest.is_empty() || is_filler(rest) {
            return true;
        }
        if (rest.ends_with("...") || rest.ends_with('…')) && rest.chars().count() <= 16 {
            return true;
        }
    }
    // YOUR_API_KEY written in capitals with words: `YOUR_GITHUB_TOKEN`.
    starts_lower(b, b"your")
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        && t.len() > 6
}

fn token_chars(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// Known token formats: (prefix, minimum length after it, allowed extra characters, description).
const FORMATS: &[(&str, usize, &str, &str)] = &[
    ("github_pat_", 22, "_", "a GitHub fine-grained token"),
    ("ghp_", 30, "", "a GitHub token"),
    ("gho_", 30, "", "a GitHub OAuth token"),
    ("ghu_", 30, "", "a GitHub token"),
    ("ghs_", 30, "", "a GitHub token"),
    ("ghr_", 30, "", "a GitHub token"),
    ("sk-ant-", 20, "-_", "an Anthropic API key"),
    ("sk-proj-", 20, "-_", "an OpenAI API key"),
    ("sk-svcacct-", 20, "-_", "an OpenAI API key"),
    ("sk_live_", 16, "", "a Stripe secret key"),
    ("rk_live_", 16, "", "a Stripe restricted key"),
    ("sk_test_", 16, "", "a Stripe test key"),
    ("rk_test_", 16, "", "a Stripe restricted key"),
    ("sk-", 20, "-_", "an API key"),
    ("xoxb-", 10, "-", "a Slack bot token"),
    ("xoxp-", 10, "-", "a Slack user token"),
    ("xoxa-", 10, "-", "a Slack token"),
    ("xoxe-", 10, "-", "a Slack token"),
    ("glpat-", 20, "-_", "a GitLab token"),
    ("ntn_", 30, "", "a Notion token"),
    ("sbp_", 30, "", "a Supabase access token"),
    ("lin_api_", 30, "", "a Linear API key"),
    ("tvly-", 20, "-", "a Tavily API key"),
    ("pplx-", 30, "", "a Perplexity API key"),
    ("hf_", 30, "", "a Hugging Face token"),
    ("npm_", 30, "", "an npm token"),
    ("AIza", 35, "-_", "a Google API key"),
];

/// Name parts that mark a value as a credential.
const SECRET_NAME_PARTS: &[&str] = &[
    "TOKEN",
    "KEY",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PWD",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "AUTH",
    "AUTHORIZATION",
    "PAT",
];

/// Whether a name (env key, header, flag) says its value is a credential.
pub fn secret_name(name: &str) -> bool {
    let upper = name.trim_start_matches('-').to_ascii_uppercase();
    upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| {
            SECRET_NAME_PARTS.contains(&part)
                || part.ends_with("TOKEN")
                || part.ends_with("APIKEY")
                || part.ends_with("SECRET")
        })
}

/// Shannon entropy of the characters, in bits per character.
fn entropy(s: &str) -> f64 {
    let mut ascii = [0usize; 128];
    let mut other = std::collections::BTreeMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        n += 1;
        match usize::try_from(u32::from(c)).ok().filter(|&i| i < 128) {
            Some(i) => ascii[i] += 1,
            None => *other.entry(c).or_insert(0usize) += 1,
        }
    }
    let n = n as f64;
    ascii
        .iter()
        .chain(other.values())
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

fn base64url_json(part: &str) -> bool {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for b in part.trim_end_matches('=').bytes() {
        let Some(i) = A.iter().position(|a| *a == b) else {
            return false;
        };
        bits = (bits << 6) | i as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    serde_json::from_slice::<serde_json::Value>(&out)
        .is_ok_and(|v| v.get("alg").is_some() || v.get("typ").is_some())
}

/// What kind of credential `value` looks like, if it looks like one. `name`
/// is the env key, header name or flag it is given under.
pub fn detect(name: Option<&str>, value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.len() < 8 || v.contains(char::is_whitespace) {
        return None;
    }
    // What it looks like first: the exclusions cost more and rarely matter.
    let what = looks_like(name, v)?;
    if substitution::has_reference(v) || is_placeholder(v) {
        return None;
    }
    Some(what)
}

/// `detect` without the exclusions (references, placeholders).
fn looks_like(name: Option<&str>, v: &str) -> Option<&'static str> {
    // Only the formats whose prefix starts with the value's first byte can match.
    static FIRST: OnceLock<[bool; 256]> = OnceLock::new();
    let first = FIRST.get_or_init(|| {
        let mut m = [false; 256];
        for (prefix, ..) in FORMATS {
            m[usize::from(prefix.as_bytes()[0])] = true;
        }
        m
    });
    for (prefix, min, extra, what) in FORMATS
        .iter()
        .filter(|_| first[usize::from(v.as_bytes()[0])])
    {
        // Random tokens have digits and spread-out characters; words do not
        // (`sk-learn-something-long` is a name, not a key).
        if let Some(rest) = v.strip_prefix(prefix)
            && rest.len() >= *min
            && token_chars(rest, extra)
            && rest.chars().any(|c| c.is_ascii_digit())
            && entropy(rest) >= 3.0
        {
            return Some(what);
        }
    }
    if (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.len() == 20
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key ID");
    }
    let parts: Vec<&str> = if v.bytes().filter(|&b| b == b'.').count() == 2 {
        v.split('.').collect()
    } else {
        Vec::new()
    };
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| p.len() >= 4 && token_chars(p, "-_="))
        && base64url_json(parts[0])
    {
        return Some("a JWT");
    }
    if name.is_some_and(secret_name)
        && v.len() >= 16
        && !v.contains("://")
        && !v.starts_with('/')
        && token_chars(v, "-_.+=/~")
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && entropy(v) >= 3.0
    {
        return Some("a credential");
    }
    None
}

/// The name an argument's value goes by and where the value starts in it:
/// `--api-key=VALUE` (`--api-key`, after the `=`), `-e KEY=VALUE` for
/// containers (`KEY`, after the `=`), `--token VALUE` (`--token`, 0), or no
/// name for a bare argument.
pub fn arg_value<'a>(args: &[&'a str], i: usize) -> (Option<&'a str>, usize) {
    let a = args[i];
    let prev = i.checked_sub(1).map(|j| args[j]);
    if matches!(prev, Some("-e" | "--env"))
        && let Some((key, _)) = a.split_once('=')
    {
        return (Some(key), key.len() + 1);
    }
    match a.split_once('=') {
        Some((flag, _)) if flag.starts_with('-') => (Some(flag), flag.len() + 1),
        _ => (prev.filter(|p| p.starts_with('-')), 0),
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut taken_inputs = InputIds::new(ctx);
    for server in &ctx.config.servers {
        for m in server.env() {
            let Some(value) = m.value.as_str() else {
                continue;
            };
            let s = Str {
                value,
                span: m.value.span,
            };
            plaintext(
                ctx,
                server,
                &m.key,
                s,
                0,
                Place::Env,
                &mut taken_inputs,
                out,
            );
        }
        for h in server.headers() {
            let Some(value) = h.value.as_str() else {
                continue;
            };
            // `Bearer <secret>`: the secret is what follows the scheme.
            let offset = match value.split_once(' ') {
                Some((scheme, rest))
                    if !rest.trim().is_empty()
                        && scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                {
                    scheme.len() + 1
                }
                _ => 0,
            };
            let s = Str {
                value,
                span: h.value.span,
            };
            plaintext(
                ctx,
                server,
                &h.key,
                s,
                offset,
                Place::Header,
                &mut taken_inputs,
                out,
            );
        }
        let args = server.args();
        let values: Vec<&str> = args.iter().map(|a| a.value).collect();
        for (i, a) in args.iter().enumerate() {
            let (name, offset) = arg_value(&values, i);
            if name.is_none() && offset == 0 && detect(None, a.value).is_none() {
                continue;
            }
            plaintext(
                ctx,
                server,
                name.unwrap_or("argument"),
                *a,
                offset,
                Place::Arg,
                &mut taken_inputs,
                out,
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Env,
    Header,
    Arg,
}

/// `X-API-Key` → `X_API_KEY`; `--api-key` → `API_KEY`.
fn variable_name(name: &str) -> String {
    let v: String = name
        .trim_start_matches('-')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    let v = v.trim_matches('_').to_string();
    if v.is_empty() || v.starts_with(|c: char| c.is_ascii_digit()) {
        format!("MCP_{v}")
    } else {
        v
    }
}

#[allow(clippy::too_many_arguments)]
fn plaintext(
    ctx: &Ctx<'_>,
    server: &Server,
    name: &str,
    s: Str<'_>,
    offset: usize,
    place: Place,
    taken_inputs: &mut InputIds,
    out: &mut Vec<Finding>,
) {
    let secret = &s.value[offset.min(s.value.len())..];
    let key = if place == Place::Arg && name == "argument" {
        None
    } else {
        Some(name)
    };
    let Some(what) = detect(key, secret) else {
        return;
    };
    let spec = ctx.spec();
    let client = spec.name;
    let subs = &spec.substitutions;
    let lead = trailing_space(secret);
    let range = offset..offset + secret.len() - lead;
    let span: Span = source_span(ctx.text, s.span, range);
    let shown = redact(secret.trim());
    let place_text = match place {
        Place::Env => format!("`{name}`"),
        Place::Header => format!("the header `{name}`"),
        Place::Arg => "this argument".to_string(),
    };
    let var = if place == Place::Env && substitution::is_identifier(name) {
        name.to_string()
    } else {
        variable_name(name)
    };
    let mut f;
    if subs.input {
        let id = taken_inputs.next(&var);
        f = Finding::new(
            &SECRET_PLAINTEXT,
            span,
            format!(
                "{place_text} holds what looks like {what} ({shown}) in plain text, where backups, screenshots and commits leak it: let {client} prompt for it once and keep it in its secret storage (`${{input:{id}}}`)"
            ),
        );
        if let Some(add) = add_inputs(
            ctx,
            &[prompt_input(
                &id,
                &format!("{name} for {}", server.name),
                true,
            )],
        ) {
            taken_inputs.take(id.clone());
            f = f.with_fix(Fix::unsafe_(
                format!("Move it to an input `${{input:{id}}}`"),
                vec![Edit::replace(span, format!("${{input:{id}}}")), add],
            ));
        }
    } else if subs.env_prefix || subs.braced {
        let reference = if subs.env_prefix {
            format!("${{env:{var}}}")
        } else {
            format!("${{{var}}}")
        };
        let launchd = ctx.env.launchd();
        let where_to = if launchd {
            format!(
                "set {var} where {client} can see it (`launchctl setenv {var} …`, since {client} on macOS does not read your shell profile)"
            )
        } else {
            format!("set {var} in the environment {client} starts from")
        };
        f = Finding::new(
            &SECRET_PLAINTEXT,
            span,
            format!(
                "{place_text} holds what looks like {what} ({shown}) in plain text, where backups, screenshots and commits leak it: reference it as `{reference}` and {where_to}"
            ),
        );
        f = f.with_fix(Fix::unsafe_(
            format!("Replace it with `{reference}`"),
            vec![Edit::replace(span, reference)],
        ));
    } else {
        f = Finding::new(
            &SECRET_PLAINTEXT,
            span,
            format!(
                "{place_text} holds what looks like {what} ({shown}) in plain text. {client} cannot reference variables from this file, so the value has to stay here: keep the file out of repositories and backups you share"
            ),
        );
    }
    report(out, server, f);
}

fn trailing_space(s: &str) -> usize {
    s.len() - s.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Options;
    use crate::host::FakeHost;
    use crate::testing::{analyze_with, check, check_fix};

    const GHP: &str = "ghp_R4nd0mT0k3nV4lu3Xq9Zz8Yy7Ww6Vv5Uu4Tt";

    #[test]
    fn detects_known_formats_and_nothing_ordinary() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        for (name, v) in [
            (None, GHP),
            (
                None,
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH",
            ),
            (None, "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"),
            (None, "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"),
            (
                None,
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            ),
            (None, "AKIAIOSFODNN7EXAMPLE"),
            (None, "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
            (None, "sk_live_51H8x2CJ3kLmNoPqRsTuVwXy"),
            (None, jwt),
            (Some("MY_SERVICE_TOKEN"), "q8Z3v9XkLm2Pn4Rt7Wy1"),
            (Some("X-API-Key"), "a9f3k2m8q1z7x4c6v0b5n2"),
        ] {
            assert!(detect(name, v).is_some(), "{name:?} {v}");
        }
        for (name, v) in [
            (Some("GITHUB_PERSONAL_ACCESS_TOKEN"), "${env:GITHUB_TOKEN}"),
            (
                Some("GITHUB_PERSONAL_ACCESS_TOKEN"),
                "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ),
            (Some("OPENAI_API_KEY"), "sk-..."),
            (Some("API_KEY"), "YOUR_API_KEY"),
            (Some("LOG_LEVEL"), "debug"),
            (Some("TOKEN_URL"), "https://auth.example.com/token"),
            (Some("KEY_FILE"), "/home/me/.ssh/id_ed25519"),
            (Some("SLACK_TEAM_ID"), "T01234567"),
            (Some("AWS_REGION"), "us-east-1"),
            (None, "@modelcontextprotocol/server-github"),
            (None, "postgresql://localhost/mydb"),
            (Some("PASSWORD"), "aaaaaaaaaaaaaaaaaaaa"),
            (Some("TOKEN"), "Europe/Paris"),
            (None, "sk-learn-something-quite-long"),
        ] {
            assert!(detect(name, v).is_none(), "{name:?} {v}");
        }
    }

    #[test]
    fn placeholders() {
        for v in [
            "YOUR_API_KEY",
            "<token>",
            "<YOUR_TOKEN>",
            "xxx",
            "changeme",
            "your-key-here",
            "sk-...",
            "ghp_xxxxxxxxxxxx",
            "sk-ant-api03-...",
            "TODO",
            "todo: fill in",
            "paste-your-token-here",
            "{{API_KEY}}",
            "YOUR_GITHUB_TOKEN",
            "your_token",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "",
            "${env:TOKEN}",
            GHP,
            "info",
            "true",
            "1",
            "us-east-1",
            "production",
            "/tmp",
            "Europe/Paris",
            "YourCompany",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp",
            "https://example.com",
            "postgresql://localhost/db",
            "api_key",
            "my-project-123",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn secret_in_env_moves_to_this_clients_reference() {
        let text = format!(
            r#"{{"mcpServers": {{"gh": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{GHP}"}}}}}}}}"#
        );
        check(
            "/home/me/p/.cursor/mcp.json",
            &text,
            &[("secret/plaintext", GHP)],
        );
        check_fix(
            "/home/me/p/.cursor/mcp.json",
            &text,
            "secret/plaintext",
            "Replace it with `${env:GITHUB_PERSONAL_ACCESS_TOKEN}`",
            &text.replace(GHP, "${env:GITHUB_PERSONAL_ACCESS_TOKEN}"),
        );
        check_fix(
            "/home/me/p/.mcp.json",
            &text,
            "secret/plaintext",
            "Replace it with `${GITHUB_PERSONAL_ACCESS_TOKEN}`",
            &text.replace(GHP, "${GITHUB_PERSONAL_ACCESS_TOKEN}"),
        );
        let a = analyze_with(
            "/home/me/.config/Claude/claude_desktop_config.json",
            &text,
            &FakeHost::linux(),
            &Options::default(),
        );
        let f = a
            .findings
            .iter()
            .find(|f| f.code() == "secret/plaintext")
            .unwrap();
        assert!(
            f.fixes.is_empty()
                && f.message
                    .contains("Claude Desktop cannot reference variables")
        );
        assert!(!f.message.contains(GHP) && f.message.contains("ghp_…(40 chars)"));
    }

    #[test]
    fn secret_in_vscode_becomes_an_input() {
        let text = format!(
            "{{\n  \"servers\": {{\n    \"gh\": {{\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": {{ \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"{GHP}\" }}\n    }}\n  }}\n}}"
        );
        let expected = "{\n  \"servers\": {\n    \"gh\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": { \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${input:github-personal-access-token}\" }\n    }\n  },\n  \"inputs\": [{ \"type\": \"promptString\", \"id\": \"github-personal-access-token\", \"description\": \"GITHUB_PERSONAL_ACCESS_TOKEN for gh\", \"password\": true }]\n}";
        check_fix(
            "/home/me/p/.vscode/mcp.json",
            &text,
            "secret/plaintext",
            "Move it to an input `${input:github-personal-access-token}`",
            expected,
        );
    }

    #[test]
    fn no_message_or_fix_of_ours_carries_a_planted_secret() {
        let secrets = [
            GHP,
            "sk_live_51H8x2CJ3kLmNoPqRsTuVwXyZ0a1b2",
            "tvly-dev-Zq3k9XbV7mN2pL5wR8tY1uC4",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "Tr0ub4dor-and-3-horses",
            "q8Z3v9XkLm2Pn4Rt7Wy1",
        ];
        let body = format!(
            r#""gh": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github", "--token", "{GHP}"], "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{GHP}", "MY_SERVICE_TOKEN": "{}"}}}},
               "stripe": {{"command": "npx", "args": ["-y", "@stripe/mcp", "--api-key={}"]}},
               "slack": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-slack"], "env": {{"SLACK_BOT_TOKEN": "{}"}}}},
               "tavily": {{"url": "https://mcp.tavily.com/mcp/?tavilyApiKey={}"}},
               "private": {{"url": "http://admin:{}@mcp.example.com/", "headers": {{"Authorization": "{GHP}"}}}}"#,
            secrets[5], secrets[1], secrets[3], secrets[2], secrets[4]
        );
        for (path, root) in [
            ("/home/me/p/.cursor/mcp.json", "mcpServers"),
            ("/home/me/p/.mcp.json", "mcpServers"),
            ("/home/me/p/.vscode/mcp.json", "servers"),
            (
                "/home/me/.cline/data/settings/cline_mcp_settings.json",
                "mcpServers",
            ),
            ("/home/me/.gemini/settings.json", "mcpServers"),
            ("/home/me/.config/zed/settings.json", "context_servers"),
            (
                "/home/me/.config/Claude/claude_desktop_config.json",
                "mcpServers",
            ),
        ] {
            let text = format!("{{\"{root}\": {{{body}}}}}");
            let a = analyze_with(path, &text, &FakeHost::linux(), &Options::default());
            assert!(
                a.findings.iter().any(|f| f.code() == "secret/plaintext"),
                "{path}"
            );
            for f in &a.findings {
                for s in secrets {
                    assert!(
                        !f.message.contains(s),
                        "{path}: {}: {}",
                        f.code(),
                        f.message
                    );
                    for fix in &f.fixes {
                        assert!(!fix.title.contains(s), "{path}: {}", fix.title);
                        // The schema family's Claude Desktop bridge copies headers on purpose.
                        if f.code() != "schema/unsupported-transport" {
                            assert!(
                                fix.edits.iter().all(|e| !e.new_text.contains(s)),
                                "{path}: {}",
                                f.code()
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn secrets_forwarded_to_containers() {
        let key = "fc-0123456789abcdef0123456789abcdef";
        let text = format!(
            r#"{{"mcpServers": {{"f": {{"command": "docker", "args": ["run", "-i", "--rm", "-e", "FIRECRAWL_API_KEY={key}", "mcp/firecrawl"]}}}}}}"#
        );
        check(
            "/home/me/p/.cursor/mcp.json",
            &text,
            &[("secret/plaintext", key)],
        );
        check_fix(
            "/home/me/p/.cursor/mcp.json",
            &text,
            "secret/plaintext",
            "Replace it with `${env:FIRECRAWL_API_KEY}`",
            &text.replace(key, "${env:FIRECRAWL_API_KEY}"),
        );
    }

    #[test]
    fn secrets_in_headers_and_args() {
        let text = format!(
            r#"{{"mcpServers": {{"a": {{"url": "https://api.githubcopilot.com/mcp/", "headers": {{"Authorization": "Bearer {GHP}"}}}}, "b": {{"command": "npx", "args": ["-y", "@stripe/mcp", "--api-key=sk_live_51H8x2CJ3kLmNoPqRsTuVwXy"]}}}}}}"#
        );
        check(
            "/home/me/p/.cursor/mcp.json",
            &text,
            &[
                ("secret/plaintext", GHP),
                ("secret/plaintext", "sk_live_51H8x2CJ3kLmNoPqRsTuVwXy"),
            ],
        );
        check_fix(
            "/home/me/p/.cursor/mcp.json",
            &text,
            "secret/plaintext",
            "Replace it with `${env:AUTHORIZATION}`",
            &text.replace(&format!("Bearer {GHP}"), "Bearer ${env:AUTHORIZATION}"),
        );
    }
}
