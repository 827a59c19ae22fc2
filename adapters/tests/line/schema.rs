//! Request bodies checked against LINE's official OpenAPI file
//! (`shared/specs/line-openapi/messaging-api.yml`).
//!
//! JSON Schema does not know OpenAPI's `discriminator`: by itself `Message` only requires a
//! `type`, so `{"type": "image"}` without its URLs would pass. Each schema with a discriminator
//! mapping therefore gets a `<Name>__dispatch` twin: the base schema, `type` restricted to the
//! mapping's keys, and `if type = k then <mapped schema>` for each key. Every `$ref` to the base
//! is pointed at the twin, except the `allOf` references by which the mapped schemas inherit
//! the base (which would otherwise loop).

use std::path::PathBuf;

use serde_json::{Map, Value, json};

pub struct Schemas {
    components: Value,
}

const PREFIX: &str = "#/components/schemas/";

fn spec_path() -> PathBuf {
    // LINE's official file, vendored unchanged with its licence (Apache-2.0) and source commit.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/line/openapi/messaging-api.yml")
}

impl Schemas {
    pub fn load() -> Schemas {
        let text = std::fs::read_to_string(spec_path()).expect("read messaging-api.yml");
        let spec: Value = serde_yaml_ng::from_str(&text).expect("parse messaging-api.yml");
        let mut components = spec["components"].clone();
        enforce_discriminators(&mut components);
        Schemas { components }
    }

    /// Errors of `body` against `#/components/schemas/<name>`; empty when valid.
    pub fn errors(&self, name: &str, body: &Value) -> Vec<String> {
        let root = json!({ "$ref": format!("{PREFIX}{name}"), "components": self.components });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema {name} does not build: {e}"));
        validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }
}

/// A schema with a discriminator: its name, the property, and `(value, mapped $ref)` pairs.
type Discriminated = (String, String, Vec<(String, String)>);

fn enforce_discriminators(components: &mut Value) {
    let schemas = components["schemas"]
        .as_object_mut()
        .expect("components.schemas");
    let mut bases: Vec<Discriminated> = Vec::new();
    for (name, s) in schemas.iter() {
        if let Some(d) = s.get("discriminator") {
            let prop = d["propertyName"].as_str().expect("propertyName").to_owned();
            let mapping = d["mapping"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().expect("mapping ref").to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            bases.push((name.clone(), prop, mapping));
        }
    }
    let names: Vec<String> = bases.iter().map(|b| b.0.clone()).collect();
    for s in schemas.values_mut() {
        redirect(s, &names, false);
    }
    for (name, prop, mapping) in bases {
        let keys: Vec<&String> = mapping.iter().map(|(k, _)| k).collect();
        let cases: Vec<Value> = mapping
            .iter()
            .map(|(k, target)| {
                json!({
                    "if": { "properties": { &prop: { "const": k } }, "required": [&prop] },
                    "then": { "$ref": target },
                })
            })
            .collect();
        let mut twin = Map::new();
        twin.insert("$ref".into(), json!(format!("{PREFIX}{name}")));
        twin.insert("required".into(), json!([&prop]));
        twin.insert("properties".into(), json!({ &prop: { "enum": keys } }));
        twin.insert("allOf".into(), Value::Array(cases));
        schemas.insert(format!("{name}__dispatch"), Value::Object(twin));
    }
}

/// Point every `$ref` to a discriminated base at its twin, except direct `allOf` members.
fn redirect(v: &mut Value, bases: &[String], in_all_of: bool) {
    match v {
        Value::Object(map) => {
            if !in_all_of
                && let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(name) = r.strip_prefix(PREFIX)
                && bases.iter().any(|b| b == name)
            {
                *r = format!("{PREFIX}{name}__dispatch");
            }
            for (k, child) in map.iter_mut() {
                if k == "allOf" {
                    if let Value::Array(items) = child {
                        for item in items {
                            redirect(item, bases, true);
                        }
                    }
                } else {
                    redirect(child, bases, false);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                redirect(item, bases, false);
            }
        }
        _ => {}
    }
}
