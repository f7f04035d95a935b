//! The profiles of the AWS config and credentials files, for `:ctx`.
//!
//! Only what the list shows is read: the profile's name, its region, and how it gets
//! credentials. Secrets are never kept: a profile with keys is just "keys". The SDK reads the
//! files again itself when ecsdeck switches to a profile.

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use crate::domain::profile::{AwsProfile, CredentialSource};

/// `AWS_CONFIG_FILE` or `~/.aws/config`, and `AWS_SHARED_CREDENTIALS_FILE` or
/// `~/.aws/credentials`, as the SDK and the AWS CLI find them.
pub fn default_files() -> (Option<PathBuf>, Option<PathBuf>) {
    let home = dirs::home_dir().map(|h| h.join(".aws"));
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let config = from_env("AWS_CONFIG_FILE").or_else(|| home.as_ref().map(|h| h.join("config")));
    let credentials = from_env("AWS_SHARED_CREDENTIALS_FILE")
        .or_else(|| home.as_ref().map(|h| h.join("credentials")));
    (config, credentials)
}

/// Reads both files (a missing file is no profiles, not an error) and lists the profiles by
/// name. An unreadable file is an error: the list would silently lack profiles.
pub fn read(
    config: Option<PathBuf>,
    credentials: Option<PathBuf>,
) -> Result<Vec<AwsProfile>, String> {
    let read_text = |path: Option<PathBuf>| -> Result<String, String> {
        let Some(path) = path else {
            return Ok(String::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(format!("Cannot read {}: {e}.", path.display())),
        }
    };
    Ok(parse(&read_text(config)?, &read_text(credentials)?))
}

/// Merges the two files' sections. In the config file a profile is `[profile NAME]` (or
/// `[default]`); in the credentials file it is `[NAME]`. `[sso-session X]` and other
/// sections are not profiles.
pub fn parse(config: &str, credentials: &str) -> Vec<AwsProfile> {
    let mut keys: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (section, entries) in sections(config) {
        let name = match section.strip_prefix("profile ") {
            Some(name) => name.trim().to_string(),
            None if section == "default" => section,
            None => continue,
        };
        keys.entry(name).or_default().extend(entries);
    }
    for (section, entries) in sections(credentials) {
        keys.entry(section).or_default().extend(entries);
    }
    keys.into_iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, entries)| AwsProfile {
            region: entries.get("region").cloned().filter(|r| !r.is_empty()),
            credentials: source_of(&entries),
            name,
        })
        .collect()
}

fn source_of(entries: &BTreeMap<String, String>) -> CredentialSource {
    let has = |key: &str| entries.contains_key(key);
    if has("sso_session") || has("sso_start_url") {
        CredentialSource::Sso
    } else if has("role_arn") {
        CredentialSource::AssumeRole
    } else if has("credential_process") {
        CredentialSource::Process
    } else if has("aws_access_key_id") {
        CredentialSource::Keys
    } else {
        CredentialSource::Unknown
    }
}

/// The INI sections of one file: `[name]` then `key = value` lines. Comments (`#`, `;`) and
/// indented continuation lines (nested settings such as `s3 =`) are skipped.
fn sections(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name.trim().to_string(), BTreeMap::new()));
        } else if let (Some((key, value)), Some((_, entries))) =
            (line.split_once('='), out.last_mut())
        {
            entries.insert(key.trim().to_lowercase(), value.trim().to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "
[default]
region = us-east-1

[profile prod]
sso_session = corp
sso_account_id = 111122223333
region = eu-west-1
s3 =
  max_concurrent_requests = 20

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[profile ops]
role_arn = arn:aws:iam::111122223333:role/ops
source_profile = default
; a comment
[profile tool]
credential_process = /usr/bin/creds
";
    const CREDENTIALS: &str = "
[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[ci]
aws_access_key_id = AKIAOTHER
";

    #[test]
    fn both_files_merge_into_one_list_by_name() {
        let profiles = parse(CONFIG, CREDENTIALS);
        let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ci", "default", "ops", "prod", "tool"]);
        let by = |n: &str| profiles.iter().find(|p| p.name == n).cloned().unwrap();
        assert_eq!(by("default").region.as_deref(), Some("us-east-1"));
        assert_eq!(by("default").credentials, CredentialSource::Keys);
        assert_eq!(by("prod").region.as_deref(), Some("eu-west-1"));
        assert_eq!(by("prod").credentials, CredentialSource::Sso);
        assert_eq!(by("ops").credentials, CredentialSource::AssumeRole);
        assert_eq!(by("tool").credentials, CredentialSource::Process);
        assert_eq!(by("ci").region, None);
    }

    #[test]
    fn nested_settings_and_sso_sessions_are_not_profiles_or_keys() {
        let profiles = parse(CONFIG, "");
        assert!(
            profiles
                .iter()
                .all(|p| p.name != "sso-session corp" && p.name != "corp")
        );
        assert!(profiles.iter().all(|p| !p.name.contains("max_concurrent")));
    }

    #[test]
    fn missing_files_are_no_profiles_and_unreadable_ones_an_error() {
        let dir = std::env::temp_dir().join(format!("ecsdeck-profiles-{}", std::process::id()));
        let missing = read(Some(dir.join("nope")), None).unwrap();
        assert!(missing.is_empty());
        std::fs::create_dir_all(&dir).unwrap();
        // A directory cannot be read as a file.
        let error = read(Some(dir.clone()), None).unwrap_err();
        assert!(error.starts_with("Cannot read"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
