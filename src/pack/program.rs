//! A skeleton compiled once into a program: its text pieces, its `on["…"]` tests, the
//! slots it reads and the device calls, with the shared devices (`templates/devices.tera`)
//! written in Rust. A draft runs the program instead of Tera's interpreter, so rendering
//! builds no Tera context: it reads the fills where they are and writes one buffer.
//!
//! Tera stays the language skeletons and devices are written in. A program is made only
//! for a skeleton in the subset below (every embedded skeleton is), and only with the
//! embedded devices, whose Rust form is here; anything else — a folder's own devices, a
//! tag this compiler does not know — is rendered by Tera. At run time a value the
//! program cannot write exactly as Tera would (a number, a missing field) makes it give
//! up, and that draft is rendered by Tera, so the program's output is always Tera's.
//! `tests/program.rs` renders every embedded pack both ways over many seeds and places
//! and compares them byte for byte.
//!
//! The subset: text; `{# … #}`; `{{ <device arg={expr} arg="literal" /> }}`;
//! `{{ expr }}`; `{% if on["unit"] %}` / `{% if expr %}` … `{% else %}` … `{% endif %}`;
//! `{% set name %}…{% endset %}`; `{% set name = expr %}`; expr is `a.b.c`, `on["unit"]`,
//! `"literal"` or several joined with `~`. Whitespace control (`{%-`, `-%}`) is Tera's.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use crate::pack::fill::Fill;

/// The skeleton could not be run exactly: the caller renders with Tera instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiveUp;

type Run<T> = std::result::Result<T, GiveUp>;

/// A compiled skeleton.
#[derive(Debug, Clone)]
pub struct Program {
    nodes: Vec<Node>,
    /// Variables set with `{% set %}`, by index.
    variables: usize,
}

#[derive(Debug, Clone)]
enum Node {
    Text(Box<str>),
    Emit(Expr),
    If(Expr, Vec<Node>, Vec<Node>),
    Capture(usize, Vec<Node>),
    Assign(usize, Expr),
    Call(Device, Vec<(Box<str>, Expr)>),
}

#[derive(Debug, Clone)]
enum Expr {
    /// `s.a.b`: the candidate slot names from the longest (`a.b`) to the shortest (`a`),
    /// with the fields left to read inside the slot's value for each.
    Slot(Vec<(Box<str>, Vec<Box<str>>)>, Box<str>),
    On(Box<str>),
    Literal(Box<str>),
    Variable(usize),
    Concat(Vec<Expr>),
}

/// The devices of `templates/devices.tera` a skeleton may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Device {
    Title,
    Salutation,
    Para,
    More,
    Section,
    Point,
    Sub,
    Triad,
    Quote,
    ChangeSeries,
    Counted,
    Enumerate,
    Closing,
    Whole,
    Part,
    InlineDevices,
}

impl Device {
    fn named(name: &str) -> Option<(Device, &'static [&'static str])> {
        Some(match name {
            "title" => (Device::Title, &["text"]),
            "salutation" => (Device::Salutation, &["text"]),
            "para" => (Device::Para, &["text"]),
            "more" => (Device::More, &["text"]),
            "section" => (Device::Section, &["heading"]),
            "point" => (Device::Point, &["lead", "rest", "style"]),
            "sub" => (Device::Sub, &["lead", "rest", "style"]),
            "triad" => (Device::Triad, &["items", "lead"]),
            "quote" => (Device::Quote, &["q"]),
            "change_series" => (Device::ChangeSeries, &["items", "lead"]),
            "counted" => (Device::Counted, &["c", "sep"]),
            "enumerate" => (Device::Enumerate, &["c", "style"]),
            "closing" => (Device::Closing, &[]),
            "whole" => (
                Device::Whole,
                &[
                    "p", "locals", "style", "sub1", "sub2", "sub3", "sub4", "quote", "more",
                ],
            ),
            "part" => (Device::Part, &["x", "style"]),
            "inline_devices" => (Device::InlineDevices, &["x"]),
            _ => return None,
        })
    }
}

/// What a skeleton reads while it runs: the fills by slot name and the units drawn.
pub struct Inputs<'a> {
    pub fills: &'a HashMap<&'a str, &'a Fill<'a>>,
    /// Whether a unit is drawn (`on["x"]`; the compiler has checked that x is a unit).
    pub on: &'a dyn Fn(&str) -> bool,
}

/// A value while the program runs.
#[derive(Clone)]
enum V<'a> {
    Fill(&'a Fill<'a>),
    Text(Cow<'a, str>),
    Bool(bool),
    /// A name that is not a slot but begins slot names (`s.local` → `local.…`).
    Names(&'a str),
    Missing,
}

impl<'a> V<'a> {
    fn truthy(&self) -> bool {
        match self {
            V::Fill(fill) => !fill.is_empty(),
            V::Text(t) => !t.is_empty(),
            V::Bool(b) => *b,
            V::Names(_) => true,
            V::Missing => false,
        }
    }

    /// The text `{{ v }}` writes; only strings are written here.
    fn text(&self) -> Run<&str> {
        match self {
            V::Fill(fill) => fill.text().ok_or(GiveUp),
            V::Text(t) => Ok(t),
            _ => Err(GiveUp),
        }
    }

    fn field(&self, name: &str, inputs: &Inputs<'a>) -> V<'a> {
        match self {
            V::Fill(fill) => fill.field(name).map_or(V::Missing, V::Fill),
            V::Names(prefix) => lookup_names(prefix, name, inputs),
            _ => V::Missing,
        }
    }

    fn list(&self) -> Run<&'a [Fill<'a>]> {
        match self {
            V::Fill(Fill::List(items)) => Ok(items),
            _ => Err(GiveUp),
        }
    }
}

fn lookup_names<'a>(prefix: &str, name: &str, inputs: &Inputs<'a>) -> V<'a> {
    let full = format!("{prefix}.{name}");
    if let Some(value) = inputs.fills.get(full.as_str()) {
        return V::Fill(value);
    }
    let inner =
        inputs.fills.keys().copied().find(|k| {
            k.len() > full.len() && k.starts_with(&full) && k.as_bytes()[full.len()] == b'.'
        });
    inner.map_or(V::Missing, |key| V::Names(&key[..full.len()]))
}

impl Program {
    /// Compiles a skeleton; None when it uses what this compiler does not know (Tera
    /// renders it then). `units` says which units `on["…"]` may test.
    pub fn compile(skeleton: &str, units: &dyn Fn(&str) -> bool) -> Option<Program> {
        let tokens = tokenize(skeleton)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            variables: Vec::new(),
            units,
        };
        let (nodes, end) = parser.block()?;
        if end.is_some() {
            return None;
        }
        Some(Program {
            nodes,
            variables: parser.variables.len(),
        })
    }

    /// Writes the skeleton's output to `out` (cleared first).
    pub fn render<'a>(&'a self, inputs: &Inputs<'a>, out: &mut String) -> Run<()> {
        out.clear();
        let mut machine = Machine {
            inputs,
            variables: vec![None; self.variables],
            names: HashMap::default(),
        };
        machine.nodes(&self.nodes, out)
    }
}

// ---------------------------------------------------------------------------------------
// Reading the skeleton.

#[derive(Debug, Clone)]
enum Token<'t> {
    Text(&'t str),
    /// The inside of `{{ }}` or `{% %}`, trimmed.
    Expression(&'t str),
    Statement(&'t str),
}

/// Splits a template into text and tags, applying `-` whitespace control to the text
/// beside a tag as Tera does (comments are dropped, their control kept).
fn tokenize(source: &str) -> Option<Vec<Token<'_>>> {
    // token, trim the text before, trim the text after
    let mut pieces: Vec<(Option<Token<'_>>, bool, bool)> = Vec::new();
    let mut rest = source;
    loop {
        // The next `{` that opens a tag (one pass over the text, not one per tag kind).
        let bytes = rest.as_bytes();
        let open = memchr::memchr_iter(b'{', bytes)
            .find(|&i| matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#')));
        let Some(open) = open else {
            if !rest.is_empty() {
                pieces.push((Some(Token::Text(rest)), false, false));
            }
            break;
        };
        if open > 0 {
            pieces.push((Some(Token::Text(&rest[..open])), false, false));
        }
        let kind = rest.as_bytes()[open + 1];
        let close = match kind {
            b'{' => "}}",
            b'%' => "%}",
            _ => "#}",
        };
        let inner_start = open + 2;
        let inner_len = rest[inner_start..].find(close)?;
        let mut inner = &rest[inner_start..inner_start + inner_len];
        rest = &rest[inner_start + inner_len + 2..];
        let trim_before = inner.starts_with('-');
        if trim_before {
            inner = &inner[1..];
        }
        let trim_after = inner.ends_with('-');
        if trim_after {
            inner = &inner[..inner.len() - 1];
        }
        let token = match kind {
            b'{' => Some(Token::Expression(inner.trim())),
            b'%' => {
                let statement = inner.trim();
                if statement.starts_with("raw") {
                    return None;
                }
                Some(Token::Statement(statement))
            }
            // A comment writes nothing; its whitespace control still applies.
            _ => None,
        };
        pieces.push((token, trim_before, trim_after));
    }
    let is_tag = |p: &(Option<Token<'_>>, bool, bool)| !matches!(p.0, Some(Token::Text(_)));
    let mut tokens: Vec<Token<'_>> = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        match &piece.0 {
            Some(Token::Text(text)) => {
                let mut text = *text;
                if pieces.get(i + 1).is_some_and(|next| is_tag(next) && next.1) {
                    text = text.trim_end();
                }
                if i > 0 && is_tag(&pieces[i - 1]) && pieces[i - 1].2 {
                    text = text.trim_start();
                }
                if !text.is_empty() {
                    tokens.push(Token::Text(text));
                }
            }
            Some(token) => tokens.push(token.clone()),
            None => {}
        }
    }
    Some(tokens)
}

struct Parser<'t, 'u> {
    tokens: Vec<Token<'t>>,
    at: usize,
    variables: Vec<String>,
    units: &'u dyn Fn(&str) -> bool,
}

/// How a block ended: `else`, `endif` or `endset`, or None at the end of the template.
type End = Option<&'static str>;

impl Parser<'_, '_> {
    fn block(&mut self) -> Option<(Vec<Node>, End)> {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.get(self.at).cloned() {
            self.at += 1;
            match token {
                Token::Text(text) => nodes.push(Node::Text(text.into())),
                Token::Expression(inner) => nodes.push(self.output(inner)?),
                Token::Statement(statement) => {
                    let (word, rest) = statement
                        .split_once(char::is_whitespace)
                        .unwrap_or((statement, ""));
                    let rest = rest.trim();
                    match word {
                        "if" => {
                            let test = self.expr(rest)?;
                            let (then, end) = self.block()?;
                            let otherwise = match end {
                                Some("endif") => Vec::new(),
                                Some("else") => match self.block()? {
                                    (otherwise, Some("endif")) => otherwise,
                                    _ => return None,
                                },
                                _ => return None,
                            };
                            nodes.push(Node::If(test, then, otherwise));
                        }
                        "else" if rest.is_empty() => return Some((nodes, Some("else"))),
                        "endif" if rest.is_empty() => return Some((nodes, Some("endif"))),
                        "endset" if rest.is_empty() => return Some((nodes, Some("endset"))),
                        "set" => match rest.split_once('=') {
                            Some((name, value)) => {
                                let value = self.expr(value.trim())?;
                                let var = self.variable(name.trim())?;
                                nodes.push(Node::Assign(var, value));
                            }
                            None => {
                                let var = self.variable(rest)?;
                                match self.block()? {
                                    (body, Some("endset")) => nodes.push(Node::Capture(var, body)),
                                    _ => return None,
                                }
                            }
                        },
                        _ => return None,
                    }
                }
            }
        }
        Some((nodes, None))
    }

    fn variable(&mut self, name: &str) -> Option<usize> {
        if !is_identifier(name) || name == "s" || name == "on" || name == "place" {
            return None;
        }
        Some(match self.variables.iter().position(|v| v == name) {
            Some(i) => i,
            None => {
                self.variables.push(name.to_string());
                self.variables.len() - 1
            }
        })
    }

    /// `{{ <device … /> }}` or `{{ expr }}`.
    fn output(&mut self, inner: &str) -> Option<Node> {
        let Some(call) = inner.strip_prefix('<') else {
            return Some(Node::Emit(self.expr(inner)?));
        };
        let call = call.strip_suffix("/>")?.trim();
        let (name, mut rest) = call.split_once(char::is_whitespace).unwrap_or((call, ""));
        let (device, params) = Device::named(name)?;
        let mut args = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let (param, tail) = rest.split_once('=')?;
            let param = param.trim();
            if !params.contains(&param)
                || args.iter().any(|(p, _): &(Box<str>, Expr)| &**p == param)
            {
                return None;
            }
            let tail = tail.trim_start();
            let (value, tail) = if let Some(braced) = tail.strip_prefix('{') {
                let end = braced.find('}')?;
                (self.expr(braced[..end].trim())?, &braced[end + 1..])
            } else if let Some(quoted) = tail.strip_prefix('"') {
                let end = quoted.find('"')?;
                (Expr::Literal(quoted[..end].into()), &quoted[end + 1..])
            } else {
                return None;
            };
            args.push((param.into(), value));
            rest = tail;
        }
        Some(Node::Call(device, args))
    }

    fn expr(&mut self, text: &str) -> Option<Expr> {
        if text.contains('~') {
            let parts: Option<Vec<Expr>> = text.split('~').map(|p| self.term(p.trim())).collect();
            return Some(Expr::Concat(parts?));
        }
        self.term(text)
    }

    fn term(&mut self, text: &str) -> Option<Expr> {
        if let Some(unit) = text
            .strip_prefix("on[\"")
            .and_then(|t| t.strip_suffix("\"]"))
        {
            // Tera fails on a unit the context does not have: leave that to Tera.
            return (self.units)(unit).then(|| Expr::On(unit.into()));
        }
        if let Some(literal) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            return (!literal.contains('"')).then(|| Expr::Literal(literal.into()));
        }
        let parts: Vec<&str> = text.split('.').collect();
        if !parts.iter().all(|p| is_identifier(p)) {
            return None;
        }
        match parts[0] {
            "s" if parts.len() >= 2 => {
                let names = &parts[1..];
                let candidates = (1..=names.len())
                    .rev()
                    .map(|k| {
                        (
                            names[..k].join(".").into_boxed_str(),
                            names[k..].iter().map(|f| Box::from(*f)).collect(),
                        )
                    })
                    .collect();
                Some(Expr::Slot(candidates, names.join(".").into()))
            }
            name if parts.len() == 1 => self
                .variables
                .iter()
                .position(|v| v == name)
                .map(Expr::Variable),
            _ => None,
        }
    }
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------------------------------
// Running it.

/// The program's state while it runs; `'a` is what its values borrow from (the program
/// and the fills).
struct Machine<'i, 'a> {
    inputs: &'i Inputs<'a>,
    variables: Vec<Option<String>>,
    /// `s.local` and the like, found once per render: the slot name beginning with it
    /// (None: there is none). Whole points pass `locals={s.local}` hundreds of times.
    names: HashMap<&'a str, Option<&'a str>>,
}

impl<'i, 'a> Machine<'i, 'a> {
    fn nodes(&mut self, nodes: &'a [Node], out: &mut String) -> Run<()> {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Emit(expr) => {
                    let value = self.eval(expr)?;
                    out.push_str(value.text()?);
                }
                Node::If(test, then, otherwise) => {
                    if self.eval(test)?.truthy() {
                        self.nodes(then, out)?;
                    } else {
                        self.nodes(otherwise, out)?;
                    }
                }
                Node::Capture(var, body) => {
                    let mut captured = String::new();
                    self.nodes(body, &mut captured)?;
                    self.variables[*var] = Some(captured);
                }
                Node::Assign(var, expr) => {
                    let value = self.eval(expr)?;
                    self.variables[*var] = Some(value.text()?.to_string());
                }
                Node::Call(device, args) => {
                    let mut values: Vec<(&str, V<'a>)> = Vec::with_capacity(args.len());
                    for (param, expr) in args {
                        values.push((param, self.eval(expr)?));
                    }
                    let arg = |name: &str| {
                        values
                            .iter()
                            .find(|(p, _)| *p == name)
                            .map(|(_, v)| v.clone())
                    };
                    self.call(*device, &arg, out)?;
                }
            }
        }
        Ok(())
    }

    fn eval(&mut self, expr: &'a Expr) -> Run<V<'a>> {
        Ok(match expr {
            Expr::Literal(text) => V::Text(Cow::Borrowed(text)),
            Expr::On(unit) => V::Bool((self.inputs.on)(unit)),
            Expr::Variable(var) => match &self.variables[*var] {
                Some(text) => V::Text(Cow::Owned(text.clone())),
                None => return Err(GiveUp),
            },
            Expr::Slot(candidates, whole) => {
                let found = candidates
                    .iter()
                    .enumerate()
                    .find_map(|(i, (name, fields))| {
                        self.inputs
                            .fills
                            .get(&**name)
                            .map(|value| (i, *value, fields))
                    });
                match found {
                    // A slot whose name begins another slot's name (`s1` and `s1.p1`):
                    // Tera's nested context keeps one of them, so leave it to Tera.
                    Some((i, _, _))
                        if candidates[i + 1..]
                            .iter()
                            .any(|(name, _)| self.inputs.fills.contains_key(&**name)) =>
                    {
                        return Err(GiveUp);
                    }
                    Some((_, value, fields)) => {
                        let mut v = V::Fill(value);
                        for field in fields {
                            v = v.field(field, self.inputs);
                        }
                        v
                    }
                    None => {
                        let fills = self.inputs.fills;
                        let key = *self.names.entry(whole).or_insert_with(|| {
                            fills.keys().copied().find(|k| {
                                k.len() > whole.len()
                                    && k.starts_with(&**whole)
                                    && k.as_bytes()[whole.len()] == b'.'
                            })
                        });
                        match key {
                            Some(key) => V::Names(&key[..whole.len()]),
                            None => return Err(GiveUp),
                        }
                    }
                }
            }
            Expr::Concat(parts) => {
                let mut text = String::new();
                for part in parts {
                    text.push_str(self.eval(part)?.text()?);
                }
                V::Text(Cow::Owned(text))
            }
        })
    }

    fn call(
        &mut self,
        device: Device,
        arg: &dyn Fn(&str) -> Option<V<'a>>,
        out: &mut String,
    ) -> Run<()> {
        // A parameter without a default must be given (Tera fails otherwise).
        let required = |name: &str| arg(name).ok_or(GiveUp);
        let text_or = |name: &str, default: &'static str| -> V<'a> {
            arg(name).unwrap_or(V::Text(Cow::Borrowed(default)))
        };
        let flag = |name: &str| arg(name).is_some_and(|v| v.truthy());
        match device {
            Device::Title => line(out, "@title ", required("text")?.text()?),
            Device::Salutation => line(out, "@salutation ", text_or("text", "同志们：").text()?),
            Device::Para => {
                let text = required("text")?;
                if text.truthy() {
                    line(out, "@para ", text.text()?);
                }
            }
            Device::More => {
                let text = required("text")?;
                if text.truthy() {
                    line(out, "@more ", text.text()?);
                }
            }
            Device::Section => line(out, "@section ", required("heading")?.text()?),
            Device::Closing => out.push_str("\n@closing\n"),
            Device::Point | Device::Sub => {
                let lead = required("lead")?;
                let rest = text_or("rest", "");
                out.push('\n');
                if device == Device::Point {
                    let style = text_or("style", "第");
                    out.push_str("@point");
                    if style.text()? == "（一）" {
                        out.push_str("（一）");
                    }
                } else {
                    out.push_str("@sub ");
                    out.push_str(text_or("style", "是").text()?);
                }
                out.push(' ');
                out.push_str(lead.text()?);
                out.push('\n');
                if rest.truthy() {
                    out.push_str("@more ");
                    out.push_str(rest.text()?);
                    out.push('\n');
                }
            }
            Device::Triad => {
                out.push_str(text_or("lead", "").text()?);
                join(out, required("items")?.list()?, "；")?;
                out.push('。');
            }
            Device::Quote => quote(out, &required("q")?, self.inputs)?,
            Device::ChangeSeries => {
                change_series(out, &required("items")?, &text_or("lead", ""), self.inputs)?
            }
            Device::Counted => counted(out, &required("c")?, &text_or("sep", "，"), self.inputs)?,
            Device::Enumerate => {
                enumerate(out, &required("c")?, &text_or("style", "是"), self.inputs)?
            }
            Device::InlineDevices => inline_devices(out, &required("x")?, self.inputs)?,
            Device::Part => part(out, &required("x")?, &text_or("style", "是"), self.inputs)?,
            Device::Whole => {
                let p = required("p")?;
                let locals = arg("locals").unwrap_or(V::Missing);
                let style = text_or("style", "是");
                let inputs = self.inputs;
                out.push_str("\n@point ");
                lead_label_body(out, &p, inputs)?;
                if flag("quote") {
                    let q = p.field("quote", inputs);
                    if q.truthy() {
                        quote(out, &q, inputs)?;
                    }
                }
                inline_devices(out, &p, inputs)?;
                out.push('\n');
                for sub in ["sub1", "sub2", "sub3", "sub4"] {
                    if flag(sub) {
                        let x = p.field(sub, inputs);
                        if x.truthy() {
                            part(out, &x, &style, inputs)?;
                        }
                    }
                }
                let close = p.field("close", inputs);
                if close.truthy() {
                    line(out, "@more ", close.text()?);
                }
                if flag("more") {
                    let more = p.field("more", inputs);
                    if more.truthy() {
                        line(out, "@para ", more.text()?);
                    }
                }
                let local = p.field("local", inputs);
                if local.truthy() {
                    let paragraph = locals.field(local.text()?, inputs);
                    if paragraph.truthy() {
                        line(out, "@para ", paragraph.text()?);
                    }
                }
            }
        }
        Ok(())
    }
}

/// `\n@kind text\n`: one line of markup on its own.
fn line(out: &mut String, kind: &str, text: &str) {
    out.push('\n');
    out.push_str(kind);
    out.push_str(text);
    out.push('\n');
}

fn join(out: &mut String, items: &[Fill], sep: &str) -> Run<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(V::Fill(item).text()?);
    }
    Ok(())
}

fn quote(out: &mut String, q: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    out.push_str(q.field("intro", inputs).text()?);
    out.push('“');
    out.push_str(q.field("quote", inputs).text()?);
    out.push_str("”，");
    out.push_str(q.field("gloss", inputs).text()?);
    Ok(())
}

fn change_series(out: &mut String, items: &V<'_>, lead: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    out.push_str(lead.text()?);
    let items = items.list()?;
    for (i, item) in items.iter().enumerate() {
        let item = V::Fill(item);
        out.push('在');
        out.push_str(item.field("aspect", inputs).text()?);
        out.push_str("上，要变");
        out.push_str(item.field("from", inputs).text()?);
        out.push('为');
        out.push_str(item.field("to", inputs).text()?);
        out.push(if i + 1 == items.len() { '。' } else { '；' });
    }
    Ok(())
}

fn counted(out: &mut String, c: &V<'_>, sep: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    let items = c.field("items", inputs).list()?;
    let mut label = c
        .field("label", inputs)
        .text()?
        .replace("【N】", &crate::base::numerals::count(items.len() as i64));
    let items2 = c.field("items2", inputs);
    if items2.truthy() {
        label = label.replace(
            "【M】",
            &crate::base::numerals::cn(items2.list()?.len() as i64),
        );
    }
    let sep = sep.text()?;
    out.push_str(c.field("before", inputs).text()?);
    out.push('“');
    out.push_str(&label);
    out.push('”');
    out.push_str(c.field("after", inputs).text()?);
    join(out, items, sep)?;
    if items2.truthy() {
        out.push('，');
        join(out, items2.list()?, sep)?;
    }
    out.push('。');
    Ok(())
}

fn enumerate(out: &mut String, c: &V<'_>, style: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    let items = c.field("items", inputs).list()?;
    let before = c.field("before", inputs);
    out.push_str(
        &before
            .text()?
            .replace("【N】", &crate::base::numerals::count(items.len() as i64)),
    );
    let style = style.text()?;
    for (i, item) in items.iter().enumerate() {
        out.push_str(&crate::base::numerals::cn(i as i64 + 1));
        out.push_str(style);
        out.push_str(V::Fill(item).text()?);
    }
    Ok(())
}

fn inline_devices(out: &mut String, x: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    let list = x.field("counted", inputs);
    if list.truthy() {
        for c in list.list()? {
            let c = V::Fill(c);
            let sep = match c.field("sep", inputs) {
                V::Missing => V::Text(Cow::Borrowed("，")),
                sep => sep,
            };
            counted(out, &c, &sep, inputs)?;
        }
    }
    let enumeration = x.field("enumerate", inputs);
    if enumeration.truthy() {
        enumerate(out, &enumeration, &V::Text(Cow::Borrowed("是")), inputs)?;
    }
    let series = x.field("series", inputs);
    if series.truthy() {
        let lead = series.field("lead", inputs);
        if matches!(lead, V::Missing) {
            return Err(GiveUp);
        }
        change_series(out, &series.field("items", inputs), &lead, inputs)?;
    }
    let tail = x.field("tail", inputs);
    if tail.truthy() {
        out.push_str(tail.text()?);
    }
    Ok(())
}

/// A point's or sub-point's lead line, its label line when it has one, and its body
/// (the devices after the body are the caller's).
fn lead_label_body(out: &mut String, x: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    out.push_str(x.field("lead", inputs).text()?);
    out.push('\n');
    let label = x.field("label", inputs);
    if label.truthy() {
        out.push_str("@label ");
        out.push_str(label.text()?);
        out.push('\n');
    }
    out.push_str("@more ");
    out.push_str(x.field("body", inputs).text()?);
    Ok(())
}

fn part(out: &mut String, x: &V<'_>, style: &V<'_>, inputs: &Inputs<'_>) -> Run<()> {
    out.push_str("\n@sub ");
    out.push_str(style.text()?);
    out.push(' ');
    lead_label_body(out, x, inputs)?;
    inline_devices(out, x, inputs)?;
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(skeleton: &str, fills: &[(&str, Fill)], on: &[&str]) -> Run<String> {
        let program = Program::compile(skeleton, &|_| true).expect("compiles");
        let fills: HashMap<&str, &Fill> = fills.iter().map(|(k, v)| (*k, v)).collect();
        let is_on = |u: &str| on.contains(&u);
        let inputs = Inputs {
            fills: &fills,
            on: &is_on,
        };
        let mut out = String::new();
        program.render(&inputs, &mut out)?;
        Ok(out)
    }

    #[test]
    fn whitespace_control_trims_the_text_beside_a_tag() {
        let out = render(
            "{#- a comment -#}\n{{ <para text={s.a} /> }}\n  {%- if on[\"x\"] %} x {% endif -%}  \nend",
            &[("a", Fill::from("正文"))],
            &["x"],
        )
        .unwrap();
        assert_eq!(out, "\n@para 正文\n x end");
    }

    #[test]
    fn slot_paths_find_the_longest_slot_name_then_its_fields() {
        let point = Fill::map(vec![("lead", "要抓好".into()), ("body", "正文。".into())]);
        let out = render(
            "{{ <whole p={s.s1.p1} /> }}|{{ s.s1.p1.lead }}",
            &[("s1.p1", point)],
            &[],
        )
        .unwrap();
        assert_eq!(out, "\n@point 要抓好\n@more 正文。\n|要抓好");
    }

    #[test]
    fn a_slot_whose_name_begins_another_is_left_to_tera() {
        let fills = [("s1", Fill::from("甲")), ("s1.p1", Fill::from("乙"))];
        assert_eq!(render("{{ s.s1.p1 }}", &fills, &[]), Err(GiveUp));
        assert_eq!(render("{{ s.s1 }}", &fills, &[]), Ok("甲".to_string()));
    }

    #[test]
    fn a_value_it_cannot_write_exactly_gives_up() {
        assert_eq!(
            render(
                "{{ s.n }}",
                &[("n", Fill::map(vec![("a", "甲".into())]))],
                &[]
            ),
            Err(GiveUp)
        );
        assert_eq!(render("{{ s.absent }}", &[], &[]), Err(GiveUp));
    }

    #[test]
    fn what_the_compiler_does_not_know_is_left_to_tera() {
        for skeleton in [
            "{% for x in s.list %}{{ x }}{% endfor %}",
            "{{ <unknown_device /> }}",
            "{{ s.a | upper }}",
            "{% if on[\"x\"] %}never closed",
            "{% raw %}{{ x }}{% endraw %}",
        ] {
            assert!(
                Program::compile(skeleton, &|_| true).is_none(),
                "{skeleton}"
            );
        }
        assert!(Program::compile("{% if on[\"y\"] %}{% endif %}", &|u| u == "x").is_none());
    }
}
