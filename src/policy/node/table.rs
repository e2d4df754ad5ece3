//! The driver's `OPTIONS` table (`src/connection_string.ts`, `export const OPTIONS`): every
//! option it knows, in the order it validates them, with how each is read.

/// How the driver reads one option's value (`type`, or the `transform` it runs), as far as
/// pkigen models it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `type: 'boolean'`: exactly `true` or `false`.
    Bool,
    /// `type: 'int'`: `parseInt(value, 10)`.
    Int,
    /// `type: 'uint'`: `parseInt(value, 10)`, not negative.
    UInt,
    /// `type: 'string'`: `String(value)`, never refused.
    Str,
    /// `type: 'record'`: a plain object.
    Record,
    /// One of Node's own `tls.connect`/`net.connect` options (`type: 'any'`, and the
    /// `servername` string), passed through as given; never refused, but what it does to
    /// the connection is not modelled.
    Socket,
    /// A `transform` pkigen models by name in `options.rs`.
    Transform(Transform),
    /// A `transform` pkigen does not model: present, it makes the answer not modelled.
    Unmodelled,
}

/// The transforms pkigen reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Transform {
    /// `auth`: the URI's user name and password.
    Auth,
    /// `authMechanism`: one of the mechanisms, matched as a word.
    AuthMechanism,
    /// `authSource`: `String(value)`.
    AuthSource,
    /// `serverApi`: a version, `"1"`.
    ServerApi,
    /// `compressors`: a comma-separated list of known compressors.
    Compressors,
    /// `family`: 4 or 6.
    Family,
    /// `fsync`, `j`, `journal`: a boolean named `writeConcern` in its error.
    WriteConcernFlag,
    /// `maxConnecting`: a uint above zero.
    MaxConnecting,
    /// `maxStalenessSeconds`: a uint that makes a read preference.
    MaxStalenessSeconds,
    /// `name`, `readConcernLevel`, `w`: any value is taken.
    Accepted,
    /// `pkFactory`: an object with a `createPk` function, which JSON cannot give.
    PkFactory,
    /// `readConcern`: an object with a `level`.
    ReadConcern,
    /// `readPreference`: a mode.
    ReadPreference,
    /// `serverMonitoringMode`: `auto`, `poll` or `stream`.
    ServerMonitoringMode,
    /// `srvAllowedHostsSuffix`: a domain name of two labels, or a reserved one.
    SrvAllowedHostsSuffix,
    /// `srvHostValidator`: a function, which JSON cannot give.
    SrvHostValidator,
    /// `timeoutMS`: ignored (deprecated), never read.
    Ignored,
    /// `tlsAllowInvalidCertificates` → `rejectUnauthorized = !value`.
    TlsAllowInvalidCertificates,
    /// `tlsAllowInvalidHostnames` → `checkServerIdentity` a no-op for true.
    TlsAllowInvalidHostnames,
    /// `tlsCertificateKeyFilePassword` → `passphrase`, as given.
    TlsCertificateKeyFilePassword,
    /// `tlsInsecure` → both of the above.
    TlsInsecure,
    /// `writeConcern`: an object, a number or `majority`.
    WriteConcern,
    /// `wtimeout`, `wtimeoutMS`: a uint.
    WTimeout,
    /// `mongodbLogPath`: `stderr` or `stdout`.
    MongodbLogPath,
    /// `mongodbLogComponentSeverities`: an object (of components and levels, not modelled).
    MongodbLogComponentSeverities,
}

/// One row of `OPTIONS`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    /// The option's name as the table spells it.
    pub name: &'static str,
    /// How its value is read.
    pub kind: Kind,
    /// `target`: the name its value is stored (and its errors are worded) under.
    pub target: Option<&'static str>,
    /// `deprecated`: the warning's text after `NAME is a deprecated option`.
    pub deprecated: Option<&'static str>,
}

const fn row(name: &'static str, kind: Kind) -> Row {
    Row {
        name,
        kind,
        target: None,
        deprecated: None,
    }
}

const fn to(name: &'static str, kind: Kind, target: &'static str) -> Row {
    Row {
        name,
        kind,
        target: Some(target),
        deprecated: None,
    }
}

const fn deprecated(
    name: &'static str,
    kind: Kind,
    target: Option<&'static str>,
    why: &'static str,
) -> Row {
    Row {
        name,
        kind,
        target,
        deprecated: Some(why),
    }
}

use Kind::{Bool, Int, Record, Socket, Str, Transform as T, UInt, Unmodelled};
use Transform::*;

/// `OPTIONS` in its order (115 rows): values are validated in this order, whatever their
/// order in the URI.
pub(super) const OPTIONS: &[Row] = &[
    row("enableOverloadRetargeting", Bool),
    row("appName", Str),
    to("auth", T(Auth), "credentials"),
    to("authMechanism", T(AuthMechanism), "credentials"),
    to("authMechanismProperties", Unmodelled, "credentials"),
    to("authSource", T(AuthSource), "credentials"),
    row("autoEncryption", Record),
    row("autoSelectFamily", Bool),
    row("autoSelectFamilyAttemptTimeout", UInt),
    row("bsonRegExp", Bool),
    to("serverApi", T(ServerApi), "serverApi"),
    row("checkKeys", Bool),
    to("compressors", T(Compressors), "compressors"),
    row("connectTimeoutMS", UInt),
    row("dbName", Str),
    row("directConnection", Bool),
    row("driverInfo", Record),
    row("enableUtf8Validation", Bool),
    row("family", T(Family)),
    row("fieldsAsRaw", Record),
    row("forceServerObjectId", Bool),
    deprecated(
        "fsync",
        T(WriteConcernFlag),
        Some("writeConcern"),
        "Please use journal instead",
    ),
    row("heartbeatFrequencyMS", UInt),
    row("ignoreUndefined", Bool),
    deprecated(
        "j",
        T(WriteConcernFlag),
        Some("writeConcern"),
        "Please use journal instead",
    ),
    to("journal", T(WriteConcernFlag), "writeConcern"),
    row("loadBalanced", Bool),
    row("localThresholdMS", UInt),
    row("maxAdaptiveRetries", UInt),
    row("maxConnecting", T(MaxConnecting)),
    row("maxIdleTimeMS", UInt),
    row("maxPoolSize", UInt),
    to(
        "maxStalenessSeconds",
        T(MaxStalenessSeconds),
        "readPreference",
    ),
    row("minInternalBufferSize", UInt),
    row("minPoolSize", UInt),
    row("minHeartbeatFrequencyMS", UInt),
    row("monitorCommands", Bool),
    to("name", T(Accepted), "driverInfo"),
    row("noDelay", Bool),
    row("pkFactory", T(PkFactory)),
    row("promoteBuffers", Bool),
    row("promoteLongs", Bool),
    row("promoteValues", Bool),
    row("useBigInt64", Bool),
    row("proxyHost", Str),
    row("proxyPassword", Str),
    row("proxyPort", UInt),
    row("proxyUsername", Str),
    row("raw", Bool),
    row("readConcern", T(ReadConcern)),
    to("readConcernLevel", T(Accepted), "readConcern"),
    row("readPreference", T(ReadPreference)),
    to("readPreferenceTags", Unmodelled, "readPreference"),
    row("replicaSet", Str),
    row("retryReads", Bool),
    row("retryWrites", Bool),
    row("runtimeAdapters", Record),
    row("serializeFunctions", Bool),
    row("serverMonitoringMode", T(ServerMonitoringMode)),
    row("serverSelectionTimeoutMS", UInt),
    row("servername", Socket),
    row("socketTimeoutMS", UInt),
    row("srvAllowedHostsSuffix", T(SrvAllowedHostsSuffix)),
    row("srvHostValidator", T(SrvHostValidator)),
    row("srvMaxHosts", UInt),
    row("srvServiceName", Str),
    to("ssl", Bool, "tls"),
    deprecated(
        "timeoutMS",
        T(Ignored),
        None,
        "timeoutMS has no effect and will be removed in a future release",
    ),
    row("tls", Bool),
    to(
        "tlsAllowInvalidCertificates",
        T(TlsAllowInvalidCertificates),
        "rejectUnauthorized",
    ),
    to(
        "tlsAllowInvalidHostnames",
        T(TlsAllowInvalidHostnames),
        "checkServerIdentity",
    ),
    row("tlsCAFile", Str),
    row("tlsCRLFile", Str),
    row("tlsCertificateKeyFile", Str),
    to(
        "tlsCertificateKeyFilePassword",
        T(TlsCertificateKeyFilePassword),
        "passphrase",
    ),
    row("tlsInsecure", T(TlsInsecure)),
    to("w", T(Accepted), "writeConcern"),
    row("waitQueueTimeoutMS", UInt),
    to("writeConcern", T(WriteConcern), "writeConcern"),
    deprecated(
        "wtimeout",
        T(WTimeout),
        Some("writeConcern"),
        "Please use wtimeoutMS instead",
    ),
    to("wtimeoutMS", T(WTimeout), "writeConcern"),
    row("zlibCompressionLevel", Int),
    row("mongodbLogPath", T(MongodbLogPath)),
    row(
        "mongodbLogComponentSeverities",
        T(MongodbLogComponentSeverities),
    ),
    row("mongodbLogMaxDocumentLength", UInt),
    row("connectionType", Socket),
    row("srvPoller", Socket),
    row("allowPartialTrustChain", Socket),
    row("minDHSize", Socket),
    row("pskCallback", Socket),
    row("secureContext", Socket),
    row("enableTrace", Socket),
    row("requestCert", Socket),
    row("rejectUnauthorized", Socket),
    row("checkServerIdentity", Socket),
    row("keepAliveInitialDelay", Socket),
    row("ALPNProtocols", Socket),
    row("SNICallback", Socket),
    row("session", Socket),
    row("requestOCSP", Socket),
    row("localAddress", Socket),
    row("localPort", Socket),
    row("hints", Socket),
    row("lookup", Socket),
    row("ca", Socket),
    row("cert", Socket),
    row("ciphers", Socket),
    row("crl", Socket),
    row("ecdhCurve", Socket),
    row("key", Socket),
    row("passphrase", Socket),
    row("pfx", Socket),
    row("secureProtocol", Socket),
    row("index", Socket),
    row("__skipPingOnConnect", Bool),
];

/// Whether `name` (any letter case) is an option the driver knows.
pub(super) fn is_known(lowercase_name: &str) -> bool {
    OPTIONS
        .iter()
        .any(|row| row.name.to_lowercase() == lowercase_name)
}
