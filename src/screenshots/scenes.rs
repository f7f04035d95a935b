//! The screens the README shows, each as the keys an engineer would press from the
//! clusters view of the demo fleet. Each scene starts from a fresh dashboard, so one
//! scene's keys never change another's picture.

use super::{Session, Shot};
use crate::config::theme::Theme;

/// The production cluster of the demo, where every interesting state lives.
const CLUSTER: &str = "prod-payments";

/// One screenshot: its file name, what it shows, and how to get there.
pub struct Scene {
    pub name: &'static str,
    pub caption: &'static str,
    /// Drawn with the built-in light theme on a white terminal.
    pub light: bool,
    drive: fn(&mut Session) -> Result<(), String>,
}

impl Scene {
    /// Drives a fresh dashboard to this scene and draws it.
    pub fn render(&self) -> Result<Shot, String> {
        let theme = if self.light {
            Theme::load("light", None)?
        } else {
            Theme::default()
        };
        let mut session = Session::new(theme)?;
        session.settle()?;
        (self.drive)(&mut session).map_err(|e| format!("screenshot {}: {e}", self.name))?;
        let (svg, text) = session.picture(self.light)?;
        Ok(Shot {
            name: self.name,
            caption: self.caption,
            svg,
            text,
        })
    }
}

/// Clusters → the production cluster's services.
fn services(s: &mut Session) -> Result<(), String> {
    s.select(CLUSTER)?;
    s.keys("\n")
}

/// The services list with the cursor on `service`.
fn on_service(s: &mut Session, service: &str) -> Result<(), String> {
    services(s)?;
    s.select(service)
}

/// Every scene, in README order.
pub static SCENES: &[Scene] = &[
    Scene {
        name: "clusters",
        caption: "Clusters with their services, tasks and utilisation",
        light: false,
        drive: |_| Ok(()),
    },
    Scene {
        name: "services",
        caption: "Services with CPU/memory sparklines, rollouts and an alarm",
        light: false,
        drive: services,
    },
    Scene {
        name: "stopped-tasks",
        caption: "Stopped tasks of a crash-looping service, with the reasons (x)",
        light: false,
        drive: |s| {
            on_service(s, "notification-sender")?;
            s.keys("\nx")
        },
    },
    Scene {
        name: "containers",
        caption: "The containers of a task",
        light: false,
        drive: |s| {
            on_service(s, "checkout-api")?;
            s.keys("\n\n")
        },
    },
    Scene {
        name: "logs",
        caption: "Live logs of a service, a search highlighted (l, then /)",
        light: false,
        drive: |s| {
            on_service(s, "checkout-api")?;
            s.keys("l/error\n")
        },
    },
    Scene {
        name: "service-detail",
        caption: "Service detail: CPU/memory charts, deployments and events (m)",
        light: false,
        drive: |s| {
            on_service(s, "checkout-api")?;
            s.keys("m")
        },
    },
    Scene {
        name: "triage",
        caption: "Triage: what is wrong in a cluster, worst first (:triage)",
        light: false,
        drive: |s| s.keys(&format!(":triage {CLUSTER}\n")),
    },
    Scene {
        name: "rollback",
        caption: "Rolling back: pick a revision, read the task definition diff (R)",
        light: false,
        drive: |s| {
            on_service(s, "ledger-sync")?;
            s.keys("Rjjjj")
        },
    },
    Scene {
        name: "scale",
        caption: "Scaling a service that Application Auto Scaling manages (s)",
        light: false,
        drive: |s| {
            on_service(s, "session-service")?;
            s.keys("s\u{8}9\n")
        },
    },
    Scene {
        name: "help",
        caption: "Help, generated from the keymap (?)",
        light: false,
        drive: |s| s.keys("?"),
    },
    Scene {
        name: "services-light",
        caption: "The services view in the built-in light theme (--theme light)",
        light: true,
        drive: services,
    },
];
