//! PyMongo's TLS connection options (placeholder; see the policy helper's work).
