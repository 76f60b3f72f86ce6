//! Pack: template packs, loaded (embedded or from a folder) and validated.
//!
//! Takes pack.yaml, the skeleton and device templates (.tera) and the slot vocabularies
//! (.yaml); gives a [`Pack`]: compiled Tera templates and typed slots. Validation here is
//! static: every slot the skeleton reads exists, every slot is used, nested references
//! have no cycle, every kind of place has a usable alternative for every slot, the groups
//! of optional parts are sound. The trial render that proves a folder pack drafts for
//! every kind of place lives one stage up, in `crate::draft::check`, because it drafts.

pub mod content;
pub mod fill;
pub mod groups;
pub mod program;
pub mod raw;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use indexmap::IndexMap;
use regex::Regex;
use serde::Deserialize;

use crate::base::error::{Error, Result, line_of};
use crate::place::locality::{BUILT_IN_TAGS, FACT_PLACEHOLDERS, Locality, PLACEHOLDERS};
use crate::place::profile::PROFILE_TAGS;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
use crate::base::embedded::CORPORA;
use raw::{RawNode, RawSlotFile};

/// The shared rhetorical devices, available to every pack as `devices.tera`.
pub const DEVICES_NAME: &str = "devices.tera";
pub const DEFAULT_PACK: &str = "mass-work";

/// The folder of `corpora/` that holds the common bank (not a pack: it has no pack.yaml).
const COMMON_BANK: &str = "common";
/// Tag of alternatives used only by `--faithful`.
pub const SEED_TAG: &str = "seed";

/// A piece of a slot text.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Text as it is, with its count of characters (a draft sizes every text it writes).
    Literal(String, usize),
    /// A locality word, by placeholder name (乡党委, 全乡 …).
    Word(&'static str),
    /// Another slot's chosen text.
    Slot(String),
    /// A sentence-internal choice 【切实|扎实|着力】: one option per draft, drawn where
    /// it stands (the first is the seed's word, used by --faithful).
    Choice(Vec<String>),
}

impl Segment {
    pub fn literal(text: &str) -> Segment {
        Segment::Literal(text.to_string(), text.chars().count())
    }
}

/// The content of one alternative: a text, a list (triad, counted items) or named fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(Vec<Segment>),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// Wordings of one field of a whole point (`lead: [甲, 乙]`): a draft draws one. Only
    /// the fields in [`CHOICE_FIELDS`] are read this way; other lists are content. Beside
    /// each wording, the profiles' forbidden word lists its text uses (as
    /// [`Alternative::words_used`]), computed once at load: a draft skips the wordings its
    /// place does not have without scanning their text.
    Choose(Vec<Value>, Vec<u32>),
    /// A field that steers the engine and is never printed (`topic`, `local`, `sep`,
    /// `source`): kept verbatim, without provenance, and not counted in lengths.
    Meta(String),
}

/// Fields of a point or sub-point whose YAML list means “one of these wordings”.
pub const CHOICE_FIELDS: [&str; 10] = [
    "lead", "body", "close", "more", "quote", "sub1", "sub2", "sub3", "sub4", "tail",
];

/// Fields that steer the engine and are never printed.
pub const META_FIELDS: [&str; 4] = ["topic", "local", "sep", "source"];

impl Value {
    /// The locality words (placeholders) this value uses.
    pub fn collect_words(&self, out: &mut Vec<&'static str>) {
        match self {
            Value::Text(segments) => out.extend(segments.iter().filter_map(|s| match s {
                Segment::Word(w) => Some(*w),
                _ => None,
            })),
            Value::List(items) | Value::Choose(items, _) => {
                items.iter().for_each(|v| v.collect_words(out))
            }
            Value::Map(fields) => fields.iter().for_each(|(_, v)| v.collect_words(out)),
            Value::Meta(_) => {}
        }
    }
}

#[derive(Debug, Clone)]
pub struct Alternative {
    /// Stable id used in provenance: explicit `id:` or the 1-based position.
    pub id: String,
    pub weight: u32,
    pub tags: Vec<String>,
    pub value: Value,
    pub line: usize,
    /// Where its quotation comes from (`source:`), shown by --explain and the JSON spans.
    pub source: Option<String>,
    /// Idea keys (`idea:`): a draft uses each idea at most once across all slots.
    pub ideas: Vec<String>,
    /// The profiles' forbidden word lists its text uses (bit mask, see place::profile):
    /// it is never chosen where one of them applies.
    pub words_used: u32,
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub name: String,
    pub file: String,
    pub line: usize,
    /// The first alternative is the seed's wording (used by `--faithful`).
    pub alternatives: Vec<Alternative>,
}

impl Alternative {
    /// Whether a wording inside it carries its own `source:` (a quotation field).
    pub fn nested_sources(&self) -> bool {
        fn walk(value: &Value) -> bool {
            match value {
                Value::Map(fields) => fields.iter().any(|(k, v)| k == "source" || walk(v)),
                Value::List(items) | Value::Choose(items, _) => items.iter().any(walk),
                _ => false,
            }
        }
        walk(&self.value)
    }
}

impl Slot {
    /// Alternatives usable for a place. The tag `seed` marks the seed's wording that only
    /// `--faithful` may use (a title without the place's name, an event of the seed place).
    pub fn eligible(&self, loc: &Locality, draw: &Draw) -> Vec<&Alternative> {
        self.alternatives
            .iter()
            .filter(|alt| {
                alt.words_used & draw.forbidden == 0
                    && alt.tags.iter().all(|t| {
                        if t == SEED_TAG {
                            draw.faithful
                        } else if let Some((form, value)) = t.split_once(':') {
                            draw.forms.get(form).is_none_or(|chosen| chosen == value)
                        } else {
                            loc.accepts_tag(t)
                        }
                    })
            })
            .collect()
    }
}

/// What one draft has drawn before choosing alternatives: whether it is the seed's own
/// wording, and the form of each form family (`heading: yao`), so that the headings of
/// one level share one grammatical pattern.
#[derive(Debug, Clone, Default)]
pub struct Draw {
    pub faithful: bool,
    pub forms: BTreeMap<String, String>,
    /// The forbidden word lists of the place (place::profile::forbidden_here); none for
    /// --faithful, which reproduces the seed.
    pub forbidden: u32,
}

impl Draw {
    /// The draw for one draft: forms from their own seeded stream (the first form of
    /// each family for --faithful, which is the seed's).
    pub fn new(pack: &Pack, loc: &Locality, seed: u64, faithful: bool) -> Draw {
        use rand::{RngExt, SeedableRng};
        let place_key = loc.key();
        let forms = pack
            .forms
            .iter()
            .map(|(family, forms)| {
                let mut rng =
                    rand_chacha::ChaCha8Rng::seed_from_u64(crate::base::seed::stream_seed(&[
                        &seed.to_le_bytes(),
                        pack.id.as_bytes(),
                        place_key.as_bytes(),
                        b"form",
                        family.as_bytes(),
                    ]));
                let i = if faithful {
                    0
                } else {
                    rng.random_range(0..forms.len())
                };
                (family.clone(), forms[i].clone())
            })
            .collect();
        Draw {
            faithful,
            forms,
            forbidden: if faithful || !pack.strict {
                0
            } else {
                crate::place::profile::forbidden_here(loc)
            },
        }
    }
}

/// One skeleton a draft may follow: its optional units and the slots it reads.
#[derive(Debug, Clone)]
pub struct Arc {
    pub skeleton: String,
    pub groups: Vec<groups::Group>,
    /// The units of `groups`, numbered for the planner.
    pub units: groups::UnitIndex,
    /// The slots the skeleton reads (s.NAME); a draft on this arc needs no others.
    pub reads: BTreeSet<String>,
    /// The skeleton compiled, when it and the devices are in the subset
    /// `program` knows; None: Tera renders it.
    pub program: Option<program::Program>,
}

/// A loaded, validated pack.
pub struct Pack {
    pub id: String,
    pub name: String,
    pub meeting: String,
    pub description: String,
    /// `embedded` or the folder it was read from.
    pub origin: String,
    /// The source document the pack was decomposed from, as named in pack.yaml.
    pub source: Option<String>,
    pub tags: IndexMap<String, String>,
    pub slots: IndexMap<String, Slot>,
    /// Slot names in dependency order: a slot comes after every slot it inserts.
    pub order: Vec<String>,
    /// Tera's compiled templates, for a skeleton without a program (or a value the
    /// program gives up on). A folder's are compiled at load, so that a syntax error is
    /// reported there; an embedded pack's, whose templates the tests compile, on first use.
    tera: OnceLock<tera::Tera>,
    /// The templates (name, path, text) Tera compiles.
    templates: Vec<(String, String, String)>,
    /// The skeletons a draft may follow (section arcs) with their groups; the first is
    /// the seed's.
    pub arcs: Vec<Arc>,
    /// Form families and their forms (`heading: [yao, pair]`); tags `heading:yao`.
    pub forms: IndexMap<String, Vec<String>>,
    /// `strict: true` in pack.yaml: the pack is held to the content model. A pack fresh
    /// from `decompose` is not (it is the source's wording until someone edits it).
    pub strict: bool,
    /// Optional units of the first skeleton, chosen per draft (`arcs[0].groups`).
    pub groups: Vec<groups::Group>,
    /// Default target length in characters (None: include every unit a group allows).
    pub length: Option<usize>,
    /// The place profiles this meeting exists for (empty: every place).
    pub profiles: Vec<crate::place::profile::Profile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    id: String,
    name: String,
    meeting: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    source: Option<String>,
    /// One skeleton, or several section arcs (the first is the seed's).
    skeleton: OneOrMany,
    #[serde(default)]
    tags: IndexMap<String, String>,
    /// Form families: a draft draws one form of each; alternatives tagged `family:form`.
    #[serde(default)]
    forms: IndexMap<String, Vec<String>>,
    /// Held to the content model (docs/content-model.md): content rules at load, the
    /// profiles' forbidden words at choice time, coherence in `check`.
    #[serde(default)]
    strict: bool,
    /// Optional parts of the skeleton (see crate::draft::plan).
    #[serde(default)]
    groups: Vec<groups::GroupSpec>,
    /// The length a draft aims at without --length (characters).
    #[serde(default)]
    length: Option<usize>,
    /// `common: true`: the common bank (corpora/common/) adds its `common.*` slots, those
    /// for every meeting and those tagged `meeting:<this id>`.
    #[serde(default)]
    common: bool,
    /// The place profiles this meeting exists for (core, township …); none: every place.
    #[serde(default)]
    profiles: Vec<crate::place::profile::Profile>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn names(&self) -> Vec<String> {
        match self {
            OneOrMany::One(name) => vec![name.clone()],
            OneOrMany::Many(names) => names.clone(),
        }
    }
}

/// The files of a pack: path (for messages) and contents.
struct PackFiles {
    origin: String,
    checks: Checks,
    /// The files are the embedded ones: their slot files were parsed by the build
    /// ([`raw::PrebuiltIndex`]), so no YAML is read.
    embedded: bool,
    files: Vec<PackFile>,
    /// The common bank's files read from a source tree (`corpora/common/` beside a
    /// `--pack corpora/<id>` folder), so that an edit to the bank is seen without a
    /// rebuild; None: the bank compiled into the binary.
    common: Option<Vec<PackFile>>,
}

/// One file of a pack: its path (for messages) and its text, borrowed from the binary for
/// an embedded pack (copying and re-checking its 800 KB was a tenth of a `generate`).
type PackFile = (String, Cow<'static, str>);

/// An embedded file's text. Checked as UTF-8 with simdutf8: the standard check of the
/// embedded packs took as long as the rest of reading them.
fn embedded_text(file: &'static include_dir::File<'static>) -> Option<&'static str> {
    simdutf8::basic::from_utf8(file.contents()).ok()
}

/// Files read from disk, owned.
fn owned(files: Vec<(String, String)>) -> Vec<PackFile> {
    files
        .into_iter()
        .map(|(path, text)| (path, Cow::Owned(text)))
        .collect()
}

/// The manifests (pack.yaml) of the embedded packs, in id order.
fn embedded_manifests() -> Result<Vec<Manifest>> {
    Pack::embedded_ids()
        .iter()
        .map(|id| {
            let path = format!("{id}/pack.yaml");
            let text = CORPORA
                .get_file(&path)
                .and_then(|f| f.contents_utf8())
                .ok_or_else(|| Error::new(format!("internal: corpora/{path} is not embedded")))?;
            serde_saphyr::from_str(text)
                .map_err(|e| Error::new(format!("internal: corpora/{path}: {e}")))
        })
        .collect()
}

/// How much of a pack's validation a load runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// Everything: parsing, references, groups, the content model's checks of every
    /// alternative and the coverage of every kind of place. `check`, folders, the tests.
    Full,
    /// An embedded pack for drafting: parsing, references and groups as always, but not
    /// the content checks and the coverage sweep, which only depend on the pack's files —
    /// compiled into the binary and held to [`Checks::Full`] by the test suite
    /// (`every_embedded_pack_passes_the_full_checks`). About a fifth of a start.
    Trusted,
}

/// A pack named on the command line: the default pack, loaded once per process, or one
/// loaded for this run (see `crate::draft::check::load_pack`).
pub enum LoadedPack {
    Default(&'static Pack),
    Owned(Box<Pack>),
}

impl std::ops::Deref for LoadedPack {
    type Target = Pack;
    fn deref(&self) -> &Pack {
        match self {
            LoadedPack::Default(pack) => pack,
            LoadedPack::Owned(pack) => pack,
        }
    }
}

impl Pack {
    /// Tera's compiled templates (compiled now if they were not at load).
    pub(crate) fn tera(&self) -> Result<&tera::Tera> {
        if let Some(tera) = self.tera.get() {
            return Ok(tera);
        }
        let compiled = compile_templates(&self.templates)?;
        Ok(self.tera.get_or_init(|| compiled))
    }

    /// Ids of the packs compiled into the binary.
    pub fn embedded_ids() -> Vec<String> {
        CORPORA
            .dirs()
            .filter(|d| d.get_file(d.path().join("pack.yaml")).is_some())
            .filter_map(|d| d.path().file_name()?.to_str().map(str::to_string))
            .collect()
    }

    /// Loads an embedded pack by id, or a pack folder when `spec` names a directory.
    pub fn load(spec: &str) -> Result<Pack> {
        Pack::load_with(spec, Checks::Full)
    }

    /// [`Pack::load`] with `checks` for an embedded pack (a folder is always checked in
    /// full: its files are the user's).
    pub fn load_with(spec: &str, checks: Checks) -> Result<Pack> {
        let path = Path::new(spec);
        if spec.contains('/') || spec.contains('\\') || path.is_dir() {
            return Pack::load_dir(path);
        }
        Pack::load_embedded_with(spec, checks)
    }

    /// The embedded pack for a meeting named in Chinese: its id, its name or meeting type,
    /// or a part of them (安全生产 → anquan). Several matches or none: an error listing
    /// the packs.
    pub fn id_for_meeting(name: &str) -> Result<String> {
        let wanted = name.trim();
        // The manifests say all a match needs: no pack is loaded to find one.
        let manifests = embedded_manifests()?;
        let listing = || -> String {
            manifests
                .iter()
                .map(|m| format!("{}（{}）", m.meeting, m.id))
                .collect::<Vec<_>>()
                .join("、")
        };
        if wanted.is_empty() {
            return Err(Error::new(format!(
                "--meeting is empty: name the meeting, e.g. --meeting 安全生产 ({}).",
                listing()
            )));
        }
        let mut found = Vec::new();
        for m in &manifests {
            if m.id == wanted || m.meeting == wanted || m.name == wanted {
                return Ok(m.id.clone());
            }
            if m.meeting.contains(wanted) || m.name.contains(wanted) {
                found.push(m.id.clone());
            }
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(Error::new(format!(
                "no pack is written for the meeting “{wanted}”. The packs are: {}. Give one of \
                 these names or ids, or a pack folder with --pack.",
                listing()
            ))),
            _ => Err(Error::new(format!(
                "“{wanted}” names several meetings ({}); say which: {}.",
                found.join(", "),
                listing()
            ))),
        }
    }

    /// Whether this meeting exists for the place's profile (`profiles:` in pack.yaml).
    pub fn serves(&self, loc: &Locality) -> bool {
        self.profiles.is_empty() || self.profiles.contains(&loc.profile())
    }

    /// The refusal for a place this meeting does not exist for.
    pub fn refuse_place(&self, loc: &Locality) -> Error {
        let tags: Vec<&str> = self.profiles.iter().map(|p| p.tag()).collect();
        Error::new(format!(
            "the pack {} ({}) is not written for {} (profile {}): it serves {}. Choose another \
             meeting (speechgen packs lists them), or state the profile with --profile if {} \
             is another kind of place.",
            self.id,
            self.meeting,
            loc.name,
            loc.profile().tag(),
            tags.join(", "),
            loc.name
        ))
    }

    /// The default pack, loaded and validated once per process.
    pub fn default_pack() -> Result<&'static Pack> {
        static DEFAULT: OnceLock<std::result::Result<Pack, Error>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| Pack::load_embedded_with(DEFAULT_PACK, Checks::Trusted))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// An embedded pack, with every check (`speechgen check ID`).
    pub fn load_embedded(id: &str) -> Result<Pack> {
        Pack::load_embedded_with(id, Checks::Full)
    }

    /// An embedded pack for drafting ([`Checks::Trusted`]).
    pub fn load_embedded_trusted(id: &str) -> Result<Pack> {
        Pack::load_embedded_with(id, Checks::Trusted)
    }

    pub fn load_embedded_with(id: &str, checks: Checks) -> Result<Pack> {
        let corpora = CORPORA.get_dir(id).ok_or_else(|| {
            Error::new(format!(
                "there is no embedded pack “{id}”: give a pack folder (a path such as ./my-pack) \
                 or an embedded id ({}).",
                Pack::embedded_ids().join(", ")
            ))
        })?;
        let mut files = Vec::new();
        let mut push = |dir: &'static Dir<'static>, root: &str| {
            for file in dir.files() {
                if let Some(text) = embedded_text(file) {
                    files.push((
                        format!("{root}/{}", file.path().display()),
                        Cow::Borrowed(text),
                    ));
                }
            }
        };
        push(corpora, "corpora");
        if let Some(templates) = TEMPLATES.get_dir(id) {
            push(templates, "templates");
        }
        Pack::from_files(PackFiles {
            origin: "embedded".into(),
            checks,
            embedded: true,
            files,
            common: None,
        })
    }

    pub fn load_dir(dir: &Path) -> Result<Pack> {
        let shown = dir.display().to_string();
        if !dir.is_dir() {
            return Err(Error::new(format!(
                "{shown}: no such pack folder. A pack folder holds pack.yaml, a skeleton .tera and \
                 slot .yaml files; give a pack folder or an embedded id ({}).",
                Pack::embedded_ids().join(", ")
            )));
        }
        let mut files = Vec::new();
        collect_files(dir, &mut files)?;
        // An embedded pack's folder in the source tree (corpora/<id>) keeps its skeletons
        // in templates/<id>: `--pack corpora/anquan` reads them from there.
        // The same folder's common bank is read from corpora/common there too, so that
        // an author's edit to the bank shows at once; only in a source tree (one that has
        // templates/devices.tera), never from a user's own folder that happens to be
        // called common.
        let mut common = None;
        if let Some(name) = dir.file_name()
            && let Some(corpora) = dir.parent()
            && let Some(root) = corpora.parent()
            && root.join("templates").join(DEVICES_NAME).is_file()
        {
            let templates = root.join("templates").join(name);
            if !files.iter().any(|(p, _)| p.ends_with(".tera")) && templates.is_dir() {
                collect_files(&templates, &mut files)?;
            }
            let bank = corpora.join(COMMON_BANK);
            if bank.is_dir() {
                let mut bank_files = Vec::new();
                collect_files(&bank, &mut bank_files)?;
                bank_files.sort();
                common = Some(owned(bank_files));
            }
        }
        files.sort();
        Pack::from_files(PackFiles {
            origin: shown,
            checks: Checks::Full,
            embedded: false,
            files: owned(files),
            common,
        })
    }

    fn from_files(mut pack_files: PackFiles) -> Result<Pack> {
        let origin = pack_files.origin;
        let (manifest_path, manifest_text) = pack_files
            .files
            .iter()
            .find(|(p, _)| p.ends_with("pack.yaml"))
            .ok_or_else(|| {
                Error::new(format!(
                    "{origin}: this folder has no pack.yaml, so it is not a pack. Create pack.yaml \
                     with id, name, meeting and skeleton (see docs/pack-format.md)."
                ))
            })?;
        let manifest: Manifest = serde_saphyr::from_str(manifest_text).map_err(|e| {
            yaml_error(
                manifest_path,
                &e,
                "a pack manifest needs id, name, meeting and skeleton",
            )
        })?;
        let checks = pack_files.checks;

        let mut slots: IndexMap<String, Slot> = IndexMap::new();
        let mut templates: Vec<(String, String, String)> = Vec::new(); // name, path, text
        let mut slot_files: Vec<PackFile> = Vec::new();
        for (path, text) in &pack_files.files {
            if path.ends_with(".tera") {
                let name = Path::new(path)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                templates.push((name, path.clone(), text.to_string()));
            } else if (path.ends_with(".yaml") || path.ends_with(".yml"))
                && !path.ends_with("pack.yaml")
            {
                slot_files.push((path.clone(), text.clone()));
            }
        }
        let embedded = pack_files.embedded;
        parse_slot_files(&slot_files, &manifest, checks, embedded, &mut slots)?;
        // The files the common bank came from: its slots that this skeleton does not read
        // are dropped below.
        let mut bank_paths: Vec<String> = Vec::new();
        if manifest.common {
            let mut bank = IndexMap::new();
            let (files, bank_embedded) = match pack_files.common.take() {
                Some(files) => (files, false),
                None => (embedded_bank_files(), true),
            };
            let bank_files: Vec<PackFile> = files
                .into_iter()
                .filter(|(path, _)| path.ends_with(".yaml") || path.ends_with(".yml"))
                .collect();
            parse_slot_files(&bank_files, &manifest, checks, bank_embedded, &mut bank)?;
            bank_paths.extend(bank_files.into_iter().map(|(path, _)| path));
            if let Some(stray) = bank.values().find(|s| !s.name.starts_with("common.")) {
                return Err(Error::at(
                    &stray.file,
                    stray.line,
                    format!(
                        "the common bank's slot “{}” must be named common.…",
                        stray.name
                    ),
                ));
            }
            merge_bank(&mut slots, bank);
        }
        if !templates.iter().any(|(n, _, _)| n == DEVICES_NAME) {
            templates.push((
                DEVICES_NAME.into(),
                format!("templates/{DEVICES_NAME}"),
                embedded_devices().into(),
            ));
        }
        let skeletons = manifest.skeleton.names();
        if skeletons.is_empty() {
            return Err(Error::at(
                manifest_path,
                0,
                "`skeleton:` names no template; name the skeleton .tera file.",
            ));
        }
        for skeleton in &skeletons {
            if !templates.iter().any(|(n, _, _)| n == skeleton) {
                return Err(Error::at(
                    manifest_path,
                    0,
                    format!(
                        "the skeleton “{skeleton}” named in pack.yaml is not among the pack's .tera \
                         files; add it or correct `skeleton:`."
                    ),
                ));
            }
        }
        if slots.is_empty() {
            return Err(Error::new(format!(
                "{origin}: the pack defines no slots. Add slot .yaml files beside pack.yaml."
            )));
        }
        if manifest.common {
            // The bank offers more than one meeting uses: its slots this skeleton does not
            // read are not part of the pack.
            let read = slots_read(&templates, &slots);
            slots.retain(|name, slot| !bank_paths.contains(&slot.file) || read.contains(name));
        }
        let tera = OnceLock::new();
        if checks == Checks::Full {
            let _ = tera.set(compile_templates(&templates)?);
        }
        let slot_names: Vec<&str> = slots.keys().map(String::as_str).collect();
        // `program` writes the embedded devices in Rust: a pack with devices.tera of its
        // own is rendered by Tera.
        let devices_supported = templates
            .iter()
            .find(|(n, _, _)| n == DEVICES_NAME)
            .is_some_and(|(_, _, text)| text == embedded_devices());
        let arc_of = |skeleton: &String| -> Result<Arc> {
            // The skeleton's own template: what it tests and reads (devices test nothing).
            let own: Vec<(String, String, String)> = templates
                .iter()
                .filter(|(n, _, _)| n == skeleton)
                .cloned()
                .collect();
            let tested = unit_tests(&own);
            let mut specs = groups::for_skeleton(&manifest.groups, skeleton, &tested);
            let derived = groups::derived(&specs, &tested);
            specs.extend(derived.iter());
            let groups =
                groups::validate(manifest_path, &specs, &slot_names, &tested).map_err(|e| {
                    if skeletons.len() > 1 {
                        Error::new(format!("{e} (skeleton {skeleton})"))
                    } else {
                        e
                    }
                })?;
            let units: BTreeSet<&str> = groups
                .iter()
                .flat_map(|g| g.units.iter().map(String::as_str))
                .collect();
            let program = own
                .first()
                .filter(|_| devices_supported)
                .and_then(|(_, _, text)| program::Program::compile(text, &|u| units.contains(u)));
            Ok(Arc {
                skeleton: skeleton.clone(),
                units: groups::UnitIndex::of(&groups),
                groups,
                reads: slots_read(&own, &slots),
                program,
            })
        };
        // The reference order and the arcs do not depend on each other: both are worked
        // out at once, each arc on its own core (they were a third of an embedded pack's
        // load, one after another). Errors are reported in the order of the checks.
        let (order, arcs) = rayon::join(
            || check_references(&templates, &slots),
            || {
                use rayon::prelude::*;
                skeletons.par_iter().map(arc_of).collect::<Vec<_>>()
            },
        );
        let order = order?;
        if let Some(g) = manifest
            .groups
            .iter()
            .find(|g| g.skeleton.as_ref().is_some_and(|s| !skeletons.contains(s)))
        {
            return Err(Error::at(
                manifest_path,
                0,
                format!(
                    "groups: the group [{}] names skeleton “{}”, which `skeleton:` does not list.",
                    g.units.join(", "),
                    g.skeleton.as_deref().unwrap_or_default()
                ),
            ));
        }
        let arcs = arcs.into_iter().collect::<Result<Vec<Arc>>>()?;
        let pack = Pack {
            id: manifest.id,
            name: manifest.name,
            meeting: manifest.meeting,
            description: manifest.description,
            origin,
            source: manifest.source,
            tags: manifest.tags,
            slots,
            order,
            tera,
            templates,
            groups: arcs[0].groups.clone(),
            arcs,
            forms: manifest.forms,
            strict: manifest.strict,
            length: manifest.length,
            profiles: manifest.profiles,
        };
        if checks == Checks::Full {
            pack.check_coverage()?;
        }
        Ok(pack)
    }

    /// Every kind of place must find a usable alternative in every slot, and the seed
    /// alternative must fit the seed's own place.
    fn check_coverage(&self) -> Result<()> {
        let seed = Locality::seed_default();
        // Every kind of place, built once (not once per slot: this runs at every start).
        let mut kinds = Vec::new();
        for base in crate::place::profile::sample_places() {
            if !self.serves(&base) {
                continue;
            }
            for (ethnic, villages) in [(false, 0), (true, 0), (false, 1), (true, 3)] {
                let mut loc = base.clone();
                loc.ethnic = ethnic;
                loc.villages = ["甲村", "乙村", "丙村"][..villages]
                    .iter()
                    .map(|v| v.to_string())
                    .collect();
                kinds.push((loc.level, ethnic, villages, loc));
            }
        }
        // Every combination of forms (heading: yao or pair …).
        let mut combos: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
        for (family, forms) in &self.forms {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    forms.iter().map(move |f| {
                        let mut c = c.clone();
                        c.insert(family.clone(), f.clone());
                        c
                    })
                })
                .collect();
        }
        for slot in self.slots.values() {
            let first = &slot.alternatives[0];
            if let Some(tag) = first.tags.iter().find(|t| !seed.accepts_tag(t)) {
                return Err(Error::at(
                    &slot.file,
                    first.line,
                    format!(
                        "the first alternative of slot “{}” is the seed's wording but is tagged \
                         “{tag}”, which excludes the seed place 西布河乡; move it down or drop the tag.",
                        slot.name
                    ),
                ));
            }
            for ((level, ethnic, villages, loc), forms) in kinds
                .iter()
                .flat_map(|k| combos.iter().map(move |c| (k, c)))
            {
                let draw = Draw {
                    faithful: false,
                    forms: forms.clone(),
                    forbidden: if self.strict {
                        crate::place::profile::forbidden_here(loc)
                    } else {
                        0
                    },
                };
                if slot.eligible(loc, &draw).is_empty() {
                    return Err(Error::at(
                        &slot.file,
                        slot.line,
                        format!(
                            "slot “{}” has no alternative usable for a {} place ({}{}){}{}: \
                             every alternative is tagged for other places or uses a word such a \
                             place does not have. Add an untagged alternative.",
                            slot.name,
                            level.label(),
                            loc.profile().tag(),
                            forms
                                .iter()
                                .map(|(k, v)| format!(", {k}:{v}"))
                                .collect::<String>(),
                            if *ethnic { " (ethnic)" } else { "" },
                            match villages {
                                0 => " without known villages",
                                1 => " with one known village",
                                _ => " with known villages",
                            }
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Number of alternatives in all slots.
    pub fn alternative_count(&self) -> usize {
        self.slots.values().map(|s| s.alternatives.len()).sum()
    }
}

pub fn collect_files(dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("{}: cannot read this folder: {e}.", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::new(format!("{}: {e}", dir.display())))?;
        let path = entry.path();
        // Hidden entries (.git, .github, an editor's swap files) are not pack files, and a
        // linked folder is not followed (it may lead out of the pack, or round in a loop).
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let is_linked_dir = entry.file_type().is_ok_and(|t| t.is_symlink()) && path.is_dir();
        if is_linked_dir {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "tera")
        ) {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::new(format!(
                    "{}: cannot read this file ({e}); pack files must be UTF-8 text.",
                    path.display()
                ))
            })?;
            out.push((path.display().to_string(), text));
        }
    }
    Ok(())
}

fn yaml_error(path: &str, err: &serde_saphyr::Error, hint: &str) -> Error {
    let line = err.location().map(|l| l.line() as usize).unwrap_or(0);
    let text = err.to_string();
    let first = text.lines().next().unwrap_or(&text);
    Error::at(
        path,
        line,
        format!("invalid YAML: {first}. Fix the YAML here ({hint})."),
    )
}

fn slot_name_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$").expect("valid regex"))
}

/// Each 【…】 of a text, left to right: (byte range of the whole, the key inside). As the
/// pattern `【([^】]*)】`, found by memchr's substring search: this runs for every text of
/// a pack at load, where the regex's capture search was a tenth of a start.
fn bracketed(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    const OPEN: &str = "【";
    const CLOSE: &str = "】";
    let mut from = 0;
    std::iter::from_fn(move || {
        let open = from + memchr::memmem::find(&text.as_bytes()[from..], OPEN.as_bytes())?;
        let inner = open + OPEN.len();
        let close = inner + memchr::memmem::find(&text.as_bytes()[inner..], CLOSE.as_bytes())?;
        from = close + CLOSE.len();
        Some((open..from, &text[inner..close]))
    })
}

/// The tag prefix of an alternative written for one meeting (`meeting:anquan`).
const MEETING_TAG: &str = "meeting:";

/// Whether an alternative serves the pack `pack_id`: it names no meeting, or names this
/// one. The meeting tags are removed (they say nothing about the place).
fn keep_for_meeting(tags: &mut Vec<String>, pack_id: &str) -> bool {
    let meetings: Vec<&str> = tags
        .iter()
        .filter_map(|t| t.strip_prefix(MEETING_TAG))
        .collect();
    let keep = meetings.is_empty() || meetings.contains(&pack_id);
    tags.retain(|t| !t.starts_with(MEETING_TAG));
    keep
}

/// Adds the common bank's slots to a pack's: a slot the pack also defines keeps the pack's
/// alternatives first (its reference wording, for --faithful) and gains the bank's.
fn merge_bank(slots: &mut IndexMap<String, Slot>, bank: IndexMap<String, Slot>) {
    for (name, mut slot) in bank {
        for alt in &mut slot.alternatives {
            alt.id = format!("bank-{}", alt.id);
        }
        match slots.get_mut(&name) {
            Some(own) => own.alternatives.extend(slot.alternatives),
            None => {
                slots.insert(name, slot);
            }
        }
    }
}

/// The common bank compiled into the binary, as (path, text) in path order.
fn embedded_bank_files() -> Vec<PackFile> {
    let Some(dir) = CORPORA.get_dir(COMMON_BANK) else {
        return Vec::new();
    };
    let mut files: Vec<PackFile> = dir
        .files()
        .map(|f| {
            let path = format!("corpora/{}", f.path().display());
            (path, Cow::Borrowed(embedded_text(f).unwrap_or_default()))
        })
        .collect();
    files.sort();
    files
}

/// An embedded slot file as the build parsed it (see build.rs); None if the build could
/// not parse it (its YAML is then read here, to report the error) or the text differs.
fn prebuilt_slot_file(path: &str, text: &str) -> Option<RawSlotFile> {
    static INDEX: OnceLock<raw::PrebuiltIndex> = OnceLock::new();
    static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/slots.bin"));
    let index = INDEX.get_or_init(|| {
        postcard::from_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/slots.idx")))
            .unwrap_or_default()
    });
    let key = path.strip_prefix("corpora/")?;
    let (_, len, start, end) = index.iter().find(|(p, ..)| p == key)?;
    if *len != text.len() as u64 {
        return None;
    }
    postcard::from_bytes(DATA.get(*start as usize..*end as usize)?).ok()
}

/// Reads slot files on every core (an embedded pack's from the build's parse, a folder's
/// from YAML), then adds their slots in file order: the slots' order and the
/// errors are those of reading the files one after another.
fn parse_slot_files(
    files: &[PackFile],
    manifest: &Manifest,
    checks: Checks,
    embedded: bool,
    slots: &mut IndexMap<String, Slot>,
) -> Result<()> {
    use rayon::prelude::*;
    let parsed: Vec<Result<IndexMap<String, Slot>>> = files
        .par_iter()
        .map(|(path, text)| {
            let raw = match embedded.then(|| prebuilt_slot_file(path, text)).flatten() {
                Some(raw) => raw,
                None => raw::parse_yaml(text).map_err(|e| {
                    yaml_error(
                        path,
                        &e,
                        "a slot file maps slot names to a list of alternatives; see docs/pack-format.md",
                    )
                })?,
            };
            let mut own = IndexMap::new();
            parse_slot_file(path, raw, manifest, checks, &mut own).map(|()| own)
        })
        .collect();
    for (result, (path, _)) in parsed.into_iter().zip(files) {
        for (name, slot) in result? {
            if let Some(previous) = slots.get(&name) {
                return Err(Error::at(
                    path,
                    slot.line,
                    format!(
                        "slot “{name}” is defined twice (first in {}:{}); merge the two lists.",
                        previous.file, previous.line
                    ),
                ));
            }
            slots.insert(name, slot);
        }
    }
    Ok(())
}

fn parse_slot_file(
    path: &str,
    file: RawSlotFile,
    manifest: &Manifest,
    checks: Checks,
    slots: &mut IndexMap<String, Slot>,
) -> Result<()> {
    for raw::RawSlot {
        name,
        line,
        alternatives: alts,
    } in file.slots
    {
        let line = line as usize;
        if !slot_name_re().is_match(&name) {
            return Err(Error::at(
                path,
                line,
                format!(
                    "“{name}” is not a valid slot name: use lowercase words joined by dots, e.g. s1.p2.lead."
                ),
            ));
        }
        if let Some(previous) = slots.get(&name) {
            return Err(Error::at(
                path,
                line,
                format!(
                    "slot “{name}” is defined twice (first in {}:{}); merge the two lists.",
                    previous.file, previous.line
                ),
            ));
        }
        if alts.is_empty() {
            return Err(Error::at(
                path,
                line,
                format!("slot “{name}” has an empty list of alternatives; give at least one."),
            ));
        }
        let mut alternatives = Vec::new();
        for (index, (alt_line, mut node)) in alts.into_iter().enumerate() {
            let alt_line = alt_line as usize;
            // 【会议】 is the pack's meeting in every draft.
            node.replace_text("【会议】", &manifest.meeting);
            let at = |msg: String| Error::at(path, alt_line, format!("slot “{name}”: {msg}"));
            let mut alternative = Alternative {
                id: (index + 1).to_string(),
                weight: 1,
                tags: Vec::new(),
                value: Value::List(Vec::new()),
                line: alt_line,
                source: None,
                ideas: Vec::new(),
                words_used: 0,
            };
            let node = match node {
                RawNode::Map(mut map)
                    if ["text", "tags", "weight", "id", "source", "idea"]
                        .iter()
                        .any(|k| map.contains_key(*k)) =>
                {
                    if let Some(source) = map.shift_remove("source") {
                        let RawNode::Text(source, _) = source else {
                            return Err(at(
                                "`source` must be one line naming the work or speech and year."
                                    .into(),
                            ));
                        };
                        alternative.source = Some(source);
                    }
                    if let Some(idea) = map.shift_remove("idea") {
                        alternative.ideas = match idea {
                            RawNode::Text(key, _) => vec![key],
                            RawNode::List(keys) => keys
                                .into_iter()
                                .map(|k| match k {
                                    RawNode::Text(k, _) => Ok(k),
                                    _ => Err(at("each idea key must be a word.".into())),
                                })
                                .collect::<Result<_>>()?,
                            _ => return Err(at("`idea` must be a key or a list of keys.".into())),
                        };
                    }
                    if let Some(tags) = map.shift_remove("tags") {
                        let RawNode::List(tags) = tags else {
                            return Err(at("`tags` must be a list such as [rural].".into()));
                        };
                        for tag in tags {
                            let RawNode::Text(tag, _) = tag else {
                                return Err(at("each tag must be a word such as rural.".into()));
                            };
                            let base = tag.strip_prefix("not-").unwrap_or(&tag);
                            let built_in = BUILT_IN_TAGS.iter().any(|(t, _)| *t == base)
                                || PROFILE_TAGS.iter().any(|(t, _)| *t == base);
                            let form = tag.split_once(':').is_some_and(|(family, form)| {
                                manifest
                                    .forms
                                    .get(family)
                                    .is_some_and(|f| f.iter().any(|x| x == form))
                            });
                            // meeting:ID — an alternative of the common bank for one
                            // meeting; resolved when the pack loads (see keep_for_meeting).
                            let meeting = tag.starts_with(MEETING_TAG);
                            if tag != SEED_TAG
                                && !meeting
                                && !built_in
                                && !form
                                && !manifest.tags.contains_key(base)
                            {
                                return Err(at(format!(
                                    "unknown tag “{tag}”: declare it under `tags:` in pack.yaml (declared: {}; built in: {}, {}; forms: {}; any of them negated as not-…, and `seed` for --faithful only).",
                                    manifest.tags.keys().cloned().collect::<Vec<_>>().join(", "),
                                    BUILT_IN_TAGS.map(|(t, _)| t).join(", "),
                                    PROFILE_TAGS.map(|(t, _)| t).join(", "),
                                    manifest
                                        .forms
                                        .iter()
                                        .flat_map(|(k, v)| v
                                            .iter()
                                            .map(move |f| format!("{k}:{f}")))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )));
                            }
                            alternative.tags.push(tag);
                        }
                    }
                    if let Some(weight) = map.shift_remove("weight") {
                        match weight {
                            RawNode::Number(w) if (1..=1000).contains(&w) => {
                                alternative.weight = w as u32
                            }
                            _ => {
                                return Err(at(
                                    "`weight` must be a whole number from 1 to 1000.".into()
                                ));
                            }
                        }
                    }
                    if let Some(id) = map.shift_remove("id") {
                        match id {
                            RawNode::Text(id, _) => alternative.id = id,
                            RawNode::Number(n) => alternative.id = n.to_string(),
                            _ => return Err(at("`id` must be a short word.".into())),
                        }
                    }
                    match map.shift_remove("text") {
                        Some(text) if map.is_empty() => text,
                        Some(_) => {
                            return Err(at(format!(
                                "an alternative with `text` may only have tags, weight and id, not {}.",
                                map.keys().cloned().collect::<Vec<_>>().join(", ")
                            )));
                        }
                        None => RawNode::Map(map),
                    }
                }
                other => other,
            };
            let (value, words_used) = convert_node(node, None, checks, &|msg| at(msg))?;
            alternative.value = value;
            alternative.words_used = words_used;
            if manifest.strict && checks == Checks::Full {
                content::check_alternative(&alternative).map_err(at)?;
            }
            let mut words = Vec::new();
            alternative.value.collect_words(&mut words);
            for (key, accepted) in FACT_PLACEHOLDERS {
                if words.contains(&key)
                    && !alternative
                        .tags
                        .iter()
                        .any(|t| accepted.contains(&t.as_str()))
                {
                    return Err(at(format!(
                        "【{key}】 needs a fact not every place has: tag this alternative [{}] so it \
                         is only used where the fact is known, and keep an alternative without it.",
                        accepted[0]
                    )));
                }
            }
            // A fact is stated once per draft (the year's results are not read out twice).
            for key in ["成绩", "试点村", "任务", "案例"] {
                if words.contains(&key) {
                    alternative.ideas.push(format!("fact:{key}"));
                }
            }
            if !keep_for_meeting(&mut alternative.tags, &manifest.id) {
                continue;
            }
            alternatives.push(alternative);
        }
        if alternatives.is_empty() {
            // Every alternative was for other meetings: this pack has no such slot.
            continue;
        }
        slots.insert(
            name.clone(),
            Slot {
                name,
                file: path.to_string(),
                line,
                alternatives,
            },
        );
    }
    Ok(())
}

/// Converts a YAML node; `field` is the map key it stands under, which decides whether a
/// list is a choice of wordings ([`CHOICE_FIELDS`]) and a text is engine data
/// ([`META_FIELDS`]). Also gives the profiles' forbidden word lists the value uses,
/// text by text ([`crate::place::forbidden::text_mask`], which the build has already
/// found for an embedded text): a word never spans two texts, so each text is read once,
/// not once more for every wording level above it.
fn convert_node(
    node: RawNode,
    field: Option<&str>,
    checks: Checks,
    at: &dyn Fn(String) -> Error,
) -> Result<(Value, u32)> {
    let choice = field.is_some_and(|f| CHOICE_FIELDS.contains(&f));
    Ok(match node {
        RawNode::Text(t, _) if field.is_some_and(|f| META_FIELDS.contains(&f)) => {
            (Value::Meta(t), 0)
        }
        RawNode::Text(t, mask) => {
            let parsed = match checks {
                Checks::Full => parse_text(&t, at)?,
                Checks::Trusted => segments(&t, at)?,
            };
            // An embedded text's mask was found by the build (see build.rs).
            let words = mask.unwrap_or_else(|| crate::place::forbidden::text_mask(&t));
            (Value::Text(parsed), words)
        }
        // Digits hold none of the listed words.
        RawNode::Number(n) => (Value::Text(vec![Segment::literal(&n.to_string())]), 0),
        RawNode::List(items) if choice => {
            if items.is_empty() {
                return Err(at(format!(
                    "`{}` is an empty list of wordings; give at least one.",
                    field.unwrap_or_default()
                )));
            }
            let (wordings, words): (Vec<Value>, Vec<u32>) = items
                .into_iter()
                .map(|item| convert_node(item, None, checks, at))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .unzip();
            let all = words.iter().fold(0, |mask, w| mask | w);
            (Value::Choose(wordings, words), all)
        }
        RawNode::List(items) => {
            let mut all = 0;
            let values = items
                .into_iter()
                .map(|item| {
                    let (value, words) = convert_node(item, None, checks, at)?;
                    all |= words;
                    Ok(value)
                })
                .collect::<Result<_>>()?;
            (Value::List(values), all)
        }
        RawNode::Map(map) => {
            let mut all = 0;
            let fields = map
                .into_iter()
                .map(|(k, v)| {
                    let (value, words) = convert_node(v, Some(&k), checks, at)?;
                    all |= words;
                    Ok((k, value))
                })
                .collect::<Result<_>>()?;
            (Value::Map(fields), all)
        }
    })
}

/// Splits a slot text into literals, locality words and nested slot references, and
/// rejects what would show in a draft as an artifact.
fn parse_text(text: &str, at: &dyn Fn(String) -> Error) -> Result<Vec<Segment>> {
    check_text(text, at)?;
    let segments = segments(text, at)?;
    check_balanced(text, at)?;
    Ok(segments)
}

/// What would show in a draft as an artifact: line breaks, Tera syntax, private-use
/// characters, half-width or doubled punctuation (and, after the segments, an unbalanced
/// 【】: [`check_balanced`]). An embedded pack
/// drafted from ([`Checks::Trusted`]) skips this: the test suite holds its texts to it.
fn check_text(text: &str, at: &dyn Fn(String) -> Error) -> Result<()> {
    if text.contains('\n') {
        return Err(at(
            "a text must be one paragraph without line breaks (YAML folded `>-` or one line)."
                .into(),
        ));
    }
    if text.contains("{{") || text.contains("{%") {
        return Err(at(
            "Tera syntax is not allowed in slot texts: write 【placeholder】 or 【@slot.name】."
                .into(),
        ));
    }
    if let Some(c) = text.chars().find(|c| ('\u{E000}'..='\u{F8FF}').contains(c)) {
        return Err(at(format!(
            "private-use character U+{:04X} (mojibake?) in the text; retype it.",
            c as u32
        )));
    }
    check_punctuation(text).map_err(at)
}

/// An 【 or 】 that no placeholder, slot reference or choice accounts for (checked after
/// [`segments`], whose message about an unknown placeholder says more).
fn check_balanced(text: &str, at: &dyn Fn(String) -> Error) -> Result<()> {
    let outside = || {
        let mut last = 0;
        let mut pieces: Vec<&str> = Vec::new();
        for (whole, _) in bracketed(text) {
            pieces.push(&text[last..whole.start]);
            last = whole.end;
        }
        pieces.push(&text[last..]);
        pieces
    };
    if text.contains(['【', '】']) && outside().iter().any(|p| p.contains(['【', '】'])) {
        return Err(at("unbalanced 【 or 】 in the text.".into()));
    }
    Ok(())
}

/// The text's literals, locality words, nested slot references and word choices.
fn segments(text: &str, at: &dyn Fn(String) -> Error) -> Result<Vec<Segment>> {
    let mut segments = Vec::new();
    let mut last = 0;
    for (whole, key) in bracketed(text) {
        if whole.start > last {
            segments.push(Segment::literal(&text[last..whole.start]));
        }
        last = whole.end;
        if matches!(key, "N" | "M" | "列举" | "列举、") {
            segments.push(Segment::literal(&text[whole]));
        } else if let Some(slot) = key.strip_prefix('@') {
            segments.push(Segment::Slot(slot.to_string()));
        } else if key.contains('|') {
            let options: Vec<String> = key.split('|').map(str::to_string).collect();
            if options
                .iter()
                .any(|o| o.is_empty() || o.contains(char::is_whitespace))
            {
                return Err(at(format!(
                    "the choice 【{key}】 has an empty or spaced option: write 【切实|扎实|着力】."
                )));
            }
            segments.push(Segment::Choice(options));
        } else if let Some(word) = PLACEHOLDERS.iter().find(|p| **p == key) {
            segments.push(Segment::Word(word));
        } else {
            return Err(at(format!(
                "unknown placeholder 【{key}】: use one of {} (see docs/pack-format.md), \
                 【N】 for a computed count, 【@slot.name】 for another slot, or 【甲|乙】 for a \
                 choice of words.",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("【{p}】"))
                    .collect::<Vec<_>>()
                    .join("")
            )));
        }
    }
    if last < text.len() {
        segments.push(Segment::literal(&text[last..]));
    }
    Ok(segments)
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{3400}'..='\u{4DBF}').contains(&c)
        || matches!(
            c,
            '，' | '。'
                | '；'
                | '：'
                | '？'
                | '！'
                | '、'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '【'
                | '】'
        )
}

/// Punctuation that must not be doubled. (A `matches!`, not `str::contains`: every
/// character of every slot text is tested when a pack loads, and a non-ASCII `char`
/// pattern would run a substring search each time.)
fn is_clause_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '、')
}

/// Half-width punctuation next to Chinese, and doubled punctuation, read as errors.
fn check_punctuation(text: &str) -> std::result::Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')') {
            let before = i > 0 && is_cjk(chars[i - 1]);
            let after = chars.get(i + 1).is_some_and(|&n| is_cjk(n));
            if before || after {
                return Err(format!(
                    "half-width “{c}” in Chinese text near “{}”: use the full-width form (，；：？！（）).",
                    context(&chars, i)
                ));
            }
        }
        if i > 0 && is_clause_punct(c) && is_clause_punct(chars[i - 1]) {
            return Err(format!(
                "doubled punctuation near “{}”.",
                context(&chars, i)
            ));
        }
    }
    Ok(())
}

fn context(chars: &[char], i: usize) -> String {
    let start = i.saturating_sub(8);
    let end = (i + 8).min(chars.len());
    chars[start..end].iter().collect()
}

/// templates/devices.tera as compiled in: what a pack without its own devices uses, and
/// what `program` writes in Rust.
fn embedded_devices() -> &'static str {
    TEMPLATES
        .get_file(DEVICES_NAME)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default()
}

fn compile_templates(templates: &[(String, String, String)]) -> Result<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(Vec::<&str>::new());
    tera.register_filter("cn", |n: i64, _: tera::Kwargs, _: &tera::State| {
        crate::base::numerals::cn(n)
    });
    // A count before a measure word (两种, 四到位): 2 is 两.
    tera.register_filter("count", |n: i64, _: tera::Kwargs, _: &tera::State| {
        crate::base::numerals::count(n)
    });
    // Tera has no fuel: a loop over range() (or two nested) can run for hours. A
    // skeleton loops over slot lists only, whose length the YAML bounds.
    for (_, path, text) in templates {
        if let Some(at) = text.find("range(") {
            let line = text[..at].matches('\n').count() + 1;
            return Err(Error::at(
                path,
                line,
                "a skeleton may not call range(): its loops could run without end. Loop over a \
                 slot's list instead ({% for item in s.s1.items %}).",
            ));
        }
    }
    // Devices first, so that a skeleton can use its components.
    let mut sorted: Vec<&(String, String, String)> = templates.iter().collect();
    sorted.sort_by_key(|(name, _, _)| name != DEVICES_NAME);
    tera.add_raw_templates(sorted.iter().map(|(name, _, text)| (name.as_str(), text.as_str())))
        .map_err(|e| {
            let message = tera_error_text(&e);
            let path = templates
                .iter()
                .find(|(name, _, _)| message.contains(name.as_str()))
                .map(|(_, path, _)| path.as_str())
                .unwrap_or("templates");
            Error::new(format!(
                "{path}: the template does not compile: {message}. Fix the Tera syntax at the place shown."
            ))
        })?;
    Ok(tera)
}

/// Tera errors chain their causes; join them into one line.
pub(crate) fn tera_error_text(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// The units a skeleton tests with `on["…"]`.
fn unit_tests(templates: &[(String, String, String)]) -> BTreeSet<String> {
    static ON: OnceLock<Regex> = OnceLock::new();
    let re = ON.get_or_init(|| Regex::new(r#"\bon\["([^"]+)"\]"#).expect("valid regex"));
    templates
        .iter()
        .flat_map(|(_, _, text)| re.captures_iter(text).map(|c| c[1].to_string()))
        .collect()
}

/// The slots a template reads, directly or as a whole prefix (`s.local` reads every
/// `local.*` slot).
fn slots_read(
    templates: &[(String, String, String)],
    slots: &IndexMap<String, Slot>,
) -> BTreeSet<String> {
    let mut read = BTreeSet::new();
    for (_, _, text) in templates {
        for m in slot_reference().captures_iter(&blank_comments(text)) {
            let reference = &m[1];
            match longest_slot_prefix(reference, slots) {
                Some(name) => {
                    read.insert(name.to_string());
                }
                None => {
                    let prefix = format!("{reference}.");
                    read.extend(slots.keys().filter(|n| n.starts_with(&prefix)).cloned());
                }
            }
        }
    }
    read
}

/// A slot read in a template: `s.name` (group 1 is the name).
fn slot_reference() -> &'static Regex {
    static REF: OnceLock<Regex> = OnceLock::new();
    REF.get_or_init(|| Regex::new(r"\bs\.([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)").expect("valid regex"))
}

/// The template with the text of its `{# … #}` comments turned into spaces (newlines
/// kept, so line numbers still hold).
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{#") {
        out.push_str(&rest[..open]);
        let inner = &rest[open..];
        let close = inner.find("#}").map_or(inner.len(), |c| c + 2);
        out.extend(
            inner[..close]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &inner[close..];
    }
    out.push_str(rest);
    out
}

/// Checks slot references both ways and returns the slots in dependency order.
fn check_references(
    templates: &[(String, String, String)],
    slots: &IndexMap<String, Slot>,
) -> Result<Vec<String>> {
    let re = slot_reference();
    // A slot name must not also be a prefix of another (s.a cannot be text and map).
    let names: BTreeSet<&str> = slots.keys().map(String::as_str).collect();
    for name in &names {
        let prefix = format!("{name}.");
        if let Some(longer) = names
            .range(prefix.as_str()..)
            .next()
            .filter(|n| n.starts_with(&prefix))
        {
            let slot = &slots[*name];
            return Err(Error::at(
                &slot.file,
                slot.line,
                format!(
                    "slot “{name}” is also the start of slot “{longer}”; rename one of them (a slot holds a value, not other slots)."
                ),
            ));
        }
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (_, path, text) in templates {
        // A comment may mention a file (`from s.txt`) or an example slot: not a reference.
        let text = &blank_comments(text);
        for m in re.captures_iter(text) {
            let whole = m.get(1).expect("group");
            let reference = whole.as_str();
            let found = longest_slot_prefix(reference, slots);
            match found {
                Some(name) => {
                    used.insert(name.to_string());
                }
                None => {
                    let prefix = format!("{reference}.");
                    let covered: Vec<&str> = names
                        .iter()
                        .copied()
                        .filter(|n| n.starts_with(&prefix))
                        .collect();
                    if covered.is_empty() {
                        return Err(Error::at(
                            path,
                            line_of(text, whole.start()),
                            format!(
                                "the template reads slot “{reference}”, which no slot file defines; \
                                 add it to a .yaml file of the pack or correct the name.{}",
                                suggestion(reference, &names)
                            ),
                        ));
                    }
                    used.extend(covered.iter().map(|s| s.to_string()));
                }
            }
        }
    }
    // Nested references, and their cycles.
    let mut edges: HashMap<&str, Vec<(&str, usize, &str)>> = HashMap::new();
    for slot in slots.values() {
        for alt in &slot.alternatives {
            let mut refs = Vec::new();
            collect_refs(&alt.value, &mut refs);
            for target in refs {
                let Some((target_name, _)) = slots.get_key_value(target) else {
                    return Err(Error::at(
                        &slot.file,
                        alt.line,
                        format!(
                            "slot “{}” inserts 【@{target}】, which no slot file defines.{}",
                            slot.name,
                            suggestion(target, &names)
                        ),
                    ));
                };
                used.insert(target.to_string());
                edges.entry(slot.name.as_str()).or_default().push((
                    target_name.as_str(),
                    alt.line,
                    slot.file.as_str(),
                ));
            }
        }
    }
    for slot in slots.values() {
        if !used.contains(&slot.name) {
            return Err(Error::at(
                &slot.file,
                slot.line,
                format!(
                    "slot “{}” is defined but never used: read it in the skeleton (s.{}) or insert it \
                     with 【@{}】, or delete it.",
                    slot.name, slot.name, slot.name
                ),
            ));
        }
    }
    let order = topological_order(slots, &edges)?;
    check_expansion(slots, &order)?;
    Ok(order)
}

/// The most characters one slot may expand to with the slots it inserts: a pack whose
/// slots insert each other twice over, forty deep, would expand to terabytes.
const MAX_EXPANSION: usize = 200_000;

/// Refuses a pack whose nested insertions (【@slot】) could expand past MAX_EXPANSION:
/// each slot's worst case is its longest alternative with every inserted slot at its own
/// worst case, computed in dependency order (inserted slots first).
fn check_expansion(slots: &IndexMap<String, Slot>, order: &[String]) -> Result<()> {
    let mut worst: HashMap<&str, usize> = HashMap::new();
    for name in order {
        let Some(slot) = slots.get(name) else {
            continue;
        };
        let mut most = 0usize;
        for alt in &slot.alternatives {
            let mut refs = Vec::new();
            collect_refs(&alt.value, &mut refs);
            let own = content::literal_text(&alt.value).chars().count();
            let size = refs.iter().fold(own, |acc, r| {
                acc.saturating_add(worst.get(r).copied().unwrap_or(0))
            });
            if size > MAX_EXPANSION {
                return Err(Error::at(
                    &slot.file,
                    alt.line,
                    format!(
                        "slot “{}” can expand to more than {MAX_EXPANSION} characters through the \
                         slots it inserts (【@…】 inside 【@…】); a speech is a few thousand. \
                         Insert fewer slots, or insert each slot once.",
                        slot.name
                    ),
                ));
            }
            most = most.max(size);
        }
        worst.insert(name.as_str(), most);
    }
    Ok(())
}

fn longest_slot_prefix<'a>(reference: &'a str, slots: &IndexMap<String, Slot>) -> Option<&'a str> {
    let mut candidate = reference;
    loop {
        if slots.contains_key(candidate) {
            return Some(candidate);
        }
        candidate = &candidate[..candidate.rfind('.')?];
    }
}

fn suggestion(name: &str, names: &BTreeSet<&str>) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(a, _)| a);
    let near: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with(stem))
        .take(5)
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!(" Slots with a similar name: {}.", near.join(", "))
    }
}

fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Text(segments) => out.extend(segments.iter().filter_map(|s| match s {
            Segment::Slot(name) => Some(name.as_str()),
            _ => None,
        })),
        Value::List(items) | Value::Choose(items, _) => {
            items.iter().for_each(|v| collect_refs(v, out))
        }
        Value::Map(fields) => fields.iter().for_each(|(_, v)| collect_refs(v, out)),
        Value::Meta(_) => {}
    }
}

fn topological_order(
    slots: &IndexMap<String, Slot>,
    edges: &HashMap<&str, Vec<(&str, usize, &str)>>,
) -> Result<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit<'a>(
        name: &'a str,
        edges: &HashMap<&'a str, Vec<(&'a str, usize, &'a str)>>,
        marks: &mut BTreeMap<&'a str, Mark>,
        path: &mut Vec<&'a str>,
        order: &mut Vec<String>,
    ) -> Result<()> {
        match marks.get(name) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let start = path.iter().position(|n| *n == name).unwrap_or(0);
                let mut cycle: Vec<&str> = path[start..].to_vec();
                cycle.push(name);
                let (file, line) = edges
                    .get(path[path.len() - 1])
                    .and_then(|e| e.iter().find(|(t, _, _)| *t == name))
                    .map(|(_, line, file)| (*file, *line))
                    .unwrap_or(("pack", 0));
                return Err(Error::at(
                    file,
                    line,
                    format!(
                        "nested slot references form a cycle: {}. Remove one of these 【@…】 references.",
                        cycle.join(" → ")
                    ),
                ));
            }
            None => {}
        }
        marks.insert(name, Mark::Visiting);
        path.push(name);
        if let Some(targets) = edges.get(name) {
            for (target, _, _) in targets {
                visit(target, edges, marks, path, order)?;
            }
        }
        path.pop();
        marks.insert(name, Mark::Done);
        order.push(name.to_string());
        Ok(())
    }
    let mut marks = BTreeMap::new();
    let mut order = Vec::new();
    for name in slots.keys() {
        visit(name, edges, &mut marks, &mut Vec::new(), &mut order)?;
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_finds_what_the_placeholder_pattern_finds() {
        let pattern = Regex::new(r"【([^】]*)】").unwrap();
        for text in [
            "",
            "没有括号",
            "【乡】党委【切实|扎实】抓好",
            "【】空的【",
            "【a【b】c】d",
            "】先关后开【x】",
            "尾巴【未闭合",
            "【N】种【列举、】",
        ] {
            let expected: Vec<(std::ops::Range<usize>, &str)> = pattern
                .captures_iter(text)
                .map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().as_str()))
                .collect();
            assert_eq!(bracketed(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

    /// The build's parse of every embedded slot file (build.rs) is the parse of its YAML
    /// now, and drafting uses it: no embedded file falls back to reading YAML.
    #[test]
    fn every_embedded_slot_file_is_prebuilt_as_its_yaml_reads() {
        let mut checked = 0;
        for id in Pack::embedded_ids()
            .into_iter()
            .chain([COMMON_BANK.to_string()])
        {
            for file in CORPORA.get_dir(&id).expect("embedded folder").files() {
                let path = format!("corpora/{}", file.path().display());
                if !path.ends_with(".yaml") || path.ends_with("pack.yaml") {
                    continue;
                }
                let text = file.contents_utf8().expect("UTF-8");
                let prebuilt = prebuilt_slot_file(&path, text)
                    .unwrap_or_else(|| panic!("{path} is not prebuilt"));
                let mut read = raw::parse_yaml(text).expect("valid YAML");
                read.set_masks(&crate::place::forbidden::text_mask);
                assert_eq!(prebuilt, read, "{path}");
                checked += 1;
            }
        }
        assert!(checked >= 30, "only {checked} slot files");
        // A text that is not the embedded one is never answered from the build.
        assert!(prebuilt_slot_file("corpora/anquan/s1.yaml", "s1.x: [甲]").is_none());
    }

    /// The mask the build stores for a text (`forbidden::text_mask`, read from the text as
    /// written) is the mask of the text as it is converted: its literal words and choice
    /// options, with a break at each placeholder and nested slot (`content::literal_text`),
    /// for every text of every embedded pack and of the common bank.
    #[test]
    fn a_stored_word_mask_is_that_of_the_converted_text() {
        fn texts(node: &RawNode, out: &mut Vec<String>) {
            match node {
                RawNode::Text(text, _) => out.push(text.clone()),
                RawNode::Number(_) => {}
                RawNode::List(items) => items.iter().for_each(|i| texts(i, out)),
                RawNode::Map(map) => map.values().for_each(|v| texts(v, out)),
            }
        }
        let mut all = Vec::new();
        for id in Pack::embedded_ids()
            .into_iter()
            .chain([COMMON_BANK.to_string()])
        {
            for file in CORPORA.get_dir(&id).expect("embedded folder").files() {
                let path = file.path().display().to_string();
                if !path.ends_with(".yaml") || path.ends_with("pack.yaml") {
                    continue;
                }
                let read = raw::parse_yaml(file.contents_utf8().expect("UTF-8")).expect("YAML");
                for slot in &read.slots {
                    for (_, node) in &slot.alternatives {
                        texts(node, &mut all);
                    }
                }
            }
        }
        let no_error = |msg: String| Error::new(msg);
        let mut with_words = 0;
        for text in &all {
            let Ok(segments) = segments(text, &no_error) else {
                continue;
            };
            let converted =
                crate::place::forbidden::plain_mask(&content::literal_text(&Value::Text(segments)));
            assert_eq!(
                crate::place::forbidden::text_mask(text),
                converted,
                "{text}"
            );
            with_words += usize::from(converted != 0);
        }
        assert!(all.len() > 10_000, "only {} texts", all.len());
        assert!(
            with_words > 100,
            "only {with_words} texts use a listed word"
        );
        // A word is not found across a placeholder or a nested slot, but within a choice's
        // option and next to it, as a reader may see it.
        assert_eq!(crate::place::forbidden::text_mask("冬季取【乡】暖"), 0);
        assert_ne!(crate::place::forbidden::text_mask("冬季【取暖|供暖】"), 0);
        assert_ne!(crate::place::forbidden::text_mask("冬季取【暖|热】"), 0);
    }

    /// What lets drafting skip the content checks of an embedded pack (Checks::Trusted):
    /// every embedded pack passes them all, and the trusted load is the same pack.
    #[test]
    fn every_embedded_pack_passes_the_full_checks() {
        for id in Pack::embedded_ids() {
            let full = Pack::load_embedded(&id).unwrap_or_else(|e| panic!("{id}: {e}"));
            let trusted = Pack::load_embedded_trusted(&id).unwrap();
            assert_eq!(
                format!("{:?}", full.slots),
                format!("{:?}", trusted.slots),
                "{id}"
            );
            assert_eq!(full.order, trusted.order, "{id}");
        }
    }

    #[test]
    fn comments_are_not_references() {
        let text = "{#- decomposed from s.txt;\n see s.s1 -#}\n{{ s.title }}";
        let blanked = blank_comments(text);
        assert_eq!(blanked.lines().count(), text.lines().count());
        assert!(!blanked.contains("s.txt") && !blanked.contains("s.s1"));
        assert!(blanked.ends_with("{{ s.title }}"));
    }

    fn err_of(text: &str) -> String {
        parse_text(text, &|m| Error::new(m))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_placeholders_and_references() {
        let segments = parse_text(
            "【乡党委】决定，召开【全乡】会议。【@s1.quote】共【N】项",
            &|m| Error::new(m),
        )
        .unwrap();
        assert_eq!(segments[0], Segment::Word("乡党委"));
        assert_eq!(segments[1], Segment::literal("决定，召开"));
        assert!(segments.contains(&Segment::Slot("s1.quote".into())));
        assert!(segments.contains(&Segment::literal("【N】")));
        let choice = parse_text("要【切实|真正】做好。", &|m| Error::new(m)).unwrap();
        assert_eq!(
            choice[1],
            Segment::Choice(vec!["切实".into(), "真正".into()])
        );
        assert!(parse_text("要【切实|】做好。", &|m| Error::new(m)).is_err());
    }

    #[test]
    fn rejects_bad_texts() {
        assert!(err_of("召开【县长办公室】会议").contains("unknown placeholder"));
        assert!(err_of("同志们,大家好").contains("half-width"));
        assert!(err_of("好，，的").contains("doubled"));
        assert!(err_of("a\nb").contains("line breaks"));
        assert!(err_of("{{ x }}").contains("Tera"));
    }

    #[test]
    fn embedded_default_pack_loads() {
        let pack = Pack::default_pack().unwrap();
        assert_eq!(pack.id, "mass-work");
        assert!(pack.slots.len() > 50);
        assert!(Pack::embedded_ids().contains(&"mass-work".to_string()));
    }
}
