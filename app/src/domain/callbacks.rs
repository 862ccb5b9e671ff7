//! "Call me back" requests (CART-6, ORD-4): what a shopper must give, and the
//! states an operator moves a request through.
use super::accounts::{normalize_phone, PhoneProblem};
use serde::{Deserialize, Serialize};

pub const NAME_MAX_CHARS: usize = 120;
pub const NOTE_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallbackStatus {
    New,
    Called,
    NoAnswer,
}

impl CallbackStatus {
    pub const ALL: [CallbackStatus; 3] = [
        CallbackStatus::New,
        CallbackStatus::Called,
        CallbackStatus::NoAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::New => "new",
            CallbackStatus::Called => "called",
            CallbackStatus::NoAnswer => "no_answer",
        }
    }

    pub fn parse(s: &str) -> Option<CallbackStatus> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallbackProblem {
    NameRequired,
    NameTooLong,
    Phone(PhoneProblem),
}

/// A valid request: the name trimmed, the phone as `+<digits>`.
pub fn validate(name: &str, phone: &str) -> Result<(String, String), Vec<CallbackProblem>> {
    let mut problems = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        problems.push(CallbackProblem::NameRequired);
    } else if name.chars().count() > NAME_MAX_CHARS {
        problems.push(CallbackProblem::NameTooLong);
    }
    let phone = match phone.trim() {
        "" => Err(PhoneProblem::Malformed),
        p => normalize_phone(p),
    }
    .map_err(|p| problems.push(CallbackProblem::Phone(p)))
    .ok();
    match phone {
        Some(phone) if problems.is_empty() => Ok((name.to_string(), phone)),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_needs_a_name_and_a_phone_that_can_be_dialled() {
        assert_eq!(
            validate(" Анна ", "8 (916) 123-45-67"),
            Ok(("Анна".into(), "+79161234567".into()))
        );
        assert_eq!(
            validate("", "12"),
            Err(vec![
                CallbackProblem::NameRequired,
                CallbackProblem::Phone(PhoneProblem::Malformed)
            ])
        );
        assert_eq!(
            validate(&"я".repeat(121), "+7 916 123 45 67"),
            Err(vec![CallbackProblem::NameTooLong])
        );
        assert_eq!(
            validate("Анна", " "),
            Err(vec![CallbackProblem::Phone(PhoneProblem::Malformed)])
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in CallbackStatus::ALL {
            assert_eq!(CallbackStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CallbackStatus::parse("done"), None);
    }
}
