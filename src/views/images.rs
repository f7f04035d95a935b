//! Which build a container runs: its digest, and what its ECR tag points to now — pushed
//! when, how big, scan findings, and above all whether the tag was pushed over since the
//! task started ("tag moved"). Shared by the containers view and triage.
//!
//! Only images in a private ECR repository of the session's region are looked up, one
//! DescribeImages per repository for the tags on screen, every minute at most. Images from
//! elsewhere say where they come from, with no call.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::format::age;
use super::table::{Cell, Role};
use crate::domain::ecs::{Container, Task, arn_region};
use crate::domain::image::{self, EcrImage, EcrRef, ImageSource, TagMoved};
use crate::store::{Resource, Store};

/// The DescribeImages lookups the containers of `tasks` need: one per repository, with
/// the tags they run.
pub fn lookups<'a>(tasks: impl IntoIterator<Item = &'a Task>) -> Vec<Resource> {
    let mut by_repository: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for task in tasks {
        for container in &task.containers {
            if let Some(r) = looked_up(task, container)
                && let Some(tag) = r.tag
            {
                let tags = by_repository
                    .entry((r.registry_id, r.repository))
                    .or_default();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
    }
    by_repository
        .into_iter()
        .map(|((registry, repository), mut tags)| {
            tags.sort();
            Resource::EcrImages {
                registry,
                repository,
                tags,
            }
        })
        .collect()
}

/// The container's image when ecsdeck looks it up: private ECR, the task's own region.
fn looked_up(task: &Task, container: &Container) -> Option<EcrRef> {
    match image::source(container.image.as_deref()?) {
        ImageSource::Ecr(r) if Some(r.region.as_str()) == arn_region(&task.task_arn) => Some(r),
        _ => None,
    }
}

/// What the tag names now, once looked up.
fn current<'a>(store: &'a Store, r: &EcrRef) -> Option<&'a EcrImage> {
    let tag = r.tag.as_deref()?;
    let key = (r.registry_id.clone(), r.repository.clone());
    (store.ecr_images.get(&key)?.value()?.iter()).find(|i| i.tag == tag)
}

/// Whether the container's tag was pushed over since it started.
pub fn moved(store: &Store, task: &Task, container: &Container) -> Option<TagMoved> {
    let r = looked_up(task, container)?;
    let now = current(store, &r)?;
    image::tag_moved(container.image_digest.as_deref(), now, task.started_at)
}

/// The DIGEST cell: the digest the container runs, short.
pub fn digest_cell(container: &Container) -> Cell {
    match &container.image_digest {
        Some(d) => Cell::new(image::short_digest(d)),
        None => Cell::with_role("-", Role::Muted),
    }
}

/// The TAG NOW cell: where the image comes from, or what its tag names now.
pub fn tag_cell(store: &Store, task: &Task, container: &Container, now: DateTime<Utc>) -> Cell {
    let Some(name) = container.image.as_deref() else {
        return Cell::with_role("-", Role::Muted);
    };
    let r = match image::source(name) {
        ImageSource::Elsewhere(from) => {
            // Said, not looked up: only private ECR images are.
            return Cell::with_role(format!("from {from}"), Role::Muted);
        }
        ImageSource::Ecr(r) => r,
    };
    if Some(r.region.as_str()) != arn_region(&task.task_arn) {
        let text = format!("ECR in {} (another region: not looked up)", r.region);
        return Cell::with_role(text, Role::Muted);
    }
    let Some(tag) = r.tag.clone() else {
        return Cell::with_role("pinned by digest", Role::Muted);
    };
    let key = (r.registry_id.clone(), r.repository.clone());
    let Some(loadable) = store.ecr_images.get(&key) else {
        return Cell::with_role("…", Role::Muted);
    };
    if let (None, Some(e)) = (loadable.value(), &loadable.error) {
        let text = match e.kind {
            crate::domain::error::ErrorKind::AccessDenied => format!("denied: {}", e.operation),
            crate::domain::error::ErrorKind::NotFound => "repository not found".to_string(),
            _ => format!("{} failed", e.operation),
        };
        return Cell::with_role(text, Role::Warning);
    }
    let Some(image) = current(store, &r) else {
        return match loadable.value() {
            Some(_) => Cell::with_role(format!("tag :{tag} no longer exists"), Role::Warning),
            None => Cell::with_role("…", Role::Muted),
        };
    };
    if let Some(m) = image::tag_moved(container.image_digest.as_deref(), image, task.started_at) {
        return Cell::with_role(moved_text(&m, now), Role::Failure);
    }
    let mut parts = Vec::new();
    if let Some(at) = image.pushed_at {
        parts.push(format!("pushed {} ago", age(at, now)));
    }
    if let Some(size) = image.size_bytes {
        parts.push(format!("{} MB", size / 1_000_000));
    }
    let (critical, high) = (image.critical.unwrap_or(0), image.high.unwrap_or(0));
    if critical + high > 0 {
        parts.push(format!("{critical} critical, {high} high"));
    }
    let role = if critical > 0 {
        Role::Failure
    } else if high > 0 {
        Role::Warning
    } else {
        Role::Text
    };
    Cell::with_role(parts.join(" · "), role)
}

/// "tag :latest moved 40m ago, 8d after start: now sha256:…" (the digest it runs is in
/// the DIGEST column, and in triage's text).
pub fn moved_text(m: &TagMoved, now: DateTime<Utc>) -> String {
    let ago = m
        .pushed_at
        .map(|at| format!(" {} ago", age(at, now)))
        .unwrap_or_default();
    let after = match m.pushed_after_start {
        Some(d) if d > chrono::Duration::zero() => {
            let start = DateTime::<Utc>::UNIX_EPOCH;
            format!(", {} after start", age(start, start + d))
        }
        _ => String::new(),
    };
    format!(
        "tag :{} moved{ago}{after}: now {} (runs {})",
        m.tag,
        image::short_digest(&m.now),
        image::short_digest(&m.running)
    )
}
