//! Render: from a generated draft (the [`Speech`] tree) to the bytes a person reads.
//!
//! Takes a `Speech` and a [`Presentation`] (speaker/date line, script, `--explain`) and
//! gives text, Markdown, JSON or a Word file, all from the one tree. Nothing here chooses
//! wording: numbering and counts are already in the tree.

pub mod byline;
pub mod docx;
pub mod json;
pub(crate) mod json_writer;
pub mod markdown;
pub mod script;
pub mod text;

use std::io::IsTerminal;

pub use json::{JsonDraft, JsonLocality, OutlineNode, Span, SpanKind, json, json_draft, outline};
pub use markdown::markdown;
pub use text::{text, text_explained, text_with};

use crate::base::error::{Error, Result};
use crate::draft::speech::Speech;
use crate::place::locality::Locality;
use byline::BylineRequest;
use script::Script;

/// The output formats of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// One paragraph per line (the default).
    #[default]
    Text,
    /// One object: text, outline, spans.
    Json,
    /// Headings as `#`, point leads in bold.
    Markdown,
    /// A Word file in the official layout (give -o FILE.docx).
    Docx,
}

/// How a draft is presented, beside its format.
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    pub script: Script,
    pub byline: BylineRequest,
    /// Print the slot and alternative behind each paragraph (text and markdown).
    pub explain: bool,
}

impl Presentation {
    /// Checks what can be checked before generating, so a bad `--date` or a Word file
    /// bound for a terminal fails at once, with nothing written.
    pub fn check(&self, format: Format, output: Option<&str>) -> Result<()> {
        self.byline.line()?;
        if self.explain && format == Format::Json {
            return Err(Error::new(
                "--explain annotates the text and markdown formats only; JSON already names the \
                 slot and alternative of every span (kind \"slot\"). Drop --explain or use \
                 --format text or markdown.",
            ));
        }
        if self.explain && format == Format::Docx {
            return Err(Error::new(
                "--explain annotates the text and markdown formats only; a Word file has no place \
                 for its notes. Drop --explain, or use --format text or markdown.",
            ));
        }
        if format == Format::Docx
            && matches!(output, None | Some("-"))
            && std::io::stdout().is_terminal()
        {
            return Err(Error::new(
                "--format docx writes a binary Word file, which would garble this terminal: \
                 give a file name with -o, e.g. -o 讲话稿.docx (or redirect standard output to a file).",
            ));
        }
        Ok(())
    }
}

/// Renders the draft: adds the speaker/date line, converts the script, then formats.
pub fn render(
    mut speech: Speech,
    format: Format,
    presentation: &Presentation,
    pack_id: &str,
    seed: u64,
    loc: &Locality,
) -> Result<Vec<u8>> {
    prepare(&mut speech, presentation)?;
    format_prepared(&speech, format, presentation, pack_id, seed, loc)
}

/// Adds the speaker/date line and converts the script: the draft as it will be shown.
pub fn prepare(speech: &mut Speech, presentation: &Presentation) -> Result<()> {
    speech.byline = presentation.byline.line()?;
    script::convert(speech, presentation.script)
}

/// Formats a draft that [`prepare`] has already made ready (and a clerk may have edited).
pub fn format_prepared(
    speech: &Speech,
    format: Format,
    presentation: &Presentation,
    pack_id: &str,
    seed: u64,
    loc: &Locality,
) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Text if presentation.explain => text_explained(speech).into_bytes(),
        Format::Text => text(speech).into_bytes(),
        Format::Markdown => markdown(speech, presentation.explain).into_bytes(),
        Format::Json => json(speech, pack_id, seed, loc, false).into_bytes(),
        Format::Docx => docx::render_with(speech, docx::language(presentation.script))?,
    })
}
