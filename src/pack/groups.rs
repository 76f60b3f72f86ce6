//! Optional parts of a skeleton, as a pack declares them (`groups:` in pack.yaml), and
//! their validation against the slots and the skeleton's `on["…"]` tests. Which units a
//! draft switches on is decided in `crate::draft::plan`.

use std::collections::{BTreeSet, HashSet};

use serde::Deserialize;

use crate::base::error::{Error, Result};

/// A group as written in pack.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub units: Vec<String>,
    pub pick: [usize; 2],
    #[serde(default)]
    pub seed: Option<usize>,
    /// `single: false`: never exactly one of them (a lone sub-point is no list).
    #[serde(default = "yes")]
    pub single: bool,
    /// The skeleton (section arc) this group belongs to; without it, the group serves
    /// every skeleton that tests its units and has no group of its own for them.
    #[serde(default)]
    pub skeleton: Option<String>,
    /// `from: 3000`: only drafts of at least this many characters include these units
    /// (a short speech keeps its opening and closing short).
    #[serde(default)]
    pub from: usize,
    /// Units taken first when the draft has them (`prefer: [s2.p6]`: the point written
    /// for this kind of place).
    #[serde(default)]
    pub prefer: Vec<String>,
    /// The unit these units sit inside in the skeleton when their names do not say so
    /// (`within: s4` for common.lead, common.duty in section 四).
    #[serde(default)]
    pub within: Option<String>,
}

/// The group specs that serve one skeleton: its own (`skeleton: NAME`), then the shared
/// ones it tests and does not replace.
pub fn for_skeleton<'a>(
    specs: &'a [GroupSpec],
    skeleton: &str,
    tested: &BTreeSet<String>,
) -> Vec<&'a GroupSpec> {
    let own: Vec<&GroupSpec> = specs
        .iter()
        .filter(|g| g.skeleton.as_deref() == Some(skeleton))
        .collect();
    let claimed: BTreeSet<&str> = own
        .iter()
        .flat_map(|g| g.units.iter().map(String::as_str))
        .collect();
    let shared = specs.iter().filter(|g| {
        g.skeleton.is_none()
            && g.units.iter().any(|u| tested.contains(u))
            && g.units.iter().all(|u| !claimed.contains(u.as_str()))
    });
    own.iter().copied().chain(shared).collect()
}

fn yes() -> bool {
    true
}

/// The parts of a whole point that a skeleton passes to the `whole` device
/// (`on["s2.p4.sub1"]`, `on["s2.p4.quote"]`, `on["s2.p4.more"]`).
const POINT_PARTS: [&str; 6] = ["sub1", "sub2", "sub3", "sub4", "quote", "more"];

/// The groups a pack need not write: for every point whose parts the skeleton tests and no
/// written group claims, its sub-points (none, or at least two), its quotation (0–1) and its
/// extra paragraph (0–1). Written groups win, so a pack can still say otherwise.
pub fn derived(specs: &[&GroupSpec], tested: &BTreeSet<String>) -> Vec<GroupSpec> {
    let claimed: BTreeSet<&str> = specs
        .iter()
        .flat_map(|g| g.units.iter().map(String::as_str))
        .collect();
    // Parent point → its tested parts, in POINT_PARTS order.
    let mut points: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for unit in tested {
        if claimed.contains(unit.as_str()) {
            continue;
        }
        if let Some((parent, part)) = unit.rsplit_once('.')
            && POINT_PARTS.contains(&part)
        {
            points.entry(parent).or_default().push(part);
        }
    }
    let group = |units: Vec<String>, max: usize, single: bool| GroupSpec {
        units,
        pick: [0, max],
        seed: None,
        single,
        skeleton: None,
        from: 0,
        prefer: Vec::new(),
        within: None,
    };
    let mut out = Vec::new();
    for (parent, mut parts) in points {
        parts.sort_by_key(|p| POINT_PARTS.iter().position(|q| q == p));
        let subs: Vec<String> = parts
            .iter()
            .filter(|p| p.starts_with("sub"))
            .map(|p| format!("{parent}.{p}"))
            .collect();
        if !subs.is_empty() {
            let n = subs.len();
            out.push(group(subs, n, false));
        }
        for part in parts.iter().filter(|p| !p.starts_with("sub")) {
            out.push(group(vec![format!("{parent}.{part}")], 1, true));
        }
    }
    out
}

/// A validated group.
#[derive(Debug, Clone)]
pub struct Group {
    pub units: Vec<String>,
    pub min: usize,
    pub max: usize,
    /// The first `seed` units are the seed speech's own.
    pub seed: usize,
    /// The unit this group lives inside (its units exist only when the parent is on).
    pub parent: Option<String>,
    /// Whether exactly one unit on is allowed.
    pub single: bool,
    /// The shortest target length at which these units may be included.
    pub from: usize,
    /// Units taken first (they lead the group's shuffled order).
    pub prefer: Vec<String>,
}

/// Whether `slot` lies inside `unit` (`s2.p4.sub1.body` inside `s2.p4`).
pub fn contains(unit: &str, slot: &str) -> bool {
    slot == unit || slot.strip_prefix(unit).is_some_and(|r| r.starts_with('.'))
}

/// The units of an arc's groups numbered once, each with the units enclosing it: the
/// planner sizes every draft's fills by them, so they are worked out when the pack
/// loads rather than for each draft.
#[derive(Debug, Clone, Default)]
pub struct UnitIndex {
    pub ids: rustc_hash::FxHashMap<String, usize>,
    pub names: Vec<String>,
    /// Per unit: the units enclosing it (the prefixes of its name that are units, itself
    /// included), ascending.
    pub chains: Vec<Vec<usize>>,
    /// Per group, in the arc's order: its units by these numbers, in the group's order.
    pub members: Vec<Vec<usize>>,
}

impl UnitIndex {
    pub fn of(groups: &[Group]) -> UnitIndex {
        let mut index = UnitIndex::default();
        for unit in groups.iter().flat_map(|g| g.units.iter()) {
            if !index.ids.contains_key(unit) {
                index.ids.insert(unit.clone(), index.names.len());
                index.names.push(unit.clone());
            }
        }
        index.members = groups
            .iter()
            .map(|g| g.units.iter().map(|u| index.ids[u]).collect())
            .collect();
        index.chains = index
            .names
            .iter()
            .map(|unit| {
                let mut chain: Vec<usize> = prefixes(unit)
                    .filter_map(|p| index.ids.get(p).copied())
                    .collect();
                chain.sort_unstable();
                chain
            })
            .collect();
        index
    }

    pub fn id(&self, unit: &str) -> Option<usize> {
        self.ids.get(unit).copied()
    }
}

/// A dotted name's prefixes that end before a dot, and the name itself: every `unit` for
/// which `contains(unit, name)` (the planner's units enclosing a slot text, too).
pub fn prefixes(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.')
        .map(|(at, _)| &name[..at])
        .chain([name])
}

/// Checks the groups of a manifest against the slots and the skeleton's `on["…"]` tests.
pub fn validate(
    manifest_path: &str,
    specs: &[&GroupSpec],
    slot_names: &[&str],
    tested: &BTreeSet<String>,
) -> Result<Vec<Group>> {
    let err = |msg: String| Error::at(manifest_path, 0, format!("groups: {msg}"));
    let all: Vec<&str> = specs
        .iter()
        .flat_map(|g| g.units.iter().map(String::as_str))
        .collect();
    // What `contains` asks, answered by lookups (a unit against every slot and every other
    // unit was a tenth of a start): the slot names and each one's prefixes, and the units.
    let slots: HashSet<&str> = slot_names.iter().copied().collect();
    let slot_prefixes: HashSet<&str> = slot_names.iter().flat_map(|s| prefixes(s)).collect();
    let units: HashSet<&str> = all.iter().copied().collect();
    let mut seen = BTreeSet::new();
    let mut groups = Vec::new();
    for spec in specs {
        let [min, max] = spec.pick;
        let n = spec.units.len();
        if n == 0 || max == 0 || min > max || max > n {
            return Err(err(format!(
                "the group [{}] has pick [{min}, {max}]: write [min, max] with min ≤ max ≤ {n} and max ≥ 1.",
                spec.units.join(", ")
            )));
        }
        if let Some(u) = spec.prefer.iter().find(|u| !spec.units.contains(u)) {
            return Err(err(format!(
                "the group [{}] prefers “{u}”, which is not one of its units.",
                spec.units.join(", ")
            )));
        }
        let seed = spec.seed.unwrap_or(n);
        if seed > n {
            return Err(err(format!(
                "the group [{}] says seed: {seed} but has only {n} units.",
                spec.units.join(", ")
            )));
        }
        let mut parent: Option<Option<String>> = None;
        if let Some(within) = &spec.within {
            if !all.contains(&within.as_str()) {
                return Err(err(format!(
                    "the group [{}] says within: {within}, which no group declares as a unit.",
                    spec.units.join(", ")
                )));
            }
            parent = Some(Some(within.clone()));
        }
        for unit in &spec.units {
            if !seen.insert(unit.clone()) {
                return Err(err(format!("the unit “{unit}” is listed twice.")));
            }
            // A unit holds slots (s2.p4 holds s2.p4.lead), or is a part of a whole point
            // (s2.p4.sub1 lies inside the slot s2.p4).
            if !slot_prefixes.contains(unit.as_str()) && !prefixes(unit).any(|p| slots.contains(p))
            {
                return Err(err(format!(
                    "the unit “{unit}” holds no slot: a unit is a slot-name prefix such as s2.p4 \
                     (for slots s2.p4.lead, s2.p4.body …)."
                )));
            }
            if !tested.contains(unit) {
                return Err(err(format!(
                    "the skeleton never tests the unit “{unit}”: wrap its part in {{% if on[\"{unit}\"] %}} … {{% endif %}}."
                )));
            }
            // The innermost other unit it lies in: its longest proper prefix that is a unit.
            let own_parent = prefixes(unit)
                .filter(|p| *p != unit && units.contains(p))
                .max_by_key(|p| p.len())
                .map(str::to_string);
            match &parent {
                _ if spec.within.is_some() => {}
                None => parent = Some(own_parent),
                Some(p) if *p != own_parent => {
                    return Err(err(format!(
                        "the units of [{}] lie in different parts of the speech; a group's units \
                         must share one parent unit.",
                        spec.units.join(", ")
                    )));
                }
                Some(_) => {}
            }
        }
        groups.push(Group {
            units: spec.units.clone(),
            min,
            max,
            seed,
            parent: parent.flatten(),
            single: spec.single,
            from: spec.from,
            prefer: spec.prefer.clone(),
        });
    }
    if let Some(unknown) = tested.iter().find(|t| !seen.contains(*t)) {
        return Err(err(format!(
            "the skeleton tests on[\"{unknown}\"], which no group declares: add it to a group in pack.yaml."
        )));
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(units: &[&str]) -> GroupSpec {
        GroupSpec {
            units: units.iter().map(|u| u.to_string()).collect(),
            pick: [0, units.len()],
            seed: None,
            single: true,
            skeleton: None,
            from: 0,
            prefer: Vec::new(),
            within: None,
        }
    }

    /// A unit holds slots (s2.p4 holds s2.p4.lead) or lies inside one (s2.p4.sub1 in the
    /// whole point s2.p4); its parent is the innermost other unit it lies in.
    #[test]
    fn units_find_their_slots_and_their_parent() {
        let sections = spec(&["s2", "s3"]);
        let points = spec(&["s2.p4", "s2.p5"]);
        let subs = spec(&["s2.p4.sub1", "s2.p4.sub2"]);
        let mut tested: BTreeSet<String> =
            ["s2", "s3", "s2.p4", "s2.p5", "s2.p4.sub1", "s2.p4.sub2"]
                .iter()
                .map(|t| t.to_string())
                .collect();
        let slots = ["s2.intro", "s3.intro", "s2.p4", "s2.p5.lead"];
        let groups = validate("pack.yaml", &[&sections, &points, &subs], &slots, &tested).unwrap();
        assert_eq!(groups[0].parent, None);
        assert_eq!(groups[1].parent.as_deref(), Some("s2"));
        assert_eq!(groups[2].parent.as_deref(), Some("s2.p4"));

        // s2.p40 is not inside s2.p4: no slot is, or holds, it.
        let stray = spec(&["s2.p40"]);
        tested.insert("s2.p40".into());
        let err = validate("pack.yaml", &[&sections, &stray], &slots, &tested).unwrap_err();
        assert!(err.to_string().contains("“s2.p40” holds no slot"), "{err}");
    }
}
