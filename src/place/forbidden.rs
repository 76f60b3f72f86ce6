//! The words each kind of place does not have, and which of the lists a slot text uses.
//!
//! `place::profile` says which places each list is for. This file is also compiled into
//! `build.rs` (it uses nothing but aho-corasick): the build stores the mask of every
//! embedded slot text beside it, so that a `generate` does not scan the packs' 800 KB of
//! text for these words (that scan was an eighth of a start).

/// The word lists, bit i for list i; `place::profile::APPLIES` says whom each is for
/// (the comments name it).
pub const LISTS: [&[&str]; 13] = [
    // Profile::Core
    &[
        "通村公路",
        "危房改造",
        "耕地",
        "赶集",
        "村容",
        "留守儿童",
        "田间地头",
        "种地",
        "庄稼",
        "收成",
        "农用车",
        "进村",
        "村民",
        "嘎查",
        "草原",
        "牧民",
        "农忙",
    ],
    // Profile::Seat
    &["通村公路", "嘎查", "草原", "牧民"],
    // Profile::Township
    &[
        "物业",
        "楼道",
        "电梯",
        "高层",
        "楼栋",
        "老旧小区",
        "嘎查",
        "牧民",
        "草原",
        "管委会",
    ],
    // Profile::Pastoral
    &[
        "物业",
        "楼道",
        "电梯",
        "高层",
        "楼栋",
        "老旧小区",
        "村民",
        "管委会",
    ],
    // Profile::StateFarm
    &[
        "县委",
        "村民",
        "村委会",
        "乡镇",
        "物业",
        "电梯",
        "楼道",
        "嘎查",
        "管委会",
    ],
    // Profile::Forest
    &[
        "县委",
        "村民",
        "村委会",
        "物业",
        "电梯",
        "楼道",
        "嘎查",
        "耕地",
        "管委会",
    ],
    // Profile::Zone
    &[
        "村民",
        "村委会",
        "村容",
        "耕地",
        "种地",
        "田间地头",
        "留守儿童",
        "庄稼",
        "收成",
        "嘎查",
        "草原",
        "牧民",
        "通村公路",
        "危房改造",
        "进村",
        "农忙",
    ],
    // Profile::Other
    &["嘎查", "草原", "牧民", "通村公路"],
    // NotNorth
    &["取暖", "供暖", "暖气", "煤改"],
    // NotCoast
    &["台风"],
    // NotBeijing
    &["接诉即办"],
    // NotRural: the words `draft::validate` refuses where there are no villages.
    &["赶集", "包村", "村委会", "村党支部"],
    // Metro
    &["通村公路", "危房改造", "安全饮水", "留守儿童"],
];

/// The lists (as a bit mask over [`LISTS`]) a plain text uses.
pub fn plain_mask(text: &str) -> u32 {
    // One automaton over every list's words, not a substring search per word.
    static WORDS: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<u32>)> =
        std::sync::OnceLock::new();
    let (automaton, bits) = WORDS.get_or_init(|| {
        let (words, bits): (Vec<&str>, Vec<u32>) = LISTS
            .iter()
            .enumerate()
            .flat_map(|(i, words)| words.iter().map(move |w| (*w, 1u32 << i)))
            .unzip();
        let automaton = aho_corasick::AhoCorasick::new(words).expect("the word lists compile");
        (automaton, bits)
    });
    automaton
        .find_overlapping_iter(text)
        .fold(0, |mask, m| mask | bits[m.pattern().as_usize()])
}

/// The lists a slot text uses, as it is written (with its 【…】): the words a reader may
/// see, with every option of a choice 【甲|乙】, and each placeholder or nested slot read
/// as a break, so that no word is found across one (`content::literal_text` reads a
/// converted text the same way). 【N】, 【M】 and 【列举】 stay as written.
pub fn text_mask(text: &str) -> u32 {
    const BREAK: char = '…';
    let mut plain = String::with_capacity(text.len() + 3);
    let mut rest = text;
    while let Some(open) = rest.find('【') {
        let inner = &rest[open + '【'.len_utf8()..];
        let Some(close) = inner.find('】') else {
            break;
        };
        plain.push_str(&rest[..open]);
        let key = &inner[..close];
        match key {
            "N" | "M" | "列举" | "列举、" => {
                plain.push('【');
                plain.push_str(key);
                plain.push('】');
            }
            _ if key.starts_with('@') => plain.push(BREAK),
            _ if key.contains('|') => {
                for (i, option) in key.split('|').enumerate() {
                    if i > 0 {
                        plain.push(BREAK);
                    }
                    plain.push_str(option);
                }
            }
            _ => plain.push(BREAK),
        }
        rest = &inner[close + '】'.len_utf8()..];
    }
    plain.push_str(rest);
    plain.push(BREAK);
    plain_mask(&plain)
}
