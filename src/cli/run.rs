//! The subcommand runners: each takes its parsed arguments, calls the stages below and
//! writes or returns what the user sees.

use crate::base::error::{Error, Result};
use crate::base::files;
use crate::cli::args::{self, OutlineFormat, PlaceArgs};
use crate::draft::check;
use crate::draft::generate::{self, Options};
use crate::pack::{DEFAULT_PACK, Pack};
use crate::place::gazetteer::AreaFilter;
use crate::place::locality::Locality;
use crate::place::resolve::PlaceQuery;
use crate::render;

/// Resolves the place from --locality / --county / --city / --level / --locality-file.
/// --profile, --facts and --placeholders are applied on top.
pub fn resolve_locality(place: &PlaceArgs) -> Result<Locality> {
    let mut loc = crate::place::resolve::resolve(&PlaceQuery {
        locality: place.locality.clone(),
        county: place.county.clone(),
        city: place.city.clone(),
        province: None,
        level: place.level.map(|l| l.label().to_string()),
        locality_file: place.locality_file.clone(),
    })?;
    if let Some(profile) = place.profile {
        loc.profile_override = Some(profile);
    }
    if let Some(path) = &place.facts {
        let (source, _) = files::decode(&files::read_input(path)?);
        let shown = if path == "-" { "standard input" } else { path };
        loc.facts = crate::place::facts::parse_facts_file(shown, &source)?;
    }
    loc.placeholders = place.placeholders;
    Ok(loc)
}

/// `speechgen locality QUERY`: the place as the gazetteer knows it.
pub fn locality(query: &str, filter: &AreaFilter, json: bool) -> Result<String> {
    let report = crate::place::resolve::report(query, filter)?;
    Ok(if json {
        let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
        out.push('\n');
        out
    } else {
        report.to_text()
    })
}

/// `speechgen generate`
pub fn generate(args: &args::GenerateArgs) -> Result<()> {
    // The place and the pack do not depend on each other: the place (its villages are
    // inflated from the gazetteer) is found while the pack loads, on another core. Errors
    // are reported in the order of the command line's meaning: the place's first.
    let (loc, loaded) = rayon::join(
        || resolve_locality(&args.place),
        || check::load_pack(args.pack.spec()?.as_deref()),
    );
    let mut loc = loc?;
    // The meeting's season (from --date or the facts file's date) picks the wording
    // written for it.
    if let Some(date) = args.date.as_deref().or(loc.facts.date.as_deref()) {
        loc.season = Some(crate::render::byline::season(
            crate::render::byline::parse_date(date)?,
        ));
    }
    // The facts file may name the speaker and the date; the command line wins.
    let presentation = render::Presentation {
        script: args.script.script,
        byline: crate::render::byline::BylineRequest {
            speaker: args.speaker.clone().or(loc.facts.speaker.clone()),
            date: args.date.clone().or(loc.facts.date.clone()),
            placeholders: args.byline,
        },
        explain: args.explain,
    };
    let output = args.output.output.as_deref();
    presentation.check(args.format, output)?;
    let loaded = loaded?;
    let pack: &Pack = &loaded;
    if !pack.serves(&loc) {
        return Err(pack.refuse_place(&loc));
    }
    let length = args.length.chars();
    let seed = match args.seed {
        Some(seed) => seed,
        None if args.faithful => 0,
        None => {
            let seed = rand::random_range(0..1_000_000_000u64);
            eprintln!("speechgen: seed {seed} (add --seed {seed} to reproduce this draft)");
            seed
        }
    };
    let options = Options {
        seed,
        faithful: args.faithful,
        check: true,
        length,
        arc: None,
        ..Options::default()
    };
    if args.faithful && length.is_some() {
        return Err(Error::new(
            "--faithful reproduces the seed speech at its own length; drop --length/--minutes, or drop --faithful.",
        ));
    }
    let speech = generate::generate(pack, &loc, &options)?;
    if let Some(target) = length {
        // The draft is the closest the pack came: all of its parts when the target is
        // beyond it, only those every draft keeps when the target is below it. Each pack
        // has its own reach (jingji's drafts stop near 3,500 characters, mass-work's near
        // 12,000), so the note names this draft's length, not a fixed range.
        let length = speech.char_len();
        if length.abs_diff(target) * 10 > target {
            let (bound, side) = if length < target {
                ("most", "above")
            } else {
                ("least", "below")
            };
            eprintln!(
                "speechgen: note: this draft has {length} characters, about the {bound} pack {} \
                 can write for this place; {target} is {side} what it can reach within 10%.",
                pack.id
            );
        }
    }
    let out = crate::render::render(speech, args.format, &presentation, &pack.id, seed, &loc)?;
    files::write(output, &out, args.output.force)
}

/// Seeds per place and length that `check` drafts to prove a pack coherent.
const COHERENCE_SEEDS: u64 = 3;

/// `speechgen check [DIR]`: loads (and so validates) a pack, then reports what it holds.
pub fn check(dir: Option<&str>) -> Result<String> {
    let pack = Pack::load(dir.unwrap_or(DEFAULT_PACK))?;
    let unfit = check::trial_render(&pack)?;
    // Every kind of place, three lengths, a few seeds: the drafts must read as one
    // speech (docs/content-model.md).
    let findings = check::coherence_sweep(&pack, COHERENCE_SEEDS, 20)?;
    if !findings.is_empty() && pack.strict {
        return Err(Error::new(format!(
            "pack {} loads, but its drafts break the content model (docs/content-model.md); fix \
             the alternatives named here (first {}):\n  {}",
            pack.id,
            findings.len(),
            findings.join("\n  ")
        )));
    }
    let single: Vec<&str> = pack
        .slots
        .values()
        .filter(|s| s.alternatives.len() < 2)
        .map(|s| s.name.as_str())
        .collect();
    let places = if pack.profiles.is_empty() {
        "乡, 镇, 街道, 苏木, 场, 园区 and other places".to_string()
    } else {
        let tags: Vec<&str> = pack.profiles.iter().map(|p| p.tag()).collect();
        format!("the places it serves ({})", tags.join(", "))
    };
    let swept = check::sweep_places()
        .iter()
        .filter(|p| pack.serves(p))
        .count() as u64;
    let mut report = format!(
        "pack {} ({}, {}): OK — {} slots, {} alternatives; renders for {places}{}.\n",
        pack.id,
        pack.name,
        pack.origin,
        pack.slots.len(),
        pack.alternative_count(),
        if pack.strict {
            format!(
                "; {} drafts for every kind of place{} read as one speech",
                swept * COHERENCE_SEEDS * 3,
                if pack.profiles.is_empty() {
                    ""
                } else {
                    " it serves"
                }
            )
        } else {
            String::new()
        }
    );
    if !pack.strict && !findings.is_empty() {
        report.push_str(&format!(
            "note: this pack is not held to the content model (pack.yaml has no `strict: true`, \
             as a pack fresh from decompose); its drafts show {} kind(s) of problem, first: {}\n",
            findings.len(),
            findings[0]
        ));
    }
    if !unfit.is_empty() {
        let labels: Vec<&str> = unfit.iter().map(|(label, _)| *label).collect();
        report.push_str(&format!(
            "note: drafts for a {} place use words such a place does not have, so `generate` \
             refuses those places; reword these texts (or add alternatives tagged for them) to \
             write for them:\n{}",
            labels.join(", "),
            unfit
                .iter()
                .map(|(label, why)| format!("  {label}: {why}\n"))
                .collect::<String>()
        ));
    }
    if !single.is_empty() {
        report.push_str(&format!(
            "note: {} slot(s) have only one alternative (every draft says the same there): {}\n",
            single.len(),
            single.join(", ")
        ));
    }
    Ok(report)
}

/// `speechgen clean FILE|-`: writes the clean text and returns the report lines for stderr
/// (the spots a person must repair). Clean text is written even when issues remain: the
/// unrepaired characters are kept in place so nothing is silently dropped.
pub fn clean(input: &str, output_path: Option<&str>, force: bool) -> Result<Vec<String>> {
    let bytes = files::read_input(input)?;
    if bytes.is_empty() {
        return Err(Error::new(format!(
            "{input}: the input is empty; give the scraped speech text."
        )));
    }
    let report = crate::ingest::read::clean_document(input, &bytes)?;
    files::write(output_path, report.text.as_bytes(), force)?;
    let mut lines = vec![format!(
        "speechgen clean: read {input} as {}, {} characters out, {} spot(s) to repair by hand",
        report.encoding,
        report.text.chars().count(),
        report.issues.len()
    )];
    if let Some((line, column)) = report.first_control {
        lines.push(format!(
            "  removed {} control character(s) (NUL, ESC, BEL …; terminal colour codes whole), \
             the first at line {line}, column {column} of the input",
            report.removed_controls
        ));
    }
    lines.extend(report.issues.iter().map(|issue| format!("  {issue}")));
    Ok(lines)
}

/// `speechgen similarity A B [C …]`: the 13-character duplicate rate for every ordered
/// pair, as a table (or JSON); with `show`, A's text with the runs it shares with B.
pub fn similarity(paths: &[String], json: bool, show: bool) -> Result<String> {
    use crate::base::similarity::{duplicate_rate, mark_runs, shared_runs};
    if paths.iter().filter(|p| *p == "-").count() > 1 {
        return Err(Error::new(
            "standard input can be read only once: give - for at most one of the texts, and files for the others.",
        ));
    }
    if paths.len() < 2 {
        return Err(Error::new(
            "similarity needs at least two files: speechgen similarity a.txt b.txt [c.txt …]",
        ));
    }
    let texts: Vec<String> = paths
        .iter()
        .map(|p| files::read_input(p).map(|b| crate::base::files::decode(&b).0))
        .collect::<Result<_>>()?;
    let mut pairs = Vec::new();
    for (i, a) in texts.iter().enumerate() {
        for (j, b) in texts.iter().enumerate() {
            if i != j {
                pairs.push((i, j, duplicate_rate(a, b)));
            }
        }
    }
    let mut out = String::new();
    if json {
        let rows: Vec<serde_json::Value> = pairs
            .iter()
            .map(|&(i, j, rate)| {
                serde_json::json!({"a": paths[i], "b": paths[j], "rate": (rate * 10000.0).round() / 10000.0})
            })
            .collect();
        out.push_str(&serde_json::to_string_pretty(&rows).unwrap_or_default());
        out.push('\n');
    } else {
        out.push_str("duplicate rate (13-character runs): share of A covered by runs also in B\n");
        out.push_str("A \\ B");
        for (j, _) in paths.iter().enumerate() {
            out.push_str(&format!("\t[{}]", j + 1));
        }
        out.push('\n');
        for (i, path) in paths.iter().enumerate() {
            out.push_str(&format!("[{}] {path}", i + 1));
            for j in 0..paths.len() {
                match pairs.iter().find(|p| p.0 == i && p.1 == j) {
                    Some(&(_, _, rate)) => out.push_str(&format!("\t{:.1}%", rate * 100.0)),
                    None => out.push_str("\t-"),
                }
            }
            out.push('\n');
        }
    }
    if show {
        for &(i, j, rate) in &pairs {
            out.push_str(&format!(
                "\n=== {} vs {} ({:.1}%): ⟦…⟧ marks runs also in {} ===\n",
                paths[i],
                paths[j],
                rate * 100.0,
                paths[j]
            ));
            out.push_str(&mark_runs(&texts[i], &shared_runs(&texts[i], &texts[j])));
            out.push('\n');
        }
    }
    Ok(out)
}

/// `speechgen batch`: prints the summary table; lines that failed go to stderr and make
/// the exit status non-zero after every other draft is written.
pub fn batch(args: &args::BatchArgs) -> Result<()> {
    if args.localities.is_none() && args.area.is_empty() {
        return Err(Error::new(
            "batch needs the places to write for: --localities FILE (a list of places), or \
             --county, --city or --province (every township of the area).",
        ));
    }
    let report = crate::scale::batch::batch(&crate::scale::batch::BatchArgs {
        pack: args.pack.spec()?,
        localities: args.localities.clone(),
        area: args.area.filter(),
        out_dir: args.out_dir.clone(),
        format: args.format,
        script: args.script.script,
        seed: args.seed,
        length: args.length.chars(),
        force: args.force,
        quiet: args.quiet,
    })?;
    files::write(None, report.table().as_bytes(), false)?;
    if report.failed.is_empty() {
        return Ok(());
    }
    let mut msg = format!(
        "{} of {} places could not be written:",
        report.failed.len(),
        report.failed.len() + report.written.len()
    );
    for failure in &report.failed {
        msg.push_str("\n  ");
        msg.push_str(failure);
    }
    Err(Error::new(msg))
}

/// `speechgen variety`: the report as text or JSON.
pub fn variety(args: &args::VarietyArgs) -> Result<String> {
    if args.across_packs {
        let report = crate::scale::variety::across_packs(args.n as usize, args.seed)?;
        return Ok(if args.json {
            let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
            out.push('\n');
            out
        } else {
            report.to_text()
        });
    }
    let report = crate::scale::variety::variety(&crate::scale::variety::VarietyArgs {
        pack: args.pack.spec()?,
        n: args.n as usize,
        seed: args.seed,
        same_place: args.same_place.clone(),
        length: args.length.chars(),
    })?;
    Ok(if args.json {
        let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
        out.push('\n');
        out
    } else {
        report.to_text()
    })
}

/// `speechgen packs [--pack-dir DIR]`
pub fn packs(pack_dir: Option<&str>) -> Result<String> {
    crate::cli::catalog::list(pack_dir.map(std::path::Path::new))
}

/// `speechgen completions SHELL`: the script on stdout.
pub fn completions(cli: clap::Command, shell: clap_complete::Shell) -> Result<()> {
    files::write(None, &crate::cli::manual::completions(cli, shell), false)
}

/// `speechgen man [-o DIR] [--force]`: returns the report for stderr.
pub fn man(cli: clap::Command, dir: Option<&str>, force: bool) -> Result<String> {
    crate::cli::manual::write_man(cli, dir, force)
}

/// `speechgen corpus`: writes the corpus (or checks it with `--verify`) and prints the
/// throughput report (or the verification) on stderr unless `--quiet`.
pub fn corpus(args: &args::CorpusArgs) -> Result<()> {
    let corpus_args = crate::scale::corpus::CorpusArgs {
        count: args.count,
        seed: args.seed,
        packs: args.packs.clone(),
        localities: args.localities.clone(),
        area: args.area.filter(),
        lengths: args.lengths.clone(),
        script: args.script.into(),
        shard: args.shard.clone(),
        format: args.format,
        output: args.output.clone(),
        resume: args.resume,
        force: args.force,
        verify: args.verify,
        sample: args.sample,
        threads: args.threads,
        quiet: args.quiet,
    };
    let summary = if crate::scale::corpus::already_finished(&corpus_args) {
        // Re-running a job with --resume after it finished: check it, write nothing.
        let report = crate::scale::corpus::verify(&corpus_args)?;
        format!(
            "nothing to resume: the corpus is complete.\n{}",
            report.summary()
        )
    } else if args.verify {
        crate::scale::corpus::verify(&corpus_args)?.summary()
    } else {
        crate::scale::corpus::run(&corpus_args)?.summary()
    };
    if !args.quiet {
        eprint!("{summary}");
    }
    Ok(())
}

/// `speechgen outline FILE`: the outline as text or JSON.
pub fn outline(input: &str, format: OutlineFormat) -> Result<String> {
    crate::ingest::outline::command(input, format == OutlineFormat::Json)
}
