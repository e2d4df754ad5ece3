//! The operating-system edge every layer above shares: bounded reads of regular files,
//! sockets with deadlines and a capped set of connections, and work spread over threads.

pub(crate) mod connections;
pub(crate) mod input;
pub(crate) mod parallel;
