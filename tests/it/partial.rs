//! A bad record never blanks a view: a describe answer that cannot be read is split until
//! the unreadable records are found and skipped (and counted); a later page or batch that
//! fails keeps what came before, marked incomplete. Checked on the demo fleet behind a
//! wrapper that garbles chosen records, with the API cost counted.

use async_trait::async_trait;

use ecsdeck::backend::counting::CountingBackend;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::backend::{
    BackendError, EcsBackend, ErrorKind, Page, ServiceUpdate, TaskFilter, fetch,
};
use ecsdeck::domain::ecs::{Cluster, Service, Task, TaskDefinition};

/// The demo fleet, except that describing `bad` fails as unreadable (as the SDK does when one
/// record in the answer has the wrong shape), and ListServices fails from page `fail_page`.
struct Garbling {
    inner: DemoBackend,
    bad: Vec<String>,
    fail_page: Option<usize>,
    pages: std::sync::Mutex<usize>,
}

fn unreadable(operation: &'static str) -> BackendError {
    BackendError::new(
        ErrorKind::Malformed,
        operation,
        "failed to parse the response",
    )
    .with_status(200)
}

#[async_trait]
impl EcsBackend for Garbling {
    async fn execute_command(
        &self,
        r: &ecsdeck::backend::ExecRequest,
    ) -> Result<ecsdeck::backend::ExecSession, BackendError> {
        self.inner.execute_command(r).await
    }
    async fn describe_capacity_providers(
        &self,
        n: &[String],
        t: Option<String>,
    ) -> Result<ecsdeck::backend::CapacityProviderPage, BackendError> {
        self.inner.describe_capacity_providers(n, t).await
    }
    async fn describe_container_instances(
        &self,
        c: &str,
        i: &[String],
    ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, BackendError> {
        self.inner.describe_container_instances(c, i).await
    }
    async fn list_clusters(&self, t: Option<String>) -> Result<Page, BackendError> {
        self.inner.list_clusters(t).await
    }
    async fn describe_clusters(&self, c: &[String]) -> Result<Vec<Cluster>, BackendError> {
        self.inner.describe_clusters(c).await
    }
    async fn list_services(&self, c: &str, t: Option<String>) -> Result<Page, BackendError> {
        let page = {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            *pages += 1;
            *pages
        };
        if self.fail_page.is_some_and(|f| page >= f) {
            return Err(BackendError::new(
                ErrorKind::Throttled,
                "ListServices",
                "Rate exceeded",
            ));
        }
        self.inner.list_services(c, t).await
    }
    async fn describe_services(&self, c: &str, s: &[String]) -> Result<Vec<Service>, BackendError> {
        if s.iter()
            .any(|arn| self.bad.iter().any(|b| arn.ends_with(b.as_str())))
        {
            return Err(unreadable("DescribeServices"));
        }
        self.inner.describe_services(c, s).await
    }
    async fn list_tasks(
        &self,
        c: &str,
        f: &TaskFilter,
        t: Option<String>,
    ) -> Result<Page, BackendError> {
        self.inner.list_tasks(c, f, t).await
    }
    async fn describe_tasks(&self, c: &str, t: &[String]) -> Result<Vec<Task>, BackendError> {
        self.inner.describe_tasks(c, t).await
    }
    async fn describe_task_definition(&self, t: &str) -> Result<TaskDefinition, BackendError> {
        self.inner.describe_task_definition(t).await
    }
    async fn list_task_definition_families(&self, t: Option<String>) -> Result<Page, BackendError> {
        self.inner.list_task_definition_families(t).await
    }
    async fn list_container_instances(
        &self,
        c: &str,
        t: Option<String>,
    ) -> Result<Page, BackendError> {
        self.inner.list_container_instances(c, t).await
    }
    async fn update_container_instances_state(
        &self,
        c: &str,
        i: &[String],
        s: ecsdeck::backend::InstanceStatus,
    ) -> Result<Vec<ecsdeck::domain::ecs::ContainerInstance>, BackendError> {
        self.inner.update_container_instances_state(c, i, s).await
    }
    async fn describe_raw(
        &self,
        t: &ecsdeck::backend::RawTarget,
    ) -> Result<serde_json::Value, BackendError> {
        self.inner.describe_raw(t).await
    }
    async fn list_task_definitions(
        &self,
        f: &str,
        t: Option<String>,
    ) -> Result<Page, BackendError> {
        self.inner.list_task_definitions(f, t).await
    }
    async fn update_service(&self, u: &ServiceUpdate) -> Result<Service, BackendError> {
        self.inner.update_service(u).await
    }
    async fn stop_task(&self, c: &str, t: &str, r: &str) -> Result<Task, BackendError> {
        self.inner.stop_task(c, t, r).await
    }
}

fn demo() -> DemoBackend {
    let mut fleet = DemoFleet::generate(7, crate::fixture::now());
    fleet.add_cluster_with_services("load-test", 250, crate::fixture::now());
    DemoBackend::from_fleet(fleet)
}

#[tokio::test]
async fn one_unreadable_service_is_skipped_and_counted_the_rest_are_shown() {
    let backend = CountingBackend::new(Garbling {
        inner: demo(),
        bad: vec!["/svc-0042".into()],
        fail_page: None,
        pages: Default::default(),
    });
    let log = backend.log();
    let fetched = fetch::services_partial(&backend, "load-test")
        .await
        .expect("the view is not blanked");
    assert_eq!(fetched.items.len(), 249);
    assert!(!fetched.items.iter().any(|s| s.service_name == "svc-0042"));
    let gap = fetched.incomplete.expect("the skip is said");
    assert_eq!(
        (gap.skipped, gap.noun, gap.truncated),
        (1, "service", false)
    );
    assert_eq!(gap.error.kind, ErrorKind::Malformed);
    // 25 batches of 10, plus the halving around the bad one: 10 → 5 → 3 → 2 → 1.
    let describes = log.count("DescribeServices");
    assert!(
        (25..=25 + 8).contains(&describes),
        "{describes} DescribeServices"
    );
}

#[tokio::test]
async fn a_later_page_that_fails_keeps_the_pages_before_it() {
    let backend = Garbling {
        inner: demo(),
        bad: Vec::new(),
        fail_page: Some(2),
        pages: Default::default(),
    };
    let fetched = fetch::services_partial(&backend, "load-test")
        .await
        .expect("page 1 is kept");
    assert_eq!(fetched.items.len(), 100, "the first page, described");
    let gap = fetched.incomplete.expect("marked incomplete");
    assert!(gap.truncated);
    assert_eq!(gap.error.kind, ErrorKind::Throttled);
    // The first page failing is a plain error: the last good data stays on screen instead.
    let backend = Garbling {
        inner: demo(),
        bad: Vec::new(),
        fail_page: Some(1),
        pages: Default::default(),
    };
    let err = fetch::services_partial(&backend, "load-test").await;
    assert_eq!(
        err.map(|f| f.items.len()).map_err(|e| e.kind),
        Err(ErrorKind::Throttled)
    );
}
