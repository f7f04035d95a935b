//! Container images: where one comes from (read from its name, no call), and what an ECR tag
//! points to now, to tell the digest a container runs from the one its tag names today.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Where an image comes from, read from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A private ECR repository: it can be looked up (DescribeImages).
    Ecr(EcrRef),
    /// Anywhere else, in words: `Docker Hub`, `ECR Public`, `ghcr.io`. Never looked up.
    Elsewhere(String),
}

/// A private ECR image reference: `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG][@DIGEST]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EcrRef {
    pub registry_id: String,
    pub region: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// What a tag points to now, from DescribeImages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EcrImage {
    pub repository: String,
    /// The tag it was asked for by.
    pub tag: String,
    pub digest: String,
    pub pushed_at: Option<DateTime<Utc>>,
    pub size_bytes: Option<i64>,
    /// Scan findings by severity (basic or enhanced scanning), when the image was scanned.
    pub critical: Option<i64>,
    pub high: Option<i64>,
}

/// Reads where `image` comes from.
pub fn source(image: &str) -> ImageSource {
    let (host, rest) = match image.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            (host, rest)
        }
        // No registry host: Docker Hub (`nginx`, `library/nginx`, `grafana/agent`).
        _ => return ImageSource::Elsewhere("Docker Hub".to_string()),
    };
    if host == "public.ecr.aws" {
        return ImageSource::Elsewhere("ECR Public".to_string());
    }
    match ecr_host(host) {
        Some((registry_id, region)) => {
            let (name, digest) = match rest.split_once('@') {
                Some((name, digest)) => (name, Some(digest.to_string())),
                None => (rest, None),
            };
            // A tag follows the last ':' of the last path segment (a port is in the host).
            let (repository, tag) = match name.rsplit_once(':') {
                Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag.to_string())),
                _ => (name, None),
            };
            ImageSource::Ecr(EcrRef {
                registry_id: registry_id.to_string(),
                region: region.to_string(),
                repository: repository.to_string(),
                // An untagged, undigested reference pulls `latest`.
                tag: tag.or_else(|| digest.is_none().then(|| "latest".to_string())),
                digest,
            })
        }
        None => ImageSource::Elsewhere(host.to_string()),
    }
}

/// `123456789012.dkr.ecr.eu-west-1.amazonaws.com` (also `-fips` and `.com.cn`) → account and
/// region.
fn ecr_host(host: &str) -> Option<(&str, &str)> {
    let host = host.strip_suffix(".cn").unwrap_or(host);
    let inner = host.strip_suffix(".amazonaws.com")?;
    let (account, rest) = inner.split_once('.')?;
    let region = rest
        .strip_prefix("dkr.ecr.")
        .or_else(|| rest.strip_prefix("dkr.ecr-fips."))?;
    let account_ok = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    (account_ok && !region.is_empty() && !region.contains('.')).then_some((account, region))
}

/// `sha256:0123abcd…` → `sha256:0123abcd` (12 hex: enough to tell builds apart).
pub fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) => {
            format!("{algorithm}:{}", hex.chars().take(12).collect::<String>())
        }
        None => digest.chars().take(19).collect(),
    }
}

/// The tag a container was started from now names another image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMoved {
    pub tag: String,
    pub running: String,
    pub now: String,
    /// When the tag was pushed again, and how long after the container's task started.
    pub pushed_at: Option<DateTime<Utc>>,
    pub pushed_after_start: Option<chrono::Duration>,
}

/// Compares the digest a container runs with what its tag names now.
pub fn tag_moved(
    running: Option<&str>,
    current: &EcrImage,
    task_started: Option<DateTime<Utc>>,
) -> Option<TagMoved> {
    let running = running?;
    if running == current.digest {
        return None;
    }
    Some(TagMoved {
        tag: current.tag.clone(),
        running: running.to_string(),
        now: current.digest.clone(),
        pushed_at: current.pushed_at,
        pushed_after_start: current.pushed_at.zip(task_started).map(|(p, s)| p - s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_references_are_read_and_everything_else_is_named() {
        let ImageSource::Ecr(r) =
            source("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:2026.11.3-abc")
        else {
            panic!("ECR")
        };
        assert_eq!(
            (
                r.registry_id.as_str(),
                r.region.as_str(),
                r.repository.as_str()
            ),
            ("123456789012", "eu-west-1", "team/api")
        );
        assert_eq!(r.tag.as_deref(), Some("2026.11.3-abc"));
        let ImageSource::Ecr(r) = source("123456789012.dkr.ecr.us-east-1.amazonaws.com/api") else {
            panic!("ECR")
        };
        assert_eq!(r.tag.as_deref(), Some("latest"));
        let ImageSource::Ecr(r) =
            source("123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:abc")
        else {
            panic!("ECR")
        };
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some("sha256:abc")));
        for (image, from) in [
            ("nginx:1.25", "Docker Hub"),
            ("grafana/agent:v0.40", "Docker Hub"),
            ("public.ecr.aws/nginx/nginx:1.25", "ECR Public"),
            ("ghcr.io/org/app:1", "ghcr.io"),
            ("localhost:5000/app", "localhost:5000"),
            (
                "123.dkr.ecr.eu-west-1.amazonaws.com/api",
                "123.dkr.ecr.eu-west-1.amazonaws.com",
            ),
        ] {
            assert_eq!(
                source(image),
                ImageSource::Elsewhere(from.into()),
                "{image}"
            );
        }
    }

    #[test]
    fn a_moved_tag_is_told_with_how_long_after_the_start() {
        let now = Utc::now();
        let current = EcrImage {
            repository: "api".into(),
            tag: "latest".into(),
            digest: "sha256:new".into(),
            pushed_at: Some(now),
            size_bytes: None,
            critical: None,
            high: None,
        };
        let started = now - chrono::Duration::hours(2);
        let moved = tag_moved(Some("sha256:old"), &current, Some(started)).unwrap();
        assert_eq!(moved.pushed_after_start, Some(chrono::Duration::hours(2)));
        assert!(tag_moved(Some("sha256:new"), &current, Some(started)).is_none());
        assert!(
            tag_moved(None, &current, Some(started)).is_none(),
            "no digest, no claim"
        );
        assert_eq!(
            short_digest("sha256:0123456789abcdef"),
            "sha256:0123456789ab"
        );
    }
}
