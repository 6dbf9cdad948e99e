//! The customer's review: change requests raised against a version.

use serde::{Deserialize, Serialize};
use time::Date;

use super::engagement::iso_date;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeRequest {
    pub id: String,
    pub raised_against: String,
    pub section: String,
    pub raised_by: String,
    #[serde(with = "iso_date")]
    pub date: Date,
    pub kind: RequestKind,
    pub request: String,
    pub status: RequestStatus,
    pub resolution: Option<String>,
    pub applied_in: Option<String>,
    /// The copy of the playbook the request was raised on (its
    /// environment): step numbers differ between copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<String>,
    /// The steps of the section as that copy numbers them (`12–14`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<String>,
    /// The discussion of the request, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
}

/// One turn of the discussion about a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub by: String,
    #[serde(with = "iso_date")]
    pub date: Date,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestKind {
    Change,
    Clarification,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Open,
    Agreed,
    Rejected,
    Applied,
}

impl RequestKind {
    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Change => "Change",
            RequestKind::Clarification => "Clarification",
        }
    }
}

impl RequestStatus {
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Open => "Open",
            RequestStatus::Agreed => "Agreed",
            RequestStatus::Rejected => "Rejected",
            RequestStatus::Applied => "Applied",
        }
    }
}
