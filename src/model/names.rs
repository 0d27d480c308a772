//! How names are compared: after Unicode NFC normalization, so that `é` typed as one character
//! or as `e` and a combining accent is one name. Definitions keep the text as written; only the
//! keys of lookups are normalized.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The form of `name` that lookups compare: its NFC normalization, borrowed when it is already
/// normalized (every ASCII name, and nearly every name typed on one keyboard).
pub fn name_key(name: &str) -> Cow<'_, str> {
    match is_nfc_quick(name.chars()) {
        IsNormalized::Yes => Cow::Borrowed(name),
        _ => Cow::Owned(name.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_and_precomposed_are_one_key() {
        assert_eq!(name_key("caf\u{e9}"), name_key("cafe\u{301}"));
        assert!(matches!(name_key("sales_rep"), Cow::Borrowed(_)));
        assert!(matches!(name_key("销售代表"), Cow::Borrowed(_)));
        assert_ne!(name_key("cafe"), name_key("caf\u{e9}"));
    }
}
