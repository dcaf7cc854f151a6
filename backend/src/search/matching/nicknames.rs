//! Nicknames and diminutives (Bill is William), and spellings of the same
//! name across transliterations (Mohammed, Muhammad). Each group is one
//! name; its first entry names the group.

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

fn group<'a>(groups: &'a [&'a [&'a str]], a: &str, b: &str) -> Option<&'a str> {
    groups
        .iter()
        .find(|g| g.contains(&a) && g.contains(&b))
        .map(|g| g[0])
}

/// The name both are forms of, when one is a nickname of the other.
pub fn nickname(a: &str, b: &str) -> Option<&'static str> {
    (a != b).then(|| group(NICKNAMES, a, b)).flatten()
}

/// The name both spell, when they are variants or transliterations.
pub fn variant(a: &str, b: &str) -> Option<&'static str> {
    (a != b).then(|| group(VARIANTS, a, b)).flatten()
}

/// The names of the groups `token` belongs to: the key under which every
/// form of the same name is indexed, so "bill" finds "william".
pub fn group_heads(token: &str) -> impl Iterator<Item = &'static str> + '_ {
    NICKNAMES
        .iter()
        .chain(VARIANTS.iter())
        .filter(move |g| g.contains(&token))
        .map(|g| g[0])
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
