//! ECR lookups above the trait: the tags of one repository in batches of 100, and tag by tag
//! when AWS refuses a batch because one of its tags is gone (DescribeImages answers
//! ImageNotFound for the whole call then).

use super::ecr::{DESCRIBE_IMAGES_MAX, EcrBackend};
use super::{BackendError, ErrorKind};
use crate::domain::image::EcrImage;

/// What each of `tags` of `repository` points to now; a tag that no longer exists is left
/// out (the row then says so), any other error fails the lookup.
pub async fn images(
    backend: &dyn EcrBackend,
    registry_id: &str,
    repository: &str,
    tags: &[String],
) -> Result<Vec<EcrImage>, BackendError> {
    let mut out = Vec::new();
    for batch in tags.chunks(DESCRIBE_IMAGES_MAX) {
        match backend
            .describe_images(registry_id, repository, batch)
            .await
        {
            Ok(found) => out.extend(found),
            Err(e) if tag_missing(&e) && batch.len() > 1 => {
                for tag in batch {
                    match backend
                        .describe_images(registry_id, repository, std::slice::from_ref(tag))
                        .await
                    {
                        Ok(found) => out.extend(found),
                        Err(e) if tag_missing(&e) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) if tag_missing(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// ImageNotFound ("The image with imageId {…} does not exist within the repository…"), not
/// RepositoryNotFound ("The repository with name … does not exist"): only a missing tag is
/// worth asking around; a missing repository (or anything else) fails the lookup.
fn tag_missing(e: &BackendError) -> bool {
    e.kind == ErrorKind::NotFound && e.message.to_lowercase().contains("imageid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A repository where `gone` was deleted: a batch holding it fails as AWS does.
    struct Repo {
        gone: &'static str,
        calls: Mutex<Vec<usize>>,
    }

    #[async_trait::async_trait]
    impl EcrBackend for Repo {
        async fn describe_images(
            &self,
            _: &str,
            repository: &str,
            tags: &[String],
        ) -> Result<Vec<EcrImage>, BackendError> {
            self.calls.lock().unwrap().push(tags.len());
            assert!(tags.len() <= DESCRIBE_IMAGES_MAX);
            if tags.iter().any(|t| t == self.gone) {
                return Err(BackendError::new(
                    ErrorKind::NotFound,
                    "DescribeImages",
                    "The image with imageId {imageTag:'gone'} does not exist",
                ));
            }
            Ok(tags
                .iter()
                .map(|t| EcrImage {
                    repository: repository.into(),
                    tag: t.clone(),
                    digest: format!("sha256:{t}"),
                    pushed_at: None,
                    size_bytes: None,
                    critical: None,
                    high: None,
                })
                .collect())
        }
    }

    #[tokio::test]
    async fn batches_of_100_and_a_missing_tag_costs_only_its_own_batch() {
        let repo = Repo {
            gone: "not asked for",
            calls: Mutex::new(Vec::new()),
        };
        let tags: Vec<String> = (0..250).map(|i| format!("t{i}")).collect();
        let found = images(&repo, "1", "api", &tags).await.unwrap();
        assert_eq!(found.len(), 250);
        assert_eq!(*repo.calls.lock().unwrap(), vec![100, 100, 50]);

        let repo = Repo {
            gone: "t150",
            calls: Mutex::new(Vec::new()),
        };
        let tags: Vec<String> = (0..250).map(|i| format!("t{i}")).collect();
        let found = images(&repo, "1", "api", &tags).await.unwrap();
        assert_eq!(found.len(), 249);
        let calls = repo.calls.lock().unwrap().clone();
        assert_eq!(calls[..2], [100, 100]);
        assert_eq!(
            calls.len(),
            2 + 100 + 1,
            "the failing batch tag by tag, then the last"
        );
    }
}
