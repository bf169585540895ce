//! Staff accounts as a service below the web layer: argon2id password hashes, creating an
//! account (CLI, demo seeding, the admin pages), first passwords nobody chose.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::db::{Store, StoreError};
use crate::domain::account::{check_new_password, normalize_email, PasswordProblem, Role};
use crate::tokens::new_token;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("that is not an e-mail address")]
    BadEmail,
    #[error("the password must have at least 12 characters")]
    ShortPassword,
    #[error("the password is too long")]
    LongPassword,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A random first password for an account nobody chose one for (demo accounts, users an
/// admin creates): shown once, never stored but as a hash.
pub fn first_password() -> String {
    new_token()[..16].to_string()
}

/// Creates a staff account (CLI `create-admin`, demo seeding, admin pages).
pub async fn create_staff(
    store: &Store,
    email: &str,
    password: &str,
    role: Role,
) -> Result<i64, AccountError> {
    let email = normalize_email(email).ok_or(AccountError::BadEmail)?;
    check_new_password(password).map_err(|p| match p {
        PasswordProblem::TooShort => AccountError::ShortPassword,
        PasswordProblem::TooLong => AccountError::LongPassword,
    })?;
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Corrupt(format!("hashing task: {e}")))??;
    Ok(store.create_user(&email, &hash, role).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterx", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
