//! `pkigen serve` under hostile clients, through the real binary and real sockets: a command
//! nested a thousand levels deep, a crowd of idle connections, a flood of new ones, a
//! message length past the cap, and stalled clients at its OCSP responder. Each time serve
//! must stay up and a real client (a TLS handshake and `hello`, or `openssl ocsp`) must
//! still be answered.

use crate::util;
use pkigen::internals as wire;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test gives up on it.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a connection closed to make room may take to read as closed: far shorter than
/// any deadline of serve's (10 s for a handshake), so that the deadline cannot pass for it.
const EVICTED_WITHIN: Duration = Duration::from_secs(1);

type TlsStream = StreamOwned<ClientConnection, TcpStream>;

/// A TLS client trusting the scenario's `ca.pem`, handshaken with serve at `address`.
fn tls_client(dir: &Path, address: SocketAddr) -> TlsStream {
    try_tls_client(dir, address).expect("a TLS handshake with pkigen serve")
}

/// The same, or the error that ended the connection or the handshake.
fn try_tls_client(dir: &Path, address: SocketAddr) -> std::io::Result<TlsStream> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(dir.join("ca.pem")).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = ServerName::try_from("localhost").unwrap();
    let connection = ClientConnection::new(Arc::new(config), name).unwrap();
    let socket = TcpStream::connect(address)?;
    socket.set_read_timeout(Some(PATIENCE))?;
    socket.set_write_timeout(Some(PATIENCE))?;
    let mut stream = StreamOwned::new(connection, socket);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock)?;
    }
    Ok(stream)
}

/// An OP_MSG carrying `document` (raw BSON) as its body section.
fn op_msg(request_id: i32, document: &[u8]) -> Vec<u8> {
    let length = 16 + 4 + 1 + document.len();
    let mut message = Vec::with_capacity(length);
    message.extend((length as i32).to_le_bytes());
    message.extend(request_id.to_le_bytes());
    message.extend(0i32.to_le_bytes()); // responseTo
    message.extend(2013i32.to_le_bytes()); // OP_MSG
    message.extend(0u32.to_le_bytes()); // flagBits
    message.push(0); // section kind 0: body
    message.extend(document);
    message
}

/// Sends `document` and returns the command document of serve's answer.
fn ask(stream: &mut TlsStream, document: &[u8]) -> bson::Document {
    stream.write_all(&op_msg(1, document)).unwrap();
    stream.flush().unwrap();
    let reply = wire::read_message(stream)
        .expect("an answer from pkigen serve")
        .expect("an answer, not a closed connection");
    wire::command_of(&reply).expect("an answer that parses")
}

/// A fresh client connects, says `hello`, and is told ok: serve is serving.
#[track_caller]
pub(crate) fn assert_hello_answered(dir: &Path, address: SocketAddr) {
    let mut stream = tls_client(dir, address);
    let mut hello = Vec::new();
    bson::doc! { "hello": 1, "$db": "admin" }
        .to_writer(&mut hello)
        .unwrap();
    let answer = ask(&mut stream, &hello);
    assert_eq!(answer.get_f64("ok"), Ok(1.0), "{answer}");
    assert_eq!(answer.get_bool("isWritablePrimary"), Ok(true), "{answer}");
}

/// How many times a new client tries to be served during a flood before the test fails.
const FLOOD_ATTEMPTS: usize = 10;

/// A fresh client is served during a flood, as a driver is: until its first bytes arrive, a
/// new connection is one more that has sent nothing, and the oldest of those make room for
/// newcomers, so a client slowed by the machine's load can lose its connection before its
/// ClientHello; a driver opens another (PyMongo until serverSelectionTimeoutMS), and so does
/// this client, up to [`FLOOD_ATTEMPTS`] times.
#[track_caller]
fn assert_hello_answered_during_flood(dir: &Path, address: SocketAddr) {
    let mut hello = Vec::new();
    bson::doc! { "hello": 1, "$db": "admin" }
        .to_writer(&mut hello)
        .unwrap();
    let mut failures = Vec::new();
    for _ in 0..FLOOD_ATTEMPTS {
        let answered = try_tls_client(dir, address).and_then(|mut stream| {
            stream.write_all(&op_msg(1, &hello))?;
            stream.flush()?;
            wire::read_message(&mut stream)
        });
        match answered {
            Ok(Some(reply)) => {
                let answer = wire::command_of(&reply).expect("an answer that parses");
                assert_eq!(answer.get_f64("ok"), Ok(1.0), "{answer}");
                return;
            }
            Ok(None) => failures.push("closed before an answer".to_string()),
            Err(e) => failures.push(e.to_string()),
        }
    }
    panic!("no new client was served in {FLOOD_ATTEMPTS} attempts during the flood: {failures:?}");
}

/// `{hello: 1, a: {a: {… {} …}}}`, `levels` levels in all, built as bytes.
fn nested_document(levels: usize) -> Vec<u8> {
    const HELLO: [u8; 11] = [0x10, b'h', b'e', b'l', b'l', b'o', 0, 1, 0, 0, 0];
    // Each level around the innermost `{}` adds its length, a type, the key "a\0" and its
    // terminator: 8 bytes (the outermost also holds `hello: 1`).
    let length = |level: usize| 5 + 8 * (levels - level) + if level == 1 { 11 } else { 0 };
    let mut bytes = Vec::new();
    for level in 1..levels {
        bytes.extend((length(level) as i32).to_le_bytes());
        if level == 1 {
            bytes.extend(HELLO);
        }
        bytes.extend([0x03, b'a', 0]);
    }
    bytes.extend([5, 0, 0, 0, 0]);
    bytes.extend(std::iter::repeat_n(0, levels - 1));
    bytes
}

/// A running `pkigen serve`, stopped when dropped (also when an assertion fails).
struct Serving(Child);

impl Serving {
    #[track_caller]
    fn assert_alive(&mut self, what: &str) {
        let status = self.0.try_wait().unwrap();
        assert!(status.is_none(), "pkigen serve died {what}: {status:?}");
    }

    fn threads(&self) -> usize {
        threads(self.0.id())
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// The process's thread count, from /proc.
fn threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .expect("a Threads: line")
        .trim()
        .parse()
        .unwrap()
}

/// Whether the server has closed `socket`: it reads an end of stream or a reset, not
/// a timeout.
fn closed_by_server(socket: &mut impl Read) -> bool {
    let mut byte = [0u8; 1];
    match socket.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// A thousand levels in 8 KB once overflowed the connection thread's stack and aborted the
/// whole process. Now it is answered with an error, and serve goes on.
#[test]
fn a_deeply_nested_command_is_refused_and_serve_goes_on() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let (child, address) = util::serve(&dir, "ca-file");
    let mut serving = Serving(child);

    let mut stream = tls_client(&dir, address);
    let answer = ask(&mut stream, &nested_document(1000));
    assert_eq!(answer.get_f64("ok"), Ok(0.0), "{answer}");
    assert_eq!(answer.get_str("codeName"), Ok("BadValue"), "{answer}");
    let message = answer.get_str("errmsg").unwrap();
    assert!(
        message.contains(&format!("nested deeper than {}", wire::MAX_NESTING)),
        "{message}"
    );
    // The same connection still works, and so does a new one.
    let mut ping = Vec::new();
    bson::doc! { "ping": 1, "$db": "admin" }
        .to_writer(&mut ping)
        .unwrap();
    assert_eq!(ask(&mut stream, &ping).get_f64("ok"), Ok(1.0));
    serving.assert_alive("after a deeply nested command");
    assert_hello_answered(&dir, address);
}

/// A client that trickles its TLS handshake a byte at a time, and one that starts a
/// message and stops, are each closed once their deadline (10 s) passes, although no single
/// read waits long: the deadlines bound the whole handshake and the rest of a message.
#[test]
fn trickled_handshakes_and_stalled_messages_are_dropped() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let (child, address) = util::serve(&dir, "ca-file");
    let mut serving = Serving(child);
    // Long enough for the 10 s deadlines, short of the 120 s allowed between messages.
    let patience = Duration::from_secs(40);

    let mut trickling = TcpStream::connect(address).unwrap();
    // A handshake record header announcing 255 bytes, then one byte every 200 ms.
    trickling
        .write_all(&[0x16, 0x03, 0x01, 0x00, 0xff])
        .unwrap();
    let mut writer = trickling.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..255 {
            std::thread::sleep(Duration::from_millis(200));
            if writer.write_all(&[0]).is_err() {
                return;
            }
        }
    });

    let mut stalled = tls_client(&dir, address);
    stalled.write_all(&64i32.to_le_bytes()).unwrap();
    stalled.flush().unwrap();

    trickling.set_read_timeout(Some(patience)).unwrap();
    assert!(
        closed_by_server(&mut trickling),
        "a trickled handshake is closed"
    );
    stalled.sock.set_read_timeout(Some(patience)).unwrap();
    assert!(
        closed_by_server(&mut stalled),
        "a message begun and stalled is closed"
    );
    trickle.join().unwrap();
    serving.assert_alive("after dropping stalled clients");
    assert_hello_answered(&dir, address);
}

/// More idle connections than serve handles at once: a new client is still answered, the
/// threads stay bounded, and the quietest connection was the one closed to make room. A
/// message length past the cap closes that connection at once.
#[test]
fn idle_crowds_and_oversized_messages_are_bounded() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let (child, address) = util::serve(&dir, "ca-file");
    let mut serving = Serving(child);
    let cap = pkigen::run::serve::MAX_CONNECTIONS;

    let mut idle: Vec<TcpStream> = (0..cap + 40)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect();
    assert_hello_answered(&dir, address);
    // Closed to make room, not by the handshake deadline: asked right away, with a wait far
    // shorter than that deadline.
    idle[0].set_read_timeout(Some(EVICTED_WITHIN)).unwrap();
    assert!(
        closed_by_server(&mut idle[0]),
        "the oldest idle connection is closed to make room"
    );
    serving.assert_alive("under a crowd of idle connections");

    let bound = cap + 8;
    let deadline = Instant::now() + PATIENCE;
    while serving.threads() > bound && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let count = serving.threads();
    assert!(
        count <= bound,
        "{count} threads for {} connections",
        idle.len() + 1
    );
    drop(idle);

    // 8 MiB announced: far under MongoDB's 48 MB, far over what serve reads.
    let announced = 8 * 1024 * 1024;
    assert!(announced > wire::MAX_MESSAGE_SIZE);
    let mut stream = tls_client(&dir, address);
    let mut header = (announced as i32).to_le_bytes().to_vec();
    header.extend(1i32.to_le_bytes());
    header.extend(0i32.to_le_bytes());
    header.extend(2013i32.to_le_bytes());
    stream.write_all(&header).unwrap();
    stream.flush().unwrap();
    assert!(
        closed_by_server(&mut stream),
        "an oversized length closes the connection"
    );
    serving.assert_alive("after an oversized message length");
    assert_hello_answered(&dir, address);
}

/// Opens connections to `address` as fast as it can until `stop`, counting them in `opened`:
/// closing each at once, or holding the latest few hundred without sending a byte.
fn flood(
    address: SocketAddr,
    hold: bool,
    opened: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut held = std::collections::VecDeque::new();
        while !stop.load(Ordering::SeqCst) {
            let Ok(socket) = TcpStream::connect(address) else {
                continue;
            };
            opened.fetch_add(1, Ordering::SeqCst);
            if hold {
                held.push_back(socket);
                if held.len() > 4 * pkigen::run::serve::MAX_CONNECTIONS {
                    held.pop_front();
                }
            }
        }
    })
}

/// Waits (boundedly) until `opened` has grown by `more`.
#[track_caller]
fn await_flood(opened: &AtomicUsize, more: usize) {
    let target = opened.load(Ordering::SeqCst) + more;
    let deadline = Instant::now() + PATIENCE;
    while opened.load(Ordering::SeqCst) < target {
        assert!(Instant::now() < deadline, "the flood stalled");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A flood of new connections, far more than serve holds at once, closed at once or held
/// without a byte: a driver's established pool connection, idle meanwhile, is not closed
/// for them and still answers `ping`, and new clients are served during the flood (within
/// a few attempts, as a driver retries).
#[test]
fn a_flood_of_new_connections_spares_established_and_handshaking_clients() {
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let (child, address) = util::serve(&dir, "ca-file");
    let mut serving = Serving(child);
    let cap = pkigen::run::serve::MAX_CONNECTIONS;
    let mut pooled = tls_client(&dir, address);
    let mut hello = Vec::new();
    bson::doc! { "hello": 1, "$db": "admin" }
        .to_writer(&mut hello)
        .unwrap();
    assert_eq!(ask(&mut pooled, &hello).get_f64("ok"), Ok(1.0));

    let (opened, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let flooders: Vec<_> = [false, true]
        .into_iter()
        .map(|hold| flood(address, hold, opened.clone(), stop.clone()))
        .collect();
    await_flood(&opened, 4 * cap);
    for _ in 0..3 {
        assert_hello_answered_during_flood(&dir, address);
        await_flood(&opened, 2 * cap);
    }
    let mut ping = Vec::new();
    bson::doc! { "ping": 1, "$db": "admin" }
        .to_writer(&mut ping)
        .unwrap();
    let answer = ask(&mut pooled, &ping);
    stop.store(true, Ordering::SeqCst);
    for flooder in flooders {
        flooder.join().unwrap();
    }
    assert_eq!(answer.get_f64("ok"), Ok(1.0), "{answer}");
    serving.assert_alive("after a flood of new connections");
}

/// Starts `command` (a `pkigen serve`) and reads the first `lines` lines of its stdout;
/// its stdout is returned too, to be kept open (serve writes there).
fn start_serve(mut command: Command, lines: usize) -> (Serving, Vec<String>, ChildStdout) {
    let mut serving = Serving(
        command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pkigen serve"),
    );
    let mut stdout = BufReader::new(serving.0.stdout.take().unwrap());
    let read = (0..lines)
        .map(|_| {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            line.trim().to_string()
        })
        .collect();
    (serving, read, stdout.into_inner())
}

/// `pkigen serve DIR --case CASE` for a case with a responder: the process, the responder's
/// address, and serve's stdout.
fn serve_with_responder(dir: &Path, case: &str) -> (Serving, SocketAddr, ChildStdout) {
    let mut command = Command::new(util::PKIGEN);
    command.arg("serve").arg(dir).args(["--case", case]);
    let (serving, lines, stdout) = start_serve(command, 2);
    let responder = lines[1]
        .strip_prefix("OCSP responder on ")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("second line {:?} names no responder", lines[1]));
    (serving, responder, stdout)
}

/// CPU time the process has used, in clock ticks (user + system, all threads).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name, which ends at the last ')': state is the first,
    // utime and stime the 12th and 13th.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn open_descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// With its file descriptors used up by a crowd of connections, serve's `accept` fails
/// (EMFILE) for as long as they stay: it must wait, not retry in a tight loop burning a
/// core, and serve again once they are gone.
#[test]
fn out_of_file_descriptors_serve_waits_then_recovers() {
    const LIMIT: usize = 24;
    let (_out, dir) = util::scenario("enable-tls", 3, &[]);
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -n {LIMIT} && exec \"$0\" serve \"$1\" --case ca-file"
        ))
        .arg(util::PKIGEN)
        .arg(&dir);
    let (mut serving, lines, _stdout) = start_serve(command, 1);
    let address: SocketAddr = lines[0]
        .parse()
        .unwrap_or_else(|e| panic!("first line {:?}: {e}", lines[0]));
    let pid = serving.0.id();

    let crowd: Vec<TcpStream> = (0..LIMIT + 16)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect();
    let deadline = Instant::now() + PATIENCE;
    while open_descriptors(pid) < LIMIT && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // (More than the limit if it inherited some above it.)
    let open = open_descriptors(pid);
    assert!(open >= LIMIT, "serve's descriptors fill up: {open} open");
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_ticks(pid) - before;
    // A loop retrying `accept` at once takes a whole core: about 100 ticks a second.
    assert!(
        used < 30,
        "serve used {used} ticks of CPU in a second with nothing to do but wait"
    );
    serving.assert_alive("out of file descriptors");
    drop(crowd);
    assert_hello_answered(&dir, address);
}

/// More clients than the responder handles at once send POST headers promising a body,
/// one byte of it, and stall. `openssl ocsp` must still get its answer: a responder that does not answer makes
/// PyMongo soft-fail, accepting a revoked certificate.
#[test]
fn stalled_ocsp_clients_do_not_starve_openssl() {
    let seed = util::seed_of_this_run();
    let (_out, dir) = util::scenario("ocsp", seed, &[]);
    let case = "revoked-responder";
    let manifest = pkigen::fixtures::manifest::Manifest::load(&dir).unwrap();
    let url = manifest
        .case(case)
        .and_then(|c| c.server.ocsp_responder.as_ref())
        .expect("the case runs a responder")
        .url
        .clone();
    let (mut serving, responder, _stdout) = serve_with_responder(&dir, case);

    let stalled: Vec<TcpStream> = (0..pkigen::ocsp::responder::MAX_CONNECTIONS + 16)
        .map(|_| {
            let mut socket = TcpStream::connect(responder).unwrap();
            write!(
                socket,
                "POST /ocsp HTTP/1.1\r\nHost: {responder}\r\nContent-Type: application/ocsp-request\r\nContent-Length: 4000\r\n\r\n0"
            )
            .unwrap();
            socket
        })
        .collect();

    let output = util::tool("openssl")
        .args(["ocsp", "-issuer", "ca.pem", "-cert", "revoked.pem", "-url"])
        .arg(&url)
        .args(["-CAfile", "ca.pem", "-resp_text", "-timeout", "10"])
        .current_dir(&dir)
        .output()
        .expect("openssl must be installed");
    let text = util::stdout(&output) + &util::stderr(&output);
    assert!(
        text.contains("Response verify OK") && text.contains("revoked.pem: revoked"),
        "openssl ocsp -url {url} with {} stalled clients:\n{text}",
        stalled.len()
    );
    serving.assert_alive("with stalled OCSP clients");
    drop(stalled);
}
