//! Applying fixes to text, and the JSON string literal that fixes and
//! completions insert (`json_string`).

use crate::finding::Edit;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FixError {
    #[error("edit {0}..{1} is outside the text or not on a character boundary")]
    OutOfBounds(usize, usize),
    #[error("edits overlap at byte {0}")]
    Overlap(usize),
}

/// `s` as a JSON string literal, quotes and escapes included.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Apply non-overlapping edits (in any order) to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, FixError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        let (s, t) = (e.span.start, e.span.end);
        if s > t || t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return Err(FixError::OutOfBounds(s, t));
        }
        if s < pos {
            return Err(FixError::Overlap(s));
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.new_text);
        pos = t;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// The edits of several fixes together, dropping any edit that overlaps one
/// already taken (the next round of analysis offers the rest again).
/// Whether two edits touch the same text (two insertions at one place count:
/// their order would be a guess).
pub fn overlap(a: &Edit, b: &Edit) -> bool {
    a.span.start < b.span.end && b.span.start < a.span.end || a.span == b.span
}

pub fn merge_non_overlapping<'a>(fixes: impl IntoIterator<Item = &'a [Edit]>) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for edits in fixes {
        let clashes = edits.iter().any(|e| taken.iter().any(|t| overlap(e, t)));
        if !clashes {
            taken.extend(edits.iter().cloned());
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    #[test]
    fn applies_in_any_order_and_refuses_overlap() {
        let text = "héllo world";
        let edits = [
            Edit::replace(Span::new(7, 12), "there"),
            Edit::insert(0, ">> "),
        ];
        assert_eq!(apply(text, &edits).unwrap(), ">> héllo there");
        assert_eq!(
            apply(
                text,
                &[Edit::delete(Span::new(0, 4)), Edit::delete(Span::new(3, 5))]
            ),
            Err(FixError::Overlap(3))
        );
        assert_eq!(
            apply(text, &[Edit::delete(Span::new(2, 3))]),
            Err(FixError::OutOfBounds(2, 3))
        );
    }
}
