//! Catalog rules (CAT-1, CAT-2): option values, slugs, availability, discounts
//! and money in minor units. Listing filters and facets live in [`listing`],
//! search in [`search`].
pub mod editing;
pub mod listing;
pub mod search;

use crate::domain::money::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// At or below this many units a shopper sees "only N left".
pub const FEW_LEFT: i64 = 5;

/// One attribute of a product or one option of a variant ("Colour: Red").
/// `key` is stable across products so it can be filtered on; the value's code
/// (its English value as a slug) identifies it in URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OptionValue {
    pub key: String,
    pub name_ru: String,
    pub name_en: String,
    pub value_ru: String,
    pub value_en: String,
    /// CSS colour for colour swatches, e.g. `#c0392b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swatch: Option<String>,
}

impl OptionValue {
    pub fn new(
        key: &str,
        name_ru: &str,
        name_en: &str,
        value_ru: &str,
        value_en: &str,
        swatch: Option<&str>,
    ) -> OptionValue {
        OptionValue {
            key: key.into(),
            name_ru: name_ru.into(),
            name_en: name_en.into(),
            value_ru: value_ru.into(),
            value_en: value_en.into(),
            swatch: swatch.map(str::to_string),
        }
    }

    pub fn code(&self) -> String {
        slugify(&self.value_en)
    }

    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.name_ru,
            Lang::En => &self.name_en,
        }
    }

    pub fn value(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.value_ru,
            Lang::En => &self.value_en,
        }
    }
}

/// Picks the text of the shopper's language.
pub fn localized<'a>(lang: Lang, ru: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// What a shopper is told about a variant's stock (CAT-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    InStock,
    /// Only this many left.
    Few(i64),
    OutOfStock,
    /// Not in stock but can be ordered; ships in this many days.
    OnOrder(i32),
}

impl Availability {
    pub fn of(stock: i64, backorder_days: Option<i32>) -> Availability {
        match (stock, backorder_days) {
            (n, _) if n > FEW_LEFT => Availability::InStock,
            (n, _) if n > 0 => Availability::Few(n),
            (_, Some(days)) => Availability::OnOrder(days.max(0)),
            (_, None) => Availability::OutOfStock,
        }
    }

    /// Whether "add to cart" is offered.
    pub fn can_buy(self) -> bool {
        !matches!(self, Availability::OutOfStock)
    }

    /// schema.org availability URL for JSON-LD offers.
    pub fn schema_org(self) -> &'static str {
        match self {
            Availability::InStock | Availability::Few(_) => "https://schema.org/InStock",
            Availability::OutOfStock => "https://schema.org/OutOfStock",
            Availability::OnOrder(_) => "https://schema.org/BackOrder",
        }
    }
}

/// Converts stored kopecks to money.
pub fn from_minor(minor: i64) -> Decimal {
    Decimal::new(minor, 2)
}

/// Converts money to kopecks; `None` for negative amounts or more than two
/// decimal places (a price is never rounded silently).
pub fn to_minor(amount: Decimal) -> Option<i64> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return None;
    }
    let scaled = amount * Decimal::from(100);
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(scaled.trunc()).ok()
}

/// Whole percent off the old price, rounded down (never overstating a discount).
pub fn discount_percent(price: Decimal, old_price: Option<Decimal>) -> Option<u32> {
    let old = old_price?;
    if old <= price || old.is_zero() {
        return None;
    }
    let percent = ((old - price) * Decimal::from(100) / old).floor();
    u32::try_from(percent).ok().filter(|p| *p > 0)
}

/// A URL slug from any text: Latin letters and digits in lower case, Cyrillic
/// transliterated, everything else a single dash. At most 160 characters.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let piece: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            _ => "-",
        };
        if piece == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(piece);
        }
    }
    let mut slug = out.trim_end_matches('-').to_string();
    if slug.len() > 160 {
        slug.truncate(160);
        slug = slug.trim_end_matches('-').to_string();
    }
    slug
}

/// Why a slug typed by staff is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlugProblem {
    Empty,
    TooLong,
    BadCharacters,
}

impl std::fmt::Display for SlugProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SlugProblem::Empty => "the address (slug) is empty",
            SlugProblem::TooLong => "the address (slug) is longer than 160 characters",
            SlugProblem::BadCharacters => {
                "the address (slug) may hold only a-z, 0-9 and single dashes inside"
            }
        })
    }
}

pub fn check_slug(slug: &str) -> Result<(), SlugProblem> {
    if slug.is_empty() {
        return Err(SlugProblem::Empty);
    }
    if slug.len() > 160 {
        return Err(SlugProblem::TooLong);
    }
    let ok_chars = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok_chars || slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        return Err(SlugProblem::BadCharacters);
    }
    Ok(())
}

/// Makes `base` unique against `taken` by appending `-2`, `-3`, ...
pub fn unique_slug(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "item" } else { base };
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .expect("an unbounded range always yields a free slug")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn availability_wording_thresholds() {
        assert_eq!(Availability::of(6, None), Availability::InStock);
        assert_eq!(Availability::of(5, None), Availability::Few(5));
        assert_eq!(Availability::of(1, Some(7)), Availability::Few(1));
        assert_eq!(Availability::of(0, None), Availability::OutOfStock);
        assert_eq!(Availability::of(0, Some(14)), Availability::OnOrder(14));
        assert!(!Availability::of(0, None).can_buy());
        assert!(Availability::of(0, Some(3)).can_buy());
    }

    #[test]
    fn minor_units_are_exact() {
        assert_eq!(from_minor(199050).to_string(), "1990.50");
        assert_eq!(to_minor("1990.5".parse().unwrap()), Some(199050));
        assert_eq!(to_minor("0".parse().unwrap()), Some(0));
        assert_eq!(to_minor("-1".parse().unwrap()), None, "negative price");
        assert_eq!(to_minor("1.005".parse().unwrap()), None, "sub-kopeck");
    }

    #[test]
    fn discount_is_rounded_down_and_only_for_real_markdowns() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(discount_percent(d("1990"), Some(d("2990"))), Some(33));
        assert_eq!(discount_percent(d("100"), Some(d("100"))), None);
        assert_eq!(discount_percent(d("120"), Some(d("100"))), None);
        assert_eq!(discount_percent(d("100"), None), None);
        assert_eq!(discount_percent(d("99.9"), Some(d("100"))), None);
    }

    #[test]
    fn slugs_transliterate_and_collapse() {
        assert_eq!(
            slugify("Футболка «Базовая» — белая"),
            "futbolka-bazovaya-belaya"
        );
        assert_eq!(slugify("  Men's T-Shirt, XL  "), "men-s-t-shirt-xl");
        assert_eq!(slugify("Щётка"), "shchetka");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"a".repeat(300)).len() <= 160);
    }

    #[test]
    fn slug_rules() {
        assert!(check_slug("red-shirt-2").is_ok());
        assert_eq!(check_slug(""), Err(SlugProblem::Empty));
        assert_eq!(check_slug("Red"), Err(SlugProblem::BadCharacters));
        assert_eq!(check_slug("-red"), Err(SlugProblem::BadCharacters));
        assert_eq!(check_slug("a--b"), Err(SlugProblem::BadCharacters));
        assert_eq!(check_slug(&"a".repeat(161)), Err(SlugProblem::TooLong));
    }

    #[test]
    fn unique_slugs_get_a_counter() {
        let taken: HashSet<&str> = ["shirt", "shirt-2"].into_iter().collect();
        assert_eq!(unique_slug("shirt", |s| taken.contains(s)), "shirt-3");
        assert_eq!(unique_slug("shoe", |s| taken.contains(s)), "shoe");
        assert_eq!(unique_slug("", |_| false), "item");
    }
}
