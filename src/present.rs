//! From a generated draft to the bytes a person reads: the speaker/date line, the script
//! (简/繁), then one of the formats (text, markdown, json, docx), all from the one tree.

use std::io::IsTerminal;

use crate::byline::BylineRequest;
use crate::commands::Format;
use crate::docx;
use crate::error::{Error, Result};
use crate::locality::Locality;
use crate::render;
use crate::script::{self, Script};
use crate::speech::Speech;

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
        if self.explain && matches!(format, Format::Json | Format::Docx) {
            return Err(Error::new(
                "--explain annotates the text and markdown formats; JSON already names the slot \
                 and alternative of every span (kind \"slot\"). Drop --explain or use --format text.",
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
    speech.byline = presentation.byline.line()?;
    script::convert(&mut speech, presentation.script)?;
    Ok(match format {
        Format::Text if presentation.explain => render::text_explained(&speech).into_bytes(),
        Format::Text => render::text(&speech).into_bytes(),
        Format::Markdown => render::markdown(&speech, presentation.explain).into_bytes(),
        Format::Json => render::json(&speech, pack_id, seed, loc, false).into_bytes(),
        Format::Docx => docx::render(&speech)?,
    })
}
