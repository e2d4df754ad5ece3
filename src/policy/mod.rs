//! What a MongoDB driver's TLS options mean, and the vocabulary of what a client did with a
//! server (`outcome`).

pub mod outcome;
mod pymongo;

pub use outcome::{Outcome, Reason};
pub use pymongo::{
    Host, PolicyError, PyMongoException, Resolution, TlsPolicy, hosts, resolve, uri_for,
};
