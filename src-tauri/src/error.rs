//! The error every command returns to the page: serialized as `{kind, message}` so the page can
//! show the message and act on the kind.

use serde::Serialize;

/// A command failed.
#[derive(Debug, thiserror::Error, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum UiError {
    /// The arguments do not fit this window (e.g. another break's id).
    #[error("{0}")]
    Invalid(String),
    /// The daemon said no (e.g. the break already ended).
    #[error("{0}")]
    Refused(String),
    /// The daemon could not be reached.
    #[error("{0}")]
    Unreachable(String),
    /// A file could not be read or written (the message says which and why).
    #[error("{0}")]
    Failed(String),
}

impl From<respite_core::client::ClientError> for UiError {
    fn from(e: respite_core::client::ClientError) -> Self {
        UiError::Unreachable(e.to_string())
    }
}
