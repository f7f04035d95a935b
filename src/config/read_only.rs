//! Which profiles are read-only: decided once from the flag and the config file, and asked
//! again at every context switch, so a switch never carries one profile's write access into
//! another that is read-only.

use std::collections::BTreeSet;

/// The read-only rules of this session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadOnlyPolicy {
    /// `--read-only` or `read_only = true`: every profile.
    pub everywhere: bool,
    /// Why the safety settings could not be read, if they could not: every profile, with a
    /// banner that stays.
    pub unreadable: Option<String>,
    /// `[profiles.NAME] read_only = true`.
    pub profiles: BTreeSet<String>,
    /// Profiles whose settings could not be read.
    pub unreadable_profiles: BTreeSet<String>,
}

impl ReadOnlyPolicy {
    /// Whether `profile` (None: the default chain, whose settings are `default`'s) is
    /// read-only.
    pub fn for_profile(&self, profile: Option<&str>) -> bool {
        let name = profile.unwrap_or("default");
        self.everywhere
            || self.unreadable.is_some()
            || self.unreadable_profiles.contains(name)
            || self.profiles.contains(name)
    }

    /// Why read-only was forced on `profile`, for the banner that stays until restart.
    pub fn banner_for(&self, profile: Option<&str>) -> Option<String> {
        let name = profile.unwrap_or("default");
        self.unreadable.clone().or_else(|| {
            self.unreadable_profiles.contains(name).then(|| {
                format!(
                    "Read-only: the settings of profile {name} cannot be read; fix the config and restart."
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_makes_a_profile_read_only() {
        let policy = ReadOnlyPolicy {
            profiles: ["prod".to_string()].into(),
            unreadable_profiles: ["broken".to_string()].into(),
            ..ReadOnlyPolicy::default()
        };
        assert!(policy.for_profile(Some("prod")));
        assert!(policy.for_profile(Some("broken")));
        assert!(policy.banner_for(Some("broken")).is_some());
        assert!(!policy.for_profile(Some("dev")));
        assert!(!policy.for_profile(None));
        let everywhere = ReadOnlyPolicy {
            everywhere: true,
            ..ReadOnlyPolicy::default()
        };
        assert!(everywhere.for_profile(Some("dev")));
        let unreadable = ReadOnlyPolicy {
            unreadable: Some("cannot read".into()),
            ..ReadOnlyPolicy::default()
        };
        assert!(unreadable.for_profile(Some("dev")));
        assert_eq!(
            unreadable.banner_for(Some("dev")).as_deref(),
            Some("cannot read")
        );
    }
}
