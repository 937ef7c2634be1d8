//! Snippet text: the whole-server entry, value placeholders, escaping, and
//! the plain-text form for editors without snippet support. Pure string work;
//! imports the catalogue, the schema and the dialect table only.

use crate::dialect::Dialect;
use crate::fix::json_string;
use crate::known_servers::Offer;
use crate::schema::SchemaNode;

/// `"github": { "command": "npx", "args": ["-y", "..."], "env": { "KEY": "${1}" } }`
pub fn server_entry(offer: &Offer, dialect: Dialect, comma: bool) -> String {
    let mut tab = 0;
    let mut next = || {
        tab += 1;
        tab
    };
    let mut fields = Vec::new();
    if dialect == Dialect::VsCode {
        fields.push("\"type\": \"stdio\"".to_string());
    }
    fields.push(format!("\"command\": {}", json_string(&offer.runner)));
    let mut args = Vec::new();
    if offer.runner == "npx" {
        args.push(json_string("-y"));
    }
    args.push(escape(&json_string(&offer.package)));
    for a in &offer.args {
        let inner = json_string(a);
        let inner = &inner[1..inner.len() - 1];
        args.push(format!("\"${{{}:{}}}\"", next(), escape(inner)));
    }
    fields.push(format!("\"args\": [{}]", args.join(", ")));
    if !offer.env.is_empty() {
        let env: Vec<String> = offer
            .env
            .iter()
            .map(|k| {
                format!(
                    "{}: \"{}\"",
                    json_string(k),
                    env_placeholder(dialect, k, next())
                )
            })
            .collect();
        fields.push(format!("\"env\": {{ {} }}", env.join(", ")));
    }
    format!(
        "{}: {{ {} }}{}",
        json_string(&offer.name),
        fields.join(", "),
        if comma { "," } else { "" }
    )
}

/// The command line an offered server runs, e.g. `npx -y @scope/pkg /path`.
pub fn command_line(offer: &Offer) -> String {
    let mut command = vec![offer.runner.clone()];
    if offer.runner == "npx" {
        command.push("-y".into());
    }
    command.push(offer.package.clone());
    command.extend(offer.args.iter().cloned());
    command.join(" ")
}

/// A tab stop for an env value: empty, or prefilled with a reference to an
/// environment variable in the syntax this client expands (so the secret
/// stays out of the file).
pub fn env_placeholder(dialect: Dialect, key: &str, tab: usize) -> String {
    let subs = dialect.spec().substitutions;
    let reference = if subs.env_prefix {
        Some(format!("${{env:{key}}}"))
    } else if subs.braced {
        Some(format!("${{{key}}}"))
    } else {
        None
    };
    match reference {
        Some(r) => format!("${{{tab}:{}}}", escape(&r)),
        None => format!("${{{tab}}}"),
    }
}

/// A value of the schema's type, as a tab stop (enum values as a choice).
pub fn value_placeholder(node: &SchemaNode) -> String {
    let first = node.types.first().map(String::as_str);
    if let Some(first_enum) = node.enum_values.iter().find_map(|v| v.as_str()) {
        let choices: Vec<String> = node
            .enum_values
            .iter()
            .filter_map(|v| v.as_str())
            .map(|v| v.replace([',', '|'], ""))
            .collect();
        if choices.len() > 1 {
            return format!("\"${{1|{}|}}\"", choices.join(","));
        }
        return format!("\"${{1:{}}}\"", escape(first_enum));
    }
    match first {
        Some("string") => "\"$1\"".into(),
        Some("array") => "[$1]".into(),
        Some("object") => "{$1}".into(),
        Some("boolean") => format!(
            "${{1:{}}}",
            node.default
                .as_ref()
                .and_then(|d| d.as_bool())
                .unwrap_or(true)
        ),
        Some("integer" | "number") => format!(
            "${{1:{}}}",
            node.default
                .as_ref()
                .filter(|d| d.is_number())
                .map_or("0".to_string(), |d| d.to_string())
        ),
        _ => "$1".into(),
    }
}

/// Escape text for a snippet (`$`, `}` and `\` are special there).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A snippet as plain text: tab stops vanish, placeholders keep their text,
/// choices keep their first option.
pub fn to_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek().is_some_and(|n| n.is_ascii_digit()) => {
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                    chars.next();
                }
                match chars.next() {
                    Some(':') => {}
                    Some('|') => {
                        // First choice, then skip to the closing `|}`.
                        let mut first = true;
                        for n in chars.by_ref() {
                            match n {
                                '|' => break,
                                ',' => first = false,
                                _ if first => out.push(n),
                                _ => {}
                            }
                        }
                        chars.next(); // '}'
                        continue;
                    }
                    _ => continue, // `${1}`
                }
                // Placeholder text until the matching unescaped `}`.
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            if let Some(m) = chars.next() {
                                out.push(m);
                            }
                        }
                        '}' => break,
                        _ => out.push(n),
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(to_plain(r#""$1""#), r#""""#);
        assert_eq!(to_plain(r#""${1:\${env:X\}}""#), r#""${env:X}""#);
        assert_eq!(to_plain(r#""${1|stdio,http|}", x"#), r#""stdio", x"#);
        assert_eq!(to_plain("{\n\t$0\n}"), "{\n\t\n}");
    }
}
