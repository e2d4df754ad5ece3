//! What MongoClient builds from its merged options once they are validated —
//! `client_options.ClientOptions` (credentials, pool sizes, TLS, read preference, write
//! concern) and `TopologySettings` — in that order, with the errors each raises.

use super::PyMongoException as Exc;
use super::credentials::{self, Login};
use super::options::{Opts, Val, parse_ssl_options};
use super::pynum::PyInt;
use crate::policy::{PolicyError, TlsPolicy};
use std::cmp::Ordering;

/// `ClientOptions(username, password, database, options)` and the `TopologySettings` built
/// from it: the TLS policy, or the first error PyMongo raises.
pub(crate) fn configure(login: &Login<'_>, o: &Opts) -> Result<TlsPolicy, PolicyError> {
    // _parse_pool_options: credentials, pool sizes, then TLS.
    credentials::check(login, o)?;
    check_pool_sizes(o)?;
    let policy = parse_ssl_options(o)?;
    check_read_preference(o)?;
    check_write_concern(o)?;
    check_heartbeat(o)?;
    Ok(policy)
}

fn int_or(o: &Opts, key: &str, default: i64) -> Option<PyInt> {
    match o.get(key) {
        None => Some(PyInt::from(default)),
        Some(Val::Int(n)) => Some(n.clone()),
        _ => None,
    }
}

/// `if max_pool_size and min_pool_size > max_pool_size` (a maxPoolSize of 0 or None means
/// no limit).
fn check_pool_sizes(o: &Opts) -> Result<(), PolicyError> {
    let max = int_or(o, "maxpoolsize", 100);
    let min = int_or(o, "minpoolsize", 0);
    if let (Some(max), Some(min)) = (max, min)
        && max.cmp_i64(0) != Ordering::Equal
        && min > max
    {
        return Err(PolicyError::new(
            Exc::Value,
            "minPoolSize must be smaller or equal to maxPoolSize",
        ));
    }
    Ok(())
}

/// `_parse_read_preference` and `make_read_preference`: the primary takes neither tags nor
/// a maximum staleness.
fn check_read_preference(o: &Opts) -> Result<(), PolicyError> {
    let primary = !matches!(o.get("readpreference"), Some(Val::Str(mode)) if mode != "primary");
    let tag_sets = match o.get("readpreferencetags") {
        Some(Val::TagSets(sets)) => Some(sets.as_slice()),
        _ => None,
    };
    let staleness_set =
        matches!(o.get("maxstalenessseconds"), Some(Val::Int(n)) if n.cmp_i64(-1).is_ne());
    let configuration = |m: &str| Err(PolicyError::new(Exc::Configuration, m));
    if primary {
        // `tag_sets not in (None, [{}])`
        if tag_sets.is_some_and(|sets| !(sets.len() == 1 && sets[0].is_empty())) {
            return configuration("Read preference primary cannot be combined with tags");
        }
        if staleness_set {
            return configuration(
                "Read preference primary cannot be combined with maxStalenessSeconds",
            );
        }
    } else if tag_sets.is_some_and(<[_]>::is_empty) {
        return Err(PolicyError::new(
            Exc::Value,
            "Tag sets [] invalid, must be None or contain at least one set of tags",
        ));
    }
    Ok(())
}

/// `WriteConcern(w, wTimeoutMS, journal, fsync)`.
fn check_write_concern(o: &Opts) -> Result<(), PolicyError> {
    let flag = |key: &str| match o.get(key) {
        Some(Val::Bool(b)) => Some(*b),
        _ => None,
    };
    let (j, fsync) = (flag("journal"), flag("fsync"));
    if fsync.is_some() && j == Some(true) && fsync == Some(true) {
        return Err(PolicyError::new(
            Exc::Configuration,
            "Can't set both j and fsync at the same time",
        ));
    }
    let w = match o.get("w") {
        Some(Val::Int(n)) => Some(n.cmp_i64(0)),
        _ => None,
    };
    if w == Some(Ordering::Equal) && j == Some(true) {
        return Err(PolicyError::new(
            Exc::Configuration,
            "Cannot set w to 0 and j to True",
        ));
    }
    if w == Some(Ordering::Less) {
        return Err(PolicyError::new(Exc::Value, "w cannot be less than 0"));
    }
    Ok(())
}

/// `TopologySettings`: a heartbeat of at least 500 ms (PyMongo keeps it in seconds).
fn check_heartbeat(o: &Opts) -> Result<(), PolicyError> {
    match o.get("heartbeatfrequencyms") {
        Some(Val::Float(seconds)) if *seconds < 0.5 => Err(PolicyError::new(
            Exc::Configuration,
            "heartbeatFrequencyMS cannot be less than 500.0",
        )),
        Some(Val::Null) => Err(PolicyError::new(
            Exc::Type,
            "'<' not supported between instances of 'NoneType' and 'float'",
        )),
        _ => Ok(()),
    }
}
