//! The validation clock: the instant at which a handshake judges certificate, CRL and OCSP
//! times. Fixtures are made for a generation clock (`--now`); whether they still behave as
//! designed depends on the clock they are judged at, so every validation names its clock.

use crate::error::Error;
use rustls::pki_types::UnixTime;
use rustls::time_provider::TimeProvider;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Where a validation clock came from, as `report.json` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockSource {
    /// The manifest's `now`: the set proves its own design at its own clock.
    Generation,
    /// The machine's clock when validation started: what a driver sees today.
    System,
    /// A time given on the command line (`validate --at`).
    Given,
}

/// The instant handshakes are judged at, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationClock {
    pub at: OffsetDateTime,
    pub source: ClockSource,
}

impl ValidationClock {
    /// The machine's clock, read once: every case of a run is judged at the same instant.
    pub fn system() -> ValidationClock {
        ValidationClock {
            at: whole_seconds(OffsetDateTime::now_utc()),
            source: ClockSource::System,
        }
    }

    /// The clock a set of fixtures was made for: its manifest's `now` (RFC 3339).
    pub fn generation(generated_at: &str) -> Result<ValidationClock, Error> {
        let at = OffsetDateTime::parse(generated_at, &Rfc3339).map_err(|e| Error::BadTime {
            value: generated_at.to_string(),
            problem: format!("manifest 'now': {e}"),
        })?;
        Ok(ValidationClock {
            at: whole_seconds(at.to_offset(time::UtcOffset::UTC)),
            source: ClockSource::Generation,
        })
    }

    /// The clock as rustls asks for it: fixed, so a case is judged at this instant whenever
    /// its handshake runs.
    pub fn time_provider(&self) -> Arc<dyn TimeProvider> {
        Arc::new(FixedTime(UnixTime::since_unix_epoch(
            std::time::Duration::from_secs(self.unix_seconds()),
        )))
    }

    fn unix_seconds(&self) -> u64 {
        // `ClockChoice` refuses instants before the epoch and manifests hold none.
        u64::try_from(self.at.unix_timestamp()).unwrap_or(0)
    }

    /// RFC 3339, as `report.json` records it.
    pub fn rfc3339(&self) -> String {
        rfc3339(self.at)
    }

    /// Which clock this is, in words, for the line that says what a run was judged at.
    pub fn describe(&self) -> &'static str {
        describe(self.source)
    }
}

/// A clock source in words.
pub fn describe(source: ClockSource) -> &'static str {
    match source {
        ClockSource::Generation => "the fixtures' generation clock",
        ClockSource::System => "the system clock",
        ClockSource::Given => "given with --at",
    }
}

/// `t` without its fraction of a second: certificate times and `report.json` count whole
/// seconds.
pub fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).expect("zero nanoseconds is valid")
}

/// A time as RFC 3339 (every `OffsetDateTime` with a four-digit year formats; others fall
/// back to the `time` crate's own notation rather than fail).
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A rustls time provider that always answers the same instant.
#[derive(Debug)]
struct FixedTime(UnixTime);

impl TimeProvider for FixedTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

/// The clock asked for on the command line; `Generation` is resolved per scenario folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChoice {
    /// Each folder at its manifest's `now`.
    Generation,
    /// Every folder at this one clock.
    Fixed(ValidationClock),
}

impl ClockChoice {
    /// `generation`, `now` (the system clock) or an RFC 3339 time from 1970 on.
    pub fn parse(value: &str) -> Result<ClockChoice, Error> {
        match value {
            "generation" => return Ok(ClockChoice::Generation),
            "now" => return Ok(ClockChoice::Fixed(ValidationClock::system())),
            _ => {}
        }
        let at = OffsetDateTime::parse(value, &Rfc3339).map_err(|e| Error::BadTime {
            value: value.to_string(),
            problem: format!("{e}; --at also takes `generation` or `now`"),
        })?;
        let at = whole_seconds(at.to_offset(time::UtcOffset::UTC));
        if at < OffsetDateTime::UNIX_EPOCH {
            return Err(Error::ClockBeforeEpoch {
                value: value.to_string(),
            });
        }
        Ok(ClockChoice::Fixed(ValidationClock {
            at,
            source: ClockSource::Given,
        }))
    }

    /// The clock to validate a set made at `generated_at` (its manifest's `now`) at.
    pub fn for_set_made_at(&self, generated_at: &str) -> Result<ValidationClock, Error> {
        match self {
            ClockChoice::Generation => ValidationClock::generation(generated_at),
            ClockChoice::Fixed(clock) => Ok(*clock),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_time_is_read_in_utc_to_the_second() {
        let ClockChoice::Fixed(clock) = ClockChoice::parse("2030-06-01T02:00:00.75+02:00").unwrap()
        else {
            panic!("a time is a fixed clock");
        };
        assert_eq!(clock.rfc3339(), "2030-06-01T00:00:00Z");
        assert_eq!(clock.source, ClockSource::Given);
        assert_eq!(
            clock.time_provider().current_time(),
            Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
                1_906_502_400
            )))
        );
    }

    #[test]
    fn words_and_times_before_the_epoch() {
        assert_eq!(
            ClockChoice::parse("generation").unwrap(),
            ClockChoice::Generation
        );
        assert!(matches!(
            ClockChoice::parse("now").unwrap(),
            ClockChoice::Fixed(ValidationClock {
                source: ClockSource::System,
                ..
            })
        ));
        assert!(matches!(
            ClockChoice::parse("1969-12-31T23:59:59Z"),
            Err(Error::ClockBeforeEpoch { .. })
        ));
        assert!(matches!(
            ClockChoice::parse("yesterday"),
            Err(Error::BadTime { .. })
        ));
    }
}
