//! Certificate serial numbers: what a CRL or an OCSP response names a certificate by, so
//! callers keep them beside the certificates they issue.

use std::fmt;

/// A certificate serial number, as the big-endian bytes of a positive integer.
///
/// Written into a certificate as a DER INTEGER: leading zero bytes are dropped, and a zero
/// byte goes in front when the first bit is set (`80 01 fe` is written `00 80 01 fe`), so
/// every serial is positive, as RFC 5280 §4.1.2.2 asks.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Serial(Vec<u8>);

impl Serial {
    /// The serial whose big-endian bytes are `bytes`, as given.
    pub fn from_bytes(bytes: &[u8]) -> Serial {
        Serial(bytes.to_vec())
    }

    /// A fresh 16-byte serial from the operating system's random source, with the same
    /// shape as a seeded one (see [`Seed::serial`](crate::Seed::serial)).
    pub fn random() -> Serial {
        Serial::sixteen_bytes(rand::random())
    }

    /// The first 16 bytes of `entropy` with the sign bit cleared and the next one set, so
    /// the DER encoding is always exactly 16 bytes long with no leading zero.
    pub(crate) fn sixteen_bytes(entropy: [u8; 32]) -> Serial {
        let mut bytes = entropy[..16].to_vec();
        bytes[0] = (bytes[0] & 0x7f) | 0x40;
        Serial(bytes)
    }

    /// The bytes as given.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes as given, owned.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.clone()
    }

    pub(crate) fn to_rcgen(&self) -> rcgen::SerialNumber {
        rcgen::SerialNumber::from_slice(&self.0)
    }
}

impl From<u64> for Serial {
    /// The number's eight big-endian bytes; DER drops the leading zeros.
    fn from(n: u64) -> Serial {
        Serial(n.to_be_bytes().to_vec())
    }
}

/// Colon-separated hex, as OpenSSL and x509-parser print serials.
impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Serial({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_serials_are_positive_sixteen_bytes_and_differ() {
        let (a, b) = (Serial::random(), Serial::random());
        assert_ne!(a, b);
        for serial in [a, b] {
            assert_eq!(serial.as_bytes().len(), 16);
            assert_eq!(serial.as_bytes()[0] & 0xc0, 0x40);
        }
    }

    #[test]
    fn display_is_colon_separated_hex() {
        assert_eq!(
            Serial::from_bytes(&[0x80, 0x01, 0xfe]).to_string(),
            "80:01:fe"
        );
        assert_eq!(
            Serial::from(0x42u64).as_bytes(),
            [0, 0, 0, 0, 0, 0, 0, 0x42]
        );
    }
}
