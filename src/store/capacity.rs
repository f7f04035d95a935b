//! The store's capacity data (`:capacity`): capacity providers and Auto Scaling groups as
//! fetched in batches, and each cluster's CapacityProviderReservation series.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{FetchNote, Loadable, Payload, Resource, Store, unpack};
use crate::backend::BackendError;
use crate::domain::capacity::{AutoScalingGroup, CapacityProvider};
use crate::domain::metrics::Series;

/// CapacityProviderReservation (percent) by capacity provider name.
pub type ReservationMap = BTreeMap<String, Series>;

impl Store {
    /// A capacity provider as last described, from whichever batch fetched it.
    pub fn capacity_provider(&self, name: &str) -> Option<&CapacityProvider> {
        (self.capacity_providers.values())
            .filter_map(Loadable::value)
            .flatten()
            .find(|p| p.name == name || p.capacity_provider_arn.as_deref() == Some(name))
    }

    /// An Auto Scaling group as last described, by name.
    pub fn auto_scaling_group(&self, name: &str) -> Option<&AutoScalingGroup> {
        (self.auto_scaling_groups.values())
            .filter_map(Loadable::value)
            .flatten()
            .find(|g| g.name == name)
    }

    /// The Loadable behind one capacity resource, created when missing.
    fn capacity_entry(&mut self, resource: &Resource) -> Option<CapacityEntry<'_>> {
        Some(match resource {
            Resource::CapacityProviders { names } => {
                CapacityEntry::Providers(self.capacity_providers.entry(names.clone()).or_default())
            }
            Resource::AutoScalingGroups { names } => {
                CapacityEntry::Groups(self.auto_scaling_groups.entry(names.clone()).or_default())
            }
            Resource::CapacityReservation { cluster, .. } => CapacityEntry::Reservation(
                self.capacity_reservation
                    .entry(cluster.clone())
                    .or_default(),
            ),
            _ => return None,
        })
    }

    pub(super) fn start_loading_capacity(&mut self, resource: &Resource) {
        match self.capacity_entry(resource) {
            Some(CapacityEntry::Providers(l)) => l.start_loading(),
            Some(CapacityEntry::Groups(l)) => l.start_loading(),
            Some(CapacityEntry::Reservation(l)) => l.start_loading(),
            None => {}
        }
    }

    pub(super) fn note_capacity(&mut self, resource: &Resource, note: &FetchNote) {
        match self.capacity_entry(resource) {
            Some(CapacityEntry::Providers(l)) => l.note(note),
            Some(CapacityEntry::Groups(l)) => l.note(note),
            Some(CapacityEntry::Reservation(l)) => l.note(note),
            None => {}
        }
    }

    pub(super) fn apply_capacity(
        &mut self,
        resource: &Resource,
        result: Result<Payload, BackendError>,
        at: DateTime<Utc>,
    ) {
        match self.capacity_entry(resource) {
            Some(CapacityEntry::Providers(l)) => l.finish(
                unpack(result, |p| match p {
                    Payload::CapacityProviders(v) => Some(v),
                    _ => None,
                }),
                at,
            ),
            Some(CapacityEntry::Groups(l)) => l.finish(
                unpack(result, |p| match p {
                    Payload::AutoScalingGroups(v) => Some(v),
                    _ => None,
                }),
                at,
            ),
            Some(CapacityEntry::Reservation(l)) => l.finish(
                unpack(result, |p| match p {
                    Payload::CapacityReservation(v) => Some(v),
                    _ => None,
                }),
                at,
            ),
            None => {}
        }
    }
}

enum CapacityEntry<'a> {
    Providers(&'a mut Loadable<Vec<CapacityProvider>>),
    Groups(&'a mut Loadable<Vec<AutoScalingGroup>>),
    Reservation(&'a mut Loadable<ReservationMap>),
}
