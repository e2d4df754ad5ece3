//! Integration tests: one test target (`cargo test --test it`). Every test runs the real
//! binary (or the library) into its own temporary folder, so tests run in parallel, and
//! judges the result with engines pkigen does not control: openssl, Python's ssl, PyMongo,
//! the Node.js driver.

mod bad_input;
mod bundle;
mod c;
mod c_classify;
mod c_corpus;
mod cli;
mod clock;
mod determinism;
mod divergences;
mod docs;
mod docs_c;
mod docs_node;
mod docs_rust;
mod driver_matrix;
mod driver_profiles;
mod features;
mod fuzz_corpus;
mod golden;
mod harness;
mod hostile_files;
mod hostile_output;
mod hostile_serve;
mod interop;
mod interop_c;
mod interop_node;
mod interop_rust;
mod key_types;
mod man;
mod mongod_files;
mod node;
mod node_corpus;
mod ocsp;
mod openssl;
mod policy_node;
mod policy_pymongo;
mod property;
mod pymongo_ssl;
mod python;
mod readme_drivers;
mod reliability;
mod rust_corpus;
mod rust_driver;
mod schemas;
mod serve_all;
mod translated_pages;
mod uri_corpus;
mod usage;
mod util;
