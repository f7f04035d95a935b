//! The client's API budget: one token bucket per API family, shared by every poller, the log
//! tailer and every region's worker of one session, so ecsdeck as a whole stays under a
//! share of the account's quota however many views are open.
//!
//! AWS throttles per account and region with token buckets of its own (the ECS API
//! reference, "Request throttling for the Amazon ECS API": a burst and a sustained rate per
//! action category). Ten engineers with ecsdeck open during an incident must leave room for
//! the deploy that fixes it, so each family defaults to a quarter of AWS's sustained rate
//! ([`Family::aws_quota`], [`Family::default_limit`]).
//!
//! Who goes first when a bucket is short is the caller's [`Priority`], carried in a
//! task-local so the backend traits keep AWS's shape: on-screen work may take the last
//! tokens; filling in and background refresh leave a reserve for it. Background refresh also
//! draws on the *idle* budget, a slow bucket for all ECS reads (0.9 request/s by default) that
//! every ECS read is charged to: what the screen needs is never held back by it, and what
//! is off screen gets only what the screen leaves.
//!
//! Mutations are not budgeted (they are in AWS's modify categories, and an engineer's action
//! must never wait behind a poll). Throttling from AWS empties the family's bucket, so every
//! worker of the client slows down together, not just the one that was refused.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The API families budgeted separately, after AWS's own throttling categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// DescribeClusters, ListClusters.
    EcsClusterReads,
    /// DescribeServices, ListServices.
    EcsServiceReads,
    /// AWS's "cluster resource read actions": DescribeTasks, ListTasks and the container
    /// instances.
    EcsTaskReads,
    /// DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies.
    EcsTaskDefinitionReads,
    /// GetMetricData, DescribeAlarms.
    CloudWatch,
    /// FilterLogEvents, GetLogEvents, StartLiveTail.
    Logs,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::EcsClusterReads,
        Family::EcsServiceReads,
        Family::EcsTaskReads,
        Family::EcsTaskDefinitionReads,
        Family::CloudWatch,
        Family::Logs,
    ];

    /// The family an AWS operation belongs to; None for what is not budgeted here
    /// (mutations, sessions, and the services polled minutes apart).
    pub fn of(operation: &str) -> Option<Family> {
        Some(match operation {
            "DescribeClusters" | "ListClusters" => Family::EcsClusterReads,
            "DescribeServices" | "ListServices" => Family::EcsServiceReads,
            "DescribeTasks"
            | "ListTasks"
            | "DescribeContainerInstances"
            | "ListContainerInstances" => Family::EcsTaskReads,
            "DescribeTaskDefinition" | "ListTaskDefinitions" | "ListTaskDefinitionFamilies" => {
                Family::EcsTaskDefinitionReads
            }
            "GetMetricData" | "DescribeAlarms" => Family::CloudWatch,
            "FilterLogEvents" | "GetLogEvents" | "StartLiveTail" => Family::Logs,
            _ => return None,
        })
    }

    /// The config file's name for it (`[budget]`).
    pub fn key(self) -> &'static str {
        match self {
            Family::EcsClusterReads => "ecs_cluster_reads",
            Family::EcsServiceReads => "ecs_service_reads",
            Family::EcsTaskReads => "ecs_task_reads",
            Family::EcsTaskDefinitionReads => "ecs_task_definition_reads",
            Family::CloudWatch => "cloudwatch",
            Family::Logs => "logs",
        }
    }

    /// AWS's documented quota for the family, per account and region: (burst, sustained
    /// requests per second). ECS: the API reference's throttling table. CloudWatch:
    /// DescribeAlarms' 9 TPS (GetMetricData allows 50). Logs: FilterLogEvents' 5 TPS.
    pub fn aws_quota(self) -> (f64, f64) {
        match self {
            Family::EcsClusterReads | Family::EcsTaskDefinitionReads => (50.0, 20.0),
            Family::EcsServiceReads | Family::EcsTaskReads => (100.0, 20.0),
            Family::CloudWatch => (9.0, 9.0),
            Family::Logs => (5.0, 5.0),
        }
    }

    /// ecsdeck's default share: a quarter of the sustained rate, and half the burst (so
    /// opening a 5,000-service cluster lists it in seconds, once, before the rate applies).
    pub fn default_limit(self) -> Limit {
        let (burst, sustained) = self.aws_quota();
        Limit {
            burst: (burst / 2.0).max(1.0),
            per_second: sustained / 4.0,
        }
    }
}

/// One bucket's size and refill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Tokens the bucket holds: calls that may go at once after a quiet spell.
    pub burst: f64,
    /// Tokens added per second: the sustained rate.
    pub per_second: f64,
}

/// Who is asking, which decides who goes first when a bucket is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Rows on screen, the selected one, a view's first list: may take the last token.
    OnScreen,
    /// Rows never described yet, filled in behind the screen.
    Fill,
    /// Refreshing what is off screen, and re-listing: only what the screen leaves over.
    Background,
}

tokio::task_local! {
    static PRIORITY: Priority;
}

/// Runs `work` with every AWS call it makes budgeted at `priority`.
pub async fn with_priority<F: Future>(priority: Priority, work: F) -> F::Output {
    PRIORITY.scope(priority, work).await
}

/// The calling task's priority; on screen unless a poller said otherwise (a key press, the
/// log pane, the executor's reads).
fn current_priority() -> Priority {
    PRIORITY.try_with(|p| *p).unwrap_or(Priority::OnScreen)
}

/// The share of a bucket that fill-in and background work leave for the screen.
const ON_SCREEN_RESERVE: f64 = 0.2;

/// How far the idle budget may go into debt, in tokens: a big first fill pauses background
/// refresh only briefly afterwards.
const IDLE_DEBT: f64 = 5.0;

/// The share of the idle rate background refresh gets even when the screen uses all of it,
/// so a list is still re-listed (new and removed rows) on a tall screen.
const BACKGROUND_FLOOR: f64 = 0.1;

#[derive(Debug, Clone)]
struct Bucket {
    limit: Limit,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn new(limit: Limit, now: Instant) -> Bucket {
        Bucket {
            limit,
            tokens: limit.burst,
            at: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        self.at = now;
    }

    /// How long until the bucket holds `needed` tokens (zero when it does).
    fn wait_for(&self, needed: f64) -> Duration {
        if self.tokens >= needed {
            return Duration::ZERO;
        }
        if self.limit.per_second <= 0.0 {
            return Duration::from_secs(3600);
        }
        Duration::from_secs_f64((needed - self.tokens) / self.limit.per_second)
    }
}

/// A bucket's level, for `:budget`.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketLevel {
    /// The family's config key, or "ecs_idle" for the idle budget.
    pub name: &'static str,
    pub tokens: f64,
    pub limit: Limit,
    /// Calls that waited for a token since the start.
    pub waited: u64,
}

/// The buckets of one session, shared by every worker.
#[derive(Debug)]
pub struct Budget {
    state: Mutex<BudgetState>,
}

#[derive(Debug)]
struct BudgetState {
    families: BTreeMap<Family, Bucket>,
    /// Every ECS read is charged here; background refresh waits for it.
    idle: Bucket,
    /// Background refresh's guaranteed share, used when the idle bucket is empty.
    background: Bucket,
    waited: BTreeMap<&'static str, u64>,
}

/// The budget's settings: each family's limit and the idle rate for ECS reads.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetSettings {
    pub limits: BTreeMap<Family, Limit>,
    /// ECS reads per second that background refresh may bring the total up to.
    pub idle_per_second: f64,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        BudgetSettings {
            limits: Family::ALL
                .iter()
                .map(|f| (*f, f.default_limit()))
                .collect(),
            idle_per_second: 0.9,
        }
    }
}

fn is_ecs(family: Family) -> bool {
    matches!(
        family,
        Family::EcsClusterReads
            | Family::EcsServiceReads
            | Family::EcsTaskReads
            | Family::EcsTaskDefinitionReads
    )
}

impl Budget {
    pub fn new(settings: &BudgetSettings) -> Budget {
        let now = Instant::now();
        let families = (settings.limits.iter())
            .map(|(family, limit)| (*family, Bucket::new(*limit, now)))
            .collect();
        let idle_limit = Limit {
            burst: 2.0,
            per_second: settings.idle_per_second.max(0.01),
        };
        let background_limit = Limit {
            burst: 1.0,
            per_second: idle_limit.per_second * BACKGROUND_FLOOR,
        };
        Budget {
            state: Mutex::new(BudgetState {
                families,
                idle: Bucket::new(idle_limit, now),
                background: Bucket::new(background_limit, now),
                waited: BTreeMap::new(),
            }),
        }
    }

    /// Waits until `operation` may be called at the calling task's priority, and takes its
    /// token. Returns at once for operations outside the budget (mutations).
    pub async fn acquire(&self, operation: &str) {
        let Some(family) = Family::of(operation) else {
            return;
        };
        let priority = current_priority();
        let mut counted_wait = false;
        loop {
            let wait = self.try_take(family, priority, Instant::now());
            if wait.is_zero() {
                return;
            }
            if !counted_wait {
                counted_wait = true;
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                *state.waited.entry(family.key()).or_default() += 1;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes a token if `priority` may have one now; otherwise how long to wait.
    fn try_take(&self, family: Family, priority: Priority, now: Instant) -> Duration {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *state;
        state.idle.refill(now);
        state.background.refill(now);
        let Some(bucket) = state.families.get_mut(&family) else {
            return Duration::ZERO;
        };
        bucket.refill(now);
        let needed = match priority {
            Priority::OnScreen => 1.0,
            Priority::Fill | Priority::Background => 1.0 + bucket.limit.burst * ON_SCREEN_RESERVE,
        };
        let mut wait = bucket.wait_for(needed.min(bucket.limit.burst));
        let background = priority == Priority::Background && is_ecs(family);
        // Background goes on the idle bucket, or failing that on its guaranteed share.
        let from_floor = background && state.idle.tokens < 1.0;
        if background {
            let idle = state.idle.wait_for(1.0);
            wait = wait.max(idle.min(state.background.wait_for(1.0)));
        }
        if !wait.is_zero() {
            return wait;
        }
        bucket.tokens -= 1.0;
        if from_floor {
            state.background.tokens -= 1.0;
        }
        if is_ecs(family) {
            state.idle.tokens = (state.idle.tokens - 1.0).max(-IDLE_DEBT);
        }
        Duration::ZERO
    }

    /// AWS said "slow down" to `operation`: empty its family's bucket so every worker of
    /// this client waits for the refill, not only the one that was refused.
    pub fn throttled(&self, operation: &str) {
        let Some(family) = Family::of(operation) else {
            return;
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bucket) = state.families.get_mut(&family) {
            bucket.refill(Instant::now());
            bucket.tokens = bucket.tokens.min(0.0);
        }
    }

    /// Every bucket's level now, for `:budget`.
    pub fn levels(&self) -> Vec<BucketLevel> {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *state;
        let mut levels: Vec<BucketLevel> = (state.families.iter_mut())
            .map(|(family, bucket)| {
                bucket.refill(now);
                BucketLevel {
                    name: family.key(),
                    tokens: bucket.tokens,
                    limit: bucket.limit,
                    waited: state.waited.get(family.key()).copied().unwrap_or(0),
                }
            })
            .collect();
        state.idle.refill(now);
        levels.push(BucketLevel {
            name: "ecs_idle",
            tokens: state.idle.tokens,
            limit: state.idle.limit,
            waited: 0,
        });
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget::new(&BudgetSettings::default())
    }

    #[tokio::test(start_paused = true)]
    async fn a_family_allows_its_burst_then_its_rate() {
        let budget = budget();
        let start = Instant::now();
        // 50 tokens (half of AWS's 100), then 5 per second (a quarter of AWS's 20).
        for _ in 0..100 {
            budget.acquire("DescribeServices").await;
        }
        let took = start.elapsed().as_secs_f64();
        assert!((9.9..=10.2).contains(&took), "{took}");
    }

    #[tokio::test(start_paused = true)]
    async fn mutations_never_wait() {
        let budget = budget();
        for _ in 0..50 {
            budget.acquire("DescribeServices").await;
        }
        budget.throttled("DescribeServices");
        let start = Instant::now();
        for _ in 0..100 {
            budget.acquire("UpdateService").await;
            budget.acquire("StopTask").await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn on_screen_work_keeps_a_reserve_that_fill_cannot_take() {
        let budget = budget();
        // Fill takes the bucket down to its reserve (20 % of 50 = 10 tokens, plus one).
        let start = Instant::now();
        for _ in 0..40 {
            with_priority(Priority::Fill, budget.acquire("DescribeServices")).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // The screen still gets ten at once; fill would have waited.
        assert!(
            !budget
                .try_take(Family::EcsServiceReads, Priority::Fill, Instant::now())
                .is_zero()
        );
        for _ in 0..10 {
            budget.acquire("DescribeServices").await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn background_refresh_gets_only_the_idle_rate() {
        let budget = budget();
        let start = Instant::now();
        for _ in 0..101 {
            with_priority(Priority::Background, budget.acquire("ListTasks")).await;
        }
        // 2 at once from the idle bucket, then 0.9 per second (the floor's calls are
        // charged to the idle bucket too: they are not on top of it).
        let took = start.elapsed().as_secs_f64();
        assert!((100.0..=112.0).contains(&took), "{took}");
    }

    #[tokio::test(start_paused = true)]
    async fn background_keeps_a_floor_when_the_screen_uses_the_idle_rate() {
        let budget = budget();
        // The screen takes a call every second, more than the 0.9/s idle rate.
        let screen = async {
            for _ in 0..120 {
                budget.acquire("DescribeServices").await;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        };
        let behind = async {
            let mut calls = 0;
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(110) {
                with_priority(Priority::Background, budget.acquire("ListServices")).await;
                calls += 1;
            }
            calls
        };
        let ((), calls) = tokio::join!(screen, behind);
        // 0.09/s of 110 s, plus what the idle bucket held at the start.
        assert!((9..=16).contains(&calls), "{calls}");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_empties_the_family_for_every_worker() {
        let budget = budget();
        budget.throttled("ListServices");
        let start = Instant::now();
        budget.acquire("DescribeServices").await;
        let took = start.elapsed().as_secs_f64();
        assert!((0.19..=0.21).contains(&took), "one token at 5/s: {took}");
        let levels = budget.levels();
        assert!(
            levels
                .iter()
                .any(|l| l.name == "ecs_service_reads" && l.waited == 1)
        );
    }

    #[test]
    fn every_polled_read_has_a_family_and_no_mutation_does() {
        for op in [
            "ListServices",
            "DescribeTasks",
            "GetMetricData",
            "FilterLogEvents",
        ] {
            assert!(Family::of(op).is_some(), "{op}");
        }
        for op in [
            "UpdateService",
            "StopTask",
            "UpdateContainerInstancesState",
            "ExecuteCommand",
            "StartSession",
        ] {
            assert_eq!(Family::of(op), None, "{op}");
        }
    }
}
