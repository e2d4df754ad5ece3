//! Integration tests of the `pkigen` binary: one test target (`cargo test --test it`).
//! Every test runs the real binary into its own temporary folder, so tests run in parallel.

mod bad_input;
mod cli;
mod determinism;
mod openssl;
mod util;
