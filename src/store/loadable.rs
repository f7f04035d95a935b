//! `Loadable<T>`: a piece of fetched data with the time it was fetched and its last error.

use chrono::{DateTime, Utc};

use crate::backend::BackendError;
use crate::domain::Incomplete;

/// Data from AWS as the UI sees it. Failed fetches keep the last good value, so a view shows
/// stale data with its age and the error, rather than going blank during an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Loadable<T> {
    /// The last value fetched successfully, if any.
    pub last_good: Option<T>,
    /// When `last_good` was fetched.
    pub fetched_at: Option<DateTime<Utc>>,
    /// True while a fetch is in flight.
    pub loading: bool,
    /// The error of the most recent fetch, cleared by the next success.
    pub error: Option<BackendError>,
    /// What the last value lacks, when it was fetched only in part.
    pub incomplete: Option<Incomplete>,
    /// After a failure: when the poller tries again.
    pub next_try: Option<DateTime<Utc>>,
}

/// The four states of DESIGN.md, derived from the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadState {
    Idle,
    Loading,
    Loaded,
    Failed,
}

impl<T> Default for Loadable<T> {
    fn default() -> Self {
        Loadable {
            last_good: None,
            fetched_at: None,
            loading: false,
            error: None,
            incomplete: None,
            next_try: None,
        }
    }
}

impl<T> Loadable<T> {
    pub fn state(&self) -> LoadState {
        if self.error.is_some() {
            LoadState::Failed
        } else if self.loading {
            LoadState::Loading
        } else if self.last_good.is_some() {
            LoadState::Loaded
        } else {
            LoadState::Idle
        }
    }

    pub fn value(&self) -> Option<&T> {
        self.last_good.as_ref()
    }

    pub fn start_loading(&mut self) {
        self.loading = true;
    }

    /// Records the outcome of a fetch: a success replaces the value and clears the error,
    /// a failure keeps the last good value.
    pub fn finish(&mut self, result: Result<T, BackendError>, at: DateTime<Utc>) {
        self.loading = false;
        self.next_try = None;
        match result {
            Ok(value) => {
                self.last_good = Some(value);
                self.fetched_at = Some(at);
                self.error = None;
                self.incomplete = None;
            }
            Err(error) => self.error = Some(error),
        }
    }

    /// The notes the poller adds after a fetch: what is missing, when it tries again.
    pub fn note(&mut self, note: &FetchNote) {
        match note {
            FetchNote::Incomplete(incomplete) => self.incomplete = Some(incomplete.clone()),
            FetchNote::NextTry(at) => self.next_try = Some(*at),
            // Kept by the store beside the value (`Store::list_rows`).
            FetchNote::Rows(_) => {}
        }
    }
}

/// What the poller says about a fetch besides its result.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchNote {
    /// The value is only part of the list.
    Incomplete(Incomplete),
    /// The fetch failed; the next try is then.
    NextTry(DateTime<Utc>),
    /// A big list's rows: which are not described yet, and each one's age.
    Rows(std::sync::Arc<super::list_rows::ListRows>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::ErrorKind;

    #[test]
    fn a_failure_keeps_the_last_good_value() {
        let t0 = DateTime::<Utc>::from_timestamp(1_000, 0).unwrap_or_default();
        let t1 = DateTime::<Utc>::from_timestamp(2_000, 0).unwrap_or_default();
        let mut l: Loadable<u32> = Loadable::default();
        assert_eq!(l.state(), LoadState::Idle);
        l.start_loading();
        assert_eq!(l.state(), LoadState::Loading);
        l.finish(Ok(7), t0);
        assert_eq!(l.state(), LoadState::Loaded);
        l.finish(
            Err(BackendError::new(
                ErrorKind::Throttled,
                "ListTasks",
                "Rate exceeded",
            )),
            t1,
        );
        assert_eq!(l.state(), LoadState::Failed);
        assert_eq!(l.value(), Some(&7));
        assert_eq!(l.fetched_at, Some(t0));
        l.finish(Ok(8), t1);
        assert_eq!(l.state(), LoadState::Loaded);
        assert_eq!(l.error, None);
    }
}
