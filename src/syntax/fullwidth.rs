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
        _ => return None,
    })
}
