//! Reading `[channels]` from the file's own deserializer: each section as the settings of its
//! `type` (known beforehand from [`super::with_types`]), with the `type` key passed over, so an
//! error inside a section keeps the line of its key.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{ChannelSettings, Channels, Found, TYPES};

/// A channel name: it names a directory and an environment variable segment.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let name = String::deserialize(d)?;
        if !valid_name(&name) {
            return Err(de::Error::custom(format!(
                "channel name {name:?}: use a-z, 0-9 and _, starting with a letter (e.g. page_traffic)"
            )));
        }
        Ok(name)
    }
}

impl<'de> Deserialize<'de> for Channels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ChannelsVisitor)
    }
}

struct ChannelsVisitor;

impl<'de> Visitor<'de> for ChannelsVisitor {
    type Value = Channels;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table of channel sections")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Channels, A::Error> {
        let mut out = Channels::default();
        while let Some(name) = map.next_key_seed(Name)? {
            let found = TYPES.with(|t| t.borrow().as_ref().map(|m| m.get(&name).cloned()));
            let section = match found {
                Some(found) => {
                    let found = found.unwrap_or(Found {
                        ty: None,
                        old_form: false,
                    });
                    if found.old_form {
                        out.old_form.push(name.clone());
                    }
                    map.next_value_seed(Section { ty: found.ty })?
                }
                // Not read through `Settings::load_from`: read the section whole, then as its
                // type (errors then carry no line).
                None => {
                    let mut table: toml::Table = map.next_value()?;
                    let ty = match table.remove("type") {
                        Some(toml::Value::String(t)) => t,
                        _ => name.clone(),
                    };
                    ChannelSettings::deserialize_as(&ty, toml::Value::Table(table))
                        .map_err(|e| de::Error::custom(format!("channels.{name}: {e}")))?
                }
            };
            out.sections.insert(name, section);
        }
        Ok(out)
    }
}

/// One section, read as its type straight from the file's deserializer.
struct Section {
    ty: Option<String>,
}

impl<'de> DeserializeSeed<'de> for Section {
    type Value = ChannelSettings;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ChannelSettings, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Section {
    type Value = ChannelSettings;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a channel section")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ChannelSettings, A::Error> {
        match self.ty {
            Some(ty) if ChannelSettings::TYPES.contains(&ty.as_str()) => {
                ChannelSettings::deserialize_as(
                    &ty,
                    de::value::MapAccessDeserializer::new(WithoutType { map }),
                )
            }
            // No type, or one that does not exist: find `type` so the error points at it.
            _ => {
                while let Some(key) = map.next_key::<String>()? {
                    if key == "type" {
                        map.next_value_seed(TypeName)?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Err(de::Error::custom(format!(
                    "say which kind of channel this is: type = one of {}",
                    ChannelSettings::TYPES.join(", ")
                )))
            }
        }
    }
}

/// The value of `type`, checked.
struct TypeName;

impl<'de> DeserializeSeed<'de> for TypeName {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let ty = String::deserialize(d)?;
        if ChannelSettings::TYPES.contains(&ty.as_str()) {
            Ok(())
        } else {
            Err(de::Error::unknown_variant(&ty, ChannelSettings::TYPES))
        }
    }
}

/// A section's keys without `type`, passed through the file's own map so errors keep their
/// line.
struct WithoutType<A> {
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutType<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            match self.map.next_key_seed(KeyUnlessType { seed: &mut seed })? {
                None => return Ok(None),
                Some(Some(key)) => return Ok(Some(key)),
                Some(None) => {
                    self.map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key for the section's own seed, or `None` for `type` (which leaves the seed unused).
struct KeyUnlessType<'s, K> {
    seed: &'s mut Option<K>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeyUnlessType<'_, K> {
    type Value = Option<K::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let key = String::deserialize(d)?;
        if key == "type" {
            return Ok(None);
        }
        let seed = self.seed.take().expect("one key per call");
        seed.deserialize(de::value::StringDeserializer::<D::Error>::new(key))
            .map(Some)
    }
}
