//! TEMPORARY stand-in with the agreed API; replaced by the full PyMongo policy module.
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPolicy {
    pub tls: bool,
    pub ca_file: Option<String>,
    pub certificate_key_file: Option<String>,
    pub certificate_key_file_password: Option<String>,
    pub crl_file: Option<String>,
    pub allow_invalid_certificates: bool,
    pub allow_invalid_hostnames: bool,
    pub disable_ocsp_endpoint_check: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
}
impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for PolicyError {}

impl TlsPolicy {
    pub fn from_options(options: &Map<String, Value>) -> Result<TlsPolicy, PolicyError> {
        let b = |k: &str| options.get(k).and_then(Value::as_bool);
        let s = |k: &str| options.get(k).and_then(Value::as_str).map(str::to_string);
        let insecure = b("tlsInsecure");
        if insecure.is_some()
            && (b("tlsAllowInvalidCertificates").is_some()
                || b("tlsAllowInvalidHostnames").is_some())
        {
            return Err(PolicyError {
                message: "conflict".into(),
            });
        }
        if b("tlsAllowInvalidCertificates").is_some() && b("tlsDisableOCSPEndpointCheck").is_some()
        {
            return Err(PolicyError {
                message: "conflict".into(),
            });
        }
        if b("tls") == Some(false) && options.len() > 1 {
            return Err(PolicyError {
                message: "conflict".into(),
            });
        }
        let aic = insecure
            .or(b("tlsAllowInvalidCertificates"))
            .unwrap_or(false);
        Ok(TlsPolicy {
            tls: true,
            ca_file: s("tlsCAFile"),
            certificate_key_file: s("tlsCertificateKeyFile"),
            certificate_key_file_password: s("tlsCertificateKeyFilePassword"),
            crl_file: s("tlsCRLFile"),
            allow_invalid_certificates: aic,
            allow_invalid_hostnames: insecure.or(b("tlsAllowInvalidHostnames")).unwrap_or(false),
            disable_ocsp_endpoint_check: aic,
        })
    }
    pub fn verify_certificates(&self) -> bool {
        !self.allow_invalid_certificates
    }
    pub fn verify_hostname(&self) -> bool {
        !self.allow_invalid_certificates && !self.allow_invalid_hostnames
    }
    pub fn ocsp_endpoint_check(&self) -> bool {
        !self.disable_ocsp_endpoint_check
    }
}

pub fn uri_for(host: &str, options: &Map<String, Value>) -> String {
    let query: Vec<String> = options
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect();
    format!("mongodb://{host}/?{}", query.join("&"))
}

impl TlsPolicy {
    pub fn from_uri(uri: &str) -> Result<TlsPolicy, PolicyError> {
        let query = uri.split_once('?').map(|(_, q)| q).unwrap_or("");
        let mut map = Map::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let value = match v {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => Value::String(other.to_string()),
            };
            map.insert(k.to_string(), value);
        }
        TlsPolicy::from_options(&map)
    }
    pub fn resolved_options(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("tls".into(), Value::Bool(self.tls));
        map
    }
}
