//! `pkigen serve`: a case's server side as a long-running TLS endpoint that speaks enough
//! MongoDB for a real driver (`MongoClient(uri).admin.command("ping")`), plus the case's
//! OCSP responder at the very address its certificates name, so a client that fetches
//! the URL itself (PyMongo with `pymongo[ocsp]`) reaches it.

use crate::error::Error;
use crate::manifest::Case;
use crate::responder::Responder;
use crate::validate::{server_config, start_responder_at};
use crate::wire;
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A client idle this long is dropped (drivers' monitors ping far more often).
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A bound endpoint, ready to `run`.
pub struct Server {
    listener: TcpListener,
    config: Arc<ServerConfig>,
    responder: Option<Responder>,
}

impl Server {
    /// Binds `listen` for the case's TLS endpoint and, if the case has one, its OCSP
    /// responder at the URL its certificates carry.
    pub fn bind(dir: &Path, case: &Case, listen: SocketAddr) -> Result<Server, Error> {
        let config = server_config(dir, case)?;
        let responder = case
            .server
            .ocsp_responder
            .as_ref()
            .map(|spec| start_responder_at(dir, spec, None))
            .transpose()?;
        let listener = TcpListener::bind(listen).map_err(|source| Error::Listen {
            address: listen.to_string(),
            source,
        })?;
        Ok(Server {
            listener,
            config,
            responder,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn responder_addr(&self) -> Option<SocketAddr> {
        self.responder.as_ref().map(Responder::local_addr)
    }

    /// Serves connections, each on its own thread, until the process ends.
    pub fn run(&self) -> ! {
        let mut connections: i64 = 0;
        loop {
            let Ok((socket, _)) = self.listener.accept() else {
                continue;
            };
            let config = self.config.clone();
            connections += 1;
            let id = connections;
            std::thread::spawn(move || {
                // A failed handshake is the point of many cases: nothing to report here.
                let _ = serve_connection(socket, config, id);
            });
        }
    }
}

/// One client: the TLS handshake, then commands until it hangs up.
fn serve_connection(socket: TcpStream, config: Arc<ServerConfig>, id: i64) -> std::io::Result<()> {
    socket.set_read_timeout(Some(IDLE_TIMEOUT))?;
    let connection = ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut stream = StreamOwned::new(connection, socket);
    let mut response_id = 0;
    while let Some(message) = wire::read_message(&mut stream)? {
        let answer = match wire::command_of(&message) {
            Ok(command) => wire::answer(&command, id),
            Err(problem) => {
                bson::doc! { "ok": 0.0, "errmsg": problem, "code": 2, "codeName": "BadValue" }
            }
        };
        response_id += 1;
        stream.write_all(&wire::reply(&message, response_id, &answer))?;
        stream.flush()?;
    }
    Ok(())
}
