//! OCSP over HTTP (RFC 6960 Appendix A), what the responder and `fetch` agree on: the media
//! types of the two messages and how large either may be.

/// The largest OCSP request the responder reads and the largest response `fetch` accepts.
pub(crate) const MAX_MESSAGE: usize = 64 * 1024;
/// The Content-Type of the request `fetch` POSTs.
#[cfg_attr(not(feature = "validate"), allow(dead_code))]
pub(crate) const OCSP_REQUEST_TYPE: &str = "application/ocsp-request";
/// The Content-Type of an answer: the responder sends it, `fetch` requires it.
pub(crate) const OCSP_RESPONSE_TYPE: &str = "application/ocsp-response";
