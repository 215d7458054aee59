//! Whether free text holds what could be a NIK or a KK: sixteen digits, written together,
//! grouped by single separators (`3201 0115 0785 0003`, `32.01.01.150785.0003`) or glued to
//! letters (`NIK3201011507850003`).
//!
//! Free text the exchange stores or shows (a declared purpose, a request id, a record's
//! `reason` and `attributes`) must not carry one: it would sit there in clear, where the
//! exchange keeps only keyed hashes of the identifiers it knows to be NIKs.

/// Digits in a NIK and in a KK.
pub const DIGITS: usize = 16;

/// What may stand between two groups of a NIK's digits, once (`-` last, so that the text can
/// be put into a regular expression's character class as it is).
pub const SEPARATORS: &str = " ._:/-";

/// Hexadecimal digits in the shortest token taken for a trace id or a hash (128 bits).
const HEX_ID_DIGITS: usize = 32;

/// The lengths of a UUID's five groups (`8-4-4-4-12`).
const UUID_GROUPS: [usize; 5] = [8, 4, 4, 4, 12];

/// True when `text` holds sixteen digits in a row, each group separated from the next by at
/// most one space, `.`, `-`, `_`, `:` or `/`, whatever stands before or after the number
/// (a letter included). Any Unicode digit counts, so fullwidth or Arabic-Indic digits are no
/// way around it.
///
/// Only digits inside a hexadecimal identifier do not count: a UUID (`8-4-4-4-12` hex
/// digits), or 32 or more hex digits, either holding a letter and standing apart from other
/// letters and digits. About one in 230 random UUIDs or 128-bit hex trace ids holds sixteen decimal digits
/// that way, and refusing those would refuse ordinary clients' request ids and hashes; a NIK
/// written into such an identifier is the price.
pub fn appears_in(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let hidden = hex_identifiers(&chars);
    let mut digits = 0;
    let mut separated = false;
    for (i, &c) in chars.iter().enumerate() {
        if hidden[i] {
            digits = 0;
            separated = false;
        } else if c.is_numeric() {
            digits += 1;
            separated = false;
            if digits >= DIGITS {
                return true;
            }
        } else if digits > 0 && !separated && SEPARATORS.contains(c) {
            separated = true;
        } else {
            digits = 0;
            separated = false;
        }
    }
    false
}

/// Marks the characters of `chars` that belong to a hexadecimal identifier (see
/// [`appears_in`]). Words are the maximal runs of ASCII letters, digits and `-`; within a
/// word, the `-`-separated parts that form a UUID, or that alone are a long hex id, are
/// marked.
fn hex_identifiers(chars: &[char]) -> Vec<bool> {
    let mut hidden = vec![false; chars.len()];
    let in_word = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let mut start = 0;
    while start < chars.len() {
        if !in_word(chars[start]) {
            start += 1;
            continue;
        }
        let end = (start..chars.len())
            .find(|&i| !in_word(chars[i]))
            .unwrap_or(chars.len());
        mark_word(&chars[start..end], &mut hidden[start..end]);
        start = end;
    }
    hidden
}

fn mark_word(word: &[char], hidden: &mut [bool]) {
    // The parts of the word as (start, end) offsets.
    let mut parts = Vec::new();
    let mut from = 0;
    for (i, &c) in word.iter().enumerate() {
        if c == '-' {
            parts.push((from, i));
            from = i + 1;
        }
    }
    parts.push((from, word.len()));
    let hex = |(s, e): (usize, usize)| word[s..e].iter().all(char::is_ascii_hexdigit);
    for (n, &(s, e)) in parts.iter().enumerate() {
        let long_id = e - s >= HEX_ID_DIGITS
            && hex((s, e))
            && word[s..e].iter().any(char::is_ascii_alphabetic);
        if long_id {
            hidden[s..e].fill(true);
        }
        let uuid = parts.get(n..n + UUID_GROUPS.len()).is_some_and(|group| {
            group
                .iter()
                .zip(UUID_GROUPS)
                .all(|(&(s, e), len)| e - s == len && hex((s, e)))
        });
        let end = parts
            .get(n + UUID_GROUPS.len() - 1)
            .map_or(s, |&(_, end)| end);
        if uuid && word[s..end].iter().any(char::is_ascii_alphabetic) {
            hidden[s..end].fill(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::appears_in;

    #[test]
    fn sixteen_digits_however_grouped_or_glued_are_found() {
        for text in [
            "3201011507850003",
            "NIK 3201011507850003 diminta",
            "3201 0115 0785 0003",
            "3201.0115.0785.0003",
            "32.01.01.150785.0003",
            "3201-0115-0785-0003",
            "3201_0115_0785_0003",
            "nik-3201011507850003.",
            "３２０１０１１５０７８５０００３",
            "12345678901234567890",
            // Glued to letters, before or after.
            "abc3201011507850003",
            "NIK3201011507850003",
            "x3201011507850003y",
            "req-3201011507850003abc",
            "NIK3201.0115.0785.0003",
            // Hex-like, but too short to be taken for an identifier.
            "abcdef3201011507850003",
            // Shaped like a UUID, but glued to more: not one.
            "x32010115-0785-0003-0000-000000000000",
            // Groups of digits only are a number, not an identifier.
            "32010115-07850003",
            "32010115-0785-0003-1234-567890123456",
        ] {
            assert!(appears_in(text), "{text}");
        }
    }

    #[test]
    fn shorter_numbers_dates_and_hex_identifiers_are_not() {
        for text in [
            "",
            "Verifikasi kelayakan PKH 2026",
            "320101150785000",
            "2026-12-02T08:39:18.123456Z",
            "3201 0115  0785 0003",
            "019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80",
            "PKS 12/2026, Inpres 4/2025",
            // UUIDs and hex ids and hashes whose digits happen to run for sixteen or more.
            "12345678-1234-4234-8234-123456789abc",
            "req-12345678-1234-4234-8234-123456789abc",
            "audit-test-d9371932446844998ff2f6948479a33c",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "trace:0123456789012345678abcdef0123456",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ] {
            assert!(!appears_in(text), "{text}");
        }
    }

    #[test]
    fn uuids_and_hex_ids_are_never_taken_for_a_nik() {
        for _ in 0..10_000 {
            let id = uuid::Uuid::new_v4();
            assert!(!appears_in(&id.to_string()), "{id}");
            assert!(!appears_in(&id.simple().to_string()), "{id}");
        }
    }
}
