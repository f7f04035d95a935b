//! What changes between two task definitions, as a rollback would apply it: per container
//! image, cpu / memory, environment variable names, port mappings, command / entrypoint.
//! Secret values are never fetched; only secret names are compared.

use std::collections::BTreeMap;

use crate::domain::ecs::{ContainerDefinition, PortMapping, TaskDefinition};

/// One line of the diff, already in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// A heading: the task-level or a container's section.
    Section(String),
    Changed(String),
    Added(String),
    Removed(String),
}

/// The changes from `from` (what runs now) to `to` (what the rollback deploys).
pub fn task_definitions(from: &TaskDefinition, to: &TaskDefinition) -> Vec<DiffLine> {
    let mut out = Vec::new();
    let mut task = Vec::new();
    changed(&mut task, "task cpu", &from.cpu, &to.cpu);
    changed(&mut task, "task memory", &from.memory, &to.memory);
    changed(
        &mut task,
        "task role",
        &from.task_role_arn,
        &to.task_role_arn,
    );
    if !task.is_empty() {
        out.push(DiffLine::Section("task".into()));
        out.extend(task);
    }
    for name in container_names(from, to) {
        let (a, b) = (from.container(&name), to.container(&name));
        match (a, b) {
            (Some(a), Some(b)) => {
                let lines = container(a, b);
                if !lines.is_empty() {
                    out.push(DiffLine::Section(format!("container {name}")));
                    out.extend(lines);
                }
            }
            (None, Some(b)) => out.push(DiffLine::Added(format!("container {name} ({})", b.image))),
            (Some(a), None) => {
                out.push(DiffLine::Removed(format!("container {name} ({})", a.image)))
            }
            (None, None) => {}
        }
    }
    out
}

fn container_names(a: &TaskDefinition, b: &TaskDefinition) -> Vec<String> {
    let mut names: Vec<String> = a
        .container_definitions
        .iter()
        .map(|c| c.name.clone())
        .collect();
    for c in &b.container_definitions {
        if !names.contains(&c.name) {
            names.push(c.name.clone());
        }
    }
    names
}

fn changed<T: PartialEq + std::fmt::Debug>(
    out: &mut Vec<DiffLine>,
    what: &str,
    a: &Option<T>,
    b: &Option<T>,
) {
    if a != b {
        out.push(DiffLine::Changed(format!(
            "{what}: {} → {}",
            show(a.as_ref()),
            show(b.as_ref())
        )));
    }
}

fn show<T: std::fmt::Debug>(v: Option<&T>) -> String {
    match v {
        Some(v) => format!("{v:?}").trim_matches('"').to_string(),
        None => "-".to_string(),
    }
}

fn container(a: &ContainerDefinition, b: &ContainerDefinition) -> Vec<DiffLine> {
    let mut out = Vec::new();
    if a.image != b.image {
        out.push(DiffLine::Changed(format!(
            "image: {} → {}",
            a.image, b.image
        )));
    }
    if a.cpu != b.cpu {
        out.push(DiffLine::Changed(format!("cpu: {} → {}", a.cpu, b.cpu)));
    }
    changed(&mut out, "memory", &a.memory, &b.memory);
    changed(
        &mut out,
        "memory reservation",
        &a.memory_reservation,
        &b.memory_reservation,
    );
    // Environment: names only for added/removed; a changed value is reported by name so
    // values (which can be sensitive even when not secrets) are not put on screen.
    let env = |c: &ContainerDefinition| -> BTreeMap<String, String> {
        c.environment
            .iter()
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect()
    };
    let (ea, eb) = (env(a), env(b));
    for (name, value) in &eb {
        match ea.get(name) {
            None => out.push(DiffLine::Added(format!("env {name}"))),
            Some(old) if old != value => {
                out.push(DiffLine::Changed(format!("env {name} (value changed)")))
            }
            _ => {}
        }
    }
    for name in ea.keys().filter(|n| !eb.contains_key(*n)) {
        out.push(DiffLine::Removed(format!("env {name}")));
    }
    let secrets = |c: &ContainerDefinition| -> BTreeMap<String, String> {
        c.secrets
            .iter()
            .map(|s| (s.name.clone(), s.value_from.clone()))
            .collect()
    };
    let (sa, sb) = (secrets(a), secrets(b));
    for (name, from) in &sb {
        match sa.get(name) {
            None => out.push(DiffLine::Added(format!("secret {name}"))),
            Some(old) if old != from => {
                out.push(DiffLine::Changed(format!("secret {name} (source changed)")))
            }
            _ => {}
        }
    }
    for name in sa.keys().filter(|n| !sb.contains_key(*n)) {
        out.push(DiffLine::Removed(format!("secret {name}")));
    }
    let ports =
        |c: &ContainerDefinition| -> Vec<String> { c.port_mappings.iter().map(port).collect() };
    let (pa, pb) = (ports(a), ports(b));
    for p in pb.iter().filter(|p| !pa.contains(p)) {
        out.push(DiffLine::Added(format!("port {p}")));
    }
    for p in pa.iter().filter(|p| !pb.contains(p)) {
        out.push(DiffLine::Removed(format!("port {p}")));
    }
    if a.command != b.command {
        out.push(DiffLine::Changed(format!(
            "command: {} → {}",
            words(&a.command),
            words(&b.command)
        )));
    }
    if a.entry_point != b.entry_point {
        out.push(DiffLine::Changed(format!(
            "entrypoint: {} → {}",
            words(&a.entry_point),
            words(&b.entry_point)
        )));
    }
    out
}

fn port(p: &PortMapping) -> String {
    let proto = p.protocol.as_deref().unwrap_or("tcp");
    match (p.container_port, p.host_port) {
        (Some(c), Some(h)) if h != c && h != 0 => format!("{h}→{c}/{proto}"),
        (Some(c), _) => format!("{c}/{proto}"),
        _ => format!("?/{proto}"),
    }
}

fn words(parts: &[String]) -> String {
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ecs::{EnvironmentVariable, SecretReference};

    fn def(
        image: &str,
        cpu: i32,
        memory: i32,
        env: &[(&str, &str)],
        ports: &[i32],
    ) -> TaskDefinition {
        TaskDefinition {
            task_definition_arn: "arn:td/api:1".into(),
            family: "api".into(),
            cpu: Some("512".into()),
            container_definitions: vec![ContainerDefinition {
                name: "app".into(),
                image: image.into(),
                cpu,
                memory: Some(memory),
                environment: env
                    .iter()
                    .map(|(k, v)| EnvironmentVariable {
                        name: k.to_string(),
                        value: v.to_string(),
                    })
                    .collect(),
                secrets: vec![SecretReference {
                    name: "DB_PASSWORD".into(),
                    value_from: "arn:aws:ssm:r:1:parameter/db".into(),
                }],
                port_mappings: ports
                    .iter()
                    .map(|p| PortMapping {
                        container_port: Some(*p),
                        host_port: Some(*p),
                        protocol: Some("tcp".into()),
                    })
                    .collect(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn image_env_cpu_memory_and_ports_are_reported() {
        let from = def(
            "api:2.0",
            256,
            512,
            &[("LOG_LEVEL", "debug"), ("OLD", "1"), ("SAME", "x")],
            &[8080],
        );
        let to = def(
            "api:1.9",
            512,
            1024,
            &[("LOG_LEVEL", "info"), ("NEW", "2"), ("SAME", "x")],
            &[8080, 9090],
        );
        let diff = task_definitions(&from, &to);
        let text: Vec<String> = diff.iter().map(|l| format!("{l:?}")).collect();
        let expected = [
            "Section(\"container app\")",
            "Changed(\"image: api:2.0 → api:1.9\")",
            "Changed(\"cpu: 256 → 512\")",
            "Changed(\"memory: 512 → 1024\")",
            "Changed(\"env LOG_LEVEL (value changed)\")",
            "Added(\"env NEW\")",
            "Removed(\"env OLD\")",
            "Added(\"port 9090/tcp\")",
        ];
        assert_eq!(text, expected);
        // Values never appear, neither env values nor secret sources.
        let all = text.join(" ");
        assert!(!all.contains("debug") && !all.contains("info\"") && !all.contains("ssm"));
    }

    #[test]
    fn identical_definitions_have_no_diff() {
        let a = def("api:1", 256, 512, &[("A", "1")], &[80]);
        assert!(task_definitions(&a, &a.clone()).is_empty());
    }

    #[test]
    fn added_and_removed_containers_and_commands() {
        let mut from = def("api:1", 256, 512, &[], &[80]);
        let mut to = from.clone();
        to.container_definitions[0].command = vec!["serve".into(), "--fast".into()];
        to.container_definitions.push(ContainerDefinition {
            name: "envoy".into(),
            image: "envoy:1.29".into(),
            ..Default::default()
        });
        from.task_role_arn = Some("arn:role/a".into());
        let diff = task_definitions(&from, &to);
        assert!(diff.contains(&DiffLine::Changed("task role: arn:role/a → -".into())));
        assert!(diff.contains(&DiffLine::Changed("command: - → serve --fast".into())));
        assert!(diff.contains(&DiffLine::Added("container envoy (envoy:1.29)".into())));
    }
}
