//! Secret tokens: made here, only their hashes stored. Resume, delete, share and invite
//! links and staff sessions all use them (`api` hands them out, `db` stores the hashes,
//! `demo` and the CLI make some).

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new 256-bit secret, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether a string looks like a token we issued (bounds what reaches the database).
pub fn is_token(s: &str) -> bool {
    (20..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The resume token of the response started with the intro form's `nonce`: an HMAC of
/// the nonce under the server's key. The same nonce (a double-clicked Start) gives the same
/// token, and no client can choose or predict a token, whatever nonce it posts.
pub fn resume_token(key: &str, nonce: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(b"resume-token:");
    mac.update(nonce.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A token derived from the server's key for one `purpose` and subject (an e-mail's invite
/// link for a survey and contact, a contact's unsubscribe link): the database keeps only
/// its hash, and the sender can make the same link again (a reminder, a retry).
pub fn derived_token(key: &str, purpose: &str, subject: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(purpose.as_bytes());
    mac.update(b":");
    mac.update(subject.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Only this hash of a resume token is stored: a leaked database cannot resume anyone.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_tokens_are_made_by_the_server() {
        let nonce = new_token();
        let token = resume_token("key one", &nonce);
        assert!(is_token(&token));
        assert_eq!(
            token,
            resume_token("key one", &nonce),
            "a double click finds it"
        );
        assert_ne!(token, nonce, "not what the client sent");
        assert_ne!(
            token,
            resume_token("key two", &nonce),
            "keyed by the server"
        );
    }

    #[test]
    fn tokens_are_random_and_only_hashes_are_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert!(!is_token("short"));
        assert!(!is_token("has spaces in it, definitely not a token"));
    }
}
