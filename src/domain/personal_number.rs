//! Whether free text holds what could be a NIK or a KK: sixteen digits, written together or
//! grouped by single separators (`3201 0115 0785 0003`, `32.01.01.150785.0003`).
//!
//! Free text the exchange stores or shows (a declared purpose, a request id, a record's
//! `attributes`) must not carry one: it would sit there in clear, where the exchange keeps
//! only keyed hashes of the identifiers it knows to be NIKs.

/// Digits in a NIK and in a KK.
const DIGITS: usize = 16;

/// True when `text` holds sixteen digits in a row, each group separated from the next by at
/// most one space, `.`, `-`, `_`, `:` or `/`, and the whole number not glued to a letter.
/// Any Unicode digit counts, so fullwidth or Arabic-Indic digits are no way around it. For
/// the free text of records, where people write NIKs grouped (`3201 0115 0785 0003`).
///
/// A run of digits between letters is part of a hexadecimal token (a trace id, a hash): about
/// one in a hundred random 128-bit ids in hex holds sixteen decimal digits in a row, and
/// refusing those would refuse ordinary clients. A NIK glued to letters is the price.
pub fn appears_in(text: &str) -> bool {
    scan(text, true)
}

/// [`appears_in`] for sixteen digits in a row only: for the headers that systems set (a
/// declared purpose, a request id), whose rule the OpenAPI document can state exactly as a
/// pattern, which grouped digits would not allow.
pub fn in_a_row(text: &str) -> bool {
    scan(text, false)
}

fn scan(text: &str, grouped: bool) -> bool {
    let mut digits = 0;
    let mut separated = false;
    // Whether the current run of digits follows a letter.
    let mut glued = false;
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_numeric() {
            if digits == 0 {
                glued = previous.is_some_and(char::is_alphabetic);
            }
            digits += 1;
            separated = false;
        } else if grouped
            && digits > 0
            && !separated
            && matches!(c, ' ' | '.' | '-' | '_' | ':' | '/')
        {
            separated = true;
        } else {
            // A separator before `c` ends the number, so a letter after it is not glued.
            if digits >= DIGITS && !glued && (separated || !c.is_alphabetic()) {
                return true;
            }
            digits = 0;
            separated = false;
        }
        previous = Some(c);
    }
    digits >= DIGITS && !glued
}

#[cfg(test)]
mod tests {
    use super::{appears_in, in_a_row};

    #[test]
    fn sixteen_digits_however_grouped_are_found() {
        for text in [
            "3201011507850003",
            "NIK 3201011507850003 diminta",
            "3201 0115 0785 0003",
            "32.01.01.150785.0003",
            "3201-0115-0785-0003",
            "nik-3201011507850003.",
            "３２０１０１１５０７８５０００３",
            "12345678901234567890",
        ] {
            assert!(appears_in(text), "{text}");
        }
    }

    #[test]
    fn in_a_row_ignores_groups() {
        assert!(in_a_row("NIK 3201011507850003"));
        assert!(in_a_row("３２０１０１１５０７８５０００３"));
        assert!(!in_a_row("3201 0115 0785 0003"));
        assert!(!in_a_row("32.01.01.150785.0003"));
        assert!(!in_a_row("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    #[test]
    fn shorter_numbers_dates_and_ids_are_not() {
        for text in [
            "",
            "Verifikasi kelayakan PKH 2026",
            "320101150785000",
            "2026-12-02T08:39:18.123456Z",
            "3201 0115  0785 0003",
            "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
            "PKS 12/2026, Inpres 4/2025",
            // Hexadecimal ids and hashes whose digits happen to run for sixteen or more.
            "audit-test-d9371932446844998ff2f6948479a33c",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "x3201011507850003y",
        ] {
            assert!(!appears_in(text), "{text}");
        }
    }
}
