//! `X-Line-Retry-Key`: one UUID per delivery (and per push recipient), the same on every
//! attempt, so LINE answers a repeat with 409 instead of sending twice.
//!
//! The daemon's idempotency keys are UUID v4 strings and are used as they are. Anything else is
//! turned into a deterministic UUID (version 8, "custom": a 128-bit FNV-1a hash of the key), so
//! the same key always gives the same retry key, across restarts and builds.

use uuid::Uuid;

/// The retry key of a delivery.
pub fn retry_key(idempotency_key: &str) -> Uuid {
    match Uuid::try_parse(idempotency_key.trim()) {
        Ok(u) => u,
        Err(_) => derived(idempotency_key.as_bytes()),
    }
}

/// The retry key of one push recipient of a delivery: each push is its own request.
pub fn push_retry_key(idempotency_key: &str, to: &str) -> Uuid {
    let base = retry_key(idempotency_key);
    let mut bytes = base.as_bytes().to_vec();
    bytes.extend_from_slice(b"/push/");
    bytes.extend_from_slice(to.as_bytes());
    derived(&bytes)
}

/// FNV-1a, 128 bits, stamped as a version-8 UUID (RFC 9562 variant).
fn derived(data: &[u8]) -> Uuid {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let hash = data
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME));
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_key_is_used_as_it_is() {
        let k = "0b3c2a6e-9d41-4f0a-8f3e-2c1d5e6f7a8b";
        assert_eq!(retry_key(k).to_string(), k);
    }

    #[test]
    fn other_keys_give_a_stable_uuid() {
        let a = retry_key("delivery-42");
        assert_eq!(a, retry_key("delivery-42"));
        assert_ne!(a, retry_key("delivery-43"));
        assert_eq!(a.get_version_num(), 8);
        // Stable across builds: a restart within 24 h must send the same key.
        assert_eq!(a.to_string(), retry_key("delivery-42").to_string());
        assert!(Uuid::try_parse(&a.to_string()).is_ok());
    }

    #[test]
    fn each_push_recipient_has_its_own_key() {
        let k = "0b3c2a6e-9d41-4f0a-8f3e-2c1d5e6f7a8b";
        let a = push_retry_key(k, "Uaaa");
        assert_ne!(a, push_retry_key(k, "Ubbb"));
        assert_eq!(a, push_retry_key(k, "Uaaa"));
        assert_ne!(a, retry_key(k));
    }
}
