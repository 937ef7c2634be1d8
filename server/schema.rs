//! The dialect schemas (`schemas/*.schema.json`) read into a small tree that
//! structural rules, hover and completion walk. Only the parts of JSON Schema
//! we use are read: properties, type, enum, items, additionalProperties,
//! description, deprecated, default and local `$ref`s.

use crate::dialect::Dialect;
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Clone, Debug, Default)]
pub struct SchemaNode {
    /// JSON types allowed (`integer` is also a `number`); empty means any.
    pub types: Vec<String>,
    pub description: Option<String>,
    pub enum_values: Vec<Value>,
    pub properties: Vec<(String, SchemaNode)>,
    pub additional: Additional,
    pub items: Option<Box<SchemaNode>>,
    pub deprecated: bool,
    pub default: Option<Value>,
    /// Keys an object must have.
    pub required: Vec<String>,
    /// `dependentRequired`: keys an object must have when it has the first
    /// (Goose's `args`, required of a stdio extension: one with `cmd`).
    pub dependent_required: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, Default)]
pub enum Additional {
    #[default]
    Any,
    Forbidden,
    Schema(Box<SchemaNode>),
}

impl SchemaNode {
    pub fn property(&self, key: &str) -> Option<&SchemaNode> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| n)
    }

    /// The schema of the value under `key`: a named property, else additionalProperties.
    pub fn child(&self, key: &str) -> Option<&SchemaNode> {
        self.property(key).or(match &self.additional {
            Additional::Schema(s) => Some(s),
            _ => None,
        })
    }

    pub fn allows_type(&self, json_type: &str) -> bool {
        self.types.is_empty()
            || self
                .types
                .iter()
                .any(|t| t == json_type || (t == "number" && json_type == "integer"))
    }

    pub fn type_label(&self) -> String {
        match self.types.as_slice() {
            [] => "any value".into(),
            [one] => article(one),
            many => many
                .iter()
                .map(|t| article(t))
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

fn article(t: &str) -> String {
    match t {
        "array" | "object" | "integer" => format!("an {t}"),
        "null" => "null".into(),
        _ => format!("a {t}"),
    }
}

/// The schema tree of a dialect, read when first asked for (a `check` of
/// one file reads one schema, not all of them).
pub fn for_dialect(dialect: Dialect) -> &'static SchemaNode {
    static CACHE: [OnceLock<SchemaNode>; Dialect::ALL.len()] =
        [const { OnceLock::new() }; Dialect::ALL.len()];
    CACHE[dialect as usize].get_or_init(|| load(dialect.spec().schema))
}

/// The schema of one server entry of a dialect.
pub fn server_schema(dialect: Dialect) -> Option<&'static SchemaNode> {
    for_dialect(dialect)
        .property(dialect.spec().servers_key)
        .and_then(|servers| match (&servers.additional, &servers.items) {
            (Additional::Schema(s), _) => Some(&**s),
            // Continue's list of servers.
            (_, Some(items)) => Some(&**items),
            _ => None,
        })
}

/// The raw schema text, as `mcp-config-lsp schema DIALECT` prints it.
pub fn text(dialect: Dialect) -> &'static str {
    dialect.spec().schema
}

fn load(text: &str) -> SchemaNode {
    // The schemas are our own files, checked by tests; a broken one degrades to "anything goes".
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return SchemaNode::default();
    };
    convert(&root, &root, 0)
}

fn convert(node: &Value, root: &Value, depth: usize) -> SchemaNode {
    if depth > 32 {
        return SchemaNode::default();
    }
    let node = resolve(node, root);
    let mut out = SchemaNode {
        description: node
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        deprecated: node
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        default: node.get("default").cloned(),
        enum_values: node
            .get("enum")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        required: node
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        dependent_required: node
            .get("dependentRequired")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let keys = v.as_array().into_iter().flatten();
                        let keys = keys.filter_map(Value::as_str).map(str::to_string);
                        (k.clone(), keys.collect())
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ..SchemaNode::default()
    };
    out.types = match node.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        out.properties = props
            .iter()
            .map(|(k, v)| (k.clone(), convert(v, root, depth + 1)))
            .collect();
    }
    out.additional = match node.get("additionalProperties") {
        Some(Value::Bool(false)) => Additional::Forbidden,
        Some(v @ Value::Object(_)) => Additional::Schema(Box::new(convert(v, root, depth + 1))),
        _ => Additional::Any,
    };
    out.items = node
        .get("items")
        .map(|i| Box::new(convert(i, root, depth + 1)));
    out
}

fn resolve<'a>(node: &'a Value, root: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            break;
        };
        match root.pointer(pointer) {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}
