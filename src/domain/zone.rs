//! A survey's time zone: the days, weeks (Monday first) and months of its reports are
//! local to it, so a response at 06:00 in Hà Nội counts on that day (`measurement.md`,
//! "Local days"). The conversion uses the IANA database bundled with `jiff`.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::report::{civil_from_days, days_from_civil};

/// The zone a survey gets unless its author picks another.
pub const DEFAULT_ZONE: &str = "Asia/Ho_Chi_Minh";

/// A named IANA time zone.
#[derive(Clone, Debug)]
pub struct SurveyZone {
    name: String,
    tz: TimeZone,
}

impl PartialEq for SurveyZone {
    fn eq(&self, other: &SurveyZone) -> bool {
        self.name == other.name
    }
}

impl Default for SurveyZone {
    fn default() -> SurveyZone {
        SurveyZone::parse(DEFAULT_ZONE).expect("the bundled database has Asia/Ho_Chi_Minh")
    }
}

impl SurveyZone {
    /// The zone named `name` ("Asia/Ho_Chi_Minh", "Europe/Paris", "UTC"), if it exists.
    pub fn parse(name: &str) -> Option<SurveyZone> {
        let tz = TimeZone::get(name.trim()).ok()?;
        Some(SurveyZone {
            name: name.trim().to_string(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local day (days since 1970-01-01) of a Unix-millisecond instant.
    pub fn day_of(&self, ms: i64) -> i64 {
        let Ok(at) = Timestamp::from_millisecond(ms) else {
            // Outside jiff's range (years beyond ±9999): only a forged value gets here.
            return super::report::day_of(ms);
        };
        let date = at.to_zoned(self.tz.clone()).date();
        days_from_civil(
            i64::from(date.year()),
            date.month() as u32,
            date.day() as u32,
        )
    }

    /// The instant (Unix milliseconds) the local day `day` starts.
    pub fn day_start_ms(&self, day: i64) -> i64 {
        let (y, m, d) = civil_from_days(day);
        let start = i16::try_from(y)
            .ok()
            .and_then(|y| jiff::civil::Date::new(y, m as i8, d as i8).ok())
            .and_then(|date| date.to_zoned(self.tz.clone()).ok());
        match start {
            Some(z) => z.timestamp().as_millisecond(),
            None => day * super::report::DAY_MS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{period_start, Period};

    fn ymd(day: i64) -> String {
        let (y, m, d) = civil_from_days(day);
        format!("{y:04}-{m:02}-{d:02}")
    }

    #[test]
    fn days_weeks_and_months_are_local_to_the_survey() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/stats_vectors.json")).unwrap();
        let case = &v["v2"]["local_days"];
        let zone = SurveyZone::parse(case["zone"].as_str().unwrap()).unwrap();
        for c in case["cases"].as_array().unwrap() {
            let utc = c["utc"].as_str().unwrap();
            let ms = utc.parse::<Timestamp>().unwrap().as_millisecond();
            let day = zone.day_of(ms);
            assert_eq!(ymd(day), c["local_day"], "{utc}");
            assert_eq!(
                ymd(period_start(day, Period::Week)),
                c["week_starts"],
                "{utc}"
            );
            assert_eq!(
                ymd(period_start(day, Period::Month)),
                c["month_starts"],
                "{utc}"
            );
            // The local day starts at local midnight, 17:00 UTC the day before.
            let start = zone.day_start_ms(day);
            assert!(start <= ms && ms < zone.day_start_ms(day + 1));
            assert_eq!(zone.day_of(start), day);
            assert_eq!(zone.day_of(start - 1), day - 1);
        }
    }

    #[test]
    fn a_response_at_six_in_the_morning_in_hanoi_counts_on_that_day() {
        let zone = SurveyZone::default();
        // 2026-11-30 06:00 in Hà Nội is 2026-11-29 23:00 UTC.
        let ms = "2026-11-29T23:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        assert_eq!(ymd(zone.day_of(ms)), "2026-11-30");
        assert_eq!(ymd(crate::domain::report::day_of(ms)), "2026-11-29");
        assert_eq!(
            SurveyZone::parse("UTC").unwrap().day_of(ms),
            crate::domain::report::day_of(ms)
        );
        assert!(SurveyZone::parse("Mars/Olympus_Mons").is_none());
    }
}
