//! Amazon ECR, one method per AWS call: what image tags point to now (DescribeImages), to
//! tell the digest a container runs from the one its tag names today.

use async_trait::async_trait;

use super::{BackendError, ErrorKind};
use crate::domain::image::EcrImage;

/// AWS's maximum number of image ids in one DescribeImages call.
pub const DESCRIBE_IMAGES_MAX: usize = 100;

/// AWS's answer to a DescribeImages over the limit (the SDK and the demo both give it).
pub fn check_batch(tags: &[String]) -> Result<(), BackendError> {
    if tags.len() > DESCRIBE_IMAGES_MAX {
        return Err(BackendError::new(
            ErrorKind::InvalidRequest,
            "DescribeImages",
            format!("at most {DESCRIBE_IMAGES_MAX} image ids per call"),
        ));
    }
    Ok(())
}

#[async_trait]
pub trait EcrBackend: Send + Sync {
    /// DescribeImages of at most [`DESCRIBE_IMAGES_MAX`] tags of one repository (of
    /// `registry_id`, the account in the image name). One image per tag found: digest,
    /// pushed at, size and the scan findings summary (critical / high). AWS answers
    /// ImageNotFound (NotFound) for the whole call when any tag is missing; `fetch_images`
    /// then asks tag by tag.
    async fn describe_images(
        &self,
        registry_id: &str,
        repository: &str,
        tags: &[String],
    ) -> Result<Vec<EcrImage>, BackendError>;
}
