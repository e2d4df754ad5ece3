//! Just enough of the MongoDB wire protocol for a driver to connect and `ping`: the
//! handshake (`hello`, legacy `isMaster`, over OP_MSG or OP_QUERY), `ping`, and a polite
//! `CommandNotFound` for anything else. Documents are the `bson` crate's.

use bson::{Document, doc};
use std::io::{self, Read};

const OP_REPLY: i32 = 1;
const OP_QUERY: i32 = 2004;
const OP_MSG: i32 = 2013;
/// MongoDB's limit on a message; anything larger is refused before allocating it.
const MAX_MESSAGE_SIZE: usize = 48_000_000;
/// What a MongoDB 7.0 server announces (drivers refuse servers older than they support).
const MAX_WIRE_VERSION: i32 = 21;

/// One message as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub request_id: i32,
    pub op_code: i32,
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
    let mut body = vec![0u8; length - 16];
    stream.read_exact(&mut body)?;
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
                    return Document::from_reader(&body[at..]).map_err(|e| e.to_string());
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
            Document::from_reader(body.get(query..).ok_or("truncated OP_QUERY")?)
                .map_err(|e| e.to_string())
        }
        other => Err(format!("unsupported opcode {other}")),
    }
}

fn read_i32(bytes: &[u8], at: usize) -> Result<i32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| i32::from_le_bytes(b.try_into().expect("4 bytes")))
        .ok_or_else(|| "truncated message".into())
}

/// The reply to `request` carrying `document`, in the form the request came in.
pub fn reply(request: &Message, response_id: i32, document: &Document) -> Vec<u8> {
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
pub fn answer(command: &Document, connection_id: i64) -> Document {
    let name = command.keys().next().map(String::as_str).unwrap_or("");
    match name.to_ascii_lowercase().as_str() {
        "hello" | "ismaster" => doc! {
            "helloOk": true,
            "ismaster": true,
            "isWritablePrimary": true,
            "maxBsonObjectSize": 16_777_216,
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

    /// Found by review: a negative section size wrapped the OP_MSG walk (a panic in debug
    /// builds, an endless loop in release), and a 3-byte OP_QUERY body panicked.
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
