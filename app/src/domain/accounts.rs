//! Accounts and roles: who may do what, and what a valid credential looks like.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The five roles of the spec (see "People who use it" in business-processes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Operator,
    Warehouse,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Customer,
        Role::Operator,
        Role::Warehouse,
        Role::Manager,
        Role::Admin,
    ];
    pub const STAFF: [Role; 4] = [Role::Operator, Role::Warehouse, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Operator => "operator",
            Role::Warehouse => "warehouse",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role \"{0}\" (expected one of customer, operator, warehouse, manager, admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// What an action needs. Later areas add their own permissions here, so the
/// whole role matrix stays in one table that is tested exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open `/admin` and its dashboard.
    AdminArea,
    /// List staff, create staff users, change roles (`/admin/users`).
    ManageUsers,
    /// Read the audit log (`/admin/audit`).
    ReadAuditLog,
    /// Products, variants, prices, stock and photos (`/admin/catalog`, CAT-5).
    ManageCatalog,
    /// Promotions and promo codes (`/admin/promotions`, LOY-2).
    ManagePromotions,
    /// The callback queue (`/admin/callbacks`, ORD-4).
    HandleCallbacks,
    /// Notification templates and the outbox (`/admin/notifications`, ORD-5).
    ManageNotifications,
    /// Delivery methods and pickup points (`/admin/delivery`, CHK-2).
    ManageDelivery,
    /// The order queue and each order's actions (`/admin/orders`, ORD-1, ORD-2).
    HandleOrders,
    /// The warehouse (`/admin/warehouse`, WMS-1 … WMS-4): stock and its
    /// ledger, shelves, orders to pick, pick lists, packing and handover.
    RunWarehouse,
    /// The CRM: customers, their cards, notes and tags (`/admin/customers`, ORD-3).
    HandleCustomers,
    /// Merge two customer records into one (ORD-3).
    MergeCustomers,
    /// Record money received for an order, all or part (ORD-6).
    TakePayments,
}

pub fn role_allows(role: Role, permission: Permission) -> bool {
    match permission {
        Permission::AdminArea => role.is_staff(),
        Permission::ManageUsers | Permission::ReadAuditLog => role == Role::Admin,
        Permission::ManageCatalog
        | Permission::ManagePromotions
        | Permission::ManageNotifications
        | Permission::ManageDelivery
        | Permission::MergeCustomers
        | Permission::TakePayments => {
            matches!(role, Role::Manager | Role::Admin)
        }
        Permission::HandleCallbacks | Permission::HandleOrders | Permission::HandleCustomers => {
            matches!(role, Role::Operator | Role::Manager | Role::Admin)
        }
        Permission::RunWarehouse => matches!(role, Role::Warehouse | Role::Manager | Role::Admin),
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Passwords so common that attackers try them first; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyui",
    "qwerty123",
    "11111111",
    "00000000",
    "iloveyou",
    "abcdefgh",
    "password123",
    "qwertyuiop",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "йцукенгш",
    "пароль123",
    "87654321",
    "abc12345",
    "admin123",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password must be at least 8 characters long")]
    TooShort,
    #[error("the password must be at most 128 characters long")]
    TooLong,
    #[error("this password is too common; choose another one")]
    TooCommon,
    #[error("the password must not contain your e-mail address")]
    ContainsEmail,
}

/// Length and common-password rules in the spirit of NIST SP 800-63B: no
/// composition rules, but no well-known passwords and nothing derived from the login.
pub fn check_password(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return Err(PasswordProblem::TooCommon);
    }
    let local_part = email.split('@').next().unwrap_or("").to_lowercase();
    if local_part.chars().count() >= 4 && lower.contains(&local_part) {
        return Err(PasswordProblem::ContainsEmail);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EmailProblem {
    #[error("enter an e-mail address")]
    Empty,
    #[error("this does not look like an e-mail address (name@example.com)")]
    Malformed,
}

/// Normalises an e-mail for storage and lookup: trimmed, lower-case.
pub fn normalize_email(raw: &str) -> Result<String, EmailProblem> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(EmailProblem::Empty);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(EmailProblem::Malformed);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| c.is_whitespace() || c == '@');
    if !domain_ok || !local_ok || email.len() > 254 {
        return Err(EmailProblem::Malformed);
    }
    Ok(email)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PhoneProblem {
    #[error("the phone number must have 10 to 15 digits, e.g. +7 900 123-45-67")]
    Malformed,
}

/// Normalises a phone number to `+<digits>`. Russian numbers written as
/// `8 9xx ...` or without a country code become `+7 9xx ...`.
pub fn normalize_phone(raw: &str) -> Result<String, PhoneProblem> {
    let trimmed = raw.trim();
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-()".contains(c)))
    {
        return Err(PhoneProblem::Malformed);
    }
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = match (trimmed.starts_with('+'), digits.len()) {
        (false, 11) if digits.starts_with('8') => format!("7{}", &digits[1..]),
        (false, 10) => format!("7{digits}"),
        _ => digits,
    };
    if !(10..=15).contains(&digits.len()) {
        return Err(PhoneProblem::Malformed);
    }
    Ok(format!("+{digits}"))
}

/// The phone field's live mask: a Russian number (typed as +7…, 7…, 8… or a
/// bare 9…) is shown as `+7 (916) 123-45-67` while it is typed; any other
/// country's number is left as typed. Extra digits beyond a Russian number's
/// ten are dropped.
pub fn mask_phone(typed: &str) -> String {
    let trimmed = typed.trim_start();
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let national = match digits.chars().next() {
        Some('7') => &digits[1..],
        Some('8') if !plus => &digits[1..],
        Some('9') if !plus => &digits[..],
        _ => return typed.to_string(),
    };
    let mut out = String::from("+7");
    for (i, c) in national.chars().take(10).enumerate() {
        match i {
            0 => out.push_str(" ("),
            3 => out.push_str(") "),
            6 | 8 => out.push('-'),
            _ => {}
        }
        out.push(c);
    }
    out
}

/// How long a session lives: an absolute limit since login, and an idle limit
/// since the last request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub absolute_secs: i64,
    pub idle_secs: i64,
    /// `last_seen` is written at most this often, so reads stay reads.
    pub touch_every_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            absolute_secs: 30 * 24 * 3600,
            idle_secs: 7 * 24 * 3600,
            touch_every_secs: 300,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Valid { needs_touch: bool },
    Expired,
}

impl SessionPolicy {
    /// All times are Unix seconds.
    pub fn status(&self, created_at: i64, last_seen_at: i64, now: i64) -> SessionStatus {
        if now >= created_at + self.absolute_secs || now >= last_seen_at + self.idle_secs {
            SessionStatus::Expired
        } else {
            SessionStatus::Valid {
                needs_touch: now - last_seen_at >= self.touch_every_secs,
            }
        }
    }
}

/// Failed-login throttling (per client IP and per account, counted over a window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub window_secs: i64,
    pub max_failures_per_ip: u64,
    pub max_failures_per_account: u64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            window_secs: 15 * 60,
            max_failures_per_ip: 20,
            max_failures_per_account: 5,
        }
    }
}

impl LoginThrottle {
    /// `true` when another attempt must be refused before checking the password.
    pub fn is_blocked(&self, failures_from_ip: u64, failures_for_account: u64) -> bool {
        failures_from_ip >= self.max_failures_per_ip
            || failures_for_account >= self.max_failures_per_account
    }

    /// Whole minutes until the oldest counted failure leaves the window.
    pub fn minutes_until_retry(&self, oldest_failure_at: i64, now: i64) -> i64 {
        let secs = (oldest_failure_at + self.window_secs - now).max(0);
        (secs + 59) / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn role_matrix_is_exactly_as_specified() {
        use Permission::*;
        let f = false;
        let expected = [
            (Role::Customer, [f; 13]),
            (
                Role::Operator,
                [true, f, f, f, f, true, f, f, true, f, true, f, f],
            ),
            (
                Role::Warehouse,
                [true, f, f, f, f, f, f, f, f, true, f, f, f],
            ),
            (
                Role::Manager,
                [
                    true, f, f, true, true, true, true, true, true, true, true, true, true,
                ],
            ),
            (Role::Admin, [true; 13]),
        ];
        for (role, allowed) in expected {
            let got = [
                AdminArea,
                ManageUsers,
                ReadAuditLog,
                ManageCatalog,
                ManagePromotions,
                HandleCallbacks,
                ManageNotifications,
                ManageDelivery,
                HandleOrders,
                RunWarehouse,
                HandleCustomers,
                MergeCustomers,
                TakePayments,
            ]
            .map(|p| role_allows(role, p));
            assert_eq!(got, allowed, "{role}");
        }
        assert_eq!(Role::STAFF.len() + 1, Role::ALL.len());
        assert!(Role::STAFF.iter().all(|r| r.is_staff()));
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            check_password("short1", "a@b.ru"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password("ёжикёжи", "a@b.ru"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_password("ёжикёжик", "a@b.ru"), Ok(()));
        assert_eq!(
            check_password(&"x".repeat(129), "a@b.ru"),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(check_password(&"x".repeat(128), "a@b.ru"), Ok(()));
        assert_eq!(
            check_password("Password1", "a@b.ru"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(
            check_password("ivanov2024!", "ivanov@mail.ru"),
            Err(PasswordProblem::ContainsEmail)
        );
        assert_eq!(check_password("correct horse", "ivanov@mail.ru"), Ok(()));
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalize_email("  Ivan@Mail.RU "),
            Ok("ivan@mail.ru".into())
        );
        assert_eq!(normalize_email(""), Err(EmailProblem::Empty));
        for bad in [
            "ivan",
            "ivan@",
            "@mail.ru",
            "ivan@mail",
            "iv an@mail.ru",
            "a@b..ru",
            "a@.ru",
        ] {
            assert_eq!(normalize_email(bad), Err(EmailProblem::Malformed), "{bad}");
        }
    }

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(
            normalize_phone("+7 (900) 123-45-67"),
            Ok("+79001234567".into())
        );
        assert_eq!(
            normalize_phone("8 900 123 45 67"),
            Ok("+79001234567".into())
        );
        assert_eq!(normalize_phone("9001234567"), Ok("+79001234567".into()));
        assert_eq!(
            normalize_phone("+44 20 7946 0958"),
            Ok("+442079460958".into())
        );
        assert_eq!(normalize_phone("12345"), Err(PhoneProblem::Malformed));
        assert_eq!(normalize_phone("+7 900 abc"), Err(PhoneProblem::Malformed));
    }

    #[test]
    fn sessions_expire_absolutely_and_when_idle() {
        let p = SessionPolicy::default();
        let t0 = 1_000_000;
        assert_eq!(
            p.status(t0, t0, t0 + 10),
            SessionStatus::Valid { needs_touch: false }
        );
        assert_eq!(
            p.status(t0, t0, t0 + 301),
            SessionStatus::Valid { needs_touch: true }
        );
        // Idle for a week: expired, even though the absolute limit is far away.
        assert_eq!(p.status(t0, t0, t0 + p.idle_secs), SessionStatus::Expired);
        // Active every day, but 30 days since login: expired.
        let now = t0 + p.absolute_secs;
        assert_eq!(p.status(t0, now - 60, now), SessionStatus::Expired);
        assert_eq!(
            p.status(t0, now - 60, now - 1),
            SessionStatus::Valid { needs_touch: false }
        );
    }

    #[test]
    fn login_throttle_blocks_per_ip_and_per_account() {
        let t = LoginThrottle::default();
        assert!(!t.is_blocked(0, 0));
        assert!(!t.is_blocked(19, 4));
        assert!(t.is_blocked(20, 0));
        assert!(t.is_blocked(0, 5));
        assert_eq!(t.minutes_until_retry(1000, 1000), 15);
        assert_eq!(t.minutes_until_retry(1000, 1000 + 14 * 60 + 1), 1);
        assert_eq!(t.minutes_until_retry(1000, 1000 + 20 * 60), 0);
    }

    #[test]
    fn the_phone_mask_formats_russian_numbers_as_they_are_typed() {
        assert_eq!(mask_phone("9"), "+7 (9");
        assert_eq!(mask_phone("8916"), "+7 (916");
        assert_eq!(mask_phone("+7916123"), "+7 (916) 123");
        assert_eq!(mask_phone("+7 (916) 123-4"), "+7 (916) 123-4");
        assert_eq!(mask_phone("89161234567"), "+7 (916) 123-45-67");
        assert_eq!(mask_phone("+7 (916) 123-45-678"), "+7 (916) 123-45-67");
        assert_eq!(mask_phone("7"), "+7");
        // Other countries and a lone plus are left alone.
        assert_eq!(mask_phone("+49 30 1234"), "+49 30 1234");
        assert_eq!(mask_phone("+"), "+");
        assert_eq!(mask_phone(""), "");
        // What the mask makes, the validation accepts.
        assert_eq!(
            normalize_phone(&mask_phone("89161234567")).unwrap(),
            "+79161234567"
        );
    }
}
