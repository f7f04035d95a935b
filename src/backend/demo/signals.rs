//! The demo's CPU and memory curves: pure functions of (seed, cluster, service, time), so a
//! dashboard, a screenshot and a test all see the same numbers for the same minute whatever
//! order they ask in. The shapes match what the fleet does: the OOM crash-looper's memory
//! climbs to ~97 % before each kill, the failing rollout burns CPU, one service runs hot.

use std::f64::consts::TAU;

use super::catalog::{CLUSTERS, Special};

/// The service that runs hot (CPU > 90 %) so a triage by CPU puts it at the top.
pub(super) const HOT_SERVICE: (&str, &str) = ("prod-payments", "fraud-scorer");

/// Seconds of one memory climb of the crash-looping service (one OOM kill per cycle).
const SAWTOOTH_SECS: i64 = 240;
/// The crash-looper's memory at each minute of a cycle: the kill comes after the last one.
const SAWTOOTH: [f64; 4] = [58.0, 73.0, 87.0, 97.0];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Resource {
    Cpu,
    Memory,
}

impl Resource {
    fn label(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
        }
    }
}

/// How one service's utilisation moves.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Percent of the reservation around which it moves.
    base: f64,
    /// Daily wave amplitude, in points of percent.
    wave: f64,
    /// Minute-to-minute noise amplitude.
    noise: f64,
    /// Memory of the OOM crash-looper: a climb per cycle instead of a wave.
    sawtooth: bool,
    /// Seeds the phases and the noise.
    hash: u64,
}

/// FNV-1a of `parts`, separated so ("ab","c") and ("a","bc") differ.
pub(super) fn label_hash(seed: u64, parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    mix(hash)
}

/// SplitMix64's finaliser: a good hash of one word.
pub(super) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A number in `0.0..1.0` from a hash.
pub(super) fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

fn special(cluster: &str, service: &str) -> Special {
    CLUSTERS
        .iter()
        .filter(|c| c.name == cluster)
        .flat_map(|c| c.services.iter())
        .find(|s| s.name == service)
        .map_or(Special::Steady, |s| s.special)
}

fn shape(seed: u64, cluster: &str, service: &str, resource: Resource) -> Shape {
    let hash = label_hash(seed, &[cluster, service, resource.label()]);
    let production = cluster.starts_with("prod");
    let (low, high) = match resource {
        Resource::Cpu if production => (18.0, 60.0),
        Resource::Cpu => (10.0, 30.0),
        Resource::Memory => (25.0, 65.0),
    };
    let normal = Shape {
        base: low + (high - low) * unit(hash),
        wave: 4.0 + 8.0 * unit(mix(hash ^ 1)),
        noise: 3.0,
        sawtooth: false,
        hash,
    };
    if (cluster, service) == HOT_SERVICE && resource == Resource::Cpu {
        return Shape {
            base: 95.0,
            wave: 1.5,
            noise: 1.5,
            ..normal
        };
    }
    match (special(cluster, service), resource) {
        (Special::RolloutFailing, Resource::Cpu) => Shape {
            base: 82.0,
            wave: 3.0,
            noise: 3.0,
            ..normal
        },
        (Special::CrashLoop, Resource::Memory) => Shape {
            sawtooth: true,
            noise: 1.5,
            ..normal
        },
        _ => normal,
    }
}

/// Utilisation in percent of the reservation at `t` (Unix seconds), sampled per minute.
pub(super) fn utilisation(
    seed: u64,
    cluster: &str,
    service: &str,
    resource: Resource,
    t: i64,
) -> f64 {
    let shape = shape(seed, cluster, service, resource);
    value(&shape, t, 0)
}

/// One task's utilisation: its service's curve, offset a little per task. The crash-looper's
/// tasks climb from their own start, so each task dies at the top of its own climb.
pub(super) fn task_utilisation(
    seed: u64,
    cluster: &str,
    service: &str,
    task_id: &str,
    resource: Resource,
    started: Option<i64>,
    t: i64,
) -> f64 {
    let shape = shape(seed, cluster, service, resource);
    let task_hash = label_hash(seed, &[task_id, resource.label()]);
    if shape.sawtooth
        && let Some(started) = started
    {
        let minutes = (t - started).max(0) / 60;
        let index = usize::try_from(minutes).unwrap_or(usize::MAX);
        let climb = SAWTOOTH.get(index).copied().unwrap_or(99.0);
        return clamp(climb + noise(shape.noise, task_hash, t));
    }
    let offset = (unit(task_hash) - 0.5) * 8.0;
    clamp(value(&shape, t, task_hash) + offset)
}

fn noise(amplitude: f64, hash: u64, t: i64) -> f64 {
    let minute = t.div_euclid(60) as u64;
    (unit(mix(hash ^ minute.wrapping_mul(0x2545_f491_4f6c_dd1d))) - 0.5) * 2.0 * amplitude
}

fn clamp(v: f64) -> f64 {
    v.clamp(0.5, 100.0)
}

fn value(shape: &Shape, t: i64, extra_hash: u64) -> f64 {
    let minute_start = t.div_euclid(60) * 60;
    let noise = noise(shape.noise, shape.hash ^ extra_hash, t);
    if shape.sawtooth {
        let phase = minute_start.rem_euclid(SAWTOOTH_SECS) / 60;
        let index = usize::try_from(phase).unwrap_or(0);
        return clamp(SAWTOOTH.get(index).copied().unwrap_or(60.0) + noise);
    }
    let day = (minute_start.rem_euclid(86_400)) as f64 / 86_400.0;
    let daily = shape.wave * (TAU * (day + unit(mix(shape.hash ^ 2)))).sin();
    let ripple_period = 900.0 + 1_800.0 * unit(mix(shape.hash ^ 3));
    let ripple = 0.35 * shape.wave * (TAU * minute_start as f64 / ripple_period).sin();
    clamp(shape.base + daily + ripple + noise)
}

/// Aggregates per-minute samples the way CloudWatch's statistic does.
pub(super) fn aggregate(stat: &str, samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let count = samples.len() as f64;
    let sum: f64 = samples.iter().sum();
    let max = samples.iter().copied().fold(f64::MIN, f64::max);
    let min = samples.iter().copied().fold(f64::MAX, f64::min);
    match stat {
        "Maximum" => Some(max),
        "Minimum" => Some(min),
        "Sum" => Some(sum),
        "SampleCount" => Some(count),
        percentile if percentile.starts_with('p') => {
            let wanted: f64 = percentile.get(1..)?.parse().ok()?;
            let mut sorted = samples.to_vec();
            sorted.sort_by(f64::total_cmp);
            let rank = ((wanted / 100.0) * (count - 1.0)).round();
            sorted.get(rank.max(0.0) as usize).copied()
        }
        // Average, and anything CloudWatch would accept that the demo does not model.
        _ => Some(sum / count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_stay_in_range_and_are_pure() {
        for t in (0..86_400).step_by(60) {
            let v = utilisation(7, "prod-payments", "checkout-api", Resource::Cpu, t);
            assert!((0.5..=100.0).contains(&v));
            assert_eq!(
                v,
                utilisation(7, "prod-payments", "checkout-api", Resource::Cpu, t)
            );
            let hot = utilisation(7, HOT_SERVICE.0, HOT_SERVICE.1, Resource::Cpu, t);
            assert!(hot > 90.0, "{hot}");
        }
    }

    #[test]
    fn crash_looper_memory_climbs_to_the_top_each_cycle() {
        let peaks: Vec<f64> = (0..20)
            .map(|minute| {
                utilisation(
                    1,
                    "prod-payments",
                    "notification-sender",
                    Resource::Memory,
                    minute * 60,
                )
            })
            .collect();
        assert!(peaks.iter().any(|v| *v > 94.0));
        assert!(peaks.iter().any(|v| *v < 65.0));
    }

    #[test]
    fn statistics() {
        assert_eq!(aggregate("Maximum", &[1.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(aggregate("Average", &[1.0, 3.0]), Some(2.0));
        assert_eq!(aggregate("SampleCount", &[1.0, 3.0]), Some(2.0));
        assert_eq!(aggregate("p100", &[1.0, 3.0, 2.0]), Some(3.0));
        assert_eq!(aggregate("Average", &[]), None);
    }
}
