//! Product search (CAT-3): words from names (both languages), brand, SKUs,
//! category, attributes and description, matched by whole word, by prefix
//! ("крос" finds "кроссовки") or with one typo in the typed prefix ("кросовки",
//! "snaekers"), ranked by where the word was found and how well.
use std::collections::HashMap;

/// How much a field counts when a query word is found in it.
pub mod weight {
    pub const NAME: u8 = 8;
    pub const SKU: u8 = 8;
    pub const BRAND: u8 = 6;
    pub const CATEGORY: u8 = 4;
    pub const ATTRIBUTE: u8 = 3;
    pub const DESCRIPTION: u8 = 1;
}

/// Longest query looked at; the rest is ignored.
const MAX_QUERY_WORDS: usize = 8;

/// Lower case, `ё` as `е`, and every character that is not a letter or a
/// digit turned into a space.
pub fn normalize(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect()
}

pub fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// An inverted index: every distinct word, sorted, with the documents holding it.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    vocabulary: Vec<Box<[char]>>,
    /// Parallel to `vocabulary`: (document, field weight), best weight per document.
    postings: Vec<Vec<(u32, u8)>>,
}

/// A search hit: document number and score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub score: u32,
}

/// Builds a [`SearchIndex`] one document at a time, so the documents' texts
/// are read where they are, never copied or gathered first.
#[derive(Debug, Default)]
pub struct SearchIndexBuilder {
    /// Word → (document, best field weight), documents in the order added.
    by_word: HashMap<String, Vec<(u32, u8)>>,
    documents: u32,
}

impl SearchIndexBuilder {
    /// Adds the next document (numbered 0, 1, 2, … in the order added) as
    /// its fields' texts with their weights.
    pub fn add_document<'a>(&mut self, fields: impl IntoIterator<Item = (&'a str, u8)>) {
        let doc = self.documents;
        self.documents += 1;
        for (text, weight) in fields {
            for word in normalize(text).split_whitespace() {
                // Looked up by `&str` first: most words are already known,
                // and `entry` would want a new `String` for each.
                if !self.by_word.contains_key(word) {
                    self.by_word.insert(word.to_string(), Vec::new());
                }
                let docs = self.by_word.get_mut(word).expect("inserted above");
                match docs.last_mut() {
                    Some((last, best)) if *last == doc => *best = (*best).max(weight),
                    _ => docs.push((doc, weight)),
                }
            }
        }
    }

    pub fn finish(self) -> SearchIndex {
        let mut entries: Vec<(String, Vec<(u32, u8)>)> = self.by_word.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut index = SearchIndex {
            vocabulary: Vec::with_capacity(entries.len()),
            postings: Vec::with_capacity(entries.len()),
        };
        for (word, mut docs) in entries {
            // Documents were added in order, so each list is sorted already.
            docs.shrink_to_fit();
            index.vocabulary.push(word.chars().collect());
            index.postings.push(docs);
        }
        index
    }
}

impl SearchIndex {
    pub fn len(&self) -> usize {
        self.vocabulary.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vocabulary.is_empty()
    }

    /// Documents containing every query word (exactly, as a prefix or with one
    /// typo), best first; ties keep document order.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let query_words: Vec<Vec<char>> = words(query)
            .into_iter()
            .take(MAX_QUERY_WORDS)
            .map(|w| w.chars().collect())
            .collect();
        if query_words.is_empty() {
            return Vec::new();
        }
        let mut totals: HashMap<u32, (usize, u32)> = HashMap::new();
        for (n, q) in query_words.iter().enumerate() {
            let mut best: HashMap<u32, u32> = HashMap::new();
            for (word, docs) in self.vocabulary.iter().zip(&self.postings) {
                let Some(quality) = match_quality(q, word) else {
                    continue;
                };
                for (doc, w) in docs {
                    let score = quality * u32::from(*w);
                    let entry = best.entry(*doc).or_default();
                    *entry = (*entry).max(score);
                }
            }
            for (doc, score) in best {
                let total = totals.entry(doc).or_insert((0, 0));
                // Only documents that matched every earlier word stay in the race.
                if total.0 == n {
                    total.0 += 1;
                    total.1 += score;
                }
            }
        }
        let mut hits: Vec<Hit> = totals
            .into_iter()
            .filter(|(_, (matched, _))| *matched == query_words.len())
            .map(|(doc, (_, score))| Hit { doc, score })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }
}

/// 4 for the same word, 3 for a prefix, 1 for a prefix with one typo
/// (a wrong, missing, extra or swapped letter; only for words of 4+ letters).
fn match_quality(query: &[char], word: &[char]) -> Option<u32> {
    if query == word {
        return Some(4);
    }
    if word.starts_with(query) {
        return Some(3);
    }
    if query.len() < 4 {
        return None;
    }
    // Compare with the word's prefixes of about the query's length.
    let lengths = [query.len(), query.len() - 1, query.len() + 1];
    lengths
        .into_iter()
        .filter(|len| *len <= word.len())
        .any(|len| within_one_edit(query, &word[..len]))
        .then_some(1)
}

/// Optimal-string-alignment distance ≤ 1.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    match a.len().abs_diff(b.len()) {
        0 => {
            let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diffs.as_slice() {
                [] | [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
            let first_diff = short
                .iter()
                .zip(long)
                .position(|(x, y)| x != y)
                .unwrap_or(short.len());
            short[first_diff..] == long[first_diff + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> SearchIndex {
        let mut index = SearchIndexBuilder::default();
        index.add_document([
            ("Кроссовки беговые Стриж", weight::NAME),
            ("Running sneakers Strizh", weight::NAME),
            ("Nord", weight::BRAND),
            ("SH-1001-RED-42", weight::SKU),
        ]);
        index.add_document([
            ("Кеды классические", weight::NAME),
            ("Classic canvas sneakers", weight::NAME),
            ("Лёгкие кроссовки на лето", weight::DESCRIPTION),
        ]);
        index.add_document([
            ("Кружка керамическая", weight::NAME),
            ("Ceramic mug", weight::NAME),
            ("Nordic", weight::BRAND),
        ]);
        index.finish()
    }

    fn found(index: &SearchIndex, q: &str) -> Vec<u32> {
        index.search(q).into_iter().map(|h| h.doc).collect()
    }

    #[test]
    fn exact_prefix_and_both_languages() {
        let index = docs();
        assert_eq!(
            found(&index, "кроссовки"),
            vec![0, 1],
            "name beats description"
        );
        assert_eq!(found(&index, "крос"), vec![0, 1]);
        assert_eq!(found(&index, "sneakers"), vec![0, 1]);
        assert_eq!(found(&index, "mug"), vec![2]);
        assert_eq!(found(&index, "Кружка"), vec![2]);
    }

    #[test]
    fn typos_in_longer_words_are_forgiven() {
        let index = docs();
        assert_eq!(found(&index, "кросовки"), vec![0, 1], "missing letter");
        assert_eq!(found(&index, "snaekers"), vec![0, 1], "swapped letters");
        assert_eq!(found(&index, "cerqmic"), vec![2], "wrong letter");
        assert!(found(&index, "xyz").is_empty());
        assert!(
            found(&index, "muq").is_empty(),
            "short words need to be exact or a prefix"
        );
    }

    #[test]
    fn every_word_must_match_and_exact_beats_prefix() {
        let index = docs();
        assert_eq!(found(&index, "sneakers classic"), vec![1]);
        assert!(found(&index, "sneakers mug").is_empty());
        // "nord" is exactly the brand of 0 and a prefix of the brand of 2.
        assert_eq!(found(&index, "nord"), vec![0, 2]);
    }

    #[test]
    fn sku_and_normalisation() {
        let index = docs();
        assert_eq!(found(&index, "sh-1001"), vec![0]);
        assert_eq!(found(&index, "ЛЕГКИЕ"), vec![1], "ё and case do not matter");
        assert!(found(&index, "   ").is_empty());
        assert!(found(&index, "!!!").is_empty());
    }

    #[test]
    fn a_word_in_several_fields_of_a_document_counts_once_at_its_best_weight() {
        let mut builder = SearchIndexBuilder::default();
        builder.add_document([
            ("mug mug", weight::DESCRIPTION),
            ("Mug", weight::NAME),
            ("mug", weight::ATTRIBUTE),
        ]);
        builder.add_document([("cup", weight::NAME), ("a mug", weight::DESCRIPTION)]);
        let index = builder.finish();
        assert_eq!(index.len(), 3, "mug, cup, a");
        let hits = index.search("mug");
        assert_eq!(
            hits,
            vec![
                Hit {
                    doc: 0,
                    score: 4 * u32::from(weight::NAME)
                },
                Hit {
                    doc: 1,
                    score: 4 * u32::from(weight::DESCRIPTION)
                },
            ]
        );
    }

    #[test]
    fn one_edit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one_edit(&c("abcd"), &c("abxd")));
        assert!(within_one_edit(&c("abcd"), &c("abdc")));
        assert!(within_one_edit(&c("abcd"), &c("abd")));
        assert!(within_one_edit(&c("abd"), &c("abcd")));
        assert!(!within_one_edit(&c("abcd"), &c("badc")));
        assert!(!within_one_edit(&c("abcd"), &c("ab")));
    }
}
