//! Typing errors: edit distance with transpositions, allowed by word length
//! (short names such as Lee or Ng must match exactly or by sound).

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of neighbouring letters each cost one.
pub fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

/// How many edits a word of this length may carry and still match.
pub fn allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The number of edits, when within what the shorter word allows.
pub fn within(a: &str, b: &str) -> Option<usize> {
    let limit = allowed(a.chars().count().min(b.chars().count()));
    let d = distance(a, b);
    (d > 0 && d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_neighbouring_letters_is_one_edit() {
        assert_eq!(distance("jonhson", "johnson"), 1);
        assert_eq!(distance("smith", "smyth"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn short_names_allow_no_typo_and_long_ones_two() {
        assert_eq!(within("lee", "les"), None);
        assert_eq!(within("smith", "smyth"), Some(1));
        assert_eq!(within("smith", "smoth"), Some(1));
        assert_eq!(within("smith", "smaoth"), None);
        assert_eq!(within("christopher", "kristopher"), Some(2));
        assert_eq!(within("same", "same"), None);
    }
}
