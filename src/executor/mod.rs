//! The executor: runs mutations off the UI task and reports back with a message.
//!
//! Read-only is enforced here, where calls are made, not only in the key handler: whatever
//! path a mutation takes to get here, a read-only session never sends it. Every attempt,
//! refused or not, is written to the journal.

pub mod journal;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::backend::scaling::TargetChange;
use crate::backend::ssm::StartSession;
use crate::backend::{
    BackendError, EcsBackend, ExecRequest, ExecSession, MutationBackend, ServiceUpdate, SsmBackend,
};
use crate::domain::ecs::{InstanceRef, InstanceStatus};
use crate::domain::journal::{ActionResult, JournalEntry};
use crate::domain::mutation::{Mutation, UPDATE_CONTAINER_INSTANCES_STATE_MAX};
use crate::domain::session::{ExecPlan, ForwardPlan};
use crate::msg::{Executed, Msg};

pub use crate::domain::journal::READ_ONLY_REFUSAL;

/// Who is acting where: stamped on every journal entry.
#[derive(Debug, Clone, Default)]
pub struct ActionContext {
    pub read_only: bool,
    pub profile: Option<String>,
    pub region: String,
    pub journal: Option<PathBuf>,
}

/// Runs one mutation in the background; the outcome comes back as `Msg::MutationDone`.
pub fn spawn(
    backend: Arc<dyn MutationBackend>,
    context: ActionContext,
    id: u64,
    mutation: Mutation,
    account: Option<String>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let executed = execute(backend.as_ref(), &context, &mutation, account).await;
        let _ = tx.send(Msg::MutationDone {
            id,
            mutation,
            executed,
        });
    });
}

/// Runs a mutation (or refuses it) and journals the attempt. Exactly one backend call per
/// service action and one per task (two for a scale that widens the auto scaling range
/// first); never retried here (the AWS backend also disables SDK retries for mutations), so
/// nothing is ever sent twice.
pub async fn execute(
    backend: &dyn MutationBackend,
    context: &ActionContext,
    mutation: &Mutation,
    account: Option<String>,
) -> Executed {
    let result = if context.read_only {
        ActionResult::Refused
    } else {
        match call(backend, mutation).await {
            Ok(()) => ActionResult::Done,
            Err(e) => ActionResult::Failed(e),
        }
    };
    let cluster = mutation.cluster().to_string();
    write(
        context,
        account,
        cluster,
        mutation.target(),
        mutation.describe(),
        result,
    )
}

/// Stamps one attempt with who and where, appends it to the journal file, and returns it
/// for the journal view (with why the file could not be written, if it could not).
fn write(
    context: &ActionContext,
    account: Option<String>,
    cluster: String,
    target: String,
    change: String,
    result: ActionResult,
) -> Executed {
    let entry = JournalEntry {
        time: chrono::Utc::now(),
        profile: context.profile.clone(),
        region: context.region.clone(),
        account,
        cluster,
        target,
        change,
        result,
    };
    let journal_error = context
        .journal
        .as_ref()
        .and_then(|path| journal::append(path, &entry).err());
    if let Some(e) = &journal_error {
        tracing::error!("journal: {e}");
    }
    Executed {
        entry,
        journal_error,
    }
}

/// Opens an ECS Exec session in the background (refused in read-only, like a mutation);
/// the outcome comes back as `Msg::ExecReady`. A refusal or a failure is journaled here;
/// a session that opens is journaled by the app when it starts and when it ends.
pub fn spawn_exec(
    backend: Arc<dyn EcsBackend>,
    context: ActionContext,
    plan: ExecPlan,
    account: Option<String>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let request = ExecRequest {
            cluster: plan.cluster.clone(),
            task: plan.task_arn.clone(),
            container: plan.container.clone(),
            command: plan.command.clone(),
        };
        let result = session_call(&context, backend.execute_command(&request))
            .await
            .map_err(|outcome| journal_session(&context, &plan, account, "not opened", outcome));
        let _ = tx.send(Msg::ExecReady { plan, result });
    });
}

/// Starts a port-forwarding session in the background (refused in read-only); the outcome
/// comes back as `Msg::ForwardReady`, a refusal or failure journaled here.
pub fn spawn_forward(
    backend: Arc<dyn SsmBackend>,
    context: ActionContext,
    plan: ForwardPlan,
    account: Option<String>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let request = StartSession::for_forward(&plan);
        let result = session_call(&context, backend.start_session(&request))
            .await
            .map_err(|outcome| journal_forward(&context, &plan, account, "not started", outcome));
        let _ = tx.send(Msg::ForwardReady { plan, result });
    });
}

/// Journals one step of a port forward: `forward localhost:8080 → port 8080 via … started`.
pub fn journal_forward(
    context: &ActionContext,
    plan: &ForwardPlan,
    account: Option<String>,
    what: &str,
    result: ActionResult,
) -> Executed {
    let change = format!("forward {}: {what}", plan.label());
    journal(context, account, &plan.through, change, result)
}

/// Journals one step of a shell session: `shell `/bin/sh` started (session …)`, `… ended:
/// exit 0 after 2m (session …)`.
pub fn journal_session(
    context: &ActionContext,
    plan: &ExecPlan,
    account: Option<String>,
    what: &str,
    result: ActionResult,
) -> Executed {
    let change = format!("shell `{}` {what}", plan.command);
    journal(context, account, plan, change, result)
}

/// Journals one step of a session through `plan`'s container.
fn journal(
    context: &ActionContext,
    account: Option<String>,
    plan: &ExecPlan,
    change: String,
    result: ActionResult,
) -> Executed {
    let cluster = crate::domain::ecs::arn_tail(&plan.cluster).to_string();
    write(context, account, cluster, plan.label(), change, result)
}

/// A session call as the executor makes it: refused in read-only, else made once; a
/// refusal or a failure comes back as the outcome to journal.
async fn session_call<F>(context: &ActionContext, call: F) -> Result<ExecSession, ActionResult>
where
    F: std::future::Future<Output = Result<ExecSession, BackendError>>,
{
    if context.read_only {
        return Err(ActionResult::Refused);
    }
    call.await.map_err(ActionResult::Failed)
}

async fn call(backend: &dyn MutationBackend, mutation: &Mutation) -> Result<(), BackendError> {
    let update = |cluster: &str, service: &str| ServiceUpdate {
        cluster: cluster.to_string(),
        service: service.to_string(),
        ..ServiceUpdate::default()
    };
    match mutation {
        Mutation::Scale {
            cluster,
            service,
            to,
            ..
        } => {
            let request = ServiceUpdate {
                desired_count: Some(*to),
                ..update(cluster, service)
            };
            backend.update_service(&request).await.map(drop)
        }
        Mutation::Redeploy {
            cluster, service, ..
        } => {
            let request = ServiceUpdate {
                force_new_deployment: true,
                ..update(cluster, service)
            };
            backend.update_service(&request).await.map(drop)
        }
        Mutation::Rollback {
            cluster,
            service,
            to,
            ..
        } => {
            let request = ServiceUpdate {
                task_definition: Some(to.clone()),
                ..update(cluster, service)
            };
            backend.update_service(&request).await.map(drop)
        }
        Mutation::StopTasks {
            cluster,
            tasks,
            reason,
        } => {
            let mut failures = Vec::new();
            for task in tasks {
                if let Err(e) = backend.stop_task(cluster, task, reason).await {
                    failures.push(e);
                }
            }
            partial(&failures, tasks.len(), "stopped", "tasks")
        }
        Mutation::SetInstancesState {
            cluster,
            instances,
            status,
        } => set_instances_state(backend, cluster, instances, *status).await,
        _ => call_scaling(backend, mutation).await,
    }
}

/// The auto scaling changes: one RegisterScalableTarget each, and for a scale outside the
/// range, the widening first and the scale only if it went through.
async fn call_scaling(
    backend: &dyn MutationBackend,
    mutation: &Mutation,
) -> Result<(), BackendError> {
    match mutation {
        Mutation::SetScalingRange {
            cluster,
            service,
            to: (min, max),
            ..
        } => {
            let change = TargetChange {
                min_capacity: Some(*min),
                max_capacity: Some(*max),
                suspended: None,
            };
            backend
                .register_scalable_target(cluster, service, &change)
                .await
        }
        Mutation::SetScalingSuspended {
            cluster,
            service,
            suspended,
            ..
        } => {
            let change = TargetChange {
                suspended: Some(*suspended),
                ..TargetChange::default()
            };
            backend
                .register_scalable_target(cluster, service, &change)
                .await
        }
        Mutation::ScaleWidening {
            cluster,
            service,
            from,
            to,
            range_to,
            ..
        } => scale_widening(backend, cluster, service, (*from, *to), *range_to).await,
        _ => Ok(()),
    }
}

/// Widens the range, then scales. The order matters: scaled first, a service outside its
/// range is what the scaler undoes; widened first, a failed scale leaves only a wider range,
/// which the error then says in so many words (the journal and the status line show it).
async fn scale_widening(
    backend: &dyn MutationBackend,
    cluster: &str,
    service: &str,
    (from, to): (i32, i32),
    (min, max): (i32, i32),
) -> Result<(), BackendError> {
    let widen = TargetChange {
        min_capacity: Some(min),
        max_capacity: Some(max),
        suspended: None,
    };
    backend
        .register_scalable_target(cluster, service, &widen)
        .await
        .map_err(|e| {
            let message = format!("{}; nothing was changed", e.message);
            BackendError::new(e.kind, e.operation, message)
        })?;
    let update = ServiceUpdate {
        cluster: cluster.to_string(),
        service: service.to_string(),
        desired_count: Some(to),
        ..ServiceUpdate::default()
    };
    backend
        .update_service(&update)
        .await
        .map(drop)
        .map_err(|e| {
            let message = format!(
                "the auto scaling range was widened to {min}..{max}, but the scale failed: {}; \
             the service still wants {from} tasks",
                e.message
            );
            BackendError::new(e.kind, e.operation, message)
        })
}

/// One UpdateContainerInstancesState call per batch of 10 (AWS's limit), each made once.
async fn set_instances_state(
    backend: &dyn EcsBackend,
    cluster: &str,
    instances: &[InstanceRef],
    status: InstanceStatus,
) -> Result<(), BackendError> {
    let mut failures = Vec::new();
    let batches: Vec<Vec<String>> = instances
        .chunks(UPDATE_CONTAINER_INSTANCES_STATE_MAX)
        .map(|batch| batch.iter().map(|i| i.arn.clone()).collect())
        .collect();
    for batch in &batches {
        if let Err(e) = backend
            .update_container_instances_state(cluster, batch, status)
            .await
        {
            failures.push(e);
        }
    }
    partial(&failures, batches.len(), "changed", "batches of instances")
}

/// The outcome of `total` calls of which `failures` failed: the first failure when all did,
/// a sentence saying how many went through when only some did.
fn partial(
    failures: &[BackendError],
    total: usize,
    done: &str,
    noun: &str,
) -> Result<(), BackendError> {
    match failures.first() {
        None => Ok(()),
        Some(first) if failures.len() == total => Err(first.clone()),
        Some(first) => Err(BackendError::new(
            first.kind,
            first.operation,
            format!(
                "{done} {} of {total} {noun}; the others failed: {}",
                total - failures.len(),
                first.message
            ),
        )),
    }
}
