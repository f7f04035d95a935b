//! The SDK's ECR: DescribeImages by tag.

use async_trait::async_trait;
use aws_sdk_ecr::types::{FindingSeverity, ImageDetail, ImageIdentifier};

use super::AwsBackend;
use super::errors::classify;
use super::mapping::time;
use crate::backend::BackendError;
use crate::backend::ecr::{EcrBackend, check_batch};
use crate::domain::image::EcrImage;

#[async_trait]
impl EcrBackend for AwsBackend {
    async fn describe_images(
        &self,
        registry_id: &str,
        repository: &str,
        tags: &[String],
    ) -> Result<Vec<EcrImage>, BackendError> {
        check_batch(tags)?;
        let ids = tags
            .iter()
            .map(|t| ImageIdentifier::builder().image_tag(t).build())
            .collect();
        let out = self
            .ecr
            .describe_images()
            .registry_id(registry_id)
            .repository_name(repository)
            .set_image_ids(Some(ids))
            .send()
            .await
            .map_err(|e| classify("DescribeImages", &e, self.ctx(None)))?;
        Ok(out
            .image_details()
            .iter()
            .flat_map(|detail| images(detail, repository, tags))
            .collect())
    }
}

/// One image per tag asked for that this image carries.
fn images(detail: &ImageDetail, repository: &str, asked: &[String]) -> Vec<EcrImage> {
    let Some(digest) = detail.image_digest() else {
        return Vec::new();
    };
    let counts = detail
        .image_scan_findings_summary()
        .and_then(|s| s.finding_severity_counts());
    let count = |severity: FindingSeverity| {
        counts.map(|c| i64::from(c.get(&severity).copied().unwrap_or(0)))
    };
    detail
        .image_tags()
        .iter()
        .filter(|t| asked.contains(t))
        .map(|tag| EcrImage {
            repository: repository.to_string(),
            tag: tag.clone(),
            digest: digest.to_string(),
            pushed_at: time(detail.image_pushed_at()),
            size_bytes: detail.image_size_in_bytes(),
            critical: count(FindingSeverity::Critical),
            high: count(FindingSeverity::High),
        })
        .collect()
}
