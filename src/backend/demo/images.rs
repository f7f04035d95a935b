//! The demo's ECR: every service's repository holds the images its task definitions name,
//! with digests derived from repository and tag, so the digest a task runs matches its tag.
//! Two things an on-call engineer should spot: `audit-log-shipper` runs `:latest`, which was
//! pushed over 40 minutes ago, after its tasks started; and checkout-api's images carry scan
//! findings (2 critical, 5 high).

use chrono::{DateTime, Duration, Utc};

use super::rng::SplitMix64;
use crate::backend::{BackendError, ErrorKind};
use crate::domain::image::{EcrImage, ImageSource};

/// The service whose `:latest` tag was pushed over after its tasks started.
pub const MOVED_TAG_SERVICE: &str = "audit-log-shipper";
/// The service whose images have scan findings.
const FINDINGS_SERVICE: &str = "checkout-api";

/// `sha256:` and 64 hex digits, the same for the same repository and tag.
pub fn digest_of(repository: &str, tag: &str) -> String {
    let mut rng = SplitMix64::from_label(&format!("ecr:{repository}:{tag}"));
    format!("sha256:{}", rng.hex(64))
}

/// The digest a container of this image runs (what DescribeTasks reports as imageDigest).
pub fn running_digest(image: &str) -> String {
    match crate::domain::image::source(image) {
        ImageSource::Ecr(r) => digest_of(&r.repository, r.tag.as_deref().unwrap_or("latest")),
        ImageSource::Elsewhere(_) => digest_of(image, ""),
    }
}

/// DescribeImages on the demo's repositories: one per service of the catalog.
pub fn describe(
    repositories: &[&str],
    repository: &str,
    tags: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<EcrImage>, BackendError> {
    crate::backend::ecr::check_batch(tags)?;
    if !repositories.contains(&repository) {
        return Err(BackendError::new(
            ErrorKind::NotFound,
            "DescribeImages",
            format!("The repository with name '{repository}' does not exist"),
        ));
    }
    Ok(tags.iter().map(|tag| image(repository, tag, now)).collect())
}

fn image(repository: &str, tag: &str, now: DateTime<Utc>) -> EcrImage {
    let moved = repository == MOVED_TAG_SERVICE && tag == "latest";
    let mut rng = SplitMix64::from_label(&format!("ecr-detail:{repository}:{tag}"));
    let findings = repository == FINDINGS_SERVICE;
    EcrImage {
        repository: repository.to_string(),
        tag: tag.to_string(),
        digest: if moved {
            digest_of(repository, "latest, pushed over")
        } else {
            digest_of(repository, tag)
        },
        pushed_at: Some(if moved {
            now - Duration::minutes(40)
        } else {
            now - Duration::hours(rng.range(24, 2000))
        }),
        size_bytes: Some(rng.range(40_000_000, 400_000_000)),
        critical: Some(if findings { 2 } else { 0 }),
        high: Some(if findings { 5 } else { rng.range(0, 1) }),
    }
}
