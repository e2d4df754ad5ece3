//! Bounds shared by pkigen's two servers (`serve`'s TLS endpoint and the OCSP responder), so
//! that hostile or broken clients cannot take all of a machine's threads, memory or file
//! descriptors, nor lock out a real client:
//!
//! - `Slots`: at most N connections at once; a new one past N closes the occupant least
//!   likely to be a client in the middle of being served (see `Stage`), so neither a crowd
//!   of idle or stalled clients nor a flood of fresh connections shuts out a real client.
//! - `DeadlineStream`: reads that must finish by an instant, not merely make progress, so a
//!   client trickling one byte at a time is dropped as surely as a silent one.
//! - `AcceptBackoff`: a failing `accept` (out of file descriptors) waits, doubling up to a
//!   second, instead of spinning.

use rustix::net::RecvFlags;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The connections a server holds, at most `capacity` of them.
#[derive(Clone)]
pub(crate) struct Slots {
    table: Arc<Mutex<SlotTable>>,
    capacity: usize,
}

#[derive(Default)]
struct SlotTable {
    next_id: u64,
    open: HashMap<u64, Occupant>,
}

struct Occupant {
    /// The connection's socket, shared with its thread, to shut it down from outside.
    socket: Arc<TcpStream>,
    stage: Stage,
    /// When bytes last arrived from the client (when it was admitted, before any did).
    last_active: Instant,
}

/// Where a connection is in its life, in the order a full table closes them: a connection
/// that is done goes first, then one that has sent nothing, then one in the middle of a
/// request, then an established one (a driver's idle pool connection); one being answered
/// is never closed. Within a stage the quietest goes first.
///
/// A real client sends its request the moment it connects, so its bytes are waiting or
/// read, and it is past `Fresh`, long before a flood of new connections reaches it;
/// while its bytes wait unread it is not closed at all (see `has_unread_bytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// Answered; only lingering so that closing does not reset the answer.
    Done,
    /// Nothing received yet.
    Fresh,
    /// Some bytes received: a request or handshake under way.
    Talking,
    /// Handshake done; between or inside commands.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    Established,
    /// Its request is complete and the answer is being written.
    Answering,
}

impl Slots {
    /// An empty table that holds at most `capacity` connections (at least one, so that a
    /// server with a capacity of zero still answers someone).
    pub(crate) fn new(capacity: usize) -> Slots {
        Slots {
            table: Arc::default(),
            capacity: capacity.max(1),
        }
    }

    fn table(&self) -> MutexGuard<'_, SlotTable> {
        lock(&self.table)
    }

    /// Takes a slot for `socket`. When every slot is taken, one occupant is shut down first
    /// (its thread sees the socket closed and ends), chosen by `Stage`; when none may be
    /// (all are being answered or have bytes waiting), there is no slot: the caller closes
    /// the new connection.
    pub(crate) fn admit(&self, socket: &Arc<TcpStream>) -> Option<Slot> {
        let mut table = self.table();
        while table.open.len() >= self.capacity {
            let victim = table.victim()?;
            if let Some(evicted) = table.open.remove(&victim) {
                let _ = evicted.socket.shutdown(Shutdown::Both);
            }
        }
        table.next_id += 1;
        let id = table.next_id;
        table.open.insert(
            id,
            Occupant {
                socket: socket.clone(),
                stage: Stage::Fresh,
                last_active: Instant::now(),
            },
        );
        Some(Slot(Arc::new(Place {
            table: self.table.clone(),
            id,
        })))
    }

    /// How many connections hold a slot now (what the tests below check eviction by).
    #[cfg(test)]
    pub(crate) fn occupied(&self) -> usize {
        self.table().open.len()
    }

    /// Shuts every connection down (when the server stops).
    pub(crate) fn close_all(&self) {
        for (_, occupant) in self.table().open.drain() {
            let _ = occupant.socket.shutdown(Shutdown::Both);
        }
    }
}

impl SlotTable {
    /// The occupant to close to make room: the earliest stage, then the quietest, among
    /// those not being answered and with no bytes waiting to be read.
    fn victim(&self) -> Option<u64> {
        let mut candidates: Vec<(Stage, Instant, u64)> = self
            .open
            .iter()
            .filter(|(_, occupant)| occupant.stage != Stage::Answering)
            .map(|(id, occupant)| (occupant.stage, occupant.last_active, *id))
            .collect();
        candidates.sort_unstable();
        candidates
            .into_iter()
            .map(|(_, _, id)| id)
            .find(|id| !has_unread_bytes(&self.open[id].socket))
    }
}

/// Whether the client's bytes are waiting for the connection's thread to read them: a client
/// that has just sent its request, before its thread has run. Asked without waiting and
/// without taking the bytes.
fn has_unread_bytes(socket: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        rustix::net::recv(socket, &mut byte[..], RecvFlags::PEEK | RecvFlags::DONTWAIT),
        Ok((1, _))
    )
}

fn lock(table: &Mutex<SlotTable>) -> MutexGuard<'_, SlotTable> {
    table.lock().unwrap_or_else(|e| e.into_inner())
}

/// One connection's place, shared by its thread and its `DeadlineStream`; dropping the last
/// handle frees the place.
#[derive(Clone)]
pub(crate) struct Slot(Arc<Place>);

struct Place {
    table: Arc<Mutex<SlotTable>>,
    id: u64,
}

impl Slot {
    /// Applies `change` to the occupant, if it still holds its place; whether it does.
    fn update(&self, change: impl FnOnce(&mut Occupant)) -> bool {
        let mut table = lock(&self.0.table);
        table.open.get_mut(&self.0.id).map(change).is_some()
    }

    /// Bytes arrived from the client.
    pub(crate) fn received(&self) {
        self.update(|occupant| {
            occupant.last_active = Instant::now();
            if occupant.stage == Stage::Fresh {
                occupant.stage = Stage::Talking;
            }
        });
    }

    /// The handshake is done, or a command answered: the connection is established and
    /// active now.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn established(&self) {
        self.update(|occupant| {
            occupant.last_active = Instant::now();
            occupant.stage = Stage::Established;
        });
    }

    /// The request is complete: the connection may not be closed until `answered`. False if
    /// it was already closed to make room (there is no one to answer).
    pub(crate) fn begin_answer(&self) -> bool {
        self.update(|occupant| occupant.stage = Stage::Answering)
    }

    /// The answer is written: the connection may be closed first to make room.
    pub(crate) fn answered(&self) {
        self.update(|occupant| occupant.stage = Stage::Done);
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        lock(&self.table).open.remove(&self.id);
    }
}

/// A TCP stream whose reads and writes fail with `TimedOut` once a deadline has passed,
/// however the bytes trickle in or out: a client that never reads its replies holds a
/// connection no longer than one that never sends. Without a deadline, writes are bound by
/// the socket's own `set_write_timeout`.
pub(crate) struct DeadlineStream {
    socket: Arc<TcpStream>,
    deadline: Option<Instant>,
    slot: Option<Slot>,
}

impl DeadlineStream {
    /// `socket` with no deadline yet and no slot to report to: `set_deadline` before the
    /// first read, `reporting_to` to rank the connection as active.
    pub(crate) fn new(socket: Arc<TcpStream>) -> DeadlineStream {
        DeadlineStream {
            socket,
            deadline: None,
            slot: None,
        }
    }

    /// Tells `slot` of every read that brings bytes, so that the connection ranks as active.
    pub(crate) fn reporting_to(mut self, slot: Slot) -> DeadlineStream {
        self.slot = Some(slot);
        self
    }

    /// Reads and writes from now on must be done within `within`.
    pub(crate) fn set_deadline(&mut self, within: Duration) {
        self.deadline = Some(Instant::now() + within);
    }

    /// Brings the deadline forward to `within` from now, if it is later than that.
    pub(crate) fn shorten_deadline(&mut self, within: Duration) {
        let sooner = Instant::now() + within;
        self.deadline = Some(self.deadline.map_or(sooner, |d| d.min(sooner)));
    }

    /// The socket underneath, for what reads and writes cannot do, such as shutting down
    /// the sending half while the client reads the answer.
    pub(crate) fn socket(&self) -> &TcpStream {
        &self.socket
    }
}

impl DeadlineStream {
    /// The time left before the deadline, `None` without one; `TimedOut` once it passed.
    fn time_left(&self) -> io::Result<Option<Duration>> {
        let Some(deadline) = self.deadline else {
            return Ok(None);
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took too long",
            ));
        }
        Ok(Some(left))
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(left) = self.time_left()? {
            self.socket.set_read_timeout(Some(left))?;
        }
        let n = (&*self.socket).read(buf)?;
        if let (Some(slot), true) = (&self.slot, n > 0) {
            slot.received();
        }
        Ok(n)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(left) = self.time_left()? {
            self.socket.set_write_timeout(Some(left))?;
        }
        (&*self.socket).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.socket).flush()
    }
}

/// The wait after a failed `accept`: 10 ms, doubling to 1 s, back to none after a success.
#[derive(Debug, Default)]
struct AcceptBackoff {
    delay: Option<Duration>,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(10);
const LAST_BACKOFF: Duration = Duration::from_secs(1);

impl AcceptBackoff {
    /// Sleeps after a failed `accept`: the usual cause (EMFILE, ENFILE, ENOBUFS) lasts until
    /// some connection ends, and retrying at once only burns a core.
    fn failed(&mut self) {
        let delay = self
            .delay
            .map_or(FIRST_BACKOFF, |d| (d * 2).min(LAST_BACKOFF));
        self.delay = Some(delay);
        std::thread::sleep(delay);
    }

    fn succeeded(&mut self) {
        self.delay = None;
    }
}

/// Takes connections on `listener` until `stopping` says so (checked after each `accept`),
/// admits each to `slots` and runs `handle` with it on a thread of its own, named by
/// `thread_name` from the connection's number (1, 2, …). A connection that finds no place,
/// or no thread, is closed; a failed `accept` backs off rather than spins.
pub(crate) fn accept_each<H>(
    listener: &TcpListener,
    slots: &Slots,
    stopping: impl Fn() -> bool,
    thread_name: impl Fn(u64) -> String,
    handle: H,
) where
    H: Fn(Arc<TcpStream>, Slot, u64) + Clone + Send + 'static,
{
    let mut backoff = AcceptBackoff::default();
    let mut connections: u64 = 0;
    loop {
        let accepted = listener.accept();
        if stopping() {
            return;
        }
        let socket = match accepted {
            Ok((socket, _)) => socket,
            Err(_) => {
                backoff.failed();
                continue;
            }
        };
        backoff.succeeded();
        let socket = Arc::new(socket);
        // No connection may be closed to make room: the new one is dropped instead.
        let Some(slot) = slots.admit(&socket) else {
            continue;
        };
        connections += 1;
        let (id, handle) = (connections, handle.clone());
        // No thread to be had: the closure, and the socket with it, is dropped.
        let _ = std::thread::Builder::new()
            .name(thread_name(id))
            .spawn(move || handle(socket, slot, id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    /// A connected pair: (client side, server side).
    fn pair(listener: &TcpListener) -> (TcpStream, Arc<TcpStream>) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, Arc::new(server))
    }

    /// Whether the server side has closed `client`: an end of stream (or a reset) is waiting
    /// for it. Asked without waiting: a shutdown's FIN is queued before `admit` returns.
    fn closed(client: &TcpStream) -> bool {
        client.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let closed = match (&*client).read(&mut byte) {
            Ok(n) => n == 0,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        client.set_nonblocking(false).unwrap();
        closed
    }

    #[test]
    fn a_full_table_closes_a_silent_connection_before_one_that_talked() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let slots = Slots::new(3);
        let (talking_client, talking) = pair(&listener);
        let (established_client, established) = pair(&listener);
        let (silent_client, silent) = pair(&listener);
        let talking_slot = slots.admit(&talking).unwrap();
        let established_slot = slots.admit(&established).unwrap();
        let _silent_slot = slots.admit(&silent).unwrap();
        // The silent one is the newest, yet it goes first: it has sent nothing.
        talking_slot.received();
        established_slot.established();
        let (_fourth_client, fourth) = pair(&listener);
        let fourth_slot = slots.admit(&fourth).unwrap();
        assert_eq!(slots.occupied(), 3);
        assert!(closed(&silent_client), "the silent one is closed");
        assert!(!closed(&talking_client) && !closed(&established_client));
        // Then the one mid-request, before the established ones.
        fourth_slot.established();
        let (_fifth_client, fifth) = pair(&listener);
        let _fifth_slot = slots.admit(&fifth).unwrap();
        assert!(closed(&talking_client), "then the one mid-request");
        assert!(!closed(&established_client), "the established one stays");
        assert!(!talking_slot.begin_answer(), "a closed one is not answered");
        drop(talking_slot);
        assert_eq!(slots.occupied(), 3);
    }

    /// A client whose request waits unread (its thread has not run yet) is not closed, even
    /// when it is the quietest; nor is one being answered. With every occupant so, the new
    /// connection gets no slot.
    #[test]
    fn a_request_waiting_to_be_read_or_being_answered_is_never_closed() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let slots = Slots::new(2);
        let (mut waiting_client, waiting) = pair(&listener);
        let (answered_client, answered) = pair(&listener);
        let _waiting_slot = slots.admit(&waiting).unwrap();
        let answered_slot = slots.admit(&answered).unwrap();
        waiting_client.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        // The bytes are queued on the server side once `peek` sees them.
        let mut peeked = [0u8; 1];
        waiting.peek(&mut peeked).unwrap();
        assert!(answered_slot.begin_answer());
        let (newcomer_client, newcomer) = pair(&listener);
        assert!(slots.admit(&newcomer).is_none(), "no slot for the newcomer");
        assert!(!closed(&waiting_client) && !closed(&answered_client));
        // Answered, the connection is the first to make room.
        answered_slot.answered();
        assert!(slots.admit(&newcomer).is_some());
        assert!(closed(&answered_client), "the answered one made room");
        assert!(!closed(&waiting_client) && !closed(&newcomer_client));
    }

    /// A real client's request arrives right after it connects, but its thread may not have
    /// read it yet when a flood of new connections comes: it outlasts them all.
    #[test]
    fn a_request_waiting_to_be_read_outlasts_a_flood_of_silent_connections() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let slots = Slots::new(4);
        let (mut real_client, real) = pair(&listener);
        let _real_slot = slots.admit(&real).unwrap();
        real_client.write_all(b"POST / HTTP/1.1\r\n").unwrap();
        real.peek(&mut [0u8; 1]).unwrap();
        let flood: Vec<_> = (0..40)
            .map(|_| {
                let (client, server) = pair(&listener);
                let slot = slots.admit(&server).expect("a silent one makes room");
                (client, server, slot)
            })
            .collect();
        assert_eq!(slots.occupied(), 4);
        assert!(!closed(&real_client), "the real client is kept");
        let flood_closed = flood.iter().filter(|(client, ..)| closed(client)).count();
        assert_eq!(flood_closed, flood.len() - 3);
    }

    #[test]
    fn reads_report_activity_to_the_slot() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let slots = Slots::new(2);
        let (mut first_client, first) = pair(&listener);
        let (second_client, second) = pair(&listener);
        let first_slot = slots.admit(&first).unwrap();
        let _second_slot = slots.admit(&second).unwrap();
        let mut stream = DeadlineStream::new(first).reporting_to(first_slot);
        first_client.write_all(b"x").unwrap();
        let mut byte = [0u8; 1];
        assert_eq!(stream.read(&mut byte).unwrap(), 1);
        // The first admitted, but it has talked: the silent second one goes.
        let (_third_client, third) = pair(&listener);
        let _third_slot = slots.admit(&third).unwrap();
        assert!(closed(&second_client));
        assert!(!closed(&first_client));
    }

    #[test]
    fn reads_past_the_deadline_time_out_even_while_bytes_trickle() {
        const TOTAL: usize = 100;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let (mut client, server) = pair(&listener);
        let mut stream = DeadlineStream::new(server);
        stream.set_deadline(Duration::from_secs(2));
        let trickle = std::thread::spawn(move || {
            for _ in 0..TOTAL {
                if client.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let mut sink = Vec::new();
        let error = stream.read_to_end(&mut sink).unwrap_err();
        assert!(
            matches!(
                error.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ),
            "{error:?}"
        );
        // Timed out before the trickle was over, although bytes kept coming.
        assert!(sink.len() < TOTAL, "{}", sink.len());
        drop(stream);
        trickle.join().unwrap();
    }

    /// A peer that never reads: once the kernel's buffers are full, writes wait, and the
    /// deadline ends them like reads (no socket write timeout is set here to do it instead).
    #[test]
    fn writes_to_a_peer_that_never_reads_end_at_the_deadline() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let (_client, server) = pair(&listener);
        let mut stream = DeadlineStream::new(server);
        stream.set_deadline(Duration::from_secs(1));
        let chunk = vec![0u8; 64 * 1024];
        // Far more than loopback buffers hold (a few MiB at most).
        let error = (0..4096)
            .find_map(|_| stream.write_all(&chunk).err())
            .expect("the writes end in an error");
        assert!(
            matches!(
                error.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ),
            "{error:?}"
        );
    }
}
