//! `pkigen serve`: a case's server side as a long-running TLS endpoint that speaks enough
//! MongoDB for a real driver (`MongoClient(uri).admin.command("ping")`), plus the case's
//! OCSP responder at the very address its certificates name, so a client that fetches
//! the URL itself (PyMongo with `pymongo[ocsp]`) reaches it.

use crate::error::Error;
use crate::fixtures::manifest::Case;
use crate::ocsp::responder::Responder;
use crate::os::connections::{DeadlineStream, Slot, Slots};
use crate::run::validate::{server_config, start_responder_at};
use crate::run::wire;
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Connections served at once, each on its own thread. A new one past this closes one that
/// has sent nothing, else the one quiet the longest (see `connections::Slots`), so neither
/// idle clients nor a flood of new connections lock out a driver; with messages capped at
/// `wire::MAX_MESSAGE_SIZE` this also caps what all clients together can make it hold.
pub const MAX_CONNECTIONS: usize = 64;
/// The whole TLS handshake must be done within this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Once a message has begun, the rest of it must arrive within this.
const MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);
/// A client idle this long between messages is dropped (drivers' monitors ping far more
/// often).
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// Each write of a reply must make progress within this (a client that never reads).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound endpoint, ready to `run`.
pub struct Server {
    listener: TcpListener,
    config: Arc<ServerConfig>,
    responder: Option<Responder>,
    slots: Slots,
}

impl Server {
    /// Binds `listen` for the case's TLS endpoint and, if the case has one, its OCSP
    /// responder at the URL its certificates carry.
    pub fn bind(dir: &Path, case: &Case, listen: SocketAddr) -> Result<Server, Error> {
        let responder = case
            .server
            .ocsp_responder
            .as_ref()
            .map(|spec| start_responder_at(dir, spec, None))
            .transpose()?;
        Ok(Server {
            responder,
            ..Server::bind_endpoint(dir, case, listen)?
        })
    }

    /// Binds `listen` for the case's TLS endpoint alone: its OCSP responder, if it has one,
    /// is the caller's to run (`serve --all` runs one per address for every case naming it).
    pub fn bind_endpoint(dir: &Path, case: &Case, listen: SocketAddr) -> Result<Server, Error> {
        let config = server_config(dir, case)?;
        let listener = TcpListener::bind(listen).map_err(|source| Error::Listen {
            address: listen.to_string(),
            source,
        })?;
        Ok(Server {
            listener,
            config,
            responder: None,
            slots: Slots::new(MAX_CONNECTIONS),
        })
    }

    /// The address the TLS endpoint listens on: with port 0 in `listen`, the port the
    /// system chose (what `pkigen serve` prints first).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Where the case's OCSP responder listens; `None` when the case has none.
    pub fn responder_addr(&self) -> Option<SocketAddr> {
        self.responder.as_ref().map(Responder::local_addr)
    }

    /// Serves connections, each on its own thread, until the process ends.
    pub fn run(&self) -> ! {
        let config = self.config.clone();
        crate::os::connections::accept_each(
            &self.listener,
            &self.slots,
            || false,
            |id| format!("serve-connection-{id}"),
            move |socket, slot, id| {
                // A failed handshake is the point of many cases: nothing to report here.
                // BSON has no unsigned integers: `connectionId` is an int64.
                let id = i64::try_from(id).unwrap_or(i64::MAX);
                let _ = serve_connection(socket, config.clone(), id, &slot);
            },
        );
        unreachable!("serve's accept loop never stops")
    }
}

/// One client: the TLS handshake, then commands until it hangs up, stalls or goes quiet.
fn serve_connection(
    socket: Arc<TcpStream>,
    config: Arc<ServerConfig>,
    id: i64,
    slot: &Slot,
) -> std::io::Result<()> {
    socket.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut socket = DeadlineStream::new(socket).reporting_to(slot.clone());
    socket.set_deadline(HANDSHAKE_TIMEOUT);
    let mut connection = ServerConnection::new(config).map_err(std::io::Error::other)?;
    while connection.is_handshaking() {
        connection.complete_io(&mut socket)?;
    }
    slot.established();
    let mut stream = StreamOwned::new(connection, socket);
    let mut response_id = 0;
    loop {
        // Between messages a client may be quiet for long; inside one it may not.
        stream.sock.set_deadline(IDLE_TIMEOUT);
        let mut first = [0u8; 1];
        if stream.read(&mut first)? == 0 {
            return Ok(());
        }
        stream.sock.set_deadline(MESSAGE_TIMEOUT);
        let Some(message) = wire::read_message(&mut first.as_slice().chain(&mut stream))? else {
            return Ok(());
        };
        let answer = match wire::command_of(&message) {
            Ok(command) => wire::answer(&command, id),
            Err(problem) => {
                bson::doc! { "ok": 0.0, "errmsg": problem, "code": 2, "codeName": "BadValue" }
            }
        };
        response_id += 1;
        stream.write_all(&wire::reply(&message, response_id, &answer))?;
        stream.flush()?;
        slot.established();
    }
}
