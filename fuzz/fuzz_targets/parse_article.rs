//! Fuzz target `parse_article`: see `check_parse_article` in tests/fuzz_checks/mod.rs.
#![no_main]

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::check_parse_article(bytes));
