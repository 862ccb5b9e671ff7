//! Money display. Amounts are always `Decimal`; this module only formats them.
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Currency {
    #[default]
    Rub,
    Usd,
    Eur,
    Kzt,
    Byn,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Rub => "RUB",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Kzt => "KZT",
            Currency::Byn => "BYN",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Currency::Rub => "₽",
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Kzt => "₸",
            Currency::Byn => "Br",
        }
    }
}

impl FromStr for Currency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Currency::Rub,
            Currency::Usd,
            Currency::Eur,
            Currency::Kzt,
            Currency::Byn,
        ]
        .into_iter()
        .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| format!("unknown currency \"{s}\" (expected RUB, USD, EUR, KZT or BYN)"))
    }
}

/// The UI languages. Mirrors the i18n locales but stays a plain type so pure
/// code (and the server) can format without the i18n context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    Ru,
    En,
}

/// Formats an amount the way shoppers of that language expect it:
/// Russian `1 990 ₽` (kopecks only when present: `1 990,50 ₽`),
/// English `RUB 1,990.00`. Rounds half away from zero to kopecks/cents.
pub fn format_money(amount: Decimal, currency: Currency, lang: Lang) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let abs = rounded.abs();
    let units = abs.trunc().to_string();
    let cents = ((abs - abs.trunc()) * Decimal::from(100))
        .trunc()
        .to_string();
    let sign = if negative { "-" } else { "" };
    match lang {
        Lang::Ru => {
            // U+00A0 keeps the number and the sign on one line.
            let grouped = group_thousands(&units, '\u{a0}');
            let fraction = if cents == "0" {
                String::new()
            } else {
                format!(",{cents:0>2}")
            };
            format!("{sign}{grouped}{fraction}\u{a0}{}", currency.symbol())
        }
        Lang::En => {
            let grouped = group_thousands(&units, ',');
            format!("{sign}{} {grouped}.{cents:0>2}", currency.code())
        }
    }
}

/// A calendar day as shoppers read it: `27.11` / `Nov 27`, with the year
/// when `with_year` (`27.11.2026` / `Nov 27, 2026`).
pub fn format_day(day: chrono::NaiveDate, lang: Lang, with_year: bool) -> String {
    let pattern = match (lang, with_year) {
        (Lang::Ru, false) => "%d.%m",
        (Lang::Ru, true) => "%d.%m.%Y",
        (Lang::En, false) => "%b %-d",
        (Lang::En, true) => "%b %-d, %Y",
    };
    day.format(pattern).to_string()
}

fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn days_read_the_local_way() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(format_day(day, Lang::Ru, false), "27.11");
        assert_eq!(format_day(day, Lang::En, true), "Nov 27, 2026");
    }

    #[test]
    fn russian_format() {
        let nb = '\u{a0}';
        assert_eq!(
            format_money(d("1990"), Currency::Rub, Lang::Ru),
            format!("1{nb}990{nb}₽")
        );
        assert_eq!(
            format_money(d("1990.5"), Currency::Rub, Lang::Ru),
            format!("1{nb}990,50{nb}₽")
        );
        assert_eq!(
            format_money(d("0"), Currency::Rub, Lang::Ru),
            format!("0{nb}₽")
        );
        assert_eq!(
            format_money(d("1234567.891"), Currency::Rub, Lang::Ru),
            format!("1{nb}234{nb}567,89{nb}₽")
        );
        assert_eq!(
            format_money(d("999"), Currency::Eur, Lang::Ru),
            format!("999{nb}€")
        );
    }

    #[test]
    fn english_format() {
        assert_eq!(
            format_money(d("1990"), Currency::Rub, Lang::En),
            "RUB 1,990.00"
        );
        assert_eq!(
            format_money(d("0.005"), Currency::Usd, Lang::En),
            "USD 0.01"
        );
        assert_eq!(
            format_money(d("-12.5"), Currency::Rub, Lang::En),
            "-RUB 12.50"
        );
        assert_eq!(
            format_money(d("100000"), Currency::Kzt, Lang::En),
            "KZT 100,000.00"
        );
    }

    #[test]
    fn currency_codes_parse() {
        assert_eq!("rub".parse::<Currency>(), Ok(Currency::Rub));
        assert!("XYZ".parse::<Currency>().is_err());
    }

    #[test]
    fn english_digits_round_trip() {
        // A deterministic sweep over small, kopeck-boundary and large amounts.
        let samples = (0i64..5_000)
            .chain((0..2_000).map(|i| i * 99_991))
            .chain((0..200).map(|i| 9_999_999_999 - i * 7_919));
        for kopecks in samples {
            let amount = Decimal::new(kopecks, 2);
            let shown = format_money(amount, Currency::Rub, Lang::En);
            let digits: String = shown
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            assert_eq!(digits.parse::<Decimal>().unwrap(), amount, "{shown}");
        }
    }
}
