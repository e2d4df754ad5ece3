//! Bounds shared by pkigen's two servers (`serve`'s TLS endpoint and the OCSP responder), so
//! that hostile or broken clients cannot take all of a machine's threads, memory or file
//! descriptors, nor lock out a real client:
//!
//! - `Slots`: at most N connections at once; a new one past N closes the connection that
//!   has been quiet the longest, so a crowd of idle or stalled clients never shuts out the
//!   client that arrives after them.
//! - `DeadlineStream`: reads that must finish by an instant, not merely make progress, so a
//!   client trickling one byte at a time is dropped as surely as a silent one.
//! - `AcceptBackoff`: a failing `accept` (out of file descriptors) waits, doubling up to a
//!   second, instead of spinning.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The connections a server holds, at most `capacity` of them.
#[derive(Clone)]
pub struct Slots {
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
    last_active: Instant,
}

impl Slots {
    pub fn new(capacity: usize) -> Slots {
        Slots {
            table: Arc::default(),
            capacity: capacity.max(1),
        }
    }

    fn table(&self) -> MutexGuard<'_, SlotTable> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a slot for `socket`. When every slot is taken, the connection that has been
    /// quiet the longest is shut down first (its thread sees the socket closed and ends).
    pub fn admit(&self, socket: &Arc<TcpStream>) -> Slot {
        let mut table = self.table();
        while table.open.len() >= self.capacity {
            let quietest = table
                .open
                .iter()
                .min_by_key(|(_, occupant)| occupant.last_active)
                .map(|(id, _)| *id)
                .expect("a full table has an occupant");
            if let Some(evicted) = table.open.remove(&quietest) {
                let _ = evicted.socket.shutdown(Shutdown::Both);
            }
        }
        table.next_id += 1;
        let id = table.next_id;
        table.open.insert(
            id,
            Occupant {
                socket: socket.clone(),
                last_active: Instant::now(),
            },
        );
        Slot {
            table: self.table.clone(),
            id,
        }
    }

    /// How many connections hold a slot now.
    pub fn occupied(&self) -> usize {
        self.table().open.len()
    }

    /// Shuts every connection down (when the server stops).
    pub fn close_all(&self) {
        for (_, occupant) in self.table().open.drain() {
            let _ = occupant.socket.shutdown(Shutdown::Both);
        }
    }
}

/// One connection's place; dropping it frees the place.
pub struct Slot {
    table: Arc<Mutex<SlotTable>>,
    id: u64,
}

impl Slot {
    /// Marks the connection active now, putting it last in line for eviction.
    pub fn touch(&self) {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(occupant) = table.open.get_mut(&self.id) {
            occupant.last_active = Instant::now();
        }
    }
}

impl Slot {
    /// Whether the connection was shut down to make room (its reads then see an end of
    /// stream that the client never sent).
    pub fn evicted(&self) -> bool {
        let table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        !table.open.contains_key(&self.id)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        table.open.remove(&self.id);
    }
}

/// A TCP stream whose reads fail with `TimedOut` once a deadline has passed, however the
/// bytes trickle in. Writes go straight through (bound them with `set_write_timeout`).
pub struct DeadlineStream {
    socket: Arc<TcpStream>,
    deadline: Option<Instant>,
}

impl DeadlineStream {
    pub fn new(socket: Arc<TcpStream>) -> DeadlineStream {
        DeadlineStream {
            socket,
            deadline: None,
        }
    }

    /// Reads from now on must be done within `within`.
    pub fn set_deadline(&mut self, within: Duration) {
        self.deadline = Some(Instant::now() + within);
    }

    /// Brings the deadline forward to `within` from now, if it is later than that.
    pub fn shorten_deadline(&mut self, within: Duration) {
        let sooner = Instant::now() + within;
        self.deadline = Some(self.deadline.map_or(sooner, |d| d.min(sooner)));
    }

    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client took too long",
                ));
            }
            self.socket.set_read_timeout(Some(left))?;
        }
        (&*self.socket).read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.socket).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.socket).flush()
    }
}

/// The wait after a failed `accept`: 10 ms, doubling to 1 s, back to none after a success.
#[derive(Debug, Default)]
pub struct AcceptBackoff {
    delay: Option<Duration>,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(10);
const LAST_BACKOFF: Duration = Duration::from_secs(1);

impl AcceptBackoff {
    /// Sleeps after a failed `accept`: the usual cause (EMFILE, ENFILE, ENOBUFS) lasts until
    /// some connection ends, and retrying at once only burns a core.
    pub fn failed(&mut self) {
        let delay = self
            .delay
            .map_or(FIRST_BACKOFF, |d| (d * 2).min(LAST_BACKOFF));
        self.delay = Some(delay);
        std::thread::sleep(delay);
    }

    pub fn succeeded(&mut self) {
        self.delay = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, TcpListener};

    /// A connected pair: (client side, server side).
    fn pair(listener: &TcpListener) -> (TcpStream, Arc<TcpStream>) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, Arc::new(server))
    }

    #[test]
    fn a_full_table_closes_the_quietest_connection() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let slots = Slots::new(2);
        let (mut first_client, first) = pair(&listener);
        let (mut second_client, second) = pair(&listener);
        let first_slot = slots.admit(&first);
        std::thread::sleep(Duration::from_millis(5));
        let _second_slot = slots.admit(&second);
        std::thread::sleep(Duration::from_millis(5));
        // The first one is active again: the second is now the quietest.
        first_slot.touch();
        let (_third_client, third) = pair(&listener);
        let _third_slot = slots.admit(&third);
        assert_eq!(slots.occupied(), 2);
        let mut byte = [0u8; 1];
        assert_eq!(second_client.read(&mut byte).unwrap(), 0, "evicted: EOF");
        first_client
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        assert!(first_client.read(&mut byte).is_err(), "still open");
        drop(first_slot);
        assert_eq!(slots.occupied(), 1);
    }

    #[test]
    fn reads_past_the_deadline_time_out_even_while_bytes_trickle() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let (mut client, server) = pair(&listener);
        let mut stream = DeadlineStream::new(server);
        stream.set_deadline(Duration::from_millis(300));
        let trickle = std::thread::spawn(move || {
            for _ in 0..100 {
                if client.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
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
        assert!(!sink.is_empty() && sink.len() < 100, "{}", sink.len());
        drop(stream);
        trickle.join().unwrap();
    }
}
