//! The legal clock of a rights request (DPA 2018 s.54): one calendar month
//! from the later of receipt and proof of identity, extendable by up to two
//! further months by a reasoned notice given inside the first month, and
//! paused while the controller waits for clarification it needs.

use chrono::{Months, NaiveDate};

/// One day less than `n` calendar months after `start`, as the Commissioner
/// counts ("received on 3 March, due on 3 April"): the same date `n`
/// months on, or the month's last day where that month is shorter (31
/// January → the last day of February).
pub fn months_after(start: NaiveDate, n: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// What the clock needs to know about a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockFacts {
    pub received_on: Option<NaiveDate>,
    pub identity_proved_on: Option<NaiveDate>,
    /// Further months (0 to 2) given by a notice recorded in time.
    pub extension_months: u32,
    /// Days the clock stood still in pauses already ended.
    pub paused_days: i64,
    /// Waiting for clarification since this day, if it is waiting now.
    pub paused_since: Option<NaiveDate>,
}

/// Where the clock stands on a given day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockReading {
    /// The day the month started to run, once identity is proved.
    pub starts_on: Option<NaiveDate>,
    /// The day the response is due, with the extension and the pauses.
    pub due_on: Option<NaiveDate>,
    /// The last day an extension may still be given (end of the first month).
    pub extension_deadline: Option<NaiveDate>,
    /// Days left counting today as used; negative when overdue. While
    /// paused, the days that were left when the pause began.
    pub days_left: Option<i64>,
    pub paused: bool,
}

impl ClockFacts {
    pub fn starts_on(&self) -> Option<NaiveDate> {
        match (self.received_on, self.identity_proved_on) {
            (Some(r), Some(i)) => Some(r.max(i)),
            _ => None,
        }
    }

    /// The end of the first month, pauses included: the last day a notice
    /// of extension may be given.
    pub fn first_month_ends(&self) -> Option<NaiveDate> {
        let start = self.starts_on()?;
        Some(months_after(start, 1) + chrono::Duration::days(self.paused_days))
    }

    pub fn read(&self, today: NaiveDate) -> ClockReading {
        let starts_on = self.starts_on();
        let due_on = starts_on.map(|s| {
            let due = months_after(s, 1 + self.extension_months.min(2));
            let paused_now = self
                .paused_since
                .map(|p| (today - p).num_days().max(0))
                .unwrap_or(0);
            due + chrono::Duration::days(self.paused_days + paused_now)
        });
        let days_left = due_on.map(|due| match self.paused_since {
            // Frozen at what was left on the day the pause began.
            Some(p) => (due - chrono::Duration::days((today - p).num_days().max(0)) - p).num_days(),
            None => (due - today).num_days(),
        });
        ClockReading {
            starts_on,
            due_on,
            extension_deadline: self.first_month_ends(),
            days_left,
            paused: self.paused_since.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(received: NaiveDate) -> ClockFacts {
        ClockFacts {
            received_on: Some(received),
            identity_proved_on: Some(received),
            ..ClockFacts::default()
        }
    }

    #[test]
    fn a_month_runs_to_the_same_date_or_the_last_day_of_a_shorter_month() {
        assert_eq!(
            facts(d(2027, 1, 31)).read(d(2027, 2, 1)).due_on,
            Some(d(2027, 2, 28))
        );
        assert_eq!(
            facts(d(2028, 1, 31)).read(d(2028, 2, 1)).due_on,
            Some(d(2028, 2, 29))
        );
        assert_eq!(
            facts(d(2027, 3, 3)).read(d(2027, 3, 3)).due_on,
            Some(d(2027, 4, 3))
        );
        assert_eq!(
            facts(d(2026, 12, 15)).read(d(2026, 12, 15)).due_on,
            Some(d(2027, 1, 15))
        );
        assert_eq!(
            facts(d(2027, 3, 31)).read(d(2027, 4, 1)).due_on,
            Some(d(2027, 4, 30))
        );
    }

    #[test]
    fn the_clock_starts_at_the_later_of_receipt_and_proof_of_identity() {
        let mut f = facts(d(2027, 1, 10));
        f.identity_proved_on = Some(d(2027, 1, 20));
        assert_eq!(f.read(d(2027, 1, 21)).due_on, Some(d(2027, 2, 20)));
        f.identity_proved_on = None;
        let r = f.read(d(2027, 1, 21));
        assert_eq!((r.starts_on, r.due_on, r.days_left), (None, None, None));
    }

    #[test]
    fn an_extension_adds_up_to_two_months_three_in_all_from_the_start() {
        let mut f = facts(d(2027, 1, 31));
        f.extension_months = 1;
        assert_eq!(f.read(d(2027, 2, 1)).due_on, Some(d(2027, 3, 31)));
        f.extension_months = 2;
        assert_eq!(f.read(d(2027, 2, 1)).due_on, Some(d(2027, 4, 30)));
        f.extension_months = 5;
        assert_eq!(
            f.read(d(2027, 2, 1)).due_on,
            Some(d(2027, 4, 30)),
            "never more than two"
        );
        assert_eq!(f.first_month_ends(), Some(d(2027, 2, 28)));
    }

    #[test]
    fn a_pause_stops_the_clock_and_resuming_keeps_the_days_used() {
        let mut f = facts(d(2027, 3, 1));
        assert_eq!(f.read(d(2027, 3, 11)).days_left, Some(21));
        // Waiting for clarification from the 11th: the days left stand still.
        f.paused_since = Some(d(2027, 3, 11));
        let r = f.read(d(2027, 3, 25));
        assert!(r.paused);
        assert_eq!(r.days_left, Some(21));
        assert_eq!(
            r.due_on,
            Some(d(2027, 4, 15)),
            "moves on with each day paused"
        );
        // Resumed on the 25th after 14 days: the due date moves 14 days.
        f.paused_since = None;
        f.paused_days = 14;
        let r = f.read(d(2027, 3, 25));
        assert_eq!(r.due_on, Some(d(2027, 4, 15)));
        assert_eq!(r.days_left, Some(21));
        assert_eq!(f.first_month_ends(), Some(d(2027, 4, 15)));
    }

    #[test]
    fn a_request_past_its_date_has_negative_days_left() {
        assert_eq!(facts(d(2027, 1, 1)).read(d(2027, 2, 4)).days_left, Some(-3));
    }
}
