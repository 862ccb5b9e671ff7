//! "Contains, ignoring case" for the staff's search boxes: the order queue
//! (ORD-1), customers (CRM), users, the catalog and warehouse lists; and
//! "is, ignoring case" for the customer list's city filter.
//!
//! SQLite's `LIKE` and `lower()` fold only ASCII letters, so on SQLite a
//! search for "Анна" found no "Анна Козлова" (6,096 such orders in the bench
//! shop, none found). There the condition is a `GLOB` in which every letter
//! stands for both its cases (`*[аА][нН][нН][аА]*`). PostgreSQL's `ILIKE`
//! folds by the database's locale. What staff type is matched as typed:
//! `%`, `_`, `*`, `?` and `[` are no wildcards.
use sea_orm::sea_query::extension::postgres::PgExpr;
use sea_orm::sea_query::extension::sqlite::SqliteExpr;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::DbBackend;

/// `column` contains `text`, in any letter case.
pub fn contains_ignoring_case(backend: DbBackend, column: Expr, text: &str) -> Expr {
    match backend {
        DbBackend::Sqlite => column.glob(format!("*{}*", glob_literal(text))),
        // Backslash is PostgreSQL's default LIKE escape character.
        _ => column.ilike(LikeExpr::new(format!("%{}%", escape_like(text)))),
    }
}

/// `column` is `text`, in any letter case: the customer list's city filter
/// finds "Москва" typed as "москва" or "МОСКВА".
pub fn equals_ignoring_case(backend: DbBackend, column: Expr, text: &str) -> Expr {
    match backend {
        DbBackend::Sqlite => column.glob(glob_literal(text)),
        _ => column.ilike(LikeExpr::new(escape_like(text))),
    }
}

/// A SQLite `GLOB` pattern matching exactly `text`, each letter in either
/// case.
fn glob_literal(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        let lower = single(c.to_lowercase());
        let upper = single(c.to_uppercase());
        match (lower, upper) {
            (Some(lower), Some(upper)) if lower != upper => {
                pattern.push('[');
                pattern.push(lower);
                pattern.push(upper);
                pattern.push(']');
            }
            // GLOB's own characters, matched as themselves inside a set.
            _ if matches!(c, '*' | '?' | '[') => {
                pattern.push('[');
                pattern.push(c);
                pattern.push(']');
            }
            _ => pattern.push(c),
        }
    }
    pattern
}

/// The one character a case mapping gives, if it gives one ("ß" upper
/// case is "SS": left as typed).
fn single(mut mapped: impl Iterator<Item = char>) -> Option<char> {
    let first = mapped.next()?;
    mapped.next().is_none().then_some(first)
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_of_a_glob_stands_for_both_cases() {
        assert_eq!(glob_literal("Анна"), "[аА][нН][нН][аА]");
        assert_eq!(glob_literal("ivan.p@"), "[iI][vV][aA][nN].[pP]@");
        assert_eq!(glob_literal("Ёж 42"), "[ёЁ][жЖ] 42");
    }

    #[test]
    fn glob_and_like_wildcards_typed_by_staff_match_themselves() {
        assert_eq!(glob_literal("a*b?[c]"), "[aA][*][bB][?][[][cC]]");
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }

    #[test]
    fn a_letter_whose_other_case_is_two_letters_is_left_as_typed() {
        assert_eq!(glob_literal("ß"), "ß");
    }
}
