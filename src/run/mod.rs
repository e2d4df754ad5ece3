//! Running fixtures: each case's server and client set up from a manifest and handshaken on
//! loopback (`validate`), and a case's server side kept up for real drivers (`serve`, with
//! the MongoDB wire protocol it answers `hello` and `ping` over; `serve_all`, every case's
//! at once).

mod client;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "serve")]
pub mod serve_all;
pub mod validate;
#[cfg(feature = "serve")]
pub(crate) mod wire;
