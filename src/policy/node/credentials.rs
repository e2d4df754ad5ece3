//! The driver's `MongoCredentials`, as far as the options pkigen models build them: a user
//! name and password from the URI (or the `auth` option), a mechanism, a source; no
//! mechanism properties.

use super::NodeException;
use crate::policy::PolicyError;

/// `AuthMechanism`, in the order `Object.values` lists it (`authMechanism` takes the first
/// that matches).
pub(super) const MECHANISMS: [&str; 8] = [
    "MONGODB-AWS",
    "DEFAULT",
    "GSSAPI",
    "PLAIN",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "MONGODB-X509",
    "MONGODB-OIDC",
];

/// `AUTH_MECHS_AUTH_SRC_EXTERNAL`: the mechanisms whose source is `$external`.
fn external(mechanism: &str) -> bool {
    matches!(
        mechanism,
        "GSSAPI" | "MONGODB-AWS" | "MONGODB-OIDC" | "MONGODB-X509"
    )
}

/// A `MongoCredentials` as `MongoCredentials.merge` leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Credentials {
    pub username: String,
    /// `None` is JavaScript's `undefined`.
    pub password: Option<String>,
    pub mechanism: &'static str,
    pub source: String,
}

impl Credentials {
    /// `MongoCredentials.merge(creds, {})`: the defaults of a new one.
    pub(super) fn merged(previous: Option<&Credentials>) -> Credentials {
        previous.cloned().unwrap_or(Credentials {
            username: String::new(),
            password: Some(String::new()),
            mechanism: "DEFAULT",
            source: "admin".to_string(),
        })
    }

    /// The `authMechanism` transform, after the mechanism is found.
    pub(super) fn with_mechanism(mut self, mechanism: &'static str) -> Credentials {
        if mechanism == "PLAIN" || external(mechanism) {
            self.source = "$external".to_string();
        }
        self.mechanism = mechanism;
        self
    }

    /// The checks of `parseOptions` once every option is read, then `validate()`. `Ok(None)`
    /// when the credentials are dropped (nothing but a default source was given).
    pub(super) fn check(
        mut self,
        db_name: Option<&str>,
        auth_source_given: bool,
    ) -> Result<Option<Credentials>, PolicyError> {
        let mechanism = self.mechanism;
        let gssapi_or_x509 = matches!(mechanism, "GSSAPI" | "MONGODB-X509");
        if gssapi_or_x509 && auth_source_given && self.source != "$external" {
            return Err(PolicyError::new(
                NodeException::Parse,
                format!("authMechanism {mechanism} requires an authSource of '$external'"),
            ));
        }
        let inherits_db = !matches!(
            mechanism,
            "GSSAPI" | "MONGODB-X509" | "MONGODB-AWS" | "MONGODB-OIDC"
        );
        if inherits_db
            && let Some(db) = db_name.filter(|db| !db.is_empty())
            && !auth_source_given
        {
            self.source = db.to_string();
        }
        if mechanism == "MONGODB-AWS"
            && (!self.username.is_empty() || self.password.as_ref().is_some_and(|p| !p.is_empty()))
        {
            return Err(PolicyError::new(
                NodeException::Api,
                "username and password cannot be provided when using MONGODB-AWS. Credentials must be provided in a manner that can be read by the AWS SDK.",
            ));
        }
        self.validate()?;
        let dropped = self.password.as_deref() == Some("")
            && self.username.is_empty()
            && mechanism == "DEFAULT";
        Ok((!dropped).then_some(self))
    }

    /// `MongoCredentials.validate()` without mechanism properties.
    fn validate(&mut self) -> Result<(), PolicyError> {
        let mechanism = self.mechanism;
        if matches!(
            mechanism,
            "GSSAPI" | "PLAIN" | "SCRAM-SHA-1" | "SCRAM-SHA-256"
        ) && self.username.is_empty()
        {
            return Err(PolicyError::new(
                NodeException::MissingCredentials,
                format!("Username required for mechanism '{mechanism}'"),
            ));
        }
        if mechanism == "MONGODB-OIDC" {
            if !self.username.is_empty() && self.password.as_ref().is_some_and(|p| !p.is_empty()) {
                return Err(PolicyError::new(
                    NodeException::InvalidArgument,
                    format!("No password is allowed in ENVIRONMENT 'undefined' for '{mechanism}'."),
                ));
            }
            return Err(PolicyError::new(
                NodeException::InvalidArgument,
                format!(
                    "Either a ENVIRONMENT, OIDC_CALLBACK, or OIDC_HUMAN_CALLBACK must be specified for mechanism '{mechanism}'."
                ),
            ));
        }
        if external(mechanism) && self.source != "$external" {
            return Err(PolicyError::quoting_uri(
                NodeException::Api,
                &format!("Invalid source for mechanism '{mechanism}' specified."),
                format!(
                    "Invalid source '{}' for mechanism '{mechanism}' specified.",
                    self.source
                ),
            ));
        }
        if mechanism == "MONGODB-X509"
            && let Some(password) = &self.password
        {
            if password.is_empty() {
                self.password = None;
                return Ok(());
            }
            return Err(PolicyError::new(
                NodeException::Api,
                "Password not allowed for mechanism MONGODB-X509",
            ));
        }
        Ok(())
    }
}

/// The `authMechanism` transform's lookup: the first mechanism that
/// `RegExp("\\b" + value + "\\b", "i")` matches, for a value of letters, digits and dashes
/// (which the expression takes literally); `None` where the value is something else.
pub(super) fn find_mechanism(value: &str) -> Option<Option<&'static str>> {
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return None;
    }
    Some(
        MECHANISMS
            .into_iter()
            .find(|mechanism| matches_word(mechanism, value)),
    )
}

/// Whether `\bvalue\b` (case-insensitive) matches somewhere in `text`.
fn matches_word(text: &str, value: &str) -> bool {
    let text = text.as_bytes();
    let value = value.as_bytes();
    let word = |i: Option<usize>| {
        i.and_then(|i| text.get(i))
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    let first_is_word = value.first().map(|b| b.is_ascii_alphanumeric());
    let last_is_word = value.last().map(|b| b.is_ascii_alphanumeric());
    (0..=text.len().saturating_sub(value.len())).any(|start| {
        let end = start + value.len();
        if end > text.len() || !text[start..end].eq_ignore_ascii_case(value) {
            return false;
        }
        let before = word(start.checked_sub(1));
        let after = word(Some(end));
        // `\b` at a position: a word character on one side only.
        let at_start = before != first_is_word.unwrap_or(after);
        let at_end = last_is_word.unwrap_or(before) != after;
        at_start && at_end
    })
}
