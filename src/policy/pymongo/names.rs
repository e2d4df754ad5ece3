//! PyMongo's option-name tables, and its message for a name in neither: the one place a
//! misspelt option is turned into "did you mean" suggestions.

use super::difflib::get_close_matches;

/// `pymongo.common.URI_OPTIONS_VALIDATOR_MAP` keys (4.20.1, in dict order): the option names a
/// connection string may carry. Anything else in a URI is warned about and dropped.
pub(crate) const URI_OPTION_NAMES: &[&str] = &[
    "appname",
    "authmechanism",
    "authmechanismproperties",
    "authsource",
    "compressors",
    "connecttimeoutms",
    "directconnection",
    "heartbeatfrequencyms",
    "journal",
    "localthresholdms",
    "maxidletimems",
    "maxconnecting",
    "maxpoolsize",
    "maxstalenessseconds",
    "readconcernlevel",
    "readpreference",
    "readpreferencetags",
    "replicaset",
    "retryreads",
    "retrywrites",
    "loadbalanced",
    "serverselectiontimeoutms",
    "sockettimeoutms",
    "tls",
    "tlsallowinvalidcertificates",
    "tlsallowinvalidhostnames",
    "tlscafile",
    "tlscertificatekeyfile",
    "tlscertificatekeyfilepassword",
    "tlsdisableocspendpointcheck",
    "tlsinsecure",
    "w",
    "wtimeoutms",
    "zlibcompressionlevel",
    "srvservicename",
    "srvmaxhosts",
    "srvallowedhostssuffix",
    "timeoutms",
    "servermonitoringmode",
    "maxadaptiveretries",
    "enableoverloadretargeting",
    "connect",
    "driver",
    "server_api",
    "fsync",
    "minpoolsize",
    "tlscrlfile",
    "tz_aware",
    "unicode_decode_error_handler",
    "uuidrepresentation",
    "waitqueuemultiple",
    "waitqueuetimeoutms",
    "datetime_conversion",
    "ssl",
];

/// `pymongo.common.KW_VALIDATORS` keys: accepted as MongoClient keyword arguments only.
/// `common.VALIDATORS` = `URI_OPTION_NAMES` + these.
pub(crate) const KEYWORD_ONLY_NAMES: &[&str] = &[
    "document_class",
    "type_registry",
    "read_preference",
    "event_listeners",
    "tzinfo",
    "username",
    "password",
    "server_selector",
    "srv_host_validator",
    "auto_encryption_opts",
    "authoidcallowedhosts",
    "max_adaptive_retries",
    "enable_overload_retargeting",
];

/// PyMongo's `raise_config_error` text: `Unknown option: KEY.` plus difflib suggestions
/// (`get_close_matches(key.lower(), validators, cutoff=0.2)`) when there are any. A key from
/// a connection string (`from_uri`) is not named: it may be credential text.
pub(crate) fn unknown_option_message(
    key: &str,
    normed: &str,
    names: &[&str],
    from_uri: bool,
) -> String {
    let suggestions = get_close_matches(normed, names, 3, 0.2);
    let mut msg = if from_uri {
        "Unknown option.".to_string()
    } else {
        format!("Unknown option: {key}.")
    };
    if !suggestions.is_empty() {
        msg.push_str(&format!(
            " Did you mean one of ({}) or maybe a camelCase version of one? Refer to docstring.",
            suggestions.join(", ")
        ));
    }
    msg
}
