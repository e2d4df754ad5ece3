//! `pkigen serve --all`: every case of several fixture sets served from one process, each
//! case's TLS endpoint on a loopback port of its own, so a driver's test suite starts one
//! process instead of one per case.
//!
//! OCSP responders are the exception to "one per case": a case's responder must listen at
//! the address its certificates' authorityInfoAccess names, and every responder case of a
//! scenario names the same one (see `scenario::build`). So one responder runs per distinct
//! address, answering the union of what the cases naming it answer; two cases that would
//! answer one serial differently cannot share it, and are refused before anything is bound.

use crate::error::Error;
use crate::fixtures::manifest::{Case, Manifest};
use crate::ocsp::responder::{Responder, StatusTable, serial_key};
use crate::run::serve::Server;
use crate::run::validate::{OcspAnswer, responder_address, responder_answers, start_responder_on};
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

/// One served case: who it is, where it listens, and how a driver reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scenario/case`, as reports and the harnesses name a case.
    pub id: String,
    /// The TLS endpoint's bound address.
    pub address: SocketAddr,
    /// The case's own connection string with the endpoint's port: the host stays the case's
    /// (a certificate's names are checked against it), only the port is the one bound.
    pub uri: String,
}

/// Every case's endpoint bound and the OCSP responders running; `run` serves them all.
pub struct Servers {
    endpoints: Vec<Endpoint>,
    servers: Vec<Server>,
    responders: Vec<Responder>,
}

impl Servers {
    /// Checks every folder's files against its manifest and every responder's answers
    /// against the others at its address, then binds: each case's TLS endpoint on its own
    /// free loopback port, and each responder at the address its URL names.
    pub fn bind(folders: &[(&Path, &Manifest)]) -> Result<Servers, Error> {
        for (dir, manifest) in folders {
            manifest.verify_files(dir)?;
        }
        let mut ids: BTreeMap<String, &Path> = BTreeMap::new();
        for (dir, manifest) in folders {
            if let Some(other) = ids.insert(manifest.scenario.clone(), dir) {
                return Err(Error::manifest(
                    dir,
                    format!(
                        "scenario '{}' is also served from {}: its cases' names would clash; \
                         serve the two folders apart",
                        manifest.scenario,
                        other.display()
                    ),
                ));
            }
        }
        let tables = responder_tables(folders)?;
        let responders = tables
            .into_iter()
            .map(|(address, shared)| start_responder_on(&shared.dir, address, shared.table()))
            .collect::<Result<Vec<_>, _>>()?;
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let (mut endpoints, mut servers) = (Vec::new(), Vec::new());
        for (dir, manifest) in folders {
            for case in &manifest.cases {
                let server = Server::bind_endpoint(dir, case, loopback)?;
                endpoints.push(endpoint(&manifest.scenario, case, server.local_addr()));
                servers.push(server);
            }
        }
        Ok(Servers {
            endpoints,
            servers,
            responders,
        })
    }

    /// Every case served, in the folders' order and each manifest's.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// Where the OCSP responders listen, one per distinct address the cases name.
    pub fn responder_addrs(&self) -> Vec<SocketAddr> {
        self.responders.iter().map(Responder::local_addr).collect()
    }

    /// Serves every endpoint, each on its own accepting thread, until the process ends.
    pub fn run(self) -> ! {
        let _responders = self.responders;
        for (server, endpoint) in self.servers.into_iter().zip(&self.endpoints) {
            std::thread::Builder::new()
                .name(format!("serve {}", endpoint.id))
                .spawn(move || server.run())
                .expect("a thread to serve a case");
        }
        loop {
            std::thread::park();
        }
    }
}

/// The case's entry: its id, address, and connection string with the bound port.
fn endpoint(scenario: &str, case: &Case, address: SocketAddr) -> Endpoint {
    let host = &case.client.host;
    // An IPv6 literal is bracketed before a port can follow it.
    let host = if host.contains(':') {
        format!("[{host}]:{}", address.port())
    } else {
        format!("{host}:{}", address.port())
    };
    Endpoint {
        id: format!("{scenario}/{}", case.name),
        address,
        uri: crate::policy::uri_for(&host, &case.client.options),
    }
}

/// What one responder address answers, gathered from every case naming it.
struct SharedResponder {
    /// The folder of the first case naming it (named if it cannot be bound).
    dir: PathBuf,
    /// Serial (as the table keys it) → the DER response and the case that gave it.
    answers: BTreeMap<Vec<u8>, (Vec<u8>, String)>,
}

impl SharedResponder {
    fn table(&self) -> StatusTable {
        let mut table = StatusTable::new();
        for (serial, (response, _)) in &self.answers {
            table.insert(serial, response.clone());
        }
        table
    }
}

/// One table per responder address the cases name, each the union of their answers; a
/// serial two cases answer differently at one address is an error naming both.
fn responder_tables(
    folders: &[(&Path, &Manifest)],
) -> Result<BTreeMap<SocketAddr, SharedResponder>, Error> {
    let mut tables: BTreeMap<SocketAddr, SharedResponder> = BTreeMap::new();
    for (dir, manifest) in folders {
        for case in &manifest.cases {
            let Some(spec) = &case.server.ocsp_responder else {
                continue;
            };
            let address = responder_address(dir, spec)?;
            let id = format!("{}/{}", manifest.scenario, case.name);
            let shared = tables.entry(address).or_insert_with(|| SharedResponder {
                dir: dir.to_path_buf(),
                answers: BTreeMap::new(),
            });
            for OcspAnswer { serial, response } in responder_answers(dir, spec)? {
                let key = serial_key(&serial).to_vec();
                match shared.answers.get(&key) {
                    Some((known, _)) if *known == response => {}
                    Some((_, other)) => {
                        return Err(Error::manifest(
                            dir,
                            format!(
                                "the OCSP responder at {address} would answer serial {} one \
                                 way for {other} and another for {id}: one process cannot \
                                 serve both; serve them apart (each with --case)",
                                hex::encode(&key)
                            ),
                        ));
                    }
                    None => {
                        shared.answers.insert(key, (response, id.clone()));
                    }
                }
            }
        }
    }
    Ok(tables)
}
