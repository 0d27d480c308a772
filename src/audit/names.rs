//! Many short strings kept in one buffer: the case ids of a log (millions of them) cost their
//! bytes and four bytes each, not an allocation each. [`Interner`] numbers strings in order of
//! first appearance over a [`Names`].

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// A hash map over short strings with foldhash, several times faster than SipHash on them (no
/// map of the audit is keyed by anything that could be made to collide more than a log's size).
pub type HashMap<K, V> = std::collections::HashMap<K, V, hashbrown::DefaultHashBuilder>;

/// Strings numbered from 0, stored end to end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    bytes: String,
    /// Where string `i` ends in `bytes`; it starts where string `i - 1` ends.
    ends: Vec<u32>,
}

impl Names {
    /// No strings.
    pub fn new() -> Names {
        Names::default()
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Adds `s` (even when it is there already) and returns its number.
    ///
    /// # Panics
    ///
    /// When the strings together pass 4 GiB.
    pub fn push(&mut self, s: &str) -> u32 {
        self.bytes.push_str(s);
        let end = u32::try_from(self.bytes.len()).expect("names under 4 GiB");
        self.ends.push(end);
        (self.ends.len() - 1) as u32
    }

    /// Adds the strings of `other` after these (even those that are here already); the first
    /// of them gets number `self.len()` as it was.
    ///
    /// # Panics
    ///
    /// When the strings together pass 4 GiB.
    pub fn append(&mut self, other: &Names) {
        let shift = u32::try_from(self.bytes.len()).expect("names under 4 GiB");
        self.bytes.push_str(&other.bytes);
        u32::try_from(self.bytes.len()).expect("names under 4 GiB");
        self.ends.extend(other.ends.iter().map(|&e| e + shift));
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// The strings in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl std::ops::Index<usize> for Names {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

impl<'a> FromIterator<&'a str> for Names {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Names {
        let mut names = Names::new();
        for s in iter {
            names.push(s);
        }
        names
    }
}

/// Numbers strings in order of first appearance: the same string, the same number.
#[derive(Default)]
pub struct Interner {
    names: Names,
    table: HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
    /// The number given last, plus one (0: none): a log's rows of one case often follow each
    /// other, and comparing with it is cheaper than hashing.
    last: u32,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// The number of `s`, given a new one when it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(last) = self.last.checked_sub(1)
            && self.names.get(last as usize) == s
        {
            return last;
        }
        let i = self.lookup(s);
        self.last = i + 1;
        i
    }

    fn lookup(&mut self, s: &str) -> u32 {
        let hash = self.hasher.hash_one(s);
        let names = &mut self.names;
        if let Some(&i) = self.table.find(hash, |&i| names.get(i as usize) == s) {
            return i;
        }
        let i = names.push(s);
        let hasher = &self.hasher;
        self.table
            .insert_unique(hash, i, |&j| hasher.hash_one(names.get(j as usize)));
        i
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The strings, by number.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// The strings, by number; the index is dropped.
    pub fn into_names(self) -> Names {
        self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_numbers_and_bytes() {
        let mut names = Names::new();
        assert_eq!(names.push("D-1"), 0);
        assert_eq!(names.push(""), 1);
        assert_eq!(names.push("商机-甲"), 2);
        assert_eq!(names.len(), 3);
        assert_eq!(&names[0], "D-1");
        assert_eq!(&names[1], "");
        assert_eq!(names.get(2), "商机-甲");
        assert_eq!(names.iter().collect::<Vec<_>>(), ["D-1", "", "商机-甲"]);
        let mut both: Names = ["商机-甲", "D-1"].into_iter().collect();
        both.append(&names);
        both.append(&Names::new());
        assert_eq!(
            both.iter().collect::<Vec<_>>(),
            ["商机-甲", "D-1", "D-1", "", "商机-甲"]
        );
    }

    #[test]
    fn the_same_string_gets_the_same_number() {
        let mut interner = Interner::new();
        let words = ["b", "a", "b", "商机", "a", "", "商机", ""];
        let numbers: Vec<u32> = words.iter().map(|w| interner.intern(w)).collect();
        assert_eq!(numbers, [0, 1, 0, 2, 1, 3, 2, 3]);
        assert_eq!(interner.len(), 4);
        assert_eq!(
            interner.into_names().iter().collect::<Vec<_>>(),
            ["b", "a", "商机", ""]
        );
    }

    #[test]
    fn many_strings_survive_the_table_growing() {
        let mut interner = Interner::new();
        for i in 0..20_000u32 {
            assert_eq!(interner.intern(&format!("case-{i}")), i);
        }
        for i in (0..20_000u32).rev() {
            assert_eq!(interner.intern(&format!("case-{i}")), i);
        }
        assert_eq!(interner.len(), 20_000);
    }
}
