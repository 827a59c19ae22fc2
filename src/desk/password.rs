//! Passwords: hashed with argon2id (its default parameters, a fresh salt each time) and kept
//! only as the PHC string; checked off the async runtime, since a check takes real work.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;

/// The argon2id hash of `password`, as a PHC string.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored `phc` hash (false for an unreadable hash).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`verify`] on a blocking thread. With no stored hash (an unknown name) a hash is checked
/// all the same, so the answer takes as long whether or not the name exists.
pub async fn verify_off_runtime(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            verify(&password, decoy());
            false
        }
    })
    .await
    .unwrap_or(false)
}

fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&token()).unwrap_or_default())
}

/// 32 random bytes from the operating system, in hex: session ids and form tokens.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A password to hand to a person once (the first admin): 16 letters and digits that cannot be
/// mistaken for one another, about 80 bits.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(16);
    while out.len() < 16 {
        let mut b = [0u8; 1];
        OsRng.fill_bytes(&mut b);
        // Rejection sampling: no letter is likelier than another.
        let i = usize::from(b[0]);
        if i < 256 - 256 % ALPHABET.len() {
            out.push(char::from(ALPHABET[i % ALPHABET.len()]));
        }
    }
    out
}

/// The SHA-256 of a session id, in hex: what the store keeps.
pub fn digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_checks_only_its_password() {
        let a = hash("รหัสผ่านยาวพอ123").unwrap();
        let b = hash("รหัสผ่านยาวพอ123").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("รหัสผ่านยาวพอ123", &a));
        assert!(!verify("รหัสผ่านยาวพอ124", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn tokens_and_generated_passwords_are_long_and_differ() {
        assert_eq!(token().len(), 64);
        assert_ne!(token(), token());
        let p = generate();
        assert_eq!(p.chars().count(), 16);
        assert!(p.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(generate(), p);
    }
}
