//! Did-you-mean: the one place that picks the known name closest to a mistyped one, for every
//! stage (syntax keywords, names in a document, rule names on the command line).

/// "did you mean `x`?" when a candidate is close to `word`, by the measure of [`Suggester`].
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    Suggester::new(candidates).suggest(word).map(str::to_string)
}

/// How many edit distances one unknown name may cost at most. The closest candidates by length
/// are tried first, so in a namespace of ordinary size every candidate is tried; in one of tens
/// of thousands of similar names the suggestion is the best of the first ones tried.
const DISTANCES_PER_NAME: usize = 400;

/// How many edit distances one namespace may cost in all. Hundreds of typos among hundreds of
/// names stay far below it; past it (thousands of unknown names among thousands of similar
/// ones), a name is only matched when it differs from one in case.
const DISTANCES_PER_NAMESPACE: usize = 200_000;

/// How many candidates one namespace may look at in all (a few nanoseconds each, to rule one
/// out by length and characters).
const LOOKS_PER_NAMESPACE: usize = 20_000_000;

/// Did-you-mean over one namespace, prepared once and asked many times: a document with
/// thousands of unknown names in a namespace of thousands stays fast.
///
/// Lengths are counted in characters, so a two-character Chinese name weighs what it reads.
/// In order of preference, a candidate is close when:
///
/// 1. it is the same name in other case;
/// 2. its edit distance (insertions, deletions, substitutions and transpositions of adjacent
///    characters, ignoring case) is at most a third of its length, between 1 and 3, and at most
///    half the length of the longer of the two (so `a` is never offered for `z`);
/// 3. one of the two contains the other and the shorter has at least two characters and at
///    least half as many as the longer (`后厨准备` written where `后厨` is defined, `qualify`
///    where `qualify_lead` is); one that the other starts with or ends with before one it
///    merely contains, then the longer candidate.
///
/// Ties go to the name that sorts first. [`Suggester::suggest_other`] leaves out one name: the
/// definition being written, which is never what a reference inside it meant.
pub struct Suggester<'a> {
    /// Sorted by lowercase length, then by name.
    candidates: Vec<Candidate<'a>>,
    /// Lowercase text to the candidates with it, sorted.
    by_lower: std::collections::HashMap<String, Vec<&'a str>>,
    cache: std::collections::HashMap<String, Option<&'a str>>,
    /// Edit distances left to compute, of [`DISTANCES_PER_NAMESPACE`].
    budget: usize,
    /// Candidates left to look at, of [`LOOKS_PER_NAMESPACE`].
    looks: usize,
}

struct Candidate<'a> {
    name: &'a str,
    lower: Vec<char>,
    /// `lower` as a string, to find one name inside another.
    lower_text: String,
    /// The largest distance at which it is suggested.
    limit: usize,
    /// Which characters it holds, hashed into 64 bits.
    mask: u64,
}

impl<'a> Suggester<'a> {
    /// Prepares the names that may be suggested; each may be given more than once.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut by_lower: std::collections::HashMap<String, Vec<&'a str>> = Default::default();
        let mut list: Vec<Candidate<'a>> = candidates
            .into_iter()
            .map(|name| {
                let lower = name.to_lowercase();
                let chars: Vec<char> = lower.chars().collect();
                by_lower.entry(lower.clone()).or_default().push(name);
                Candidate {
                    name,
                    mask: mask(&chars),
                    limit: (chars.len() / 3).clamp(1, 3),
                    lower: chars,
                    lower_text: lower,
                }
            })
            .collect();
        list.sort_by(|a, b| a.lower.len().cmp(&b.lower.len()).then(a.name.cmp(b.name)));
        list.dedup_by(|a, b| a.name == b.name);
        for names in by_lower.values_mut() {
            names.sort_unstable();
            names.dedup();
        }
        Suggester {
            candidates: list,
            by_lower,
            cache: Default::default(),
            budget: DISTANCES_PER_NAMESPACE,
            looks: LOOKS_PER_NAMESPACE,
        }
    }

    /// The closest candidate to `word`, if one is close enough.
    pub fn suggest(&mut self, word: &str) -> Option<&'a str> {
        if let Some(&found) = self.cache.get(word) {
            return found;
        }
        let found = self.search(word, None);
        self.cache.insert(word.to_string(), found);
        found
    }

    /// The closest candidate to `word` other than `not`: a reference written inside the
    /// definition `not` (a `->` inside a stage, a role's `reports_to`) never means that one.
    pub fn suggest_other(&mut self, word: &str, not: &str) -> Option<&'a str> {
        match self.suggest(word) {
            Some(found) if found == not => self.search(word, Some(not)),
            found => found,
        }
    }

    /// Whether another candidate is as close to `word` as `found` (what [`Suggester::suggest`]
    /// gave): two equally close names are not one candidate, so a fix may not pick between
    /// them on its own.
    pub fn tied(&mut self, word: &str, found: &str) -> bool {
        let Some(other) = self.search(word, Some(found)) else {
            return false;
        };
        let word: Vec<char> = word.to_lowercase().chars().collect();
        let mut rows = Rows::default();
        let mut distance = |name: &str| {
            let name: Vec<char> = name.to_lowercase().chars().collect();
            rows.distance(&word, &name, usize::MAX)
        };
        distance(found) == distance(other)
    }

    fn search(&mut self, word: &str, not: Option<&str>) -> Option<&'a str> {
        let lower = word.to_lowercase();
        if let Some(names) = self.by_lower.get(&lower)
            && let Some(same) = names.iter().find(|n| **n != word && Some(**n) != not)
        {
            return Some(same);
        }
        if self.budget == 0 || self.looks == 0 {
            return None;
        }
        let chars: Vec<char> = lower.chars().collect();
        let word_mask = mask(&chars);
        let len = chars.len();
        let mut best: Option<(usize, &'a str)> = None;
        let mut budget = DISTANCES_PER_NAME.min(self.budget);
        let mut rows = Rows::default();
        // Lengths nearest to the word's first: a distance is at least the difference in length.
        'lengths: for diff in [0isize, -1, 1, -2, 2, -3, 3] {
            let Some(want) = len.checked_add_signed(diff) else {
                continue;
            };
            // Every candidate of this length has the same limit: skip the length at once when
            // it is too far.
            let limit = (want / 3).clamp(1, 3).min(len.max(want) / 2);
            if diff.unsigned_abs() > best.map_or(limit, |(d, _)| limit.min(d)) {
                continue;
            }
            let from = self.candidates.partition_point(|c| c.lower.len() < want);
            let to = self.candidates.partition_point(|c| c.lower.len() <= want);
            for c in &self.candidates[from..to] {
                if self.looks == 0 || budget == 0 {
                    break 'lengths;
                }
                self.looks -= 1;
                // At most half the longer name: one shared character in two at least.
                let limit = c.limit.min(len.max(want) / 2);
                let bound = best.map_or(limit, |(d, _)| limit.min(d));
                let missing = (word_mask & !c.mask)
                    .count_ones()
                    .max((c.mask & !word_mask).count_ones());
                if diff.unsigned_abs() > bound
                    || missing as usize > bound
                    || c.lower == chars
                    || Some(c.name) == not
                {
                    continue;
                }
                budget -= 1;
                self.budget -= 1;
                let Some(d) = rows.distance(&chars, &c.lower, bound) else {
                    continue;
                };
                if best.is_none_or(|(bd, bn)| (d, c.name) < (bd, bn)) {
                    best = Some((d, c.name));
                }
            }
        }
        best.map(|(_, n)| n)
            .or_else(|| self.containing(&lower, word_mask, len, not))
    }

    /// The best candidate that `lower` (a word of `len` characters) contains or is contained
    /// in, when the shorter of the two has at least two characters and half the longer's.
    fn containing(
        &mut self,
        lower: &str,
        word_mask: u64,
        len: usize,
        not: Option<&str>,
    ) -> Option<&'a str> {
        if len < 2 {
            return None;
        }
        let from = self
            .candidates
            .partition_point(|c| c.lower.len() < len.div_ceil(2));
        let to = self
            .candidates
            .partition_point(|c| c.lower.len() <= len * 2);
        // (inside rather than at an end, shorter, name): smallest is best.
        let mut best: Option<(bool, usize, &'a str)> = None;
        for c in &self.candidates[from..to] {
            if self.looks == 0 {
                break;
            }
            self.looks -= 1;
            let n = c.lower.len();
            if n < 2 || Some(c.name) == not || c.lower_text == lower {
                continue;
            }
            let (short, long, short_mask, long_mask) = if n <= len {
                (c.lower_text.as_str(), lower, c.mask, word_mask)
            } else {
                (lower, c.lower_text.as_str(), word_mask, c.mask)
            };
            if short_mask & !long_mask != 0 || !long.contains(short) {
                continue;
            }
            let at_end = long.starts_with(short) || long.ends_with(short);
            let key = (!at_end, usize::MAX - n, c.name);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        best.map(|(_, _, n)| n)
    }
}

fn mask(chars: &[char]) -> u64 {
    chars.iter().fold(0, |m, &c| m | 1 << (u32::from(c) % 64))
}

/// Reused rows of the edit-distance table.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The optimal-string-alignment distance of `a` and `b` when it is at most `bound`.
    fn distance(&mut self, a: &[char], b: &[char], bound: usize) -> Option<usize> {
        let n = b.len();
        self.before.clear();
        self.before.resize(n + 1, 0);
        self.previous.clear();
        self.previous.extend(0..=n);
        self.current.clear();
        self.current.resize(n + 1, 0);
        for i in 1..=a.len() {
            self.current[0] = i;
            let mut row_min = i;
            for j in 1..=n {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(self.previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(self.before[j - 2] + 1);
                }
                self.current[j] = d;
                row_min = row_min.min(d);
            }
            if row_min > bound {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let d = self.previous[n];
        (d <= bound).then_some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::Suggester;

    #[test]
    fn two_names_equally_close_are_tied() {
        let mut s = Suggester::new(["abc", "abd", "rep", "repair"]);
        let found = s.suggest("abx").unwrap();
        assert!(s.tied("abx", found));
        let found = s.suggest("rex").unwrap();
        assert_eq!(found, "rep");
        assert!(!s.tied("rex", found));
        let mut one = Suggester::new(["sales_rep"]);
        let found = one.suggest("sales_rpe").unwrap();
        assert!(!one.tied("sales_rpe", found));
    }

    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let names = ["sales_rep", "sales_manager", "support"];
        assert_eq!(
            did_you_mean("sales_rpe", names).as_deref(),
            Some("sales_rep")
        );
        assert_eq!(
            did_you_mean("Sales_Rep", names).as_deref(),
            Some("sales_rep")
        );
        assert_eq!(did_you_mean("sales_rep", names), None);
        assert_eq!(did_you_mean("marketing", names), None);
        assert_eq!(did_you_mean("ab", ["ac", "ab_long"]).as_deref(), Some("ac"));
    }

    #[test]
    fn one_name_inside_the_other_is_close() {
        let names = ["后厨", "报价审批", "won"];
        assert_eq!(did_you_mean("后厨准备", names).as_deref(), Some("后厨"));
        assert_eq!(did_you_mean("报价", names).as_deref(), Some("报价审批"));
        assert_eq!(did_you_mean("前厨", names).as_deref(), Some("后厨"));
        assert_eq!(did_you_mean("财务", names), None);
        // The shorter must have half the longer's characters: `won` is not in `won_by_default`.
        assert_eq!(did_you_mean("won_by_default", names), None);
        // One character is never contained: `后` is not `后厨房`.
        assert_eq!(did_you_mean("后", ["后厨房"]), None);
        // At an end before inside: `ab` starts `abxy`, sits inside `xaby`.
        assert_eq!(
            did_you_mean("ab", ["xaby", "abxy"]).as_deref(),
            Some("abxy")
        );
    }

    #[test]
    fn one_character_for_another_is_not_close() {
        assert_eq!(did_you_mean("z", ["a"]), None);
        assert_eq!(did_you_mean("后", ["前"]), None);
        assert_eq!(did_you_mean("ab", ["b"]).as_deref(), Some("b"));
    }

    #[test]
    fn the_name_being_written_is_left_out() {
        let mut s = Suggester::new(["lead", "lend", "won"]);
        assert_eq!(s.suggest("leed"), Some("lead"));
        assert_eq!(s.suggest_other("leed", "lead"), Some("lend"));
        assert_eq!(s.suggest_other("laed", "lead"), None);
        assert_eq!(s.suggest_other("Lead", "lead"), Some("lend"));
        assert_eq!(s.suggest_other("wno", "lead"), Some("won"));
    }

    #[test]
    fn distances_count_transpositions_once() {
        let mut rows = Rows::default();
        let d = |rows: &mut Rows, a: &str, b: &str| {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            rows.distance(&a, &b, 9)
        };
        assert_eq!(d(&mut rows, "abcd", "abdc"), Some(1));
        assert_eq!(d(&mut rows, "kitten", "sitting"), Some(3));
        assert_eq!(d(&mut rows, "", "abc"), Some(3));
        assert_eq!(d(&mut rows, "abc", ""), Some(3));
        let a: Vec<char> = "aaaaaaaa".chars().collect();
        let b: Vec<char> = "bbbbbbbb".chars().collect();
        assert_eq!(rows.distance(&a, &b, 2), None);
    }
}
