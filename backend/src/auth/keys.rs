//! Ed25519 signing keys for access tokens, each with a `kid`, rotatable.
//!
//! Keys live as files under `<data_dir>/keys/`, one per key, named by their
//! kid. The newest signs; all are accepted for verification. Retiring a key
//! (`probity retire-key`, after the longest token lifetime has passed)
//! deletes its secret half and keeps its public half as `<kid>.pub`, so the
//! audit checkpoints it signed still verify. A development key is generated
//! on first start; it is never committed.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{DecodingKey, EncodingKey};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const KEY_SUFFIX: &str = ".ed25519";
const RETIRED_SUFFIX: &str = ".pub";

pub struct Key {
    pub kid: String,
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    signing: SigningKey,
}

impl Key {
    fn from_seed(kid: String, seed: [u8; 32]) -> anyhow::Result<Self> {
        let signing = SigningKey::from_bytes(&seed);
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("encoding key {kid}: {e}"))?;
        let public = signing.verifying_key().to_bytes();
        Ok(Self {
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            decoding: DecodingKey::from_ed_der(&public),
            kid,
            signing,
        })
    }

    pub fn public_bytes(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// Signs arbitrary bytes (audit checkpoints use the same keys).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.signing.sign(message).to_bytes()
    }
}

pub struct Keyring {
    /// Oldest first; the last one signs.
    keys: Vec<Key>,
    /// Public halves of retired keys: they verify old checkpoints only.
    retired: Vec<(String, [u8; 32])>,
}

fn kid_of(path: &Path, suffix: &str) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(suffix).to_owned())
        .unwrap_or_default()
}

fn read_32(path: &Path) -> anyhow::Result<[u8; 32]> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| anyhow::anyhow!("{} is not an Ed25519 key", path.display()))
}

impl Keyring {
    /// Loads every key in `dir`, creating a first one if there is none.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        let mut keyring = Self::load(dir)?;
        if keyring.keys.is_empty() {
            let kid = Self::generate(dir)?;
            tracing::warn!(key.kid = %kid, "no signing key found: generated one; back up {}", dir.display());
            keyring = Self::load(dir)?;
        }
        Ok(keyring)
    }

    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => anyhow::bail!("reading {}: {e}", dir.display()),
        };
        // Kids start with their creation time, so name order is age order.
        files.sort();
        let mut keys = Vec::new();
        let mut retired = Vec::new();
        for path in files {
            let name = path.to_string_lossy();
            if name.ends_with(KEY_SUFFIX) {
                keys.push(Key::from_seed(kid_of(&path, KEY_SUFFIX), read_32(&path)?)?);
            } else if name.ends_with(RETIRED_SUFFIX) {
                retired.push((kid_of(&path, RETIRED_SUFFIX), read_32(&path)?));
            }
        }
        Ok(Self { keys, retired })
    }

    /// Retires a key: its secret is deleted and its public half kept.
    /// The key that signs now cannot be retired: rotate first.
    pub fn retire(dir: &Path, kid: &str) -> anyhow::Result<()> {
        let ring = Self::load(dir)?;
        if ring.active().is_some_and(|k| k.kid == kid) {
            anyhow::bail!("{kid} is the signing key: rotate first, then retire it");
        }
        let key = ring
            .find(kid)
            .ok_or_else(|| anyhow::anyhow!("no key {kid} in {}", dir.display()))?;
        write_private(
            &dir.join(format!("{kid}{RETIRED_SUFFIX}")),
            &STANDARD.encode(key.public_bytes()),
        )?;
        std::fs::remove_file(dir.join(format!("{kid}{KEY_SUFFIX}")))
            .map_err(|e| anyhow::anyhow!("removing the secret of {kid}: {e}"))
    }

    /// The public key named `kid`, live or retired.
    pub fn public_key(&self, kid: &str) -> Option<[u8; 32]> {
        self.find(kid)
            .map(Key::public_bytes)
            .or_else(|| self.retired.iter().find(|(k, _)| k == kid).map(|(_, p)| *p))
    }

    /// Writes a new key into `dir` and returns its kid. Running servers pick
    /// it up on restart; until then they keep signing with the previous key
    /// and already accept nothing new, which is safe.
    pub fn generate(dir: &Path) -> anyhow::Result<String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("creating {}: {e}", dir.display()))?;
        let signing = SigningKey::generate(&mut rand::rngs::OsRng);
        let fingerprint = Sha256::digest(signing.verifying_key().as_bytes());
        let kid = format!(
            "{}-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%6fZ"),
            hex::encode(&fingerprint[..4])
        );
        let path = dir.join(format!("{kid}{KEY_SUFFIX}"));
        write_private(&path, &STANDARD.encode(signing.to_bytes()))?;
        Ok(kid)
    }

    pub fn active(&self) -> Option<&Key> {
        self.keys.last()
    }

    pub fn find(&self, kid: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The public keys as a JSON Web Key Set (RFC 7517, OKP keys of RFC 8037),
    /// so third parties can verify our tokens and checkpoints.
    pub fn jwks(&self) -> serde_json::Value {
        let live = self.keys.iter().map(|k| (k.kid.as_str(), k.public_bytes()));
        let retired = self
            .retired
            .iter()
            .map(|(kid, public)| (kid.as_str(), *public));
        let keys: Vec<_> = live
            .chain(retired)
            .map(|(kid, public)| {
                serde_json::json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "alg": "EdDSA",
                    "use": "sig",
                    "kid": kid,
                    "x": URL_SAFE_NO_PAD.encode(public),
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("probity-keys-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_first_key_is_generated_and_reloaded_unchanged() {
        let dir = temp_dir();
        let first = Keyring::load_or_create(&dir).unwrap();
        let again = Keyring::load_or_create(&dir).unwrap();
        let (a, b) = (first.active().unwrap(), again.active().unwrap());
        assert_eq!(a.kid, b.kid);
        assert_eq!(a.public_bytes(), b.public_bytes());
    }

    #[test]
    fn after_rotation_the_new_key_signs_and_the_old_one_still_verifies() {
        let dir = temp_dir();
        let old = Keyring::load_or_create(&dir)
            .unwrap()
            .active()
            .unwrap()
            .kid
            .clone();
        let new = Keyring::generate(&dir).unwrap();
        let ring = Keyring::load(&dir).unwrap();
        assert_eq!(ring.active().unwrap().kid, new);
        assert!(ring.find(&old).is_some());
        assert_eq!(ring.jwks()["keys"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_retired_key_loses_its_secret_but_still_names_its_public_half() {
        let dir = temp_dir();
        let old = Keyring::load_or_create(&dir)
            .unwrap()
            .active()
            .unwrap()
            .kid
            .clone();
        let public = Keyring::load(&dir).unwrap().public_key(&old).unwrap();
        assert!(
            Keyring::retire(&dir, &old).is_err(),
            "the signing key cannot be retired"
        );
        Keyring::generate(&dir).unwrap();
        Keyring::retire(&dir, &old).unwrap();
        let ring = Keyring::load(&dir).unwrap();
        assert!(ring.find(&old).is_none());
        assert_eq!(ring.public_key(&old), Some(public));
        assert_eq!(ring.jwks()["keys"].as_array().unwrap().len(), 2);
    }
}
