//! `client_options._parse_credentials` and `auth_shared._build_credentials_tuple`: the
//! checks MongoClient makes of a user name, password, mechanism and its properties before
//! anything connects (a DEFAULT or SCRAM user needs a password, PLAIN a user name…).

use super::PyMongoException as Exc;
use super::options::{Opts, Prop, Val};
use super::validators::canonicalize_host_name;
use crate::policy::PolicyError;

/// Who the client authenticates as, once keyword arguments have overridden the URI.
pub(crate) struct Login<'a> {
    pub username: Option<&'a str>,
    pub password: Option<&'a str>,
    /// The URI's database, the authentication source of PLAIN and SCRAM by default.
    pub database: Option<&'a str>,
}

fn configuration_error(msg: impl Into<String>) -> PolicyError {
    PolicyError::new(Exc::Configuration, msg)
}

/// `_parse_credentials(username, password, database, options)`: raises where PyMongo does.
pub(crate) fn check(login: &Login<'_>, o: &Opts) -> Result<(), PolicyError> {
    let mechanism = match o.get("authmechanism") {
        Some(Val::Str(m)) => Some(m.as_str()),
        _ if login.username.is_some_and(|u| !u.is_empty()) => Some("DEFAULT"),
        _ => None,
    };
    let Some(mech) = mechanism else {
        return Ok(());
    };
    let source = match o.get("authsource") {
        Some(Val::Str(s)) => Some(s.as_str()),
        _ => None,
    };
    let props: &[(String, Prop)] = match o.get("authmechanismproperties") {
        Some(Val::Props(props)) => props,
        _ => &[],
    };
    let prop = |name: &str| props.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let (user, password) = (login.username, login.password);
    let external = source.is_none_or(|s| s == "$external");

    if !["MONGODB-X509", "MONGODB-AWS", "MONGODB-OIDC"].contains(&mech) && user.is_none() {
        return Err(configuration_error(format!("{mech} requires a username")));
    }
    match mech {
        "GSSAPI" => {
            if !external {
                return Err(PolicyError::new(
                    Exc::Value,
                    "authentication source must be $external or None for GSSAPI",
                ));
            }
            let canonicalize = prop("CANONICALIZE_HOST_NAME")
                .cloned()
                .unwrap_or(Prop::Str("false".into()));
            canonicalize_host_name(&canonicalize)?;
        }
        "MONGODB-X509" => {
            if password.is_some() {
                return Err(configuration_error(
                    "Passwords are not supported by MONGODB-X509",
                ));
            }
            if !external {
                return Err(PolicyError::new(
                    Exc::Value,
                    "authentication source must be $external or None for MONGODB-X509",
                ));
            }
        }
        "MONGODB-AWS" => {
            if user.is_some() && password.is_none() {
                return Err(configuration_error(
                    "username without a password is not supported by MONGODB-AWS",
                ));
            }
            if !external {
                return Err(configuration_error(
                    "authentication source must be $external or None for MONGODB-AWS",
                ));
            }
        }
        "MONGODB-OIDC" => oidc(user, password, &prop)?,
        "PLAIN" => {
            let has_nul = |s: Option<&str>| s.is_some_and(|s| s.contains('\0'));
            if has_nul(user) || has_nul(password) {
                return Err(configuration_error(
                    "PLAIN credentials cannot contain NUL characters.",
                ));
            }
        }
        // SCRAM-SHA-1, SCRAM-SHA-256, DEFAULT
        _ => {
            if password.is_none() {
                return Err(configuration_error("A password is required"));
            }
        }
    }
    Ok(())
}

/// The MONGODB-OIDC branch: a callback (keyword options only) or an ENVIRONMENT, no password.
fn oidc<'p>(
    user: Option<&str>,
    password: Option<&str>,
    prop: &dyn Fn(&str) -> Option<&'p Prop>,
) -> Result<(), PolicyError> {
    let text = |name: &str| match prop(name) {
        Some(Prop::Str(s)) => Some(s.clone()),
        Some(Prop::Bool(b)) => Some(if *b { "True" } else { "False" }.to_string()),
        Some(Prop::List) => Some("[…]".into()),
        None => None,
    };
    let truthy = |name: &str| text(name).is_some_and(|s| !s.is_empty());
    let (callback, human_callback) = (truthy("OIDC_CALLBACK"), prop("OIDC_HUMAN_CALLBACK"));
    let environment = text("ENVIRONMENT");
    if prop("ALLOWED_HOSTS").is_some() && human_callback.is_none() {
        return Err(configuration_error(
            "ALLOWED_HOSTS is only valid with OIDC_HUMAN_CALLBACK",
        ));
    }
    const NEEDS: &str =
        "authentication with MONGODB-OIDC requires providing either a callback or a environment";
    if password.is_some() {
        return Err(configuration_error(
            "password is not supported by MONGODB-OIDC",
        ));
    }
    let human = truthy("OIDC_HUMAN_CALLBACK");
    if callback || human {
        if environment.is_some() {
            return Err(configuration_error(NEEDS));
        }
        if callback && human {
            return Err(configuration_error(
                "cannot set both OIDC_CALLBACK and OIDC_HUMAN_CALLBACK",
            ));
        }
        return Ok(());
    }
    let token_resource = text("TOKEN_RESOURCE").unwrap_or_default();
    match environment.as_deref() {
        None => Err(configuration_error(NEEDS)),
        Some("test") if user.is_some() => Err(configuration_error(
            "test environment for MONGODB-OIDC does not support username",
        )),
        Some("azure") if token_resource.is_empty() => Err(configuration_error(
            "Azure environment for MONGODB-OIDC requires a TOKEN_RESOURCE auth mechanism property",
        )),
        Some("gcp") if token_resource.is_empty() => Err(configuration_error(
            "GCP provider for MONGODB-OIDC requires a TOKEN_RESOURCE auth mechanism property",
        )),
        Some("test" | "azure" | "gcp" | "k8s") => Ok(()),
        Some(other) => Err(configuration_error(format!(
            "unrecognized ENVIRONMENT for MONGODB-OIDC: {other}"
        ))),
    }
}
