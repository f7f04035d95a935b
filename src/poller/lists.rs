//! Big lists kept fresh row by row: a cluster's services, a cluster's tasks.
//!
//! Fetching a 5,000-service cluster whole every 5 s would cost 550 calls a refresh, one after
//! another, and show nothing until the last one. Instead each list resource has a
//! [`ListSync`]:
//! - its ARNs are listed page by page, at once when the view opens and then every
//!   `refresh.lists` (30 s); each page's rows appear (as placeholders) as soon as it arrives;
//! - the rows on screen are described first, and again every `refresh.services` /
//!   `refresh.tasks`;
//! - rows never described are filled in behind them, a few calls in flight at a time
//!   (`[budget] in_flight`), always leaving one for the screen;
//! - the rest are re-described every `refresh.offscreen` (60 s), one call at a time, at the
//!   budget's background priority (the idle rate: what the screen leaves).
//!
//! Every call takes its token from the session's budget (`backend::budget`) at the priority
//! of its purpose. A row removed from the list disappears only once a whole listing has
//! been read without it; a row seen on two pages while the fleet moves is kept once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::backend::budget::Priority;
use crate::backend::fetch::{self, Fetched, Unreadable};
use crate::backend::{
    Backend, BackendError, DESCRIBE_SERVICES_MAX, DESCRIBE_TASKS_MAX, Page, TaskFilter,
};
use crate::config::RefreshIntervals;
use crate::domain::Incomplete;
use crate::domain::ecs::{Service, Task};
use crate::msg::Msg;
use crate::store::list_rows::{ListRows, VisibleRows, row_key};
use crate::store::{FetchNote, Payload, PollEntry, Resource};

/// Fill-in results are sent to the UI at most this often (each send clones the list);
/// what the screen asked for is sent at once.
const SEND_EVERY: Duration = Duration::from_millis(250);

/// The resources synced row by row.
pub(super) fn is_list(resource: &Resource) -> bool {
    matches!(resource, Resource::Services { .. } | Resource::Tasks { .. })
}

/// One call a list needs, and at which priority it waits for its token.
#[derive(Debug)]
pub(super) struct Job {
    pub resource: Resource,
    pub work: Work,
    pub priority: Priority,
    /// The sync's generation when the job started: an answer to a sync that was parked
    /// since (and perhaps brought back) is dropped.
    generation: u64,
}

#[derive(Debug)]
pub(super) enum Work {
    /// One page of ListServices / ListTasks.
    Page(Option<String>),
    /// DescribeServices / DescribeTasks of these ARNs (one call's worth); an unreadable
    /// answer is split to find the bad records only while the list is not failing.
    Describe {
        arns: Vec<String>,
        unreadable: Unreadable,
    },
}

/// A job's answer.
pub(super) enum Done {
    Page(Result<Page, BackendError>),
    Services(Result<Fetched<Service>, BackendError>),
    Tasks(Result<Fetched<Task>, BackendError>),
}

/// Makes a job's call, budgeted at its priority.
pub(super) async fn run(backend: Arc<dyn Backend>, job: Job) -> (Job, Done) {
    let backend = backend.as_ref();
    let call = async {
        match (&job.resource, &job.work) {
            (Resource::Services { cluster }, Work::Page(token)) => {
                Done::Page(backend.list_services(cluster, token.clone()).await)
            }
            (Resource::Tasks { cluster, filter }, Work::Page(token)) => {
                Done::Page(backend.list_tasks(cluster, filter, token.clone()).await)
            }
            (Resource::Services { cluster }, Work::Describe { arns, unreadable }) => {
                Done::Services(fetch::describe_services(backend, cluster, arns, *unreadable).await)
            }
            (Resource::Tasks { cluster, .. }, Work::Describe { arns, unreadable }) => {
                Done::Tasks(fetch::describe_tasks(backend, cluster, arns, *unreadable).await)
            }
            _ => Done::Page(Err(not_a_list())),
        }
    };
    let done = crate::backend::budget::with_priority(job.priority, call).await;
    (job, done)
}

fn not_a_list() -> BackendError {
    BackendError::new(
        crate::backend::ErrorKind::Other,
        "internal",
        "not a list resource",
    )
}

/// Every focused list's sync.
pub(super) struct Lists {
    intervals: RefreshIntervals,
    syncs: HashMap<Resource, ListSync>,
    /// Lists that left the focus lately, kept with their rows and ages: going back to a
    /// view shows its rows at once and re-describes only what is stale, instead of
    /// starting from names again.
    parked: HashMap<Resource, (Instant, ListSync)>,
}

/// How long a list that left the focus is kept.
const PARKED_FOR: Duration = Duration::from_secs(300);

impl Lists {
    pub fn new(intervals: RefreshIntervals) -> Lists {
        Lists {
            intervals,
            syncs: HashMap::new(),
            parked: HashMap::new(),
        }
    }

    /// Keeps exactly the focused lists; a list that leaves the focus forgets its rows (the
    /// store keeps what was shown), and its answers still in flight are dropped.
    pub fn set_focus(&mut self, wanted: &[Resource], now: Instant) {
        let leaving: Vec<Resource> = (self.syncs.keys())
            .filter(|r| !wanted.contains(r))
            .cloned()
            .collect();
        for resource in leaving {
            if let Some(mut sync) = self.syncs.remove(&resource) {
                sync.park();
                self.parked.insert(resource, (now, sync));
            }
        }
        self.parked.retain(|_, (at, _)| *at + PARKED_FOR > now);
        for resource in wanted.iter().filter(|r| is_list(r)) {
            if !self.syncs.contains_key(resource) {
                let sync = match self.parked.remove(resource) {
                    Some((_, mut sync)) => {
                        // The store may hold something older: send what the list knows.
                        sync.unsent = true;
                        sync
                    }
                    None => ListSync::new(resource.clone(), &self.intervals),
                };
                self.syncs.insert(resource.clone(), sync);
            }
        }
    }

    /// The calls due now. `visible`: row keys on screen, per list.
    pub fn due(&mut self, now: Instant, visible: &VisibleRows) -> Vec<Job> {
        let none = HashSet::new();
        (self.syncs.values_mut())
            .flat_map(|sync| {
                let keys = visible.get(&sync.resource).unwrap_or(&none);
                sync.due(now, keys)
            })
            .collect()
    }

    /// When the next call or send is due (None: only an answer can change anything).
    pub fn next_wake(&self, now: Instant, visible: &VisibleRows) -> Option<Instant> {
        let none = HashSet::new();
        (self.syncs.values())
            .filter_map(|sync| sync.next_wake(now, visible.get(&sync.resource).unwrap_or(&none)))
            .min()
    }

    /// Takes a job's answer; returns what to tell the UI.
    pub fn finished(&mut self, job: Job, done: Done, now: Instant) -> Vec<Msg> {
        match self.syncs.get_mut(&job.resource) {
            Some(sync) if sync.generation == job.generation => sync.finished(job, done, now),
            _ => Vec::new(),
        }
    }

    /// Coalesced fill-in results whose time has come.
    pub fn flush(&mut self, now: Instant) -> Vec<Msg> {
        (self.syncs.values_mut())
            .filter_map(|sync| sync.take_update(now, false))
            .flatten()
            .collect()
    }

    /// `ctrl-r`: every row and the listing are due now.
    pub fn refresh_all(&mut self) {
        for sync in self.syncs.values_mut() {
            sync.refresh_all();
        }
    }

    /// The `:budget` lines of the lists.
    pub fn report(&self, now: Instant) -> Vec<PollEntry> {
        (self.syncs.values()).map(|s| s.report(now)).collect()
    }
}

/// Wall time for the poller's instants, anchored once: rows' ages are measured on tokio's
/// clock (paused in tests) and shown as wall time, and the two must agree.
struct Clock {
    wall: DateTime<Utc>,
    at: Instant,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Utc::now(),
            at: Instant::now(),
        }
    }

    fn wall(&self, at: Instant) -> DateTime<Utc> {
        let since = at.saturating_duration_since(self.at);
        self.wall + chrono::Duration::from_std(since).unwrap_or_default()
    }
}

/// One row of a list: its key and when it was last described.
#[derive(Debug, Clone)]
struct Row {
    key: String,
    described_at: Option<Instant>,
    in_flight: bool,
    /// After a failed describe: not before then.
    retry_at: Option<Instant>,
}

/// A listing in progress: the ARNs seen so far and the next page's token.
#[derive(Debug, Default)]
struct Listing {
    seen: HashSet<String>,
    next_token: Option<String>,
}

/// One list resource kept fresh row by row (see the module doc).
pub(super) struct ListSync {
    resource: Resource,
    /// On-screen rows are re-described this often.
    fresh: Duration,
    offscreen: Duration,
    relist: Duration,
    in_flight_max: usize,
    batch: usize,
    rows: HashMap<String, Row>,
    services: HashMap<String, Service>,
    tasks: HashMap<String, Task>,
    listing: Option<Listing>,
    next_listing: Option<Instant>,
    listed_once: bool,
    page_in_flight: bool,
    /// Describe calls in flight for the screen, and for filling in and background refresh:
    /// counted apart, so the screen always has slots of its own.
    screen_in_flight: usize,
    behind_in_flight: usize,
    background_in_flight: bool,
    /// Background describes since the last page of a listing (they take turns).
    background_since_page: usize,
    incomplete: Option<Incomplete>,
    unsent: bool,
    last_sent: Option<Instant>,
    failures: u32,
    /// `ctrl-r`: rows described before then are stale whatever their interval.
    forced_at: Option<Instant>,
    clock: Clock,
    /// A short first listing's names wait until then for their first describes.
    hold_until: Option<Instant>,
    /// Bumped when the list leaves the focus (see `Job::generation`).
    generation: u64,
}

impl ListSync {
    fn new(resource: Resource, intervals: &RefreshIntervals) -> ListSync {
        let (fresh, batch) = match &resource {
            Resource::Tasks { .. } => (intervals.tasks, DESCRIBE_TASKS_MAX),
            _ => (intervals.services, DESCRIBE_SERVICES_MAX),
        };
        ListSync {
            resource,
            fresh,
            offscreen: intervals.offscreen.max(fresh),
            relist: intervals.lists.max(fresh),
            in_flight_max: intervals.in_flight.max(1),
            batch,
            rows: HashMap::new(),
            services: HashMap::new(),
            tasks: HashMap::new(),
            listing: None,
            next_listing: None,
            listed_once: false,
            page_in_flight: false,
            screen_in_flight: 0,
            behind_in_flight: 0,
            background_in_flight: false,
            background_since_page: 0,
            incomplete: None,
            unsent: false,
            last_sent: None,
            failures: 0,
            forced_at: None,
            clock: Clock::start(),
            hold_until: None,
            generation: 0,
        }
    }

    fn job(&self, work: Work, priority: Priority) -> Job {
        Job {
            resource: self.resource.clone(),
            work,
            priority,
            generation: self.generation,
        }
    }

    /// Leaves the focus: nothing is in flight any more (answers still coming are dropped),
    /// and a listing under way starts again when the list comes back.
    fn park(&mut self) {
        self.generation += 1;
        self.page_in_flight = false;
        self.listing = None;
        self.screen_in_flight = 0;
        self.behind_in_flight = 0;
        self.background_in_flight = false;
        for row in self.rows.values_mut() {
            row.in_flight = false;
        }
    }

    /// Describe calls filling in and background refresh may have in flight together.
    fn behind_slots(&self) -> usize {
        self.in_flight_max.saturating_sub(1).max(1)
    }

    fn due(&mut self, now: Instant, visible: &HashSet<String>) -> Vec<Job> {
        let mut jobs = Vec::new();
        if let Some(job) = self.due_page(now) {
            jobs.push(job);
        }
        // The rows on screen that are stale, then the ones never described, then one batch
        // of the stalest off screen.
        let on_screen = self.pick(now, |row| {
            visible.contains(&row.key) && self.stale(row, self.fresh, now)
        });
        jobs.extend(self.take(on_screen, Priority::OnScreen));
        // Until the first listing is complete its pages have the budget: the full list
        // first, then the rows behind the screen.
        if !self.listed_once {
            return jobs;
        }
        let never = self.pick(now, |row| row.described_at.is_none());
        jobs.extend(self.take(never, Priority::Fill));
        // Re-listing and off-screen refresh share the idle rate turn about: a 5,000-row list
        // would otherwise see new rows only after every old one was refreshed, or never
        // refresh an old one while it re-lists.
        let listing_waits = self.listing.is_some() && self.background_since_page > 0;
        if !self.background_in_flight && !listing_waits {
            let mut stale = self.pick(now, |row| {
                row.described_at.is_some() && self.stale(row, self.offscreen, now)
            });
            stale.sort_by_key(|arn| self.rows.get(arn).and_then(|r| r.described_at));
            stale.truncate(self.batch);
            let background = self.take(stale, Priority::Background);
            self.background_in_flight = !background.is_empty();
            self.background_since_page += background.len();
            jobs.extend(background);
        }
        jobs
    }

    /// The next page of the listing, or a new listing when one is due.
    fn due_page(&mut self, now: Instant) -> Option<Job> {
        if self.page_in_flight {
            return None;
        }
        let priority = if self.listed_once {
            Priority::Background
        } else {
            Priority::OnScreen
        };
        let token = match &self.listing {
            Some(listing) => listing.next_token.clone()?,
            None if self.next_listing.is_none_or(|t| t <= now) => {
                self.listing = Some(Listing::default());
                self.page_in_flight = true;
                return Some(self.job(Work::Page(None), priority));
            }
            None => return None,
        };
        self.page_in_flight = true;
        Some(self.job(Work::Page(Some(token)), priority))
    }

    /// After a failure: the interval plus up to 10 % (as `Schedule` does), so several
    /// dashboards failing together do not retry in step; never sooner than the interval.
    fn jittered(&self, interval: Duration) -> Duration {
        let spread = super::schedule::jitter(&self.resource, self.failures);
        interval.mul_f64(1.0 + super::schedule::ERROR_JITTER * spread)
    }

    /// Never described, described more than `every` ago, or before a `ctrl-r`.
    fn stale(&self, row: &Row, every: Duration, now: Instant) -> bool {
        match row.described_at {
            None => true,
            Some(at) => at + every <= now || self.forced_at.is_some_and(|f| at <= f),
        }
    }

    /// ARNs of rows not in flight, past any retry wait, that `wanted` selects, by key.
    fn pick(&self, now: Instant, wanted: impl Fn(&Row) -> bool) -> Vec<String> {
        let mut arns: Vec<(&String, &Row)> = (self.rows.iter())
            .filter(|(_, row)| !row.in_flight && row.retry_at.is_none_or(|t| t <= now))
            .filter(|(_, row)| wanted(row))
            .collect();
        arns.sort_by(|a, b| a.1.key.cmp(&b.1.key));
        arns.into_iter().map(|(arn, _)| arn.clone()).collect()
    }

    /// Turns ARNs into describe calls while the priority's slots last.
    fn take(&mut self, arns: Vec<String>, priority: Priority) -> Vec<Job> {
        let mut jobs = Vec::new();
        for chunk in arns.chunks(self.batch) {
            let free = match priority {
                Priority::OnScreen => self.screen_in_flight < self.in_flight_max,
                _ => self.behind_in_flight < self.behind_slots(),
            };
            if !free {
                break;
            }
            for arn in chunk {
                if let Some(row) = self.rows.get_mut(arn) {
                    row.in_flight = true;
                }
            }
            match priority {
                Priority::OnScreen => self.screen_in_flight += 1,
                _ => self.behind_in_flight += 1,
            }
            let work = Work::Describe {
                arns: chunk.to_vec(),
                unreadable: match self.failures {
                    0 => Unreadable::Isolate,
                    _ => Unreadable::Fail,
                },
            };
            jobs.push(self.job(work, priority));
        }
        jobs
    }

    /// The earliest future moment something becomes due. What is due now and was not
    /// started waits for a free slot, which only an answer frees.
    fn next_wake(&self, now: Instant, visible: &HashSet<String>) -> Option<Instant> {
        let mut times: Vec<Instant> = Vec::new();
        if !self.page_in_flight && self.listing.is_none() {
            times.extend(self.next_listing);
        }
        if self.unsent {
            times.extend(self.last_sent.map(|t| t + SEND_EVERY));
            times.extend(self.hold_until);
        }
        for row in self.rows.values().filter(|r| !r.in_flight) {
            times.extend(row.retry_at);
            if let Some(at) = row.described_at {
                let every = if visible.contains(&row.key) {
                    self.fresh
                } else {
                    self.offscreen
                };
                times.push(at + every);
            }
        }
        times.into_iter().filter(|t| *t > now).min()
    }

    fn finished(&mut self, job: Job, done: Done, now: Instant) -> Vec<Msg> {
        let wall = self.clock.wall(now);
        let is_page = matches!(job.work, Work::Page(_));
        let first_listing = !self.listed_once;
        let on_screen = job.priority == Priority::OnScreen;
        let failed = match (job.work, done) {
            (Work::Page(_), Done::Page(result)) => self.page_done(result, now),
            (Work::Describe { arns, .. }, Done::Services(result)) => {
                let result = result.map(|f| {
                    (
                        f.items
                            .into_iter()
                            .map(|s| (s.service_arn.clone(), Described::Service(s)))
                            .collect(),
                        f.incomplete,
                    )
                });
                self.describe_done(&arns, result, job.priority, now)
            }
            (Work::Describe { arns, .. }, Done::Tasks(result)) => {
                let result = result.map(|f| {
                    (
                        f.items
                            .into_iter()
                            .map(|t| (t.task_arn.clone(), Described::Task(t)))
                            .collect(),
                        f.incomplete,
                    )
                });
                self.describe_done(&arns, result, job.priority, now)
            }
            _ => Some(not_a_list()),
        };
        // What the screen waits for goes at once: the rows it shows, the first rows at all,
        // the pages of a long first listing (names before descriptions). A listing that
        // fits one page waits briefly for its first describes, so a short list appears
        // described, not as names that fill in a moment later.
        let one_page = is_page && first_listing && self.listed_once && self.last_sent.is_none();
        if one_page {
            self.hold_until = Some(now + SEND_EVERY);
        }
        let urgent = match is_page {
            true => first_listing && !one_page,
            false => on_screen || self.last_sent.is_none(),
        };
        match failed {
            Some(error) => self.failure(error, wall),
            None => self.take_update(now, urgent).unwrap_or_default(),
        }
    }

    /// A page arrived: its rows join the list at once; the last page completes the listing
    /// (and only then are rows missing from it removed).
    fn page_done(
        &mut self,
        result: Result<Page, BackendError>,
        now: Instant,
    ) -> Option<BackendError> {
        self.page_in_flight = false;
        self.background_since_page = 0;
        let page = match result {
            Ok(page) => page,
            Err(e) => {
                self.listing = None;
                // Retried like any failed poll: the on-screen cadence before the first
                // listing, the listing's own after.
                let wait = if self.listed_once {
                    self.relist
                } else {
                    self.fresh
                };
                self.next_listing = Some(now + wait);
                return Some(e);
            }
        };
        let resource = self.resource.clone();
        for arn in &page.arns {
            self.rows.entry(arn.clone()).or_insert_with(|| Row {
                key: row_key(&resource, arn).to_string(),
                described_at: None,
                in_flight: false,
                retry_at: None,
            });
        }
        let listing = self.listing.as_mut()?;
        listing.seen.extend(page.arns);
        listing.next_token = page.next_token.filter(|t| !t.is_empty());
        self.unsent = true;
        if listing.next_token.is_none() {
            let seen = std::mem::take(&mut listing.seen);
            self.listing = None;
            self.rows.retain(|arn, _| seen.contains(arn));
            self.services.retain(|arn, _| seen.contains(arn));
            self.tasks.retain(|arn, _| seen.contains(arn));
            self.listed_once = true;
            self.next_listing = Some(now + self.relist);
        }
        self.failures = 0;
        None
    }

    fn describe_done(
        &mut self,
        asked: &[String],
        result: Result<DescribedBatch, BackendError>,
        priority: Priority,
        now: Instant,
    ) -> Option<BackendError> {
        match priority {
            Priority::OnScreen => self.screen_in_flight = self.screen_in_flight.saturating_sub(1),
            _ => self.behind_in_flight = self.behind_in_flight.saturating_sub(1),
        }
        if priority == Priority::Background {
            self.background_in_flight = false;
        }
        let (items, incomplete) = match result {
            Ok(ok) => ok,
            Err(e) => {
                let retry_at = now + self.jittered(self.fresh);
                for arn in asked {
                    if let Some(row) = self.rows.get_mut(arn) {
                        row.in_flight = false;
                        row.retry_at = Some(retry_at);
                    }
                }
                return Some(e);
            }
        };
        // Every row asked for is done for now, described or not (one that AWS no longer
        // knows leaves with the next listing).
        for arn in asked {
            if let Some(row) = self.rows.get_mut(arn) {
                row.in_flight = false;
                row.retry_at = None;
                row.described_at = Some(now);
            }
        }
        for (arn, item) in items {
            // A row the listing dropped while its describe was in flight stays dropped.
            if !self.rows.contains_key(&arn) {
                continue;
            }
            match item {
                Described::Service(s) => {
                    self.services.insert(arn, s);
                }
                Described::Task(t) => {
                    self.tasks.insert(arn, t);
                }
            }
        }
        self.incomplete = incomplete;
        self.failures = 0;
        self.unsent = true;
        None
    }

    /// A failed call: the last good list stays; the UI hears the error and when the next
    /// try is (the screen's cadence: a fault never raises the request rate).
    fn failure(&mut self, error: BackendError, wall: DateTime<Utc>) -> Vec<Msg> {
        self.failures += 1;
        let next = chrono::Duration::from_std(self.fresh).unwrap_or_default();
        vec![
            Msg::Fetched {
                resource: self.resource.clone(),
                result: Err(error),
                at: wall,
            },
            Msg::FetchNote {
                resource: self.resource.clone(),
                note: FetchNote::NextTry(wall + next),
            },
        ]
    }

    /// The list as it stands, if there is something new to send and it is time (or
    /// `urgent`: the screen is waiting for it).
    fn take_update(&mut self, now: Instant, urgent: bool) -> Option<Vec<Msg>> {
        let held = self.hold_until.is_some_and(|h| h > now);
        let due = urgent || (!held && self.last_sent.is_none_or(|t| t + SEND_EVERY <= now));
        if !self.unsent || !due {
            return None;
        }
        self.unsent = false;
        self.hold_until = None;
        self.last_sent = Some(now);
        let payload = match &self.resource {
            Resource::Tasks { filter, .. } => Payload::Tasks(self.task_list(filter)),
            _ => {
                let mut services: Vec<Service> = self.services.values().cloned().collect();
                fetch::sort_services(&mut services);
                Payload::Services(services)
            }
        };
        let at = self.clock.wall(now);
        let mut msgs = vec![
            Msg::Fetched {
                resource: self.resource.clone(),
                result: Ok(payload),
                at,
            },
            Msg::FetchNote {
                resource: self.resource.clone(),
                note: FetchNote::Rows(Arc::new(self.rows_note())),
            },
        ];
        if let Some(incomplete) = &self.incomplete {
            msgs.push(Msg::FetchNote {
                resource: self.resource.clone(),
                note: FetchNote::Incomplete(incomplete.clone()),
            });
        }
        Some(msgs)
    }

    fn task_list(&self, filter: &TaskFilter) -> Vec<Task> {
        let mut tasks: Vec<Task> = self.tasks.values().cloned().collect();
        fetch::keep_tasks(filter, &mut tasks);
        tasks
    }

    fn rows_note(&self) -> ListRows {
        let mut undescribed: Vec<(&String, &Row)> = (self.rows.iter())
            .filter(|(_, r)| r.described_at.is_none())
            .collect();
        undescribed.sort_by(|a, b| a.1.key.cmp(&b.1.key));
        ListRows {
            undescribed: undescribed
                .into_iter()
                .map(|(arn, _)| arn.clone())
                .collect(),
            described_at: (self.rows.values())
                .filter_map(|r| Some((r.key.clone(), self.clock.wall(r.described_at?))))
                .collect(),
            listed: self.listed_once,
        }
    }

    fn refresh_all(&mut self) {
        self.forced_at = Some(Instant::now());
        for row in self.rows.values_mut() {
            row.retry_at = None;
        }
        if self.listing.is_none() {
            self.next_listing = None;
        }
    }

    fn report(&self, now: Instant) -> PollEntry {
        let described = self
            .rows
            .values()
            .filter(|r| r.described_at.is_some())
            .count();
        let oldest = (self.rows.values())
            .filter_map(|r| r.described_at)
            .min()
            .map(|at| now.saturating_duration_since(at));
        PollEntry {
            resource: self.resource.clone(),
            interval: self.fresh,
            note: format!(
                "{described}/{} described{}; off screen {}s; list {}s{}",
                self.rows.len(),
                oldest.map_or(String::new(), |d| format!(", oldest {}s", d.as_secs())),
                self.offscreen.as_secs(),
                self.relist.as_secs(),
                match (&self.listing, self.next_listing) {
                    (Some(_), _) => " (listing now)".to_string(),
                    (None, Some(t)) =>
                        format!(" (next {}s)", t.saturating_duration_since(now).as_secs()),
                    (None, None) => String::new(),
                },
            ),
            failures: self.failures,
            // Rows have their own due times; the note says when the list is next read.
            next_in: None,
        }
    }
}

/// One describe call's rows by ARN, and what it could not read.
type DescribedBatch = (Vec<(String, Described)>, Option<Incomplete>);

/// A described row of either kind.
enum Described {
    Service(Service),
    Task(Task),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Resource {
        Resource::Services {
            cluster: "big".into(),
        }
    }

    fn arn(i: usize) -> String {
        format!("arn:aws:ecs:eu-west-1:123456789012:service/big/svc-{i:04}")
    }

    fn page(range: std::ops::Range<usize>, next: Option<&str>) -> Done {
        Done::Page(Ok(Page {
            arns: range.map(arn).collect(),
            next_token: next.map(String::from),
        }))
    }

    fn described(job: &Job) -> Done {
        let Work::Describe { arns, .. } = &job.work else {
            panic!("not a describe: {job:?}");
        };
        let items = (arns.iter())
            .map(|a| Service {
                service_arn: a.clone(),
                service_name: a.rsplit('/').next().unwrap_or_default().to_string(),
                ..Service::default()
            })
            .collect();
        Done::Services(Ok(Fetched {
            items,
            incomplete: None,
        }))
    }

    fn keys(names: &[&str]) -> HashSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn sync() -> ListSync {
        ListSync::new(services(), &RefreshIntervals::default())
    }

    #[test]
    fn the_first_listing_comes_first_and_only_the_screen_is_described_meanwhile() {
        let mut s = sync();
        let now = Instant::now();
        let jobs = s.due(now, &HashSet::new());
        assert!(matches!(
            jobs.as_slice(),
            [Job {
                work: Work::Page(None),
                priority: Priority::OnScreen,
                ..
            }]
        ));
        let first = jobs.into_iter().next().unwrap_or_else(|| panic!("a page"));
        s.finished(first, page(0..100, Some("100")), now);
        // The next page, and the two rows on screen; nothing filled in behind them yet.
        let jobs = s.due(now, &keys(&["svc-0001", "svc-0002"]));
        assert_eq!(jobs.len(), 2, "{jobs:?}");
        assert!(matches!(jobs[0].work, Work::Page(Some(_))));
        assert!(matches!(&jobs[1].work, Work::Describe { arns, .. } if arns.len() == 2));
        assert_eq!(jobs[1].priority, Priority::OnScreen);
    }

    #[test]
    fn a_row_on_two_pages_is_kept_once_and_a_row_leaves_only_after_a_whole_listing() {
        let mut s = sync();
        let now = Instant::now();
        let start = s.due(now, &HashSet::new()).remove(0);
        s.finished(start, page(0..100, Some("100")), now);
        let next = s.due(now, &HashSet::new()).remove(0);
        // The fleet moved: the second page repeats ten rows of the first.
        s.finished(next, page(90..150, None), now);
        assert_eq!(s.rows.len(), 150);
        // The next listing lacks svc-0000; it stays until that listing is complete.
        let later = now + Duration::from_secs(31);
        let relist = s.due(later, &HashSet::new());
        let relist = relist
            .into_iter()
            .find(|j| matches!(j.work, Work::Page(None)));
        let relist = relist.unwrap_or_else(|| panic!("a relist after 30 s"));
        s.finished(relist, page(1..100, Some("100")), later);
        assert!(s.rows.contains_key(&arn(0)));
        let rest = s.due(later, &HashSet::new());
        let rest = rest
            .into_iter()
            .find(|j| matches!(j.work, Work::Page(Some(_))));
        s.finished(
            rest.unwrap_or_else(|| panic!("page 2")),
            page(100..150, None),
            later,
        );
        assert!(!s.rows.contains_key(&arn(0)));
        assert_eq!(s.rows.len(), 149);
    }

    #[test]
    fn off_screen_rows_are_refreshed_one_call_at_a_time_behind_the_screen() {
        let mut s = sync();
        let now = Instant::now();
        let start = s.due(now, &HashSet::new()).remove(0);
        s.finished(start, page(0..50, None), now);
        // Filling in: at most in_flight - 1 calls behind the screen.
        let fill = s.due(now, &HashSet::new());
        assert_eq!(fill.len(), 3, "{fill:?}");
        assert!(fill.iter().all(|j| j.priority == Priority::Fill));
        for job in fill {
            let done = described(&job);
            s.finished(job, done, now);
        }
        loop {
            let jobs = s.due(now, &HashSet::new());
            if jobs.is_empty() {
                break;
            }
            for job in jobs {
                let done = described(&job);
                s.finished(job, done, now);
            }
        }
        assert!(s.rows.values().all(|r| r.described_at.is_some()));
        // A minute later everything is stale: one background call, not five.
        let later = now + Duration::from_secs(61);
        let jobs = s.due(later, &keys(&["svc-0010"]));
        let background: Vec<&Job> = jobs
            .iter()
            .filter(|j| j.priority == Priority::Background)
            .collect();
        let on_screen: Vec<&Job> = jobs
            .iter()
            .filter(|j| j.priority == Priority::OnScreen)
            .collect();
        assert_eq!(on_screen.len(), 1);
        assert_eq!(
            background
                .iter()
                .filter(|j| matches!(j.work, Work::Describe { .. }))
                .count(),
            1
        );
    }

    #[test]
    fn a_list_that_comes_back_within_minutes_keeps_its_rows_and_drops_old_answers() {
        let mut lists = Lists::new(RefreshIntervals::default());
        let now = Instant::now();
        let none = VisibleRows::default();
        lists.set_focus(&[services()], now);
        let start = lists.due(now, &none).remove(0);
        lists.finished(start, page(0..5, None), now);
        let fill = lists.due(now, &none).remove(0);
        let done = described(&fill);
        lists.finished(fill, done, now);
        // Left for the clusters list while a describe was in flight, then back.
        let stale = Job {
            resource: services(),
            work: Work::Describe {
                arns: vec![arn(0)],
                unreadable: Unreadable::Isolate,
            },
            priority: Priority::OnScreen,
            generation: 0,
        };
        lists.set_focus(&[Resource::Clusters], now);
        let back = now + Duration::from_secs(10);
        lists.set_focus(&[services()], back);
        assert!(lists.finished(stale, page(0..1, None), back).is_empty());
        // The rows are there and fresh: nothing to call, the list sent as it stands.
        assert!(lists.due(back, &none).is_empty());
        let sent = lists.flush(back);
        assert!(
            sent.iter().any(|m| matches!(m, Msg::Fetched { result: Ok(Payload::Services(v)), .. } if v.len() == 5)),
            "{sent:?}"
        );
    }
}
