//! Cleaning of scraped source documents: bytes → clean Simplified Chinese text.
//!
//! Speeches scraped from document-sharing sites are dirty in recurring ways (see
//! DESIGN.md §1). [`clean_text`] repairs what can be repaired mechanically and reports,
//! with line and column in the *output*, every spot it cannot repair:
//!
//! 1. HTML tags (`</p>`) and a few entities are removed; site boilerplate before the speech
//!    (page lists `…_第1页`, `已阅读5页`, `下载本文档`, `版权说明：…`, `文档简介`) and after it
//!    (`温馨提示` and everything after, `评论`, `0/150`, `提交评论`, `• 1. 本站…`) is removed,
//!    and so is a site's `目录/提纲：` block before the title whose entries the speech repeats.
//! 2. Pinyin annotations (`鄉(xiāng)`) are removed, also after mojibake (`F(xiàn)`) and in
//!    the half-eaten form `?nèi)` where the `(` was swallowed by a broken GBK lead byte.
//!    Un-toned annotations (`乡(xiang)`) are removed only when the document also has toned
//!    ones or carries a tone digit (`(xiang1)`), so `(go)`-like English is left alone.
//! 3. Traditional → Simplified with OpenCC `t2s` (phrase + character dictionaries). `t2s`
//!    keeps `著` (帶著 → 带著), and OpenCC's `tw2s` fixes that but also turns 什么 into 什幺
//!    and 土著 into 土着; so we use `t2s` and then a small rule of our own: `著` becomes `着`
//!    unless it is part of a word read *zhù* (著名, 著作, 显著, 名著, 土著, 卓著 …).
//!    `甚么` (the Taiwan form of 什么) becomes `什么`.
//! 4. Chunk markers: the site cuts the text into chunks `1、` `2、` … where chunk N ≥ 2 starts
//!    after a blank line and continues the previous chunk mid-word. A run of markers
//!    1, 2, 3 … (each at the start of a line after a blank line) is treated as chunking only
//!    when most breaks fall mid-sentence and chunks are long; then the chunks are re-joined.
//! 5. The title glued to the salutation (`…讲话稿同志们:`) is split: title, `同志们：`, body.
//! 6. Half-width `, ; : ? ! ( )` next to Chinese become full-width; ASCII stays between ASCII
//!    (`3.5`, `10:30`, `http://`). Characters inside a suspected mojibake run are not touched.
//! 7. When the body has no paragraph structure (very long lines), paragraph breaks are
//!    inserted before level-1 headings `一、` (the heading gets its own line), level-2 points
//!    `第一，`, level-3 points `一是` / `一要` (not inside an inline list `：一是…二是…`) and
//!    the transition `下面，…` / closing `同志们，…`.
//! 8. Text copied from a PDF: page markers (`第1页共10页`, `- 3 -`, `— 3 —`, a lone page
//!    number) and running headers or footers (a short line repeated on every page, maybe with
//!    its page number) are removed; lines broken at the page width are rejoined into
//!    paragraphs — a line is continued only when it fills the width and the next line does
//!    not start with a heading or numbering marker (`一、` `（一）` `第一，` `1.` `首先，` …) or an
//!    indent, so a heading is never merged into the paragraph before it.
//! 9. Placeholders of template speeches (`XX镇`, `×××同志`, `*县长`, `__月__日`) are kept as
//!    they are and not reported as stray Latin letters. Numbers a site deleted (`今年月日`,
//!    `全县有个村`, `增长%`) are marked `××` (see [`crate::ingest::gaps`]) and reported.
//! 10. Issues: private-use code points, U+FFFD, `?` that is not a question mark (`?!`, `?,`,
//!     `?` between ideographs with no question word before it), stray Latin letters between
//!     ideographs. Nearby suspicious characters are merged into one run → one [`Issue`]. The
//!     characters stay in the text so a person can repair them.

use std::fmt;
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use regex::Regex;

use crate::base::files::decode;
use crate::base::numerals::cn_numeral;
use crate::ingest::gaps::{GAP, mark_missing_numbers};

/// The result of cleaning one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanReport {
    /// Clean text: title, salutation, one paragraph per line, `\n` line ends, final `\n`.
    pub text: String,
    /// Spots that could not be repaired, in text order.
    pub issues: Vec<Issue>,
    /// The encoding the input was decoded from (`"UTF-8"`, `"GB18030"`, …).
    pub encoding: &'static str,
    /// Control characters removed (NUL, ESC, BEL …; terminal colour codes whole), with
    /// the line and column of the first in the input.
    pub removed_controls: usize,
    pub first_control: Option<(usize, usize)>,
}

/// One spot in the output text that needs a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// 1-based line number in [`CleanReport::text`].
    pub line: usize,
    /// 1-based column, in chars, of the first suspicious character.
    pub column: usize,
    pub kind: IssueKind,
    /// About 10 characters either side of the spot (same line), the spot included.
    pub context: String,
    /// The suspicious run itself (as it stands in the text).
    pub snippet: String,
}

/// What kind of damage an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IssueKind {
    /// A run of characters that look like GBK-decoded UTF-8 (`?!`, `?` between ideographs…).
    Mojibake,
    /// A private-use code point (U+E000–U+F8FF, planes 15–16), almost always mojibake.
    PrivateUse,
    /// Latin letters between Chinese characters (`茌d舟`, pinyin remains).
    StrayLatin,
    /// U+FFFD, from bytes that could not be decoded.
    ReplacementChar,
    /// A number the site deleted (`今年月日`, `全县有个村`), now marked `××` for a person to
    /// fill in; the mark stays in the text.
    MissingNumber,
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            IssueKind::Mojibake => "乱码 (mojibake)",
            IssueKind::PrivateUse => "私用区字符 (private-use code point)",
            IssueKind::StrayLatin => "夹杂拉丁字母 (stray Latin letters)",
            IssueKind::ReplacementChar => "替换字符 (replacement character U+FFFD)",
            IssueKind::MissingNumber => "缺少数字 (a deleted number, marked ××: fill it in)",
        };
        f.write_str(s)
    }
}

impl Issue {
    /// The spot `start..=end` (0-based chars) of line `line` (1-based, its chars `cs`),
    /// with about 10 characters of context either side.
    fn at(cs: &[char], line: usize, start: usize, end: usize, kind: IssueKind) -> Issue {
        const CONTEXT: usize = 10;
        let from = start.saturating_sub(CONTEXT);
        let to = (end + 1 + CONTEXT).min(cs.len());
        Issue {
            line,
            column: start + 1,
            kind,
            context: cs[from..to].iter().collect(),
            snippet: cs[start..=end].iter().collect(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )?;
        let special: Vec<String> = self
            .snippet
            .chars()
            .filter(|&c| is_private_use(c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !special.is_empty() {
            write!(f, " {}", special.join(" "))?;
        }
        if !matches!(self.kind, IssueKind::Mojibake | IssueKind::MissingNumber)
            && self.snippet.chars().count() > 1
        {
            write!(f, " in mojibake run")?;
        }
        write!(
            f,
            " “{}” in “…{}…”",
            escape_invisible(&self.snippet),
            escape_invisible(&self.context)
        )
    }
}

/// Private-use and other invisible characters as `<U+XXXX>`, so a printed issue shows them.
fn escape_invisible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_private_use(c) || c == '\u{FFFD}' || (c.is_control() && c != '\t') {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/// [`decode`] then [`clean_text`].
pub fn clean_bytes(bytes: &[u8]) -> CleanReport {
    let (text, encoding) = decode(bytes);
    let mut report = clean_text(&text);
    report.encoding = encoding;
    report
}

// ---------------------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------------------

/// Cleans one document (see the module documentation for the steps).
pub fn clean_text(raw: &str) -> CleanReport {
    let text = normalize_newlines(raw);
    let (text, removed_controls, first_control) = strip_controls(&text);
    let text = strip_html(&text);
    let text = strip_pinyin(&text);
    let text = to_simplified(&text);
    let text = close_character_spacing(&text);
    let page_markers = text.split('\n').filter(|l| is_page_marker(l)).count();
    let lines = remove_boilerplate(&text);
    let lines = remove_site_toc(lines);
    let lines = remove_running_headers(lines, page_markers);
    let lines = rejoin_chunks(lines);
    let lines = rejoin_counter_after_comma(lines);
    let lines = rejoin_wrapped(lines);
    let lines: Vec<String> = lines
        .into_iter()
        .map(|l| trim_line(&l).to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let (head, body) = split_title(lines);
    let head: Vec<String> = head.iter().map(|l| restore_punctuation(l)).collect();
    let body: Vec<String> = body.iter().map(|l| restore_punctuation(l)).collect();
    let body = if lacks_paragraphs(&body) {
        body.iter().flat_map(|l| split_paragraphs(l)).collect()
    } else {
        body
    };
    let mut out = String::new();
    let mut gaps = Vec::new();
    let mut number = 0;
    for line in head.iter().chain(body.iter()) {
        let line = trim_line(line);
        if line.is_empty() {
            continue;
        }
        number += 1;
        let (line, columns) = mark_missing_numbers(line);
        if !columns.is_empty() {
            let cs: Vec<char> = line.chars().collect();
            let width = GAP.chars().count();
            gaps.extend(
                columns
                    .into_iter()
                    .map(|c| Issue::at(&cs, number, c, c + width - 1, IssueKind::MissingNumber)),
            );
        }
        out.push_str(&line);
        out.push('\n');
    }
    let mut issues = find_issues(&out);
    issues.extend(gaps);
    issues.sort_by_key(|i| (i.line, i.column));
    CleanReport {
        text: out,
        issues,
        encoding: "UTF-8",
        removed_controls,
        first_control,
    }
}

/// Removes control characters other than newline and tab (a terminal colour code such as
/// ESC[31m goes whole): they are never text, and they make a Word file unreadable.
/// Returns the text, how many were removed and where the first was (line, column).
fn strip_controls(text: &str) -> (String, usize, Option<(usize, usize)>) {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return (text.to_string(), 0, None);
    }
    let mut out = String::with_capacity(text.len());
    let mut removed = 0;
    let mut first = None;
    let (mut line, mut column) = (1, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        if !c.is_control() || c == '\n' || c == '\t' {
            out.push(c);
            continue;
        }
        removed += 1;
        first.get_or_insert((line, column));
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // CSI sequence: ESC [ parameters final-byte (@ to ~).
            chars.next();
            while let Some(&p) = chars.peek() {
                chars.next();
                if ('@'..='~').contains(&p) {
                    break;
                }
            }
        }
    }
    (out, removed, first)
}

fn trim_line(l: &str) -> &str {
    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}')
}

fn normalize_newlines(raw: &str) -> String {
    raw.trim_start_matches('\u{FEFF}')
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

// ---------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------

fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x3134F)
        || c == '〇'
}

/// Chinese punctuation: CJK symbols, full-width ASCII punctuation, curly quotes, …, —.
fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0x2018..=0x201F | 0x2026 | 0x2014 | 0x2015 | 0xFE30..=0xFE4F)
}

fn is_cjk(c: char) -> bool {
    is_ideograph(c) || is_cjk_punct(c)
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Latin letters, including accented ones (pinyin tone marks).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF) && c != '×' && c != '÷')
}

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿêếề";

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || TONED.contains(c)
}

// ---------------------------------------------------------------------------------------
// Small regex helper: patterns are constants, compiled once; a pattern that failed to
// compile (a bug, caught by the tests) disables its step instead of panicking.
// ---------------------------------------------------------------------------------------

fn cached(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

macro_rules! regex_fn {
    ($name:ident, $pat:expr) => {
        fn $name() -> Option<&'static Regex> {
            static CELL: OnceLock<Option<Regex>> = OnceLock::new();
            cached(&CELL, $pat)
        }
    };
}

regex_fn!(re_html_tag, r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?/?>");
// `?/p>`: the `<` was swallowed together with a broken lead byte into the `?`.
regex_fn!(
    re_eaten_tag,
    r"\?/(?:p|div|span|br|li|td|tr|font|strong|b|i|a)>"
);
regex_fn!(
    re_plain_syllable,
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv]{1,3}(?:ng|n|r)?[1-5]?$"
);
regex_fn!(
    re_page_line,
    r"^.{0,100}?(?:第\s*[0-9０-９]+\s*页|共\s*[0-9０-９]+\s*页)\s*$"
);
regex_fn!(
    re_read_line,
    r"(?:已阅读\s*[0-9]+\s*页|还剩\s*[0-9]+\s*页|继续免费阅读|免费阅读全文|阅读全文|展开全文|点击(?:查看|阅读|下载)全文)"
);
regex_fn!(
    re_exact_line,
    r"^(?:下载本文档|下载文档|立即下载|文档简介|文档介绍|内容简介|文档信息|文档摘要|全文预览|收藏|举报|分享|评论|提交评论|发表评论|相关文档|相关推荐|相关资源|相关文章|最新文档|猜你喜欢|相关搜索|返回|返回首页|返回列表|返回顶部|下载该文章|下载此文|会员注册|注册|登录|请先登录|免费注册|点击查看更多|查看更多|加载更多|电脑桌面|设为首页|加入收藏|打印本页|关闭窗口|[0-9]+\s*/\s*[0-9]+)\s*[:：]?$"
);
regex_fn!(
    re_prefix_line,
    r"^(?:(?:版权说明|版权声明|免责声明|文档贡献者|上传者|上传人|上传时间|下载积分|文档页数|文档格式|文档大小|文档编号|资源描述|来源|作者|发布时间|发布日期|更新时间|浏览次数|阅读次数|点击数|责任编辑|上一篇|下一篇)\s*[:：]|本文档由用户提供|添加.{1,20}到(?:电脑)?桌面)"
);
regex_fn!(
    re_bullet_line,
    r"^[•·●▪◦\-*]\s*[0-9]+\s*[.．、]\s*.*(?:本站|文档|下载|上传|侵权|版权|用户|网站|资源|文件)"
);
regex_fn!(re_tail_start, r"^(?:温馨提示|下载提示|文档评论)\s*[:：]?$");
// A site's path to the page: `德育素材网 首页 > 讲话稿 > 领导讲话`, `当前位置：首页 » 范文`.
regex_fn!(
    re_breadcrumb_line,
    r"^(?:当前位置\s*[:：]\s*)?[^。，；！？]{0,30}首页\s*[>＞›»/]|^[^。，；！？]{1,20}(?:\s*[>＞›»]\s*[^。，；！？>＞›»]{1,20}){2,}$"
);
// What a site says about the text it cut: `(未完,全文共3200字,当前显示1200字)`, `…省略932字`.
regex_fn!(
    re_cut_notice,
    r"[（(]\s*未完[^）)]{0,40}[）)]|[…\.]{0,3}\s*(?:此处)?省略\s*[0-9０-９]+\s*字[…\.。]{0,3}"
);
// Page numbers of a PDF: `- 3 -`, `— 3 —`, `·3·`, `3`, `第3页`, `第3页/共10页`, `Page 3 of 10`.
regex_fn!(
    re_pdf_page_marker,
    r"^(?:[-－—–―~～]+\s*[0-9０-９]{1,4}\s*[-－—–―~～]+|[·•]\s*[0-9０-９]{1,4}\s*[·•]|[0-9０-９]{1,4}|(?:[Pp]age|PAGE)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?|第\s*[0-9０-９一二三四五六七八九十]{1,4}\s*页(?:\s*[,，/／、]?\s*共\s*[0-9０-９一二三四五六七八九十]{1,4}\s*页)?|共\s*[0-9０-９]{1,4}\s*页\s*第\s*[0-9０-９]{1,4}\s*页)$"
);
// A page number glued to a running header: `讲话材料 3`, `- 3 - 讲话材料`.
regex_fn!(
    re_header_page_number,
    r"^(?:[-－—–]?\s*[0-9０-９]{1,4}\s*[-－—–]?\s+)|(?:\s+[-－—–]?\s*[0-9０-９]{1,4}\s*[-－—–]?)$"
);
regex_fn!(re_chunk_marker, r"^\s*([0-9０-９]{1,3})\s*、");
regex_fn!(
    re_salutation,
    r"^(.{0,60}?)((?:尊敬的)?(?:各位[^，,：:。\s]{0,12}[，,、])*(?:同志们|朋友们|各位代表|各位来宾|各位领导)(?:[、，,](?:同志们|朋友们))?\s*[:：])(.*)$"
);

// ---------------------------------------------------------------------------------------
// Step 1: HTML
// ---------------------------------------------------------------------------------------

fn strip_html(text: &str) -> String {
    let mut s = text.to_string();
    if let Some(re) = re_eaten_tag() {
        s = re.replace_all(&s, "?").into_owned();
    }
    if let Some(re) = re_html_tag() {
        s = re.replace_all(&s, "").into_owned();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

// ---------------------------------------------------------------------------------------
// Step 2: pinyin annotations
// ---------------------------------------------------------------------------------------

fn has_tone_mark(s: &[char]) -> bool {
    s.iter().any(|&c| !c.is_ascii() && TONED.contains(c))
}

/// Pinyin content of an annotation: lowercase letters / tone-marked vowels, optional digit.
fn is_pinyin_content(s: &[char]) -> bool {
    if s.is_empty() || s.len() > 8 {
        return false;
    }
    // An optional tone digit: `(xiang1)`.
    let body = match s.split_last() {
        Some((&l, b)) if ('1'..='5').contains(&l) => b,
        _ => s,
    };
    !body.is_empty()
        && body.iter().all(|&c| is_pinyin_letter(c))
        && body.iter().any(|&c| "aeiouv".contains(c) || !c.is_ascii())
}

fn is_plain_syllable(s: &[char]) -> bool {
    let st: String = s.iter().collect();
    st.chars().count() >= 2 && re_plain_syllable().is_some_and(|re| re.is_match(&st))
}

/// Length (in chars, `)` included) of a pinyin annotation body `xiāng)` starting at `i`.
fn pinyin_tail(cs: &[char], i: usize) -> Option<usize> {
    let end = cs.iter().skip(i).take(10).position(|&c| c == ')')?;
    let content = cs.get(i..i + end)?;
    if is_pinyin_content(content) {
        Some(end + 1)
    } else {
        None
    }
}

fn strip_pinyin(text: &str) -> String {
    let cs: Vec<char> = text.chars().collect();
    // Does the document carry tone-marked annotations? Then plain ones are annotations too.
    let mut toned_doc = false;
    for (i, &c) in cs.iter().enumerate() {
        if c == '('
            && let Some(len) = pinyin_tail(&cs, i + 1)
            && has_tone_mark(cs.get(i + 1..i + len).unwrap_or_default())
        {
            toned_doc = true;
            break;
        }
    }
    let mut out: Vec<char> = Vec::with_capacity(cs.len());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let prev = out.last().copied();
        if c == '(' {
            if let (Some(p), Some(len)) = (prev, pinyin_tail(&cs, i + 1)) {
                let content = cs.get(i + 1..i + len).unwrap_or_default();
                let toned = has_tone_mark(content);
                let digit = content.last().is_some_and(|d| d.is_ascii_digit());
                let remove = if toned {
                    // After an ideograph, or after mojibake (`F(xiàn)`, `?(…)`, private use).
                    !p.is_whitespace()
                } else {
                    is_ideograph(p) && (toned_doc || digit) && is_plain_syllable(content)
                };
                if remove {
                    i += 1 + len;
                    continue;
                }
            }
        } else if c == '?' {
            // `?nèi)`: the `(` was swallowed with a broken lead byte; keep the `?`.
            if let Some(len) = pinyin_tail(&cs, i + 1) {
                let content = cs.get(i + 1..i + len).unwrap_or_default();
                if has_tone_mark(content) {
                    out.push('?');
                    i += 1 + len;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Step 3: Traditional → Simplified
// ---------------------------------------------------------------------------------------

fn opencc_t2s() -> Option<&'static OpenCC> {
    static CELL: OnceLock<Option<OpenCC>> = OnceLock::new();
    CELL.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// Words in which 著 is read zhù and stays 著 in Simplified Chinese.
const ZHU_WORDS: &[&str] = &[
    "著名", "著作", "著称", "著述", "著录", "著者", "著书", "著于", "著文", "著说", "著译", "著有",
    "显著", "土著", "名著", "巨著", "昭著", "卓著", "编著", "论著", "原著", "专著", "译著", "合著",
    "遗著", "新著", "拙著", "大著", "撰著", "鸿著", "杰著", "较著", "著述",
];

fn fix_zhe(text: &str) -> String {
    if !text.contains('著') {
        return text.to_string();
    }
    let cs: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in cs.iter().enumerate() {
        if c != '著' {
            out.push(c);
            continue;
        }
        let zhu = ZHU_WORDS.iter().any(|w| {
            let wc: Vec<char> = w.chars().collect();
            // 著 is either the first or the second char of every word in the list.
            let start = if wc.first() == Some(&'著') {
                i
            } else {
                i.wrapping_sub(1)
            };
            start <= i && cs.get(start..start + wc.len()) == Some(&wc[..])
        });
        out.push(if zhu { '著' } else { '着' });
    }
    out
}

fn to_simplified(text: &str) -> String {
    let converted = match opencc_t2s() {
        Some(cc) => cc.convert(text),
        None => text.to_string(),
    };
    fix_zhe(&converted).replace("甚么", "什么")
}

// ---------------------------------------------------------------------------------------
// Step 4: site boilerplate
// ---------------------------------------------------------------------------------------

fn is_boilerplate_line(line: &str) -> bool {
    let t = trim_line(line);
    if t.is_empty() {
        return false;
    }
    let short = t.chars().count() <= 100;
    let matches = |re: Option<&Regex>| re.is_some_and(|re| re.is_match(t));
    (short && (matches(re_page_line()) || matches(re_read_line())))
        || re_exact_line().is_some_and(|re| re.is_match(t))
        || re_prefix_line().is_some_and(|re| re.is_match(t))
        || re_bullet_line().is_some_and(|re| re.is_match(t))
        || (short && re_breadcrumb_line().is_some_and(|re| re.is_match(t)))
        || is_page_marker(t)
}

fn is_page_marker(line: &str) -> bool {
    let t = trim_line(line);
    re_pdf_page_marker().is_some_and(|re| re.is_match(t))
        || (t.chars().count() <= 30
            && t.contains('页')
            && re_page_line().is_some_and(|re| re.is_match(t)))
}

/// Removes a table of contents a site puts before the speech (`目录/提纲：` and the
/// headings under it): the block goes when every entry after its header is a line the
/// speech says again later, so a speech's own `提纲` paragraph stays.
fn remove_site_toc(lines: Vec<String>) -> Vec<String> {
    let is_header = |line: &str| {
        let t: String = trim_line(line)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let t = t.trim_end_matches(['：', ':']);
        matches!(
            t,
            "目录" | "提纲" | "目录/提纲" | "目录提纲" | "文章目录" | "内容提纲"
        )
    };
    let Some(header) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !trim_line(l).is_empty())
        .take(12)
        .find(|(_, l)| is_header(l))
        .map(|(i, _)| i)
    else {
        return lines;
    };
    let mut end = header + 1;
    while end < lines.len() {
        let entry = trim_line(&lines[end]);
        let short = !entry.is_empty() && entry.chars().count() <= 40;
        let again = lines[end + 1..].iter().any(|l| trim_line(l) == entry);
        if !(short && again) {
            break;
        }
        end += 1;
    }
    if end == header + 1 {
        return lines;
    }
    lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !(header..end).contains(i))
        .map(|(_, l)| l)
        .collect()
}

/// Returns the lines of the document with site boilerplate removed (blank lines kept, as
/// chunk markers are recognised after a blank line).
fn remove_boilerplate(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen_content = false;
    for line in text.split('\n') {
        let t = trim_line(line);
        if seen_content && re_tail_start().is_some_and(|re| re.is_match(t)) {
            break;
        }
        if is_boilerplate_line(line) {
            // Keep the line structure: a removed line counts as blank.
            out.push(String::new());
            continue;
        }
        let line = match re_cut_notice() {
            Some(re) if re.is_match(line) => re.replace_all(line, "").into_owned(),
            _ => line.to_string(),
        };
        let t = trim_line(&line);
        if t.is_empty() {
            out.push(String::new());
            continue;
        }
        // A sentence's last stop alone on a line (`今年降雨偏多⏎。`) rejoins the sentence.
        if t.chars().all(|c| "。！？；，".contains(c))
            && let Some(previous) = out.iter_mut().rev().find(|l| !trim_line(l).is_empty())
        {
            previous.push_str(t);
            out.push(String::new());
            continue;
        }
        seen_content = true;
        out.push(line.trim_end().to_string());
    }
    out
}

// ---------------------------------------------------------------------------------------
// Step 5: chunk markers `1、` `2、` …
// ---------------------------------------------------------------------------------------

fn marker_number(line: &str) -> Option<(usize, usize)> {
    let re = re_chunk_marker()?;
    let caps = re.captures(line)?;
    let whole = caps.get(0)?;
    let digits = caps.get(1)?.as_str();
    let mut n = 0usize;
    for c in digits.chars() {
        let d = c.to_digit(10).or_else(|| {
            let u = c as u32;
            (0xFF10..=0xFF19).contains(&u).then(|| u - 0xFF10)
        })?;
        n = n * 10 + d as usize;
    }
    Some((n, whole.end()))
}

fn ends_sentence(line: &str) -> bool {
    trim_line(line)
        .chars()
        .last()
        .is_some_and(|c| "。！？!?；;：:”」』）)…".contains(c))
}

/// A site's chunk counter where the text was cut mid-sentence (`……落实不到位，⏎2、看法上
/// 还存在……`, `……重视不够⏎2、思想上……`): a heading never follows a paragraph that ends
/// with a comma or in the middle of a sentence, so `N、` (N ≥ 2) after a long unnumbered
/// line ending in ， 、 or a character is dropped and the two lines rejoined.
fn rejoin_counter_after_comma(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let previous = out.iter().rposition(|l| !trim_line(l).is_empty());
        let glue = previous.is_some_and(|p| {
            let prev = trim_line(&out[p]);
            prev.chars().count() >= 40
                && (prev.ends_with(['，', '、']) || prev.chars().last().is_some_and(is_ideograph))
                && marker_number(prev).is_none()
                && !crate::ingest::outline::starts_paragraph(prev)
        });
        match (glue, marker_number(&line)) {
            (true, Some((n, len))) if n >= 2 => {
                let p = previous.unwrap_or_default();
                out.truncate(p + 1);
                let rest = line.get(len..).unwrap_or_default().trim_start().to_string();
                let prev = &mut out[p];
                let trimmed = prev.trim_end().len();
                prev.truncate(trimmed);
                prev.push_str(&rest);
            }
            _ => out.push(line),
        }
    }
    out
}

fn rejoin_chunks(lines: Vec<String>) -> Vec<String> {
    let first = match lines.iter().position(|l| !trim_line(l).is_empty()) {
        Some(i) => i,
        None => return lines,
    };
    // Candidate markers: `N、` at the start of the first line or of a line after a blank line,
    // continuing the sequence 1, 2, 3 …
    let mut seq: Vec<(usize, usize)> = Vec::new(); // (line index, byte length of the marker)
    let mut expected = 1;
    for i in first..lines.len() {
        let after_blank = i == first || (i > 0 && trim_line(&lines[i - 1]).is_empty());
        if !after_blank {
            continue;
        }
        if let Some((n, len)) = marker_number(&lines[i])
            && n == expected
            && (n > 1 || i == first)
        {
            seq.push((i, len));
            expected += 1;
        }
    }
    if seq.is_empty() {
        return lines;
    }
    // Chunk lengths and mid-sentence breaks decide whether these are chunk markers.
    let chunk_chars: Vec<usize> = seq
        .iter()
        .enumerate()
        .map(|(k, &(start, _))| {
            let end = seq.get(k + 1).map_or(lines.len(), |&(s, _)| s);
            lines[start..end].iter().map(|l| l.chars().count()).sum()
        })
        .collect();
    let avg = chunk_chars.iter().sum::<usize>() / chunk_chars.len().max(1);
    let is_chunked = if seq.len() == 1 {
        // A lone `1、` on a first line that holds a whole speech.
        chunk_chars.first().copied().unwrap_or(0) >= 300 && lines[seq[0].0].chars().count() >= 300
    } else {
        let breaks = seq.len() - 1;
        let mid = seq
            .iter()
            .skip(1)
            .filter(|&&(i, _)| {
                lines[..i]
                    .iter()
                    .rev()
                    .find(|l| !trim_line(l).is_empty())
                    .is_some_and(|l| !ends_sentence(l))
            })
            .count();
        avg >= 40 && mid * 2 >= breaks
    };
    if !is_chunked {
        return lines;
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut k = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if k < seq.len() && seq[k].0 == i {
            let rest = line.get(seq[k].1..).unwrap_or_default().to_string();
            if k == 0 {
                out.push(rest);
            } else {
                // Drop the blank lines before the marker and glue onto the previous chunk.
                while out.last().is_some_and(|l| trim_line(l).is_empty()) {
                    out.pop();
                }
                match out.last_mut() {
                    Some(prev) => {
                        let trimmed = prev.trim_end().len();
                        prev.truncate(trimmed);
                        prev.push_str(rest.trim_start());
                    }
                    None => out.push(rest),
                }
            }
            k += 1;
        } else {
            out.push(line);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Step 5b: text copied from a PDF — running headers, lines broken at the page width
// ---------------------------------------------------------------------------------------

/// Words a speech's title holds; a repeated first line with one of them is the title that
/// the PDF also prints as its running header, and its first occurrence stays.
const TITLE_WORDS: [&str; 8] = [
    "讲话", "会议", "发言", "致辞", "报告", "讲稿", "材料", "动员",
];

/// Removes running headers and footers: a short line (after removing a page number glued
/// to it) repeated three times, or twice when the text has page markers.
fn remove_running_headers(lines: Vec<String>, page_markers: usize) -> Vec<String> {
    let key = |line: &str| -> Option<String> {
        let t = trim_line(line);
        let t = re_header_page_number()
            .map_or_else(|| t.to_string(), |re| re.replace_all(t, "").into_owned());
        let n = t.chars().count();
        let eligible = (4..=40).contains(&n)
            && !t.ends_with(['。', '！', '？', '：', '；', '，'])
            && !crate::ingest::outline::starts_paragraph(&t)
            && !re_salutation().is_some_and(|re| re.is_match(&t));
        eligible.then_some(t)
    };
    // A header or footer stands at a page break: next to a blank line or a page marker
    // (already blank here). Repeated lines inside running text are not headers.
    let at_break = |i: usize| {
        let blank = |j: Option<usize>| {
            j.and_then(|j| lines.get(j))
                .is_none_or(|l| trim_line(l).is_empty())
        };
        blank(i.checked_sub(1)) || blank(Some(i + 1))
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(k) = key(line).filter(|_| at_break(i)) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let threshold = if page_markers > 0 { 2 } else { 3 };
    let breaks: Vec<bool> = (0..lines.len()).map(at_break).collect();
    let first_content = lines.iter().position(|l| !trim_line(l).is_empty());
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| match key(&line) {
            Some(k) if counts.get(&k).copied().unwrap_or(0) >= threshold && breaks[i] => {
                let is_title =
                    Some(i) == first_content && TITLE_WORDS.iter().any(|w| k.contains(w));
                if is_title { k } else { String::new() }
            }
            _ => line,
        })
        .collect()
}

/// Display width: Chinese characters and full-width punctuation count 2, ASCII 1.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn is_indented(line: &str) -> bool {
    line.starts_with('\u{3000}') || line.starts_with("  ") || line.starts_with('\t')
}

/// Rejoins lines broken at the page width (text copied from a PDF). Only when the text
/// looks wrapped: most lines are about the same width (at most 80 characters) and many of
/// those full lines end in the middle of a sentence. A line is then continued by the next
/// unless it is shorter than the width (a paragraph's last line, a heading, the title), or
/// the next line starts with a numbering marker or the salutation, or — when the text
/// marks paragraphs by indenting — the next line is indented. Blank lines and removed page
/// markers between two halves of a sentence do not stop the join.
fn rejoin_wrapped(lines: Vec<String>) -> Vec<String> {
    let content: Vec<&str> = lines
        .iter()
        .map(|l| trim_line(l))
        .filter(|t| !t.is_empty())
        .collect();
    if content.len() < 6 {
        return lines;
    }
    let mut widths: Vec<usize> = content.iter().map(|t| display_width(t)).collect();
    widths.sort_unstable();
    let width = widths[widths.len() * 8 / 10];
    if !(20..=160).contains(&width) {
        return lines;
    }
    let full = |t: &str| display_width(t) + 6 >= width;
    let full_lines = content.iter().filter(|t| full(t)).count();
    let broken = content
        .iter()
        .filter(|t| full(t) && !ends_sentence(t))
        .count();
    if full_lines * 10 < content.len() * 4 || broken < 3 || broken * 10 < full_lines * 3 {
        return lines;
    }
    let indents = lines
        .iter()
        .filter(|l| is_indented(l) && !trim_line(l).is_empty())
        .count();
    let indent_marks_paragraphs = indents >= 2;
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut open = false; // the last output line may be continued
    for line in lines {
        let t = trim_line(&line);
        if t.is_empty() {
            // A blank line after a finished sentence ends the paragraph; after a broken
            // sentence it is a page break.
            if open && out.last().is_some_and(|l| ends_sentence(l)) {
                open = false;
            }
            if !open {
                out.push(String::new());
            }
            continue;
        }
        let starts_new = crate::ingest::outline::starts_paragraph(t)
            || (indent_marks_paragraphs && is_indented(&line));
        match out.last_mut() {
            Some(prev) if open && !starts_new => {
                let glue_space = prev.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && t.starts_with(|c: char| c.is_ascii_alphanumeric());
                if glue_space {
                    prev.push(' ');
                }
                prev.push_str(t);
            }
            _ => out.push(line.clone()),
        }
        open = full(t);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Step 6: title + salutation
// ---------------------------------------------------------------------------------------

/// Splits `Title同志们:Body…` on the first line. Returns (title/salutation lines, body lines).
fn split_title(lines: Vec<String>) -> (Vec<String>, Vec<String>) {
    let Some(first) = lines.first() else {
        return (Vec::new(), lines);
    };
    let Some(caps) = re_salutation().and_then(|re| re.captures(first)) else {
        // A salutation alone on line 2 (title on line 1) is already in shape.
        let sal_at = lines.iter().take(3).position(|l| {
            re_salutation().is_some_and(|re| re.is_match(l)) && l.chars().count() <= 20
        });
        if let Some(p) = sal_at {
            let mut lines = lines;
            let body = lines.split_off(p + 1);
            return (lines, body);
        }
        return (Vec::new(), lines);
    };
    let title = caps.get(1).map_or("", |m| m.as_str()).trim().to_string();
    let sal = caps
        .get(2)
        .map_or("", |m| m.as_str())
        .trim()
        .replace(':', "：")
        .replace(',', "，");
    let rest = caps.get(3).map_or("", |m| m.as_str()).trim().to_string();
    let mut head = Vec::new();
    if !title.is_empty() {
        head.push(title);
    }
    head.push(sal);
    let mut body = Vec::new();
    if !rest.is_empty() {
        body.push(rest);
    }
    body.extend(lines.into_iter().skip(1));
    (head, body)
}

// ---------------------------------------------------------------------------------------
// Step 7: full-width punctuation
// ---------------------------------------------------------------------------------------

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

pub(crate) fn restore_punctuation(line: &str) -> String {
    let cs: Vec<char> = line.chars().collect();
    let protected = suspicious_mask(&cs);
    let mut out: Vec<char> = Vec::with_capacity(cs.len());
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let Some(fw) = full_width(c) else {
            out.push(c);
            i += 1;
            continue;
        };
        if protected.get(i).copied().unwrap_or(false) {
            out.push(c);
            i += 1;
            continue;
        }
        let prev = cs[..i].iter().rev().find(|c| **c != ' ').copied();
        let next_idx = cs[i + 1..]
            .iter()
            .position(|c| *c != ' ')
            .map(|p| i + 1 + p);
        let next = next_idx.and_then(|j| cs.get(j)).copied();
        let prev_cjk = prev.is_some_and(is_cjk);
        let next_cjk = next.is_some_and(|n| is_cjk(n) && n != '\u{3000}');
        let both_digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let convert = match c {
            '(' => next_cjk || prev.is_some_and(is_ideograph),
            ')' => prev_cjk || next.is_some_and(is_ideograph),
            _ => (prev_cjk || next_cjk) && !both_digits,
        };
        if !convert {
            out.push(c);
            i += 1;
            continue;
        }
        // Drop the spaces around a converted mark when Chinese is on that side.
        if prev_cjk {
            while out.last() == Some(&' ') {
                out.pop();
            }
        }
        out.push(fw);
        i += 1;
        if next_cjk {
            while cs.get(i) == Some(&' ') {
                i += 1;
            }
        }
    }
    match_bracket_widths(&mut out);
    out.into_iter().collect()
}

/// A bracket pair is one width: `，(2)要` may convert only its `)` (Chinese follows it), so
/// the `(` that opens it follows (`（2）`), and the other way round.
fn match_bracket_widths(chars: &mut [char]) {
    let mut open: Vec<usize> = Vec::new();
    for i in 0..chars.len() {
        match chars[i] {
            '(' | '（' => open.push(i),
            ')' | '）' => {
                if let Some(j) = open.pop()
                    && (chars[i] == '）') != (chars[j] == '（')
                {
                    chars[i] = '）';
                    chars[j] = '（';
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// Step 8: paragraph structure
// ---------------------------------------------------------------------------------------

fn lacks_paragraphs(body: &[String]) -> bool {
    if body.is_empty() {
        return false;
    }
    let lens: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
    let total: usize = lens.iter().sum();
    total / body.len() > 300
        || lens.iter().any(|&l| l > 1000)
        || body.iter().any(|l| runs_headings(l))
}

/// A line that runs two or more level-1 headings into its text after a stop
/// (`……重要性。二、突出重点……。三、加强领导……`): a short speech pasted as one line.
fn runs_headings(line: &str) -> bool {
    let cs: Vec<char> = line.chars().collect();
    let inline = (1..cs.len())
        .filter(|&i| {
            matches!(cs[i - 1], '。' | '！' | '？' | '：')
                && cn_numeral(&cs, i)
                    .is_some_and(|(v, len)| v >= 2 && cs.get(i + len) == Some(&'、'))
        })
        .count();
    inline >= 2
}

fn starts_with_at(cs: &[char], i: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| cs.get(i + k) == Some(&c))
}

/// Words that begin the first sentence after a heading run into the text.
const SENTENCE_STARTERS: &[&str] = &[
    "我们",
    "俗话说",
    "古人云",
    "古语云",
    "常言道",
    "俗语说",
    "众所周知",
    "实践证明",
    "事实证明",
    "实践表明",
    "近年来",
    "近几年来",
    "多年来",
    "同志们",
];

/// Level-2/3 point markers: `第一，` `一是` `一要` `（一）`.
fn point_marker_at(cs: &[char], i: usize) -> bool {
    if cs.get(i) == Some(&'第') {
        if let Some((_, len)) = cn_numeral(cs, i + 1) {
            return matches!(cs.get(i + 1 + len), Some('，' | '、' | ','));
        }
        return false;
    }
    if matches!(cs.get(i), Some('（' | '(')) {
        if let Some((_, len)) = cn_numeral(cs, i + 1) {
            return matches!(cs.get(i + 1 + len), Some('）' | ')'));
        }
        return false;
    }
    if let Some((_, len)) = cn_numeral(cs, i) {
        return matches!(cs.get(i + len), Some('是' | '要'));
    }
    false
}

/// Where does a level-1 heading whose text starts at `s` end (exclusive)? `None` when no
/// rule finds the end; the caller then only breaks before the heading.
fn heading_end(cs: &[char], s: usize) -> Option<usize> {
    const MAX: usize = 25;
    let stop = cs
        .iter()
        .skip(s)
        .position(|&c| "。，；：！？,;:!?\n".contains(c))
        .map_or(cs.len(), |p| s + p);
    // A heading of two parallel halves (`统一思想，提高认识`) ends where the second half is
    // as long as the first: `一、统一思想，提高认识今年农村党员冬训……`.
    let half = stop - s;
    if (2..=8).contains(&half)
        && matches!(cs.get(stop), Some('，' | ','))
        && cs[s..stop].iter().all(|&c| is_ideograph(c))
    {
        let end = stop + 1 + half;
        if cs.len() > end && cs[stop + 1..end].iter().all(|&c| is_ideograph(c)) {
            return match cs.get(end) {
                Some('。' | '！' | '？') => Some(end + 1),
                Some(&c) if is_ideograph(c) => Some(end),
                _ => None,
            };
        }
    }
    let limit = stop.min(s + MAX);
    for p in s + 2..=limit {
        if p == stop {
            break;
        }
        let len = p - s;
        if point_marker_at(cs, p) {
            return Some(p);
        }
        if len >= 4 && SENTENCE_STARTERS.iter().any(|w| starts_with_at(cs, p, w)) {
            return Some(p);
        }
        // The first sentence repeats words of the heading: `要始终帮助群众帮助群众不是…`,
        // `…对群众工作的领导群众工作是…`.
        if len >= 4 && p + 4 <= stop {
            let probe = &cs[p..p + 4];
            if probe.iter().all(|&c| is_ideograph(c)) && cs[s..p].windows(4).any(|w| w == probe) {
                return Some(p);
            }
        }
    }
    // A short heading closed by its own full stop.
    if stop < cs.len() && stop - s <= MAX && matches!(cs.get(stop), Some('。' | '！' | '？')) {
        return Some(stop + 1);
    }
    None
}

/// Text from a PDF viewer that puts a space between every character (`完 成 地 方 财 政
/// 收 入 1121 万 元`): such a line is closed up, keeping one space only where both sides
/// are Latin words or numbers (`GDP 5.2`).
fn close_character_spacing(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            if is_character_spaced(line) {
                close_up(line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Most of the line's pieces between spaces are one Chinese character or mark.
fn is_character_spaced(line: &str) -> bool {
    let pieces: Vec<&str> = line
        .split([' ', '\u{3000}'])
        .filter(|p| !p.is_empty())
        .collect();
    let single = pieces
        .iter()
        .filter(|p| {
            let mut cs = p.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if is_cjk(c) || is_cjk_punct(c))
        })
        .count();
    // A short line spaced throughout (`同 志 们 ：`) is one too.
    (pieces.len() >= 6 && single * 10 >= pieces.len() * 6)
        || (pieces.len() >= 3 && single == pieces.len())
}

fn close_up(line: &str) -> String {
    let cs: Vec<char> = line.chars().collect();
    let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, '%' | '.');
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < cs.len() {
        if matches!(cs[i], ' ' | '\u{3000}') {
            let end = (i..cs.len())
                .find(|&j| !matches!(cs[j], ' ' | '\u{3000}'))
                .unwrap_or(cs.len());
            let before = out.chars().last();
            let after = cs.get(end).copied();
            // A wider gap than the spacing between characters after a short numbered
            // heading is where the heading ended and its paragraph began (the PDF had
            // them on two lines or in two blocks).
            let gap: usize = cs[i..end]
                .iter()
                .map(|&c| if c == ' ' { 1 } else { 2 })
                .sum();
            let heading_ends = gap >= 2
                && after.is_some()
                && !out.contains('\n')
                && out.chars().count() <= 40
                && !out.contains(['。', '！', '？', '；'])
                && crate::ingest::outline::parse_marker(&out)
                    .is_some_and(|m| m.len < out.chars().count());
            if heading_ends {
                out.push('\n');
            } else if before.is_some_and(latin) && after.is_some_and(latin) {
                out.push(' ');
            }
            i = end;
            continue;
        }
        out.push(cs[i]);
        i += 1;
    }
    out
}

/// Splits one long line into paragraphs at structural numbering.
fn split_paragraphs(line: &str) -> Vec<String> {
    let cs: Vec<char> = line.chars().collect();
    let mut breaks: Vec<usize> = Vec::new();
    let mut expected_l1 = 1;
    let mut inline_next: Option<usize> = None;
    let prev_ok = |i: usize| -> bool {
        if i == 0 {
            return true;
        }
        match cs[i - 1] {
            '。' | '！' | '？' => true,
            '”' | '’' => i >= 2 && matches!(cs[i - 2], '。' | '！' | '？'),
            _ => false,
        }
    };
    // A level-1 heading may also follow the announcement's colon: `讲三点意见：一、…`.
    let prev_ok_l1 = |i: usize| prev_ok(i) || (i > 0 && matches!(cs[i - 1], '：' | ':'));
    // The salutation opens the text: `同志们：经研究决定……`.
    if starts_with_at(&cs, 0, "同志们：") && cs.len() > 4 {
        breaks.push(4);
    }
    let mut i = 0;
    while i < cs.len() {
        // Level 1: `一、` continuing the sequence.
        if prev_ok_l1(i)
            && let Some((v, len)) = cn_numeral(&cs, i)
            && cs.get(i + len) == Some(&'、')
            && v == expected_l1
        {
            breaks.push(i);
            expected_l1 += 1;
            inline_next = None;
            let s = i + len + 1;
            if let Some(e) = heading_end(&cs, s) {
                breaks.push(e);
                i = e;
                continue;
            }
            i = s;
            continue;
        }
        // Level 2: `第一，`.
        if prev_ok(i) && cs[i] == '第' && point_marker_at(&cs, i) {
            breaks.push(i);
            inline_next = None;
        }
        // Level 3: `一是` / `一要`, except inside an inline list `：一是…。二是…`.
        if let Some((v, len)) = cn_numeral(&cs, i)
            && matches!(cs.get(i + len), Some('是' | '要'))
        {
            let after_colon = i > 0 && matches!(cs[i - 1], '：' | ':');
            if after_colon && v == 1 {
                inline_next = Some(2);
            } else if prev_ok(i) {
                if inline_next == Some(v) {
                    inline_next = Some(v + 1);
                } else {
                    breaks.push(i);
                    inline_next = None;
                }
            }
            i += len;
            continue;
        }
        // Transition and closing.
        if i > 0
            && prev_ok(i)
            && (starts_with_at(&cs, i, "下面，") || starts_with_at(&cs, i, "同志们，"))
        {
            breaks.push(i);
            inline_next = None;
        }
        i += 1;
    }
    breaks.sort_unstable();
    breaks.dedup();
    let mut out = Vec::new();
    let mut start = 0;
    for b in breaks {
        if b > start && b <= cs.len() {
            out.push(cs[start..b].iter().collect::<String>());
            start = b;
        }
    }
    out.push(cs[start..].iter().collect::<String>());
    out.retain(|l| !trim_line(l).is_empty());
    out
}

// ---------------------------------------------------------------------------------------
// Step 9: issues
// ---------------------------------------------------------------------------------------

const QUESTION_WORDS: &[&str] = &[
    "吗",
    "呢",
    "么",
    "什么",
    "怎",
    "为何",
    "哪",
    "谁",
    "几",
    "多少",
    "难道",
    "是否",
    "何",
    "岂",
    "吧",
    "有没有",
    "是不是",
    "能不能",
    "对不对",
    "好不好",
    "行不行",
    "可不可以",
];

/// Is the `?` at `i` a question mark, or a mojibake remnant?
fn question_mark_is_mojibake(cs: &[char], i: usize) -> bool {
    let p = if i > 0 { cs.get(i - 1).copied() } else { None };
    let n = cs.get(i + 1).copied();
    let bad = |c: char| is_private_use(c) || c == '\u{FFFD}';
    let near_cjk =
        p.is_some_and(|c| is_cjk(c) || bad(c)) || n.is_some_and(|c| is_ideograph(c) || bad(c));
    if !near_cjk {
        return false;
    }
    if p.is_some_and(bad) || n.is_some_and(bad) {
        return true;
    }
    match n {
        Some('!' | ',' | '。' | '，' | '?' | '/' | '.' | ';' | '、') => true,
        Some(c) if is_latin_letter(c) => true,
        None => false,
        Some(c) if c.is_whitespace() || "”’」』）)".contains(c) => false,
        Some(c) if is_ideograph(c) || c == '“' => {
            // A question mark ends a question: look for a question word in the sentence.
            let start = cs[..i]
                .iter()
                .rposition(|&c| "。！？；;\n".contains(c))
                .map_or(0, |p| p + 1)
                .max(i.saturating_sub(30));
            let sentence: String = cs[start..i].iter().collect();
            !QUESTION_WORDS.iter().any(|w| sentence.contains(w))
        }
        Some(_) => false,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flag {
    None,
    Weak,
    Strong(IssueKind),
}

fn flag_line(cs: &[char]) -> Vec<Flag> {
    let mut flags = vec![Flag::None; cs.len()];
    let bad = |c: char| is_private_use(c) || c == '\u{FFFD}';
    for (i, &c) in cs.iter().enumerate() {
        let p = if i > 0 { cs.get(i - 1).copied() } else { None };
        let n = cs.get(i + 1).copied();
        flags[i] = if is_private_use(c) {
            Flag::Strong(IssueKind::PrivateUse)
        } else if c == '\u{FFFD}' {
            Flag::Strong(IssueKind::ReplacementChar)
        } else if (c == '?' && question_mark_is_mojibake(cs, i))
            || (c == '!' && p.is_some_and(|p| p == '?' || bad(p)))
            || ("_\\^`|".contains(c)
                && p.is_some_and(|p| is_ideograph(p) || bad(p))
                && n.is_some_and(|n| is_ideograph(n) || bad(n)))
        {
            Flag::Strong(IssueKind::Mojibake)
        } else {
            Flag::None
        };
    }
    // Latin runs.
    let mut i = 0;
    while i < cs.len() {
        if !is_latin_letter(cs[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < cs.len() && is_latin_letter(cs[i]) {
            i += 1;
        }
        let run = &cs[start..i];
        let p = if start > 0 {
            cs.get(start - 1).copied()
        } else {
            None
        };
        let n = cs.get(i).copied();
        let hanzi_like = |c: char| is_ideograph(c) || bad(c) || c == '?';
        let p_cjk = p.is_some_and(hanzi_like);
        let n_cjk = n.is_some_and(hanzi_like);
        let diacritic = run.iter().any(|c| !c.is_ascii());
        let short_lower = run.len() <= 2 && run.iter().all(|c| c.is_ascii_lowercase());
        // `XX镇`, `xx同志`: a template's placeholder, kept and not reported.
        let placeholder = run.len() >= 2 && run.iter().all(|c| matches!(c, 'x' | 'X'));
        let flag = if placeholder {
            Flag::None
        } else if (diacritic && (p_cjk || n_cjk)) || (short_lower && p_cjk && n_cjk) {
            Flag::Strong(IssueKind::StrayLatin)
        } else if run.len() <= 2 && (p_cjk || n_cjk) {
            Flag::Weak
        } else {
            Flag::None
        };
        if flag != Flag::None {
            for f in &mut flags[start..i] {
                if *f == Flag::None {
                    *f = flag;
                }
            }
        }
    }
    flags
}

/// Suspicious runs of one line: (start, end inclusive, kind).
fn suspicious_runs(cs: &[char]) -> Vec<(usize, usize, IssueKind)> {
    let flags = flag_line(cs);
    let mut runs = Vec::new();
    let mut cur: Option<(usize, usize, Vec<IssueKind>)> = None;
    for (i, f) in flags.iter().enumerate() {
        if *f == Flag::None {
            continue;
        }
        let kind = match f {
            Flag::Strong(k) => Some(*k),
            _ => None,
        };
        match &mut cur {
            Some((_, end, kinds)) if i - *end <= 4 => {
                *end = i;
                kinds.extend(kind);
            }
            _ => {
                if let Some(done) = cur.take() {
                    runs.push(done);
                }
                cur = Some((i, i, kind.into_iter().collect()));
            }
        }
    }
    runs.extend(cur);
    runs.into_iter()
        .filter(|(_, _, kinds)| !kinds.is_empty())
        .map(|(s, e, kinds)| {
            let kind = [
                IssueKind::PrivateUse,
                IssueKind::ReplacementChar,
                IssueKind::Mojibake,
                IssueKind::StrayLatin,
            ]
            .into_iter()
            .find(|k| kinds.contains(k))
            .unwrap_or(IssueKind::Mojibake);
            (s, e, kind)
        })
        .collect()
}

fn suspicious_mask(cs: &[char]) -> Vec<bool> {
    let mut mask = vec![false; cs.len()];
    for (s, e, _) in suspicious_runs(cs) {
        for m in mask.iter_mut().take(e + 1).skip(s) {
            *m = true;
        }
    }
    mask
}

fn find_issues(text: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        let cs: Vec<char> = line.chars().collect();
        for (s, e, kind) in suspicious_runs(&cs) {
            issues.push(Issue::at(&cs, ln + 1, s, e, kind));
        }
    }
    issues
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    #[test]
    fn pdf_character_spacing_is_closed_up() {
        use super::close_character_spacing;
        assert_eq!(
            close_character_spacing(
                "今 年 全 镇 完 成 地 方 财 政 收 入 1121 万 元 ， 同 比 增 长 5.2% 。"
            ),
            "今年全镇完成地方财政收入1121万元，同比增长5.2%。"
        );
        assert_eq!(
            close_character_spacing("全 县 GDP 5.2 万 亿 ， 完 成 任 务"),
            "全县GDP 5.2万亿，完成任务"
        );
        // Ordinary lines keep their spaces.
        let plain = "今年全镇完成 1121 万元，GDP 增长 5.2%。";
        assert_eq!(close_character_spacing(plain), plain);
        // A short spaced line, and a heading that only a wider gap parts from its body.
        assert_eq!(close_character_spacing("同 志 们 ："), "同志们：");
        assert_eq!(
            close_character_spacing("一 、 认 清 形 势    今 年 困 难 不 少 ， 但 机 遇 更 多 。"),
            "一、认清形势\n今年困难不少，但机遇更多。"
        );
        // A wide gap elsewhere is closed like any other.
        assert_eq!(
            close_character_spacing("今 年 困 难 不 少 ，    但 机 遇 更 多 。"),
            "今年困难不少，但机遇更多。"
        );
    }

    #[test]
    fn a_short_speech_on_one_line_splits_at_its_pair_headings() {
        let line = "今天开会。下面，我讲两点意见：一、统一思想，提高认识今年的冬训意义重大。二、突出重点，丰富内容冬训要突出理论学习。三、加强领导，确保实效书记要亲自抓。";
        assert!(super::runs_headings(line));
        assert_eq!(
            super::split_paragraphs(line),
            vec![
                "今天开会。",
                "下面，我讲两点意见：",
                "一、统一思想，提高认识",
                "今年的冬训意义重大。",
                "二、突出重点，丰富内容",
                "冬训要突出理论学习。",
                "三、加强领导，确保实效",
                "书记要亲自抓。"
            ]
        );
    }

    #[test]
    fn a_counter_after_a_line_cut_at_a_comma_is_rejoined() {
        let lines: Vec<String> = [
            "一、认清形势",
            "今年以来，全镇安全生产形势总体平稳，但一些行业领域的隐患仍然突出，部分企业主体责任落实不到位，",
            "2、看法上还存在麻痹思想，这种想法十分危险。",
            "1、加强领导，",
            "2、落实责任。",
        ]
        .map(String::from)
        .to_vec();
        let joined = super::rejoin_counter_after_comma(lines.clone());
        assert_eq!(joined.len(), 4);
        assert!(joined[1].ends_with("落实不到位，看法上还存在麻痹思想，这种想法十分危险。"));
        // Short numbered items that end with a comma stay as they are.
        assert_eq!(joined[2..], lines[3..]);
        // Cut in the middle of a sentence, with no comma.
        let cut: Vec<String> = [
            "今年以来，全镇安全生产形势总体平稳，但一些企业主体责任落实不到位，隐患排查不够深入，部分村对安全生产重视不够",
            "2、思想上存在麻痹大意。",
            "（一）成绩来之不易",
            "2、看法。",
        ]
        .map(String::from)
        .to_vec();
        let joined = super::rejoin_counter_after_comma(cut.clone());
        assert_eq!(joined.len(), 3);
        assert!(joined[0].ends_with("重视不够思想上存在麻痹大意。"));
        assert_eq!(joined[1..], cut[2..]);
    }

    #[test]
    fn a_site_toc_before_the_title_goes_and_the_speech_stays() {
        let lines: Vec<String> = "目录/提纲：\n一、统一思想\n二、狠抓落实\n在某乡会议上的讲话\n同志们：\n一、统一思想\n要统一思想。\n二、狠抓落实\n要狠抓落实。"
            .split('\n')
            .map(String::from)
            .collect();
        let kept = super::remove_site_toc(lines.clone());
        assert_eq!(kept, lines[3..].to_vec());
        // A 提纲 whose entries the speech does not repeat is the speech's own.
        let own: Vec<String> = ["提纲：", "一、统一思想", "在某乡会议上的讲话"]
            .map(String::from)
            .to_vec();
        assert_eq!(super::remove_site_toc(own.clone()), own);
    }

    #[test]
    fn a_one_line_text_splits_after_the_salutation_and_an_announcing_colon() {
        let line = "同志们：今天开会。下面，我讲两点意见：一、统一思想，提高认识。会议很重要。二、突出重点，狠抓落实。项目要落地。";
        let parts = super::split_paragraphs(line);
        assert_eq!(parts[0], "同志们：");
        assert!(
            parts.iter().any(|p| p.starts_with("一、统一思想")),
            "{parts:?}"
        );
        assert!(
            parts.iter().any(|p| p.starts_with("二、突出重点")),
            "{parts:?}"
        );
    }

    #[test]
    fn a_bracket_pair_keeps_one_width() {
        assert_eq!(
            restore_punctuation("一是要抓好三件事，(2)要加强领导。"),
            "一是要抓好三件事，（2）要加强领导。"
        );
        assert_eq!(
            restore_punctuation("任务有：(1)修路；(2)建校。"),
            "任务有：（1）修路；（2）建校。"
        );
        assert_eq!(restore_punctuation("f(x) = 2"), "f(x) = 2");
    }

    use super::*;
    use std::collections::HashSet;

    const SEED: &str = include_str!("../../corpora/sources/000_fe6face1bb91762f.txt");
    const FIXTURE: &str = include_str!("../../corpora/sources/000_fe6face1bb91762f.clean.txt");

    #[test]
    fn clean_regexes_compile() {
        for re in [
            re_html_tag(),
            re_eaten_tag(),
            re_plain_syllable(),
            re_page_line(),
            re_read_line(),
            re_exact_line(),
            re_prefix_line(),
            re_bullet_line(),
            re_tail_start(),
            re_chunk_marker(),
            re_salutation(),
        ] {
            assert!(re.is_some());
        }
        assert!(opencc_t2s().is_some());
    }

    #[test]
    fn clean_pinyin_removal() {
        assert_eq!(strip_pinyin("全鄉(xiāng)群眾"), "全鄉群眾");
        assert_eq!(strip_pinyin("發(fā)展,實現(xiàn)"), "發展,實現");
        // After mojibake, and the half-eaten form.
        assert_eq!(strip_pinyin("風”?,F(xiàn)在"), "風”?,F在");
        assert_eq!(strip_pinyin("要變?nèi)罕娚"), "要變?罕娚");
        // Plain pinyin only in a document that has toned annotations (or tone digits).
        assert_eq!(strip_pinyin("乡(xiang)的"), "乡(xiang)的");
        assert_eq!(strip_pinyin("乡(xiang1)的"), "乡的");
        assert_eq!(strip_pinyin("鄉(xiāng)乡(xiang)"), "鄉乡");
        // Not pinyin: left alone.
        assert_eq!(strip_pinyin("产值(GDP)增长"), "产值(GDP)增长");
        assert_eq!(strip_pinyin("见附件(a)"), "见附件(a)");
    }

    #[test]
    fn clean_chunk_rejoin() {
        let filler =
            "在新的历史时期，我们要始终坚持以人为本，执政为民的理念，密切联系群众，维护群众利益";
        let raw = format!(
            "1、标题同志们:今天开会,{filler},群众观念只\n\n2、能强化,不能淡化。{filler},群众利益要维护,也是\n\n3、根本要求。{filler}。\n"
        );
        let out = clean_text(&raw).text;
        assert!(out.contains("群众观念只能强化，不能淡化。"), "{out}");
        assert!(out.contains("也是根本要求。"), "{out}");
        assert!(!out.contains("2、") && !out.contains("3、"), "{out}");
        assert!(out.starts_with("标题\n同志们：\n"), "{out}");
    }

    #[test]
    fn clean_real_lists_are_kept() {
        // Items end their sentences: a list, not chunking.
        let raw = "工作安排如下。\n\n1、加强领导。\n\n2、落实责任。\n\n3、严格考核。\n";
        let out = clean_text(raw).text;
        assert!(
            out.contains("1、加强领导。\n2、落实责任。\n3、严格考核。"),
            "{out}"
        );
        // `一、` headings are never stripped.
        let out = clean_text("一、统一思想\n二、明确任务\n").text;
        assert_eq!(out, "一、统一思想\n二、明确任务\n");
    }

    #[test]
    fn clean_punctuation_restore() {
        let out = restore_punctuation("同志们:今天,我们开会;你来了吗?好!(一)要求");
        assert_eq!(out, "同志们：今天，我们开会；你来了吗？好！（一）要求");
        assert_eq!(
            restore_punctuation("增长3.5%,达到10:30"),
            "增长3.5%，达到10:30"
        );
        assert_eq!(
            restore_punctuation("网址 http://example.com/a?b=1"),
            "网址 http://example.com/a?b=1"
        );
        assert_eq!(restore_punctuation("a, b; c: d"), "a, b; c: d");
    }

    #[test]
    fn clean_t2s() {
        assert_eq!(to_simplified("帶著感情去做事"), "带着感情去做事");
        assert_eq!(to_simplified("蘊藏著巨大的智慧"), "蕴藏着巨大的智慧");
        assert_eq!(to_simplified("著名的著作,顯著"), "著名的著作,显著");
        assert_eq!(to_simplified("鄉黨委群眾工作會議"), "乡党委群众工作会议");
        assert_eq!(to_simplified("什么"), "什么");
        assert_eq!(to_simplified("甚麼"), "什么");
    }

    #[test]
    fn clean_gb18030_input() {
        let src = "全乡群众工作会议讲话稿\n同志们：\n今天召开会议。\n";
        let (bytes, _, _) = encoding_rs::GB18030.encode(src);
        assert!(std::str::from_utf8(&bytes).is_err());
        let (text, enc) = decode(&bytes);
        assert_eq!(enc, "GB18030");
        assert_eq!(text, src);
        let report = clean_bytes(&bytes);
        assert_eq!(report.encoding, "GB18030");
        assert_eq!(report.text, src);
        assert!(report.issues.is_empty());
    }

    #[test]
    fn clean_utf16le_bom() {
        let src = "群眾工作會議";
        let mut bytes = vec![0xFF, 0xFE];
        for u in src.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes), (src.to_string(), "UTF-16LE"));
        let report = clean_bytes(&bytes);
        assert_eq!(report.text, "群众工作会议\n");
        assert_eq!(report.encoding, "UTF-16LE");
        let mut be = vec![0xFE, 0xFF];
        for u in src.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be), (src.to_string(), "UTF-16BE"));
        let mut u8bom = vec![0xEF, 0xBB, 0xBF];
        u8bom.extend_from_slice(src.as_bytes());
        assert_eq!(decode(&u8bom), (src.to_string(), "UTF-8 (BOM)"));
    }

    #[test]
    fn clean_boilerplate_removal() {
        let raw = "某镇安全生产会议讲话_第1页\n某镇安全生产会议讲话_第2页\n已阅读2页,还剩1页未读, 继续免费阅读\n\n下载本文档\n\n版权说明:本文档由用户提供并上传\n\n文档简介\n\n同志们:\n今天开会。\n\n温馨提示\n\n  • 1. 本站所有资源如无特殊说明\n\n评论\n\n0/150\n\n提交评论";
        let out = clean_text(raw).text;
        assert_eq!(out, "同志们：\n今天开会。\n");
        // Without 温馨提示, the tail lines go one by one.
        let out = clean_text("今天开会。</p>\n评论\n0/150\n提交评论\n").text;
        assert_eq!(out, "今天开会。\n");
    }

    #[test]
    fn clean_reports_mojibake_and_keeps_it() {
        let report = clean_text("大家好。这是大事?!八\u{E19B}茌d舟,亦能覆舟。你来了吗?我来了。");
        assert_eq!(report.issues.len(), 1, "{:?}", report.issues);
        let issue = &report.issues[0];
        assert_eq!(issue.kind, IssueKind::PrivateUse);
        assert_eq!((issue.line, issue.column), (1, 9));
        assert!(report.text.contains("?!八\u{E19B}茌d舟，亦能覆舟"));
        assert!(report.text.contains("你来了吗？我来了"));
        let shown = issue.to_string();
        assert!(shown.starts_with("line 1, column 9: "), "{shown}");
        assert!(shown.contains("U+E19B"), "{shown}");
        let r = clean_text("坏\u{FFFD}字");
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].kind, IssueKind::ReplacementChar);
        let r = clean_text("这是茌d舟的事。");
        assert_eq!(r.issues[0].kind, IssueKind::StrayLatin);
        // Legit Latin inside Chinese is not reported.
        assert!(clean_text("提高GDP增长,用好App。").issues.is_empty());
    }

    fn ideographs(s: &str) -> Vec<char> {
        s.chars().filter(|&c| is_ideograph(c)).collect()
    }

    fn coverage(fixture: &str, output: &str) -> f64 {
        const W: usize = 13;
        let a = ideographs(fixture);
        let b = ideographs(output);
        let windows: HashSet<&[char]> = b.windows(W).collect();
        let mut covered = vec![false; a.len()];
        for (i, w) in a.windows(W).enumerate() {
            if windows.contains(w) {
                covered[i..i + W].iter_mut().for_each(|c| *c = true);
            }
        }
        covered.iter().filter(|c| **c).count() as f64 / a.len().max(1) as f64
    }

    #[test]
    fn clean_seed() {
        let report = clean_text(SEED);
        let text = &report.text;
        for issue in &report.issues {
            println!("{issue}");
        }
        assert!(report.issues.len() >= 6, "{:#?}", report.issues);
        assert!(report.issues.iter().all(|i| i.line >= 1 && i.column >= 1));
        // One issue per spot described in DESIGN.md §1.
        for spot in [
            "大事?!八",
            "变?罕娚",
            "风”?,F",
            "刚?嵯酀?",
            "活动?!币",
            "严格的?!叭",
        ] {
            assert!(
                report.issues.iter().any(|i| i.context.contains(spot)),
                "spot {spot} not reported: {:#?}",
                report.issues
            );
        }
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first(), Some(&"全乡群众工作会议讲话稿"));
        assert!(lines.contains(&"同志们："));
        assert!(lines.contains(&"一、要始终心系群众"));
        assert!(lines.contains(&"五、要始终强化对群众工作的领导"));
        assert!(lines.iter().any(|l| l.starts_with("下面，我就")));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("第一，要树立“群众工作无小事”意识。"))
        );
        assert!(!text.contains("(xiāng)") && !text.contains("xiāng"));
        assert!(
            !text.contains("下载本文档") && !text.contains("温馨提示") && !text.contains("评论")
        );
        assert!(!text.contains("</p>") && !text.contains("/p>"));
        assert!(text.contains("带着感情去做事"));
        assert!(!text.contains("能强化,"));
        assert!(text.contains("群众观念只能强化，不能淡化；"));
        // Remove the mojibake spots, then compare with the hand-repaired fixture.
        let mut repaired = text.clone();
        for issue in &report.issues {
            repaired = repaired.replace(&issue.snippet, "");
        }
        let cov = coverage(FIXTURE, &repaired);
        println!("13-char coverage vs fixture: {cov:.4}");
        assert!(cov >= 0.9, "coverage {cov}");
        // Line structure close to the fixture.
        let fixture_lines: HashSet<&str> = FIXTURE.lines().collect();
        let same = lines.iter().filter(|l| fixture_lines.contains(*l)).count();
        println!(
            "lines identical to the fixture: {same} of {} (fixture {})",
            lines.len(),
            fixture_lines.len()
        );
        assert!(same * 10 >= fixture_lines.len() * 7, "{same}");
    }

    #[test]
    fn clean_is_idempotent() {
        let once = clean_text(SEED).text;
        assert_eq!(clean_text(&once).text, once);
        // The hand-repaired fixture goes through unchanged, except 著 (zhuó) → 着.
        let fixed = clean_text(FIXTURE);
        let expected = format!("{}\n", FIXTURE.trim_end())
            .replace("著力", "着力")
            .replace("蕴藏著", "蕴藏着");
        assert_eq!(fixed.text, expected);
        assert!(fixed.issues.is_empty(), "{:?}", fixed.issues);
    }

    /// A speech as a PDF prints it: `width` characters a line, no indent.
    fn wrapped(paragraphs: &[&str], width: usize) -> String {
        let mut out = String::new();
        for p in paragraphs {
            let cs: Vec<char> = p.chars().collect();
            for chunk in cs.chunks(width) {
                out.extend(chunk);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn clean_pdf_lines_are_rejoined_but_headings_never_merged() {
        let body = "各级各部门要切实担负起安全生产主体责任，进一步健全安全生产责任体系，做到党政同责、一岗双责、齐抓共管、失职追责，确保各项措施落到实处。";
        let bodies: Vec<String> = ["今天开会。", "第二段。", "第三段。", "第四段。", "第五段。"]
            .iter()
            .map(|lead| format!("{lead}{body}"))
            .collect();
        let paragraphs = [
            "在全镇安全生产工作会议上的讲话",
            "同志们：",
            &bodies[0],
            "一、压实责任",
            &bodies[1],
            "（一）强化属地管理",
            &bodies[2],
            "1.加强隐患排查",
            &bodies[3],
            "首先，要提高认识",
            &bodies[4],
        ];
        let raw = wrapped(&paragraphs, 24);
        assert!(raw.lines().count() > 20);
        let expected: String = paragraphs.iter().map(|p| format!("{p}\n")).collect();
        assert_eq!(clean_text(&raw).text, expected);
    }

    #[test]
    fn clean_pdf_page_markers_and_running_headers_go() {
        let body = "要深入开展安全生产大排查大整治，对排查出的隐患建立台账，明确责任人和整改时限，实行闭环管理，坚决把事故消灭在萌芽状态。";
        let mut raw = String::from("在全镇安全生产工作会议上的讲话\n同志们：\n");
        let mut expected = raw.clone();
        for page in 1..=3 {
            let paragraph = format!("第{page}条。{body}");
            raw.push_str(&wrapped(&[&paragraph], 20));
            raw.push_str(&format!("\n— {page} —\n\n安全生产工作会议材料\n"));
            expected.push_str(&paragraph);
            expected.push('\n');
        }
        raw.push_str("第4页共4页\n- 5 -\n");
        assert_eq!(clean_text(&raw).text, expected);
        // A sentence broken by a page break is joined across the marker and header.
        // The page ends on a full line, in the middle of the sentence.
        let half = 40;
        let (a, b): (String, String) = (
            body.chars().take(half).collect(),
            body.chars().skip(half).collect(),
        );
        let (first, last) = (format!("开头。{body}"), format!("结尾。{body}"));
        let raw = format!(
            "标题讲话\n同志们：\n{}\n- 1 -\n页眉材料文字\n{}\n\n页眉材料文字\n{}",
            wrapped(&[&first, &a], 20).trim_end(),
            wrapped(&[&b], 20).trim_end(),
            wrapped(&[&last], 20).trim_end()
        );
        let out = clean_text(&raw).text;
        assert!(
            out.contains(&format!("\n{first}\n{body}\n{last}\n")),
            "{out}"
        );
        assert!(!out.contains("页眉") && !out.contains("- 1 -"), "{out}");
    }

    #[test]
    fn clean_keeps_placeholders() {
        let report = clean_text("在xx镇会议上，×××同志、*县长、XX书记于__月__日到会。");
        assert!(report.issues.is_empty(), "{:?}", report.issues);
        assert_eq!(
            report.text,
            "在xx镇会议上，×××同志、*县长、XX书记于__月__日到会。\n"
        );
    }

    #[test]
    fn clean_never_panics_on_odd_input() {
        for raw in [
            "",
            "\n\n",
            "1、",
            "1、\n\n2、",
            "一、",
            "第",
            "?",
            "(",
            "(xiāng)",
            "同志们:",
            "\u{FEFF}",
            "a?b",
            "、、、",
        ] {
            let _ = clean_text(raw);
        }
        let _ = clean_bytes(&[0xFF, 0xFE, 0x00]);
        let _ = clean_bytes(&[0x81, 0x30, 0xFF]);
    }
}
