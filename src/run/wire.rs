//! Just enough of the MongoDB wire protocol for a driver to connect and `ping`: the
//! handshake (`hello`, legacy `isMaster`, over OP_MSG or OP_QUERY), `ping`, and a polite
//! `CommandNotFound` for anything else. Documents are the `bson` crate's.

use bson::{Document, RawBsonRef, RawDocument, doc};
use std::io::{self, Read};

const OP_REPLY: i32 = 1;
const OP_QUERY: i32 = 2004;
const OP_MSG: i32 = 2013;
/// The largest message read (header included); a larger length closes the connection before
/// anything is allocated. A driver's handshake and `ping` take a few hundred bytes; MongoDB's
/// own 48 MB would let each client make the server hold 48 MB.
pub const MAX_MESSAGE_SIZE: usize = 1024 * 1024;
/// The largest document announced in `hello` (`maxBsonObjectSize`): half a message, leaving
/// room for the message's own fields.
const MAX_DOCUMENT_SIZE: usize = MAX_MESSAGE_SIZE / 2;
/// How deeply a command's documents and arrays may nest (the command itself is level 1), as
/// MongoDB allows user documents. Deeper ones are refused before the `bson` crate, which
/// recurses once per level, parses them: a few thousand levels in under a megabyte would
/// overflow a thread's stack and abort the process.
pub const MAX_NESTING: usize = 100;
/// What a MongoDB 7.0 server announces (drivers refuse servers older than they support).
const MAX_WIRE_VERSION: i32 = 21;

/// One message as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The header's requestID, which the reply quotes as its responseTo.
    pub request_id: i32,
    /// The header's opCode: OP_MSG (2013) or OP_QUERY (2004) for the commands answered.
    pub op_code: i32,
    /// Everything after the 16-byte header, not yet parsed.
    pub body: Vec<u8>,
}

/// Reads one message; `None` when the peer closed the connection between messages.
pub fn read_message(stream: &mut impl Read) -> io::Result<Option<Message>> {
    let mut header = [0u8; 16];
    match stream.read_exact(&mut header) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let field = |i: usize| i32::from_le_bytes(header[i..i + 4].try_into().expect("4 bytes"));
    let length = usize::try_from(field(0)).unwrap_or(0);
    if !(16..=MAX_MESSAGE_SIZE).contains(&length) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad message length {length}"),
        ));
    }
    // Grown as bytes arrive, so a client that announces a megabyte and stalls holds little.
    let mut body = Vec::new();
    stream.take(length as u64 - 16).read_to_end(&mut body)?;
    if body.len() < length - 16 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(Message {
        request_id: field(4),
        op_code: field(12),
        body,
    }))
}

/// The command document a message carries.
pub fn command_of(message: &Message) -> Result<Document, String> {
    let body = &message.body;
    match message.op_code {
        // flagBits, then sections; section kind 0 is the command body.
        OP_MSG => {
            let mut at = 4;
            while at < body.len() {
                let kind = body[at];
                at += 1;
                // A section's size counts its own 4 bytes; anything less (or negative) would
                // stall or wrap this walk.
                let size = usize::try_from(read_i32(body, at)?)
                    .ok()
                    .filter(|size| *size >= 4)
                    .ok_or("OP_MSG section with a size under 4")?;
                if kind == 0 {
                    return document_at(&body[at..]);
                }
                // Kind 1 (a document sequence) is skipped: its size counts itself.
                at += size;
            }
            Err("OP_MSG without a body section".into())
        }
        // flags, fullCollectionName (cstring), numberToSkip, numberToReturn, query.
        OP_QUERY => {
            let name_end = body
                .get(4..)
                .ok_or("truncated OP_QUERY")?
                .iter()
                .position(|&b| b == 0)
                .ok_or("OP_QUERY without a collection name")?;
            let query = 4 + name_end + 1 + 8;
            document_at(body.get(query..).ok_or("truncated OP_QUERY")?)
        }
        other => Err(format!("unsupported opcode {other}")),
    }
}

/// The document at the start of `bytes` (its first four bytes give its length), refused if
/// malformed or nested deeper than `MAX_NESTING`.
fn document_at(bytes: &[u8]) -> Result<Document, String> {
    let length = usize::try_from(read_i32(bytes, 0)?)
        .ok()
        .filter(|length| (5..=bytes.len()).contains(length))
        .ok_or("a BSON document whose length does not fit the message")?;
    let raw = RawDocument::from_bytes(&bytes[..length]).map_err(|e| e.to_string())?;
    check_nesting(raw)?;
    Document::from_reader(raw.as_bytes()).map_err(|e| e.to_string())
}

/// Walks the document's raw bytes with a stack of its own (no recursion, so no depth can
/// exhaust the thread's stack) and refuses any level past `MAX_NESTING`.
fn check_nesting(root: &RawDocument) -> Result<(), String> {
    let mut pending = vec![(root, 1)];
    while let Some((document, depth)) = pending.pop() {
        if depth > MAX_NESTING {
            return Err(format!(
                "a BSON document nested deeper than {MAX_NESTING} levels"
            ));
        }
        for element in document {
            let nested = match element.map_err(|e| e.to_string())?.1 {
                RawBsonRef::Document(nested) => nested,
                RawBsonRef::Array(array) => {
                    RawDocument::from_bytes(array.as_bytes()).map_err(|e| e.to_string())?
                }
                RawBsonRef::JavaScriptCodeWithScope(code) => code.scope,
                _ => continue,
            };
            pending.push((nested, depth + 1));
        }
    }
    Ok(())
}

fn read_i32(bytes: &[u8], at: usize) -> Result<i32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| i32::from_le_bytes(b.try_into().expect("4 bytes")))
        .ok_or_else(|| "truncated message".into())
}

/// The reply to `request` carrying `document`, in the form the request came in.
pub(crate) fn reply(request: &Message, response_id: i32, document: &Document) -> Vec<u8> {
    let mut doc_bytes = Vec::new();
    document
        .to_writer(&mut doc_bytes)
        .expect("a document serializes");
    let mut body = Vec::new();
    let op_code = if request.op_code == OP_QUERY {
        body.extend(0i32.to_le_bytes()); // responseFlags
        body.extend(0i64.to_le_bytes()); // cursorID
        body.extend(0i32.to_le_bytes()); // startingFrom
        body.extend(1i32.to_le_bytes()); // numberReturned
        OP_REPLY
    } else {
        body.extend(0u32.to_le_bytes()); // flagBits
        body.push(0); // section kind 0: body
        OP_MSG
    };
    body.extend(doc_bytes);
    let mut message = Vec::with_capacity(16 + body.len());
    message.extend((16 + body.len() as i32).to_le_bytes());
    message.extend(response_id.to_le_bytes());
    message.extend(request.request_id.to_le_bytes());
    message.extend(op_code.to_le_bytes());
    message.extend(body);
    message
}

/// What a standalone primary answers to `command`.
pub(crate) fn answer(command: &Document, connection_id: i64) -> Document {
    let name = command.keys().next().map(String::as_str).unwrap_or("");
    match name.to_ascii_lowercase().as_str() {
        "hello" | "ismaster" => doc! {
            "helloOk": true,
            "ismaster": true,
            "isWritablePrimary": true,
            "maxBsonObjectSize": MAX_DOCUMENT_SIZE as i32,
            "maxMessageSizeBytes": MAX_MESSAGE_SIZE as i32,
            "maxWriteBatchSize": 100_000,
            "localTime": bson::DateTime::now(),
            "logicalSessionTimeoutMinutes": 30,
            "connectionId": connection_id,
            "minWireVersion": 0,
            "maxWireVersion": MAX_WIRE_VERSION,
            "readOnly": false,
            "ok": 1.0,
        },
        "ping" | "endsessions" => doc! { "ok": 1.0 },
        "buildinfo" => doc! { "version": "7.0.0", "versionArray": [7, 0, 0, 0], "ok": 1.0 },
        _ => doc! {
            "ok": 0.0,
            "errmsg": format!("no such command: '{name}' (pkigen serve answers hello and ping only)"),
            "code": 59,
            "codeName": "CommandNotFound",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op_msg(command: &Document) -> Message {
        let mut body = 0u32.to_le_bytes().to_vec();
        body.push(0);
        command.to_writer(&mut body).unwrap();
        Message {
            request_id: 7,
            op_code: OP_MSG,
            body,
        }
    }

    /// A negative section size must not wrap the OP_MSG walk (a panic in debug builds, an
    /// endless loop in release), nor a 3-byte OP_QUERY body panic.
    #[test]
    fn hostile_bodies_are_refused() {
        let message = |op_code, body: &[u8]| Message {
            request_id: 1,
            op_code,
            body: body.to_vec(),
        };
        for (op_code, body) in [
            (
                OP_MSG,
                &[
                    0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xfb, 0xff, 0xff, 0xff,
                ][..],
            ),
            (OP_MSG, &[0, 0, 0, 0, 1, 0, 0, 0, 0][..]),
            (OP_MSG, &[0, 0, 0, 0, 1, 0xff, 0xff][..]),
            (OP_QUERY, &[0, 0, 0][..]),
            (OP_QUERY, &[0, 0, 0, 0, b'a'][..]),
        ] {
            assert!(command_of(&message(op_code, body)).is_err(), "{body:?}");
        }
    }

    #[test]
    fn hello_over_op_msg_round_trips() {
        let request = op_msg(&doc! { "hello": 1, "$db": "admin" });
        let command = command_of(&request).unwrap();
        assert_eq!(command.get_i32("hello").unwrap(), 1);
        let bytes = reply(&request, 9, &answer(&command, 3));
        let message = read_message(&mut bytes.as_slice()).unwrap().unwrap();
        assert_eq!(message.op_code, OP_MSG);
        let answered = command_of(&message).unwrap();
        assert!(answered.get_bool("isWritablePrimary").unwrap());
        assert_eq!(answered.get_f64("ok").unwrap(), 1.0);
        assert_eq!(
            i32::from_le_bytes(bytes[8..12].try_into().unwrap()),
            7,
            "responseTo"
        );
    }

    #[test]
    fn legacy_is_master_over_op_query_gets_op_reply() {
        let mut body = 0i32.to_le_bytes().to_vec();
        body.extend(b"admin.$cmd\0");
        body.extend(0i32.to_le_bytes());
        body.extend((-1i32).to_le_bytes());
        doc! { "isMaster": 1, "helloOk": true }
            .to_writer(&mut body)
            .unwrap();
        let request = Message {
            request_id: 1,
            op_code: OP_QUERY,
            body,
        };
        let command = command_of(&request).unwrap();
        let bytes = reply(&request, 2, &answer(&command, 1));
        assert_eq!(
            i32::from_le_bytes(bytes[12..16].try_into().unwrap()),
            OP_REPLY
        );
        let document = Document::from_reader(&bytes[36..]).unwrap();
        assert!(document.get_bool("ismaster").unwrap());
    }

    /// `{hello: 1, a: {a: {… {} …}}}` with `levels` levels in all, built as bytes (the
    /// `bson` crate would recurse to write it).
    fn nested(levels: usize) -> Vec<u8> {
        const HELLO: [u8; 11] = [0x10, b'h', b'e', b'l', b'l', b'o', 0, 1, 0, 0, 0];
        // Each level around the innermost `{}` adds its length, a type, the key "a\0" and
        // its terminator: 8 bytes (the outermost also holds `hello: 1`).
        let length = |level: usize| 5 + 8 * (levels - level) + if level == 1 { 11 } else { 0 };
        let mut bytes = Vec::new();
        for level in 1..levels {
            bytes.extend((length(level) as i32).to_le_bytes());
            if level == 1 {
                bytes.extend(HELLO);
            }
            // Arrays count as levels too.
            bytes.extend([if level % 2 == 0 { 0x04 } else { 0x03 }, b'a', 0]);
        }
        bytes.extend([5, 0, 0, 0, 0]);
        bytes.extend(std::iter::repeat_n(0, levels - 1));
        bytes
    }

    #[test]
    fn documents_nested_past_the_limit_are_refused_without_recursing() {
        let message = |document: Vec<u8>| {
            let mut body = 0u32.to_le_bytes().to_vec();
            body.push(0);
            body.extend(document);
            Message {
                request_id: 1,
                op_code: OP_MSG,
                body,
            }
        };
        let command = command_of(&message(nested(MAX_NESTING))).unwrap();
        assert_eq!(command.get_i32("hello").unwrap(), 1);
        let problem = command_of(&message(nested(MAX_NESTING + 1))).unwrap_err();
        assert!(problem.contains("nested deeper than 100"), "{problem}");
        // Deep enough to overflow a thread's stack if anything recursed, on a small one.
        let deep = message(nested(100_000));
        let problem = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || command_of(&deep).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(problem.contains("nested deeper"), "{problem}");
        // A document whose length runs past the message is refused, not read beyond.
        let mut short = nested(3);
        short.truncate(short.len() - 1);
        assert!(command_of(&message(short)).is_err());
    }

    #[test]
    fn unknown_commands_and_bad_lengths_are_refused() {
        assert_eq!(
            answer(&doc! { "insert": "x" }, 1).get_i32("code").unwrap(),
            59
        );
        let mut huge = (MAX_MESSAGE_SIZE as i32 + 1).to_le_bytes().to_vec();
        huge.extend([0u8; 12]);
        assert!(read_message(&mut huge.as_slice()).is_err());
        assert!(read_message(&mut [].as_slice()).unwrap().is_none());
    }
}
