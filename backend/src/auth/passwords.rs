//! argon2id hashing of passwords and API client secrets.

use crate::config::Config;
use crate::error::ApiError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// Verified against when the username is unknown, so a wrong username
    /// takes as long as a wrong password and accounts cannot be enumerated.
    decoy: String,
}

impl Passwords {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 settings: {e}"))?;
        let mut this = Self {
            params,
            decoy: String::new(),
        };
        this.decoy = this
            .hash("decoy password for timing")
            .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
        Ok(this)
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub fn hash(&self, password: &str) -> Result<String, ApiError> {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    }

    /// Verifies with the parameters stored in the hash itself, so raising the
    /// cost later does not lock anyone out.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        PasswordHash::new(stored)
            .map(|hash| {
                self.argon2()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// Hashing is deliberately slow: keep it off the async workers.
    pub async fn hash_blocking(&self, password: String) -> Result<String, ApiError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.hash(&password))
            .await
            .map_err(ApiError::internal)?
    }

    pub async fn waste_time_like_a_verify(&self, password: String) {
        let decoy = self.decoy.clone();
        let _ = self.verify_blocking(password, decoy).await;
    }

    pub async fn verify_blocking(&self, password: String, stored: String) -> bool {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.verify(&password, &stored))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let p = Passwords::from_config(&Config {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..Config::default()
        })
        .unwrap();
        let hash = p.hash("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(p.verify("correct horse battery", &hash));
        assert!(!p.verify("correct horse battery!", &hash));
        assert!(!p.verify("anything", "not a hash"));
    }
}
