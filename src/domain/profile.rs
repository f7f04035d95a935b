//! An AWS profile as the AWS config and credentials files describe it (`:ctx` lists them;
//! `config::aws_profiles` reads the files).

/// How a profile obtains credentials, as its files say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CredentialSource {
    /// IAM Identity Center (`sso_session` or `sso_start_url`).
    Sso,
    /// Assumes a role (`role_arn`) from another profile or a web identity.
    AssumeRole,
    /// Runs `credential_process`.
    Process,
    /// Access keys in the credentials or config file.
    Keys,
    /// Nothing the list recognises (the default chain decides: environment, instance role).
    Unknown,
}

impl CredentialSource {
    pub fn label(self) -> &'static str {
        match self {
            CredentialSource::Sso => "SSO",
            CredentialSource::AssumeRole => "assume role",
            CredentialSource::Process => "process",
            CredentialSource::Keys => "keys",
            CredentialSource::Unknown => "-",
        }
    }
}

/// One profile, merged from both files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsProfile {
    pub name: String,
    pub region: Option<String>,
    pub credentials: CredentialSource,
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`: two letters, one or more
/// words, a number.
pub fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    parts.len() >= 3
        && first.len() == 2
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        && (1..=2).contains(&last.len())
        && last.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::is_region_name;

    #[test]
    fn region_names_are_recognised() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-3",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-1a",
            "x-y-1",
            "us--1",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }
}
