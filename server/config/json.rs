//! An owned JSON tree in which every value and key keeps its byte span.

use crate::finding::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub span: Span,
    pub kind: JsonKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind {
    Object(Vec<Member>),
    Array(Vec<Json>),
    String(String),
    /// The number as written, so nothing is lost to float conversion.
    Number(String),
    Bool(bool),
    Null,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    /// The key token, quotes included.
    pub key_span: Span,
    pub value: Json,
}

impl Member {
    /// From the start of the key to the end of the value.
    pub fn span(&self) -> Span {
        Span::new(self.key_span.start, self.value.span.end)
    }
}

impl Json {
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            JsonKind::Object(m) => m,
            _ => &[],
        }
    }

    pub fn elements(&self) -> &[Json] {
        match &self.kind {
            JsonKind::Array(e) => e,
            _ => &[],
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, JsonKind::Object(_))
    }

    /// The member a JSON.parse-based client would see: the last one with this key.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members().iter().rev().find(|m| m.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.member(key).map(|m| &m.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            JsonKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The JSON type name as a schema would say it.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            JsonKind::Object(_) => "object",
            JsonKind::Array(_) => "array",
            JsonKind::String(_) => "string",
            JsonKind::Number(n) if is_integer(n) => "integer",
            JsonKind::Number(_) => "number",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Null => "null",
        }
    }

    /// The innermost value whose span contains `offset`, with the path of keys to it.
    pub fn path_at(&self, offset: usize) -> Vec<PathStep<'_>> {
        let mut path = Vec::new();
        let mut node = self;
        'walk: loop {
            match &node.kind {
                JsonKind::Object(members) => {
                    for m in members {
                        if m.key_span.contains(offset) {
                            path.push(PathStep::Key(m));
                            return path;
                        }
                        if m.value.span.contains(offset) {
                            path.push(PathStep::Value(m));
                            node = &m.value;
                            continue 'walk;
                        }
                    }
                }
                JsonKind::Array(elements) => {
                    for (i, e) in elements.iter().enumerate() {
                        if e.span.contains(offset) {
                            path.push(PathStep::Index(i, e));
                            node = e;
                            continue 'walk;
                        }
                    }
                }
                _ => {}
            }
            return path;
        }
    }
}

/// One step from a container towards the cursor.
#[derive(Clone, Copy, Debug)]
pub enum PathStep<'a> {
    /// The cursor is on this member's key.
    Key(&'a Member),
    /// The cursor is inside this member's value.
    Value(&'a Member),
    Index(usize, &'a Json),
}

fn is_integer(n: &str) -> bool {
    !n.contains(['.', 'e', 'E'])
}

impl Json {
    /// As a `serde_json::Value` (numbers that do not fit become strings; a
    /// duplicate key keeps its last value, like JSON.parse).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            JsonKind::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_value()))
                    .collect(),
            ),
            JsonKind::Array(e) => Value::Array(e.iter().map(Json::to_value).collect()),
            JsonKind::String(s) => Value::String(s.clone()),
            JsonKind::Number(n) => {
                serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone()))
            }
            JsonKind::Bool(b) => Value::Bool(*b),
            JsonKind::Null => Value::Null,
        }
    }
}
