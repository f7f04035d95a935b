//! The log buffer: a bounded, time-ordered, de-duplicated window of log lines.
//!
//! Bounded so memory stays flat under a flood (oldest lines go first); de-duplicated so a
//! transport that reconnects, switches (live tail ↔ polling) or back-fills a gap never shows
//! a line twice; time-ordered so lines of many tasks read as one story.

use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};

use crate::backend::logs::LogEvent;
use crate::domain::text::clean;

/// One line as the pane shows it. The message is already neutralised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub timestamp: DateTime<Utc>,
    /// The short task id (8 characters) the line came from.
    pub task: String,
    pub container: String,
    pub message: String,
    /// True when the message is a JSON object (kept on one line unless expanded).
    pub json: bool,
    /// Identity for de-duplication: stream, timestamp and message.
    key: u64,
}

/// What the buffer knows about a stream: which task and container it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StreamLabel {
    pub task: String,
    pub container: String,
}

#[derive(Debug)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    keys: HashSet<u64>,
    capacity: usize,
    /// Lines ever accepted (including evicted ones): lets views notice new arrivals.
    accepted: u64,
    /// Lines dropped as duplicates.
    duplicates: u64,
}

fn identity(stream: &str, timestamp: DateTime<Utc>, message: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    stream.hash(&mut h);
    timestamp.timestamp_millis().hash(&mut h);
    message.hash(&mut h);
    h.finish()
}

/// The label for a stream named the awslogs way: `prefix/container/task-id`.
pub fn label_for_stream(stream: &str) -> StreamLabel {
    let mut parts = stream.rsplit('/');
    let task: String = parts.next().unwrap_or(stream).chars().take(8).collect();
    let container = parts.next().unwrap_or("-").to_string();
    StreamLabel { task, container }
}

impl LogBuffer {
    pub fn new(capacity: usize) -> LogBuffer {
        let capacity = capacity.max(1);
        LogBuffer {
            lines: VecDeque::with_capacity(capacity.min(65_536)),
            keys: HashSet::with_capacity(capacity.min(65_536)),
            capacity,
            accepted: 0,
            duplicates: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn accepted(&self) -> u64 {
        self.accepted
    }

    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    pub fn get(&self, index: usize) -> Option<&LogLine> {
        self.lines.get(index)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogLine> + ExactSizeIterator {
        self.lines.iter()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.keys.clear();
    }

    /// The newest timestamp held, to resume a transport from.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.lines.back().map(|l| l.timestamp)
    }

    /// Adds one event. Returns false for a duplicate (or a line older than everything kept
    /// in a full buffer, which would be evicted at once).
    pub fn push(&mut self, event: &LogEvent) -> bool {
        let key = identity(&event.stream, event.timestamp, &event.message);
        if self.keys.contains(&key) {
            self.duplicates += 1;
            return false;
        }
        if self.lines.len() == self.capacity
            && self
                .lines
                .front()
                .is_some_and(|f| event.timestamp < f.timestamp)
        {
            return false;
        }
        let label = label_for_stream(&event.stream);
        let message = clean(&event.message);
        let trimmed = message.trim();
        let json = trimmed.starts_with('{') && trimmed.ends_with('}');
        let line = LogLine {
            timestamp: event.timestamp,
            task: label.task,
            container: label.container,
            message,
            json,
            key,
        };
        // Almost always the newest: append. Late lines (another task's stream, a back-fill)
        // go to their place in time, after lines with the same timestamp.
        match self.lines.back() {
            Some(last) if line.timestamp < last.timestamp => {
                let at = self
                    .lines
                    .partition_point(|l| l.timestamp <= line.timestamp);
                self.lines.insert(at, line);
            }
            _ => self.lines.push_back(line),
        }
        self.keys.insert(key);
        self.accepted += 1;
        while self.lines.len() > self.capacity {
            if let Some(old) = self.lines.pop_front() {
                self.keys.remove(&old.key);
            }
        }
        true
    }

    /// Adds a batch; returns how many lines were new.
    pub fn extend<'a>(&mut self, events: impl IntoIterator<Item = &'a LogEvent>) -> usize {
        events.into_iter().filter(|e| self.push(e)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(stream: &str, ms: i64, message: &str) -> LogEvent {
        LogEvent {
            timestamp: DateTime::<Utc>::from_timestamp_millis(1_700_000_000_000 + ms)
                .unwrap_or_default(),
            ingestion_time: None,
            group: "/ecs/api".into(),
            stream: stream.into(),
            message: message.into(),
        }
    }

    #[test]
    fn duplicates_never_appear() {
        let mut b = LogBuffer::new(100);
        let e = event("ecs/app/0f3a9c1b2d4e", 1, "GET / 200");
        assert!(b.push(&e));
        assert!(!b.push(&e.clone()));
        // Same text at the same time on another stream is another line.
        assert!(b.push(&event("ecs/app/9b8a7c6d5e4f", 1, "GET / 200")));
        assert_eq!(b.len(), 2);
        assert_eq!(b.duplicates(), 1);
    }

    #[test]
    fn lines_merge_in_time_order() {
        let mut b = LogBuffer::new(100);
        b.push(&event("ecs/app/aaaaaaaa1", 10, "third"));
        b.push(&event("ecs/app/bbbbbbbb1", 5, "second"));
        b.push(&event("ecs/app/aaaaaaaa1", 1, "first"));
        b.push(&event("ecs/app/bbbbbbbb1", 10, "fourth"));
        let order: Vec<&str> = b.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(order, ["first", "second", "third", "fourth"]);
        let first = b.get(0).map(|l| (l.task.clone(), l.container.clone()));
        assert_eq!(first, Some(("aaaaaaaa".to_string(), "app".to_string())));
    }

    #[test]
    fn memory_stays_bounded_under_a_flood() {
        let mut b = LogBuffer::new(1_000);
        for i in 0..50_000 {
            b.push(&event("ecs/app/aaaaaaaa1", i, &format!("line {i}")));
        }
        assert_eq!(b.len(), 1_000);
        assert_eq!(b.keys.len(), 1_000, "the de-duplication set is bounded too");
        assert_eq!(b.get(0).map(|l| l.message.as_str()), Some("line 49000"));
        // A line older than everything kept is not accepted into a full buffer.
        assert!(!b.push(&event("ecs/app/aaaaaaaa1", 3, "ancient")));
        // An evicted line may come back (a back-fill) only if it fits in time: it does not.
        assert_eq!(b.len(), 1_000);
    }

    #[test]
    fn escape_sequences_are_neutralised_on_the_way_in() {
        let mut b = LogBuffer::new(10);
        b.push(&event(
            "ecs/app/aaaaaaaa1",
            1,
            "\x1b]0;pwned\x07\x1b[2Jhello\n",
        ));
        assert_eq!(b.get(0).map(|l| l.message.as_str()), Some("hello"));
        b.push(&event("ecs/app/aaaaaaaa1", 2, " {\"level\":\"info\"} "));
        assert_eq!(b.get(1).map(|l| l.json), Some(true));
    }
}
