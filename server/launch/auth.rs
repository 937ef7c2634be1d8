//! `WWW-Authenticate` parsing (RFC 9110 §11.6.1 challenges, RFC 6750 Bearer
//! parameters, RFC 9728 `resource_metadata`). Pure, no I/O.

use super::report::WwwAuthenticate;

/// One challenge: `Bearer realm="x", scope="a b"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// As written (compare case-insensitively).
    pub scheme: String,
    pub token68: Option<String>,
    /// Parameter names lower-cased, values unquoted.
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The challenge the test launch reports: the Bearer one (else the first)
/// with its parameters, and the header as sent in `raw`.
pub fn bearer_params(header: &str) -> WwwAuthenticate {
    let challenges = parse_www_authenticate(header);
    let chosen = challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("bearer"))
        .or_else(|| challenges.first());
    let param = |name: &str| chosen.and_then(|c| c.param(name)).map(str::to_string);
    WwwAuthenticate {
        raw: header.to_string(),
        scheme: chosen.map(|c| c.scheme.clone()),
        realm: param("realm"),
        resource_metadata: param("resource_metadata"),
        scope: param("scope"),
        error: param("error"),
        error_description: param("error_description"),
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_token68_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~+/".contains(c)
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.i += 1;
        }
    }
    fn skip_ws_and_commas(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | ',')) {
            self.i += 1;
        }
    }
    fn token(&mut self) -> &'a str {
        let start = self.i;
        while self.peek().is_some_and(is_tchar) {
            self.i += 1;
        }
        &self.s[start..self.i]
    }
    fn quoted(&mut self) -> String {
        // At the opening quote.
        self.bump();
        let mut out = String::new();
        while let Some(c) = self.bump() {
            match c {
                '"' => return out,
                '\\' => {
                    if let Some(n) = self.bump() {
                        out.push(n);
                    }
                }
                c => out.push(c),
            }
        }
        out
    }
    /// Tries `token68` at the current position: token68 chars, then `=`*,
    /// then only whitespace before a comma or the end.
    fn try_token68(&mut self) -> Option<String> {
        let start = self.i;
        let mut j = self.i;
        let rest = &self.s[start..];
        let mut n = 0;
        for c in rest.chars() {
            if is_token68_char(c) {
                n += c.len_utf8();
            } else {
                break;
            }
        }
        if n == 0 {
            return None;
        }
        j += n;
        while self.s[j..].starts_with('=') {
            j += 1;
        }
        let after = self.s[j..].trim_start_matches([' ', '\t']);
        if after.is_empty() || after.starts_with(',') {
            self.i = j;
            Some(self.s[start..j].to_string())
        } else {
            None
        }
    }
}

/// Parses a `WWW-Authenticate` value (several headers joined with `, ` are
/// fine). Lenient: malformed parts are skipped, never an error.
pub fn parse_www_authenticate(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut c = Cursor { s: header, i: 0 };
    // Set right after a scheme, until the first param/comma.
    let mut after_scheme = false;
    loop {
        let before = c.i;
        if after_scheme {
            c.skip_ws();
            if let Some(t) = c.try_token68()
                && let Some(last) = out.last_mut()
            {
                last.token68 = Some(t);
                after_scheme = false;
                continue;
            }
        }
        c.skip_ws_and_commas();
        if c.peek().is_none() {
            break;
        }
        let name = c.token();
        if name.is_empty() {
            // Junk character: skip it.
            c.bump();
            after_scheme = false;
            continue;
        }
        c.skip_ws();
        if c.peek() == Some('=') && !out.is_empty() {
            c.bump();
            c.skip_ws();
            let value = if c.peek() == Some('"') {
                c.quoted()
            } else {
                c.token().to_string()
            };
            if let Some(last) = out.last_mut() {
                last.params.push((name.to_ascii_lowercase(), value));
            }
            after_scheme = false;
        } else {
            out.push(Challenge {
                scheme: name.to_string(),
                token68: None,
                params: Vec::new(),
            });
            after_scheme = true;
        }
        if c.i == before {
            // Defensive: never loop without progress.
            c.bump();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_with_resource_metadata() {
        let h = r#"Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="files:read""#;
        let p = bearer_params(h);
        assert_eq!(p.scheme.as_deref(), Some("Bearer"));
        assert_eq!(
            p.resource_metadata.as_deref(),
            Some("https://mcp.example.com/.well-known/oauth-protected-resource")
        );
        assert_eq!(p.scope.as_deref(), Some("files:read"));
        assert_eq!(p.error, None);
    }

    #[test]
    fn insufficient_scope_with_escapes() {
        let h = r#"Bearer error="insufficient_scope", scope="files:read files:write", error_description="need \"write\"""#;
        let p = bearer_params(h);
        assert_eq!(p.error.as_deref(), Some("insufficient_scope"));
        assert_eq!(p.scope.as_deref(), Some("files:read files:write"));
        assert_eq!(p.error_description.as_deref(), Some("need \"write\""));
    }

    #[test]
    fn several_challenges_and_token68() {
        let h = r#"Basic realm="x", Negotiate abc123==, bearer realm=api,error=invalid_token"#;
        let cs = parse_www_authenticate(h);
        assert_eq!(cs.len(), 3, "{cs:?}");
        assert_eq!(cs[0].scheme, "Basic");
        assert_eq!(cs[0].param("realm"), Some("x"));
        assert_eq!(cs[1].scheme, "Negotiate");
        assert_eq!(cs[1].token68.as_deref(), Some("abc123=="));
        assert_eq!(cs[2].param("error"), Some("invalid_token"));
        let p = bearer_params(h);
        assert_eq!(p.scheme.as_deref(), Some("bearer"));
        assert_eq!(p.realm.as_deref(), Some("api"));
    }

    #[test]
    fn bare_scheme_and_garbage() {
        assert_eq!(parse_www_authenticate("Bearer").len(), 1);
        assert!(parse_www_authenticate("").is_empty());
        // Must not panic or loop.
        let _ = parse_www_authenticate("\"=,,==\" é Bearer x=\"unterminated");
        let p = bearer_params("Bearer x=\"unterminated");
        assert_eq!(p.scheme.as_deref(), Some("Bearer"));
    }
}
