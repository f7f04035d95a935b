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
