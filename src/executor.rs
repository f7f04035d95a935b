//! The executor: runs mutations off the UI task and reports back with a message.
//!
//! Read-only is enforced here, where calls are made, not only in the key handler: whatever
//! path a mutation takes to get here, a read-only session never sends it. Every attempt,
//! refused or not, is written to the journal.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::backend::{EcsBackend, ServiceUpdate};
use crate::journal::{self, JournalEntry};
use crate::msg::Msg;
use crate::mutation::Mutation;

/// Who is acting where: stamped on every journal entry.
#[derive(Debug, Clone, Default)]
pub struct ActionContext {
    pub read_only: bool,
    pub profile: Option<String>,
    pub region: String,
    pub journal: Option<PathBuf>,
}

/// The refusal every mutating call gets in a read-only session.
pub const READ_ONLY_REFUSAL: &str =
    "refused: ecsdeck is read-only (--read-only or read_only in the config file)";

/// Runs one mutation in the background; the outcome comes back as `Msg::MutationDone`.
pub fn spawn(
    backend: Arc<dyn EcsBackend>,
    context: ActionContext,
    id: u64,
    mutation: Mutation,
    account: Option<String>,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::spawn(async move {
        let (result, entry) = execute(backend.as_ref(), &context, &mutation, account).await;
        let _ = tx.send(Msg::MutationDone {
            id,
            mutation,
            result,
            entry,
        });
    });
}

/// Runs a mutation (or refuses it) and journals the attempt. Exactly one backend call per
/// service action and one per task; never retried here (the AWS backend also disables SDK
/// retries for mutations), so nothing is ever sent twice.
pub async fn execute(
    backend: &dyn EcsBackend,
    context: &ActionContext,
    mutation: &Mutation,
    account: Option<String>,
) -> (Result<(), String>, JournalEntry) {
    let result = if context.read_only {
        Err(READ_ONLY_REFUSAL.to_string())
    } else {
        call(backend, mutation).await
    };
    let mut entry = JournalEntry {
        time: chrono::Utc::now(),
        profile: context.profile.clone(),
        region: context.region.clone(),
        account,
        cluster: mutation.cluster().to_string(),
        target: mutation.target(),
        change: mutation.describe(),
        result: match &result {
            Ok(()) => "ok".to_string(),
            Err(e) => e.clone(),
        },
    };
    if let Some(path) = &context.journal
        && let Err(e) = journal::append(path, &entry)
    {
        tracing::error!("journal: {e}");
        entry
            .result
            .push_str(&format!(" (journal not written: {e})"));
    }
    (result, entry)
}

async fn call(backend: &dyn EcsBackend, mutation: &Mutation) -> Result<(), String> {
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
            match failures.first() {
                None => Ok(()),
                Some(first) if failures.len() == tasks.len() => Err(first.clone()),
                Some(first) => Err(crate::backend::BackendError::new(
                    first.kind,
                    first.operation,
                    format!(
                        "stopped {} of {} tasks; the others failed: {}",
                        tasks.len() - failures.len(),
                        tasks.len(),
                        first.message
                    ),
                )),
            }
        }
    }
    .map_err(|e| e.advice(None))
}
