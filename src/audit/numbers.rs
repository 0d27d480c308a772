//! Numbers for people, shared by the audit's text and its pictures: counts with separators,
//! amounts, durations and shares.

/// A duration for people: `45s`, `12m30s`, `5h07m`, `3d09h` (rounded to the last unit shown).
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() {
        return "—".to_string();
    }
    let sign = if secs < 0.0 { "-" } else { "" };
    let s = secs.abs();
    if s >= 86_400.0 {
        let h = (s / 3600.0).round() as u64;
        format!("{sign}{}d{:02}h", h / 24, h % 24)
    } else if s >= 3600.0 {
        let m = (s / 60.0).round() as u64;
        format!("{sign}{}h{:02}m", m / 60, m % 60)
    } else if s >= 60.0 {
        let x = s.round() as u64;
        format!("{sign}{}m{:02}s", x / 60, x % 60)
    } else {
        format!("{sign}{}s", s.round() as u64)
    }
}

/// A share as a whole percentage: `93%`, and `<1%` for a share that is not zero.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p > 0.0 && p < 0.5 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

/// `1234567` as `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An amount: a whole number with separators, else two decimals.
pub fn amount(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let s = count(x.abs() as u64);
        if x < 0.0 { format!("-{s}") } else { s }
    } else {
        format!("{x:.2}")
    }
}
