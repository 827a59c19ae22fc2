//! What a [`StoreError`] says to a person, from the translation files (`locales/*/errors.ftl`).
//!
//! The SQLite store words its `NotFound`, `Conflict` and `Invalid` errors as short English
//! phrases with a fixed shape ("delivery 7", "department traffic already exists", "delivery 7
//! is published; only a delivery that is queued, failed can be cancelled"). This is the one
//! place that reads them back into their parts — the kind of thing, its key, the states — so
//! the message reads right in Thai too. A phrase of another shape is still shown, whole, inside
//! a translated frame; the tests of `tests/lang.rs` make every phrase the store writes today
//! come out translated.

use crate::i18n::Msg;
use crate::store::{DeliveryState, StoreError};

impl StoreError {
    /// The message for a person, in any language.
    pub fn msg(&self) -> Msg {
        match self {
            StoreError::NotFound(what) => not_found(what),
            StoreError::Conflict(what) => conflict(what),
            StoreError::Invalid(what) if what == "an announcement needs at least one channel" => {
                Msg::new("store-no-channel")
            }
            StoreError::Invalid(what) => Msg::new("store-invalid").with("detail", what),
            StoreError::Compose(e) => e.msg(),
            StoreError::Database(e) => Msg::new("store-database").with("detail", e),
            StoreError::Migrate(e) => Msg::new("store-migrate").with("detail", e),
            StoreError::Corrupt(what) => Msg::new("store-corrupt").with("detail", what),
            StoreError::Decided { id, state, by, at } => Msg::new("newsroom-already-decided")
                .with("id", id)
                .with("state", state)
                .with("by", by)
                .with("at", crate::newsroom::bangkok(*at)),
        }
    }
}

impl DeliveryState {
    /// The state in the reader's language (`needs_attention` → "รอเจ้าหน้าที่แก้ไข"); in
    /// English, the name `--state` takes.
    pub fn msg(self) -> Msg {
        Msg::new("delivery-state").with("state", self.as_str())
    }
}

/// The kinds of thing the store keeps, as messages name them.
const KINDS: [&str; 5] = ["delivery", "announcement", "department", "media", "rule"];

/// "delivery 7" → kind `delivery`, key `7`.
fn subject(what: &str) -> Option<(&str, &str)> {
    let (kind, key) = what.split_once(' ')?;
    KINDS.contains(&kind).then_some((kind, key))
}

fn not_found(what: &str) -> Msg {
    match subject(what) {
        Some((kind, key)) => Msg::new("store-not-found")
            .with("kind", kind)
            .with("key", key),
        None => Msg::new("store-not-found-other").with("what", what),
    }
}

fn conflict(what: &str) -> Msg {
    if let Some(subject) = what.strip_suffix(" already exists") {
        return match subject.split_once(' ') {
            Some((kind, key)) if KINDS.contains(&kind) => {
                Msg::new("store-exists").with("kind", kind).with("key", key)
            }
            _ if KINDS.contains(&subject) => Msg::new("store-exists")
                .with("kind", subject)
                .with("key", ""),
            _ => Msg::new("store-conflict").with("detail", what),
        };
    }
    state_conflict(what).unwrap_or_else(|| Msg::new("store-conflict").with("detail", what))
}

/// "delivery 7 is published; only a delivery that is queued, failed can be cancelled".
fn state_conflict(what: &str) -> Option<Msg> {
    let rest = what.strip_prefix("delivery ")?;
    let (id, rest) = rest.split_once(" is ")?;
    let (state, rest) = rest.split_once("; only a delivery that is ")?;
    let (allowed, action) = rest.rsplit_once(" can be ")?;
    let state = DeliveryState::parse(state)?;
    let allowed = allowed
        .split(", ")
        .map(|s| DeliveryState::parse(s).map(DeliveryState::msg))
        .collect::<Option<Vec<_>>>()?;
    let action = match action {
        "cancelled" => "cancel",
        "retried" => "retry",
        _ => return None,
    };
    Some(
        Msg::new("store-delivery-state")
            .with("id", id)
            .with_msg("state", state.msg())
            .with_list("allowed", allowed)
            .with("action", action),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Lang;

    #[test]
    fn the_stores_phrases_read_right_in_both_languages() {
        let e = StoreError::NotFound("delivery 99999".into());
        assert_eq!(e.msg().render(Lang::En), "delivery 99999 not found");
        assert_eq!(e.msg().render(Lang::Th), "ไม่พบรายการเผยแพร่หมายเลข 99999");

        let e = StoreError::Conflict(
            "delivery 7 is published; only a delivery that is queued, needs_attention, failed can be cancelled"
                .into(),
        );
        assert_eq!(e.msg().render(Lang::En), e.to_string());
        let th = e.msg().render(Lang::Th);
        assert!(
            th.contains("เผยแพร่แล้ว") && th.contains("รอเจ้าหน้าที่แก้ไข"),
            "{th}"
        );
        assert!(
            !th.contains("published") && !th.contains("delivery"),
            "{th}"
        );

        let e = StoreError::Conflict("department traffic already exists".into());
        assert_eq!(e.msg().render(Lang::En), e.to_string());
        assert_eq!(e.msg().render(Lang::Th), "มีหน่วยงาน traffic อยู่แล้ว");
    }

    #[test]
    fn a_phrase_of_another_shape_is_kept_whole() {
        let e = StoreError::Conflict("something else happened".into());
        assert_eq!(e.msg().id, "store-conflict");
        assert!(e.msg().render(Lang::Th).contains("something else happened"));
        let e = StoreError::NotFound("thing 5".into());
        assert_eq!(e.msg().render(Lang::En), "thing 5 not found");
    }
}
