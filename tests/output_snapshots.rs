//! Rendered output formats, reviewed by a person and frozen (`cargo insta review`).

use speechgen::draft::generate::{Options, generate};
use speechgen::pack::Pack;
use speechgen::place::locality::Locality;
use speechgen::render::Format;
use speechgen::render::script::Script;
use speechgen::render::{self, Presentation};

fn taiping(format: Format, presentation: Presentation) -> String {
    let pack = Pack::default_pack().unwrap();
    let loc = Locality::from_name("太平镇").unwrap();
    let options = Options {
        seed: 1,
        ..Options::default()
    };
    let speech = generate(pack, &loc, &options).unwrap();
    let bytes = render::render(speech, format, &presentation, &pack.id, 1, &loc).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn taiping_zhen_markdown() {
    let presentation = Presentation {
        byline: speechgen::render::byline::BylineRequest {
            speaker: Some("李明".into()),
            date: Some("2026-11-25".into()),
            placeholders: false,
        },
        ..Presentation::default()
    };
    insta::assert_snapshot!(
        "taiping_zhen_1_markdown",
        taiping(Format::Markdown, presentation)
    );
}

#[test]
fn taiping_zhen_traditional_taiwan() {
    let presentation = Presentation {
        script: Script::Taiwan,
        ..Presentation::default()
    };
    insta::assert_snapshot!("taiping_zhen_1_tw", taiping(Format::Text, presentation));
}

#[test]
fn taiping_zhen_explained() {
    let presentation = Presentation {
        explain: true,
        ..Presentation::default()
    };
    insta::assert_snapshot!(
        "taiping_zhen_1_explain",
        taiping(Format::Text, presentation)
    );
}

/// What a git forge shows: parsed by a CommonMark parser, the title is an h1, each
/// level-1 heading an h2, each level-2 lead a <strong> (closed, not left as `**`).
#[test]
fn markdown_renders_as_intended() {
    let md = taiping(Format::Markdown, Presentation::default());
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    assert_eq!(html.matches("<h1>").count(), 1);
    let title = md.lines().next().unwrap().trim_start_matches("# ");
    assert!(html.starts_with(&format!("<h1>{title}</h1>")), "{html}");
    assert_eq!(html.matches("<h2>").count(), md.matches("\n## ").count());
    assert!((3..=5).contains(&html.matches("<h2>").count()));
    let points = md.lines().filter(|l| l.starts_with("**第")).count();
    assert!(points >= 10);
    assert_eq!(html.matches("<strong>第").count(), points);
    assert!(!html.contains("**"), "an unclosed emphasis is left");
    assert!(html.contains("</strong>。"));
}
