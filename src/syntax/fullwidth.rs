//! Full-width punctuation, as a Chinese input method types it, and the ASCII the language
//! wants instead: for the syntax error's help and its fix alike.

/// The ASCII punctuation a full-width character typed with a Chinese input method stands for.
pub fn ascii_for(written: &str) -> Option<&'static str> {
    Some(match written {
        "，" | "、" => ",",
        "“" | "”" | "＂" => "\"",
        "｛" => "{",
        "｝" => "}",
        "（" => "(",
        "）" => ")",
        "＃" => "#",
        "＞" => ">",
        "＜" => "<",
        "＝" => "=",
        "－" => "-",
        "．" | "。" => ".",
        "：" => ":",
        "\u{3000}" => " ",
        // Not full-width, and as invisible: a vertical tab and a form feed.
        "\u{0B}" | "\u{0C}" => " ",
        _ => return None,
    })
}

/// A character of the table as a message names it: the spaces by name, since they cannot be seen.
pub fn name_of(written: &str) -> String {
    match written {
        "\u{3000}" => "the full-width space (U+3000)".to_string(),
        "\u{0B}" => "a vertical tab (U+000B)".to_string(),
        "\u{0C}" => "a form feed (U+000C)".to_string(),
        other => format!("the full-width `{other}`"),
    }
}

/// What to do with a character of the table, for the help and the fix's title.
pub fn advice(written: &str) -> Option<String> {
    let ascii = ascii_for(written)?;
    Some(if ascii == " " {
        format!("write an ASCII space instead of {}", name_of(written))
    } else {
        format!("write the ASCII `{ascii}` instead of {}", name_of(written))
    })
}
