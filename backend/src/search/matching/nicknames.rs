//! Nicknames and diminutives (Bill is William), and spellings of the same
//! name across transliterations (Mohammed, Muhammad). Each group is one
//! name; its first entry names the group.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Forenames and the short forms officers hear and type.
const NICKNAMES: &[&[&str]] = &[
    &["william", "bill", "billy", "will", "willy", "liam", "wills"],
    &["robert", "bob", "bobby", "rob", "robbie", "bert"],
    &["richard", "dick", "rick", "ricky", "rich", "richie"],
    &["james", "jim", "jimmy", "jamie", "jimbo"],
    &["john", "jack", "johnny", "jon", "jonny"],
    &["jonathan", "jon", "jonny", "nathan"],
    &["michael", "mike", "mick", "mickey", "micky", "mikey"],
    &["thomas", "tom", "tommy"],
    &["edward", "ed", "eddie", "ted", "teddy", "ned"],
    &["charles", "charlie", "chas", "chuck"],
    &["anthony", "tony", "ant"],
    &["christopher", "chris", "kit", "topher"],
    &["daniel", "dan", "danny"],
    &["david", "dave", "davey", "davy"],
    &["joseph", "joe", "joey"],
    &["matthew", "matt", "matty"],
    &["nicholas", "nick", "nicky"],
    &["patrick", "pat", "paddy"],
    &["peter", "pete"],
    &["samuel", "sam", "sammy"],
    &["stephen", "steve", "stevie"],
    &["steven", "steve", "stevie"],
    &["alexander", "alex", "sandy", "xander"],
    &["andrew", "andy", "drew"],
    &["benjamin", "ben", "benny"],
    &["frederick", "fred", "freddie", "freddy"],
    &["henry", "harry", "hal", "hank"],
    &["kenneth", "ken", "kenny"],
    &["lawrence", "larry", "laurie"],
    &["leonard", "len", "lenny", "leo"],
    &["ronald", "ron", "ronnie"],
    &["timothy", "tim", "timmy"],
    &["terence", "terry"],
    &["gerald", "gerry", "jerry"],
    &[
        "elizabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "bess",
        "eliza",
        "libby",
    ],
    &[
        "margaret", "maggie", "meg", "peggy", "marge", "madge", "greta",
    ],
    &["catherine", "cathy", "kate", "katie", "kath", "cat"],
    &["katherine", "kathy", "kate", "katie", "kath", "kat"],
    &["jennifer", "jen", "jenny"],
    &["rebecca", "becky", "becca"],
    &["susan", "sue", "susie"],
    &["deborah", "debbie", "deb"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["alexandra", "alex", "sandra", "lexi"],
    &["victoria", "vicky", "tori"],
    &["christine", "chris", "chrissie", "tina"],
    &["samantha", "sam", "sammy"],
    &["jessica", "jess", "jessie"],
    &["abigail", "abby", "abbie"],
    &["dorothy", "dot", "dottie"],
    &["theresa", "tess", "tessa", "terri"],
    &["helen", "nell", "nellie"],
    &["ann", "anne", "annie", "anna"],
    &["mary", "molly", "polly", "mae"],
    &["sarah", "sally", "sadie"],
    &["joanne", "jo", "joanna"],
    &["nicola", "nicky", "nikki"],
];

/// Spellings and transliterations of one name.
const VARIANTS: &[&[&str]] = &[
    &[
        "mohammed", "muhammad", "mohammad", "mohamed", "muhammed", "mohamad", "mohamud", "mehmet",
    ],
    &["ahmed", "ahmad", "ahmet"],
    &["yusuf", "yousef", "yousuf", "youssef", "josef"],
    &["hussain", "hussein", "husain", "hossain"],
    &["ali", "aly"],
    &["abdullah", "abdulla", "abdallah"],
    &["ibrahim", "ebrahim", "ibraheem"],
    &["mustafa", "mustapha", "moustafa"],
    &["fatima", "fatimah", "fatma"],
    &["aisha", "ayesha", "aysha", "ayisha"],
    &["sean", "shaun", "shawn"],
    &["stephen", "steven"],
    &["philip", "phillip", "filip"],
    &["geoffrey", "jeffrey", "jeffery"],
    &[
        "catherine",
        "katherine",
        "kathryn",
        "catharine",
        "katharine",
    ],
    &["caitlin", "kaitlyn", "katelyn", "caitlyn"],
    &["zoe", "zoey"],
    &["olga", "olha"],
    &["aleksander", "alexander", "aleksandr", "oleksandr"],
    &["sergei", "sergey", "serhiy"],
    &["wojciech", "voytek"],
    &["nguyen", "nguyen"],
];

/// For each name, the groups it belongs to (indexes into one list: the
/// nickname groups, then the variant groups). Built once: the matcher asks
/// for every pair of tokens it compares.
struct Groups {
    of: HashMap<&'static str, Vec<usize>>,
    all: Vec<&'static [&'static str]>,
    nicknames: usize,
}

static GROUPS: LazyLock<Groups> = LazyLock::new(|| {
    let all: Vec<&'static [&'static str]> =
        NICKNAMES.iter().chain(VARIANTS.iter()).copied().collect();
    let mut of: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, g) in all.iter().enumerate() {
        for name in g.iter() {
            let ids = of.entry(name).or_default();
            if !ids.contains(&i) {
                ids.push(i);
            }
        }
    }
    Groups {
        of,
        all,
        nicknames: NICKNAMES.len(),
    }
});

fn shared_group(a: &str, b: &str, variants: bool) -> Option<&'static str> {
    if a == b {
        return None;
    }
    let g = &*GROUPS;
    let (ga, gb) = (g.of.get(a)?, g.of.get(b)?);
    ga.iter()
        .find(|i| gb.contains(i) && (**i >= g.nicknames) == variants)
        .map(|i| g.all[*i][0])
}

/// The name both are forms of, when one is a nickname of the other.
pub fn nickname(a: &str, b: &str) -> Option<&'static str> {
    shared_group(a, b, false)
}

/// The name both spell, when they are variants or transliterations.
pub fn variant(a: &str, b: &str) -> Option<&'static str> {
    shared_group(a, b, true)
}

/// The names of the groups `token` belongs to: the key under which every
/// form of the same name is indexed, so "bill" finds "william".
pub fn group_heads(token: &str) -> impl Iterator<Item = &'static str> + '_ {
    let g = &*GROUPS;
    g.of.get(token)
        .into_iter()
        .flatten()
        .map(move |i| g.all[*i][0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_is_william_and_muhammad_is_mohammed_but_not_each_other() {
        assert_eq!(nickname("bill", "william"), Some("william"));
        assert_eq!(nickname("liam", "bill"), Some("william"));
        assert_eq!(variant("muhammad", "mohammed"), Some("mohammed"));
        assert_eq!(nickname("muhammad", "mohammed"), None);
        assert_eq!(nickname("bill", "bill"), None);
        assert!(group_heads("bob").any(|h| h == "robert"));
    }
}
