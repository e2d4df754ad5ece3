//! PEM in and out, with the line endings and wrapping OpenSSL writes (LF, 64 columns).

use crate::error::Error;
use std::path::Path;

/// One PEM block with OpenSSL's layout.
pub fn pem_block(tag: &str, der: &[u8]) -> String {
    encode_pem(&pem::Pem::new(tag, der.to_vec()))
}

/// `block` (headers included) with OpenSSL's layout: LF line endings, 64 columns.
pub(crate) fn encode_pem(block: &pem::Pem) -> String {
    let config = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    pem::encode_config(block, config)
}

/// Every PEM block in `bytes`, or an error naming `path` and what is wrong.
pub(crate) fn parse_pem_blocks(path: &Path, bytes: &[u8]) -> Result<Vec<pem::Pem>, Error> {
    let blocks = pem::parse_many(bytes).map_err(|e| {
        // The pem crate quotes the file's own tags and headers, which may hold anything.
        Error::bad_file(path, format!("corrupt PEM: {}", one_line(&e.to_string())))
    })?;
    if blocks.is_empty() {
        return Err(Error::bad_file(
            path,
            "corrupt PEM: no complete BEGIN/END block (truncated file?)",
        ));
    }
    Ok(blocks)
}

/// The contents of every `tag` block in the PEM file `bytes`, in order; an error naming
/// `path` and saying `none` when there is no such block. Other blocks are skipped.
#[cfg_attr(not(feature = "validate"), allow(dead_code))]
pub(crate) fn pem_contents(
    path: &Path,
    bytes: &[u8],
    tag: &str,
    none: &str,
) -> Result<Vec<Vec<u8>>, Error> {
    let contents: Vec<Vec<u8>> = parse_pem_blocks(path, bytes)?
        .into_iter()
        .filter(|b| b.tag() == tag)
        .map(pem::Pem::into_contents)
        .collect();
    if contents.is_empty() {
        return Err(Error::bad_file(path, none));
    }
    Ok(contents)
}

/// Whether `bytes` look like PEM text rather than DER.
pub(crate) fn looks_like_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// `text`, quoted from a file, made fit for a one-line message: control characters escaped
/// and at most 120 characters kept.
pub(crate) fn one_line(text: &str) -> String {
    const MAX: usize = 120;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
