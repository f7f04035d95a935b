//! What the poller knows about each row of a big list (a cluster's services or tasks): which
//! rows are listed but not described yet, and when each described row was last described.
//! The list views draw the first as placeholders and take their age from the second.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Resource;

/// Row keys on screen per list resource, as the UI publishes them to the poller: those rows
/// are described first and kept freshest.
pub type VisibleRows = HashMap<Resource, std::collections::HashSet<String>>;

/// The rows of one list resource, beyond the described items in its `Loadable`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListRows {
    /// ARNs listed (ListServices / ListTasks) and not described yet, in the order listed.
    pub undescribed: Vec<String>,
    /// When each row was last described, by row key ([`row_key`]).
    pub described_at: HashMap<String, DateTime<Utc>>,
    /// True once every page of the list has been read at least once.
    pub listed: bool,
}

impl ListRows {
    /// The age the view shows: that of the oldest of these rows (the ones on screen).
    pub fn oldest<'a>(&self, keys: impl IntoIterator<Item = &'a String>) -> Option<DateTime<Utc>> {
        keys.into_iter()
            .filter_map(|k| self.described_at.get(k))
            .min()
            .copied()
    }
}

/// The key a list view gives the row of `arn`: a service's name (its ARN's last segment,
/// in both ARN formats), a task's whole ARN.
pub fn row_key<'a>(resource: &Resource, arn: &'a str) -> &'a str {
    match resource {
        Resource::Services { .. } => arn.rsplit('/').next().unwrap_or(arn),
        _ => arn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_row_is_keyed_by_name_in_both_arn_formats() {
        let services = Resource::Services {
            cluster: "prod".into(),
        };
        let long = "arn:aws:ecs:us-east-1:123456789012:service/prod/checkout";
        let short = "arn:aws:ecs:us-east-1:123456789012:service/checkout";
        assert_eq!(row_key(&services, long), "checkout");
        assert_eq!(row_key(&services, short), "checkout");
        let tasks = Resource::Tasks {
            cluster: "prod".into(),
            filter: Default::default(),
        };
        assert_eq!(row_key(&tasks, long), long);
    }
}
