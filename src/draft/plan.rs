//! Structural variety and length: which optional parts of the skeleton a draft includes.
//!
//! A pack declares groups of optional units in pack.yaml (a unit is a slot-name prefix
//! such as `s2.p4` or `s1.p2.sub3`; the skeleton wraps it in `{% if on["s2.p4"] %}`):
//!
//! ```yaml
//! groups:
//!   - units: [s2.p1, s2.p2, s2.p3, s2.p4, s2.p5]
//!     pick: [2, 5]     # at least 2, at most 5 of them
//!     seed: 3          # the first 3 are the seed's own (--faithful uses exactly those)
//! ```
//!
//! Each draft shuffles every group with its own seeded stream, takes the first `min`
//! units, then adds further units while the estimated length stays within the target.
//! The estimate is the length of the slot texts already chosen, so the plan is made
//! before rendering; `generate` corrects it against the rendered length.

use std::collections::BTreeSet;

// Fx hashing: unit names and paths are the pack's, looked up for every slot text.
use rustc_hash::FxHashMap as HashMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::base::seed::StreamHasher;
use crate::draft::generate::is_meta_field;
use crate::draft::speech::announces;
use crate::pack::fill::Fill;
use crate::pack::groups::{Group, UnitIndex, contains, prefixes};

fn fill_len(value: &Fill) -> usize {
    match value {
        Fill::Text { shown, .. } => *shown,
        Fill::List(items) => items.iter().map(fill_len).sum(),
        Fill::Map(fields) => fields
            .iter()
            .filter(|(k, _)| !is_meta_field(k))
            .map(|(_, v)| fill_len(v))
            .sum(),
    }
}

/// The printed texts of the fills, measured once per draft and arc by the innermost unit
/// that encloses them: a whole point (`s2.p1`, a map) gives `s2.p1.lead`,
/// `s2.p1.sub1.body` …, so its optional parts are sized by unit. The plan reads it for
/// every unit it tries, so it holds numbers, not paths.
pub struct Leaves<'g> {
    /// The units of the arc's groups, numbered when the pack loaded.
    units: &'g UnitIndex,
    /// Per unit: the characters of the texts whose innermost enclosing unit it is.
    inside: Vec<usize>,
    /// The characters of the texts no unit encloses (always said).
    outside: usize,
    /// The paths holding a text that announces a count or a list of the parts inside
    /// them (`s1.p2.body` holds 重点消除【N】种思想: `s1.p2`).
    announcing: BTreeSet<String>,
}

impl<'g> Leaves<'g> {
    pub fn of(fills: &HashMap<&str, &Fill>, units: &'g UnitIndex) -> Leaves<'g> {
        let mut leaves = Leaves {
            inside: vec![0; units.names.len()],
            units,
            outside: 0,
            announcing: BTreeSet::new(),
        };
        let mut path = String::with_capacity(64);
        for (name, value) in fills {
            path.clear();
            path.push_str(name);
            // The deepest unit among the slot name's prefixes.
            let innermost = prefixes(name).filter_map(|p| units.id(p)).last();
            leaves.walk(&mut path, value, innermost);
        }
        leaves
    }

    fn walk(&mut self, path: &mut String, value: &Fill, innermost: Option<usize>) {
        match value {
            Fill::Map(fields) => {
                for (k, v) in fields.iter().filter(|(k, _)| !is_meta_field(k)) {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    let here = self.units.id(path).or(innermost);
                    self.walk(path, v, here);
                    path.truncate(len);
                }
            }
            other => {
                self.note_announcing(path, other);
                let len = fill_len(other);
                match innermost {
                    Some(unit) => self.inside[unit] += len,
                    None => self.outside += len,
                }
            }
        }
    }

    /// `s1.p2.body` and `s1.p2.sub1.lead` announce inside `s1.p2` and `s1.p2.sub1`.
    fn note_announcing(&mut self, path: &str, value: &Fill) {
        match value {
            Fill::Text { text, .. } if announces(text) => {
                if let Some((unit, _)) = path.rsplit_once('.') {
                    self.announcing.insert(unit.to_string());
                }
            }
            Fill::List(items) => items.iter().for_each(|v| self.note_announcing(path, v)),
            Fill::Map(fields) => {
                for (k, v) in fields.iter().filter(|(k, _)| !is_meta_field(k)) {
                    self.note_announcing(&format!("{path}.{k}"), v)
                }
            }
            _ => {}
        }
    }
}

/// A group as one draft plans it: the arc's group (its names, parent, `single`, `from`,
/// `prefer`) with the units this draft can use, by the numbers of the arc's
/// [`UnitIndex`], and its bounds for this draft. Drafts plan thousands of times a second,
/// so the groups are not copied with their names for each.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub group: &'a Group,
    /// Its usable units in the group's order.
    pub members: Vec<usize>,
    pub min: usize,
    pub max: usize,
    /// Of `members`, the first `seed` are the seed speech's own.
    pub seed: usize,
}

/// The groups as this draft can use them: a unit with no printed text in the chosen
/// alternatives (a whole point whose variant has two sub-points leaves `sub3` empty; a
/// profile point with nothing for this place) is left out, and the group's bounds shrink
/// to what is there (every group's, once some unit of the arc is left out).
pub fn available<'a>(groups: &'a [Group], leaves: &Leaves) -> Vec<Planned<'a>> {
    // A unit has text when some text lies inside it or inside a unit within it.
    let mut with_text = vec![false; leaves.inside.len()];
    for (len, chain) in leaves.inside.iter().zip(&leaves.units.chains) {
        if *len > 0 {
            chain.iter().for_each(|&u| with_text[u] = true);
        }
    }
    let every = leaves.units.members.iter().flatten().all(|&u| with_text[u]);
    groups
        .iter()
        .zip(&leaves.units.members)
        .map(|(g, ids)| {
            let members: Vec<usize> = ids.iter().copied().filter(|&u| with_text[u]).collect();
            let bound = |b: usize| if every { b } else { b.min(members.len()) };
            Planned {
                group: g,
                min: bound(g.min),
                max: bound(g.max),
                seed: ids[..g.seed].iter().filter(|&&u| with_text[u]).count(),
                members,
            }
        })
        .collect()
}

/// The names of every unit the groups can use.
pub fn every_unit(groups: &[Planned], units: &UnitIndex) -> BTreeSet<String> {
    groups
        .iter()
        .flat_map(|g| g.members.iter().map(|&u| units.names[u].clone()))
        .collect()
}

/// The seed speech's structure: the first `seed` units of every group whose parent is on.
pub fn faithful(groups: &[Planned], units: &UnitIndex) -> BTreeSet<String> {
    let mut on = BTreeSet::new();
    // Parents are declared as units of other groups; repeat until nothing changes.
    loop {
        let before = on.len();
        for g in groups {
            if g.group.parent.as_ref().is_none_or(|p| on.contains(p)) {
                on.extend(g.members[..g.seed].iter().map(|&u| units.names[u].clone()));
            }
        }
        if on.len() == before {
            return on;
        }
    }
}

/// The groups as this draft must plan them: a part whose own wording announces a count
/// of the parts inside it (`重点消除【N】种思想`) keeps at least one of them, so a short
/// target never leaves an announcement with nothing after it.
pub fn keeping_announced(groups: &mut [Planned], leaves: &Leaves) {
    let announcing = &leaves.announcing;
    for g in groups {
        // Two at least where there are two: “一种思想” announces no list.
        let wanted = 2.min(g.members.len());
        if g.min < wanted
            && g.group
                .parent
                .as_deref()
                .is_some_and(|p| announcing.contains(p))
        {
            g.min = wanted;
        }
    }
}

/// The groups for a target length: a group whose `from` is above the target is left
/// out of the plan (its units stay off).
pub fn for_target(groups: &mut [Planned], target: usize) {
    for g in groups.iter_mut().filter(|g| g.group.from > target) {
        g.min = 0;
        g.max = 0;
    }
}

/// The groups with every unit that states the user's facts kept in (whatever the
/// length): a clerk who wrote this year's results into --facts wants them said.
pub fn keeping_facts(groups: &mut [Planned], units: &UnitIndex, stating: &BTreeSet<String>) {
    if stating.is_empty() {
        return;
    }
    for g in groups {
        let states = g
            .members
            .iter()
            .any(|&u| stating.iter().any(|slot| contains(&units.names[u], slot)));
        if states && g.members.len() == 1 {
            g.min = 1;
            g.max = 1;
        }
    }
}

/// The planner of one draft on one arc: the arc's units, numbered when the pack loaded,
/// so that the thousands of plans tried while fitting a length are bitsets, not sets of
/// strings. Built from the groups as the draft plans them and the chosen fills.
pub struct Planner<'a> {
    groups: &'a [Planned<'a>],
    /// Every unit of the arc's groups (a unit this draft cannot use is never on).
    units: &'a UnitIndex,
    /// Per group: the same units as a mask.
    member_masks: Vec<Plan>,
    /// Per group: where its parent stands.
    parents: Vec<Parent>,
    /// Per unit: the groups whose parent it is, in pack order.
    children: Vec<Vec<usize>>,
    /// Per unit: the units inside it (itself included), which go when it goes.
    inside: Vec<Vec<usize>>,
    /// (the units enclosing some slot texts, the characters of those texts).
    sizes: Vec<(Plan, usize)>,
    /// Per unit: the entries of `sizes` it encloses. A move changes only the sizes of
    /// the unit it turns on or off, so a plan one move away is sized from these alone.
    sizes_in: Vec<Vec<usize>>,
    /// Whether every group lies inside its parent by name (no `within:` elsewhere), so
    /// that all a unit brings in lies inside it.
    nested: bool,
}

/// A plan: which units are on, one bit per unit by index into [`Planner::units`]. The
/// planner sizes thousands of plans a draft; a size is then a few word tests per text
/// group instead of a walk over each group's enclosing units.
#[derive(Clone, PartialEq)]
pub struct Plan(Vec<u64>);

impl Plan {
    fn none(units: usize) -> Plan {
        Plan(vec![0; units.div_ceil(64)])
    }

    fn of(units: usize, on: impl IntoIterator<Item = usize>) -> Plan {
        let mut plan = Plan::none(units);
        on.into_iter().for_each(|u| plan.set(u));
        plan
    }

    fn get(&self, unit: usize) -> bool {
        self.0[unit / 64] >> (unit % 64) & 1 == 1
    }

    fn set(&mut self, unit: usize) {
        self.0[unit / 64] |= 1 << (unit % 64);
    }

    fn clear(&mut self, unit: usize) {
        self.0[unit / 64] &= !(1 << (unit % 64));
    }

    /// Every unit of `mask` is on.
    fn holds(&self, mask: &Plan) -> bool {
        self.0.iter().zip(&mask.0).all(|(on, m)| on & m == *m)
    }

    /// How many units of `mask` are on.
    fn count_in(&self, mask: &Plan) -> usize {
        self.0
            .iter()
            .zip(&mask.0)
            .map(|(on, m)| (on & m).count_ones() as usize)
            .sum()
    }

    fn copy_from(&mut self, other: &Plan) {
        self.0.copy_from_slice(&other.0);
    }
}

#[derive(Clone, Copy)]
enum Parent {
    /// A top-level group.
    Root,
    /// Inside this unit.
    Unit(usize),
    /// Inside a unit no group lists: never on, so the group is never planned.
    Absent,
}

impl<'a> Planner<'a> {
    pub fn new(groups: &'a [Planned<'a>], leaves: &Leaves<'a>) -> Planner<'a> {
        let units = leaves.units;
        let count = units.names.len();
        // The units this draft can use; the others are never on and enclose nothing.
        let mut usable = vec![false; count];
        groups
            .iter()
            .flat_map(|g| &g.members)
            .for_each(|&u| usable[u] = true);
        let parents = groups
            .iter()
            .map(|g| match &g.group.parent {
                None => Parent::Root,
                Some(p) => units
                    .id(p)
                    .filter(|&u| usable[u])
                    .map_or(Parent::Absent, Parent::Unit),
            })
            .collect::<Vec<_>>();
        let mut children = vec![Vec::new(); count];
        for (gi, parent) in parents.iter().enumerate() {
            if let Parent::Unit(u) = parent {
                children[*u].push(gi);
            }
        }
        // A unit is inside each usable unit that encloses it (its chain), itself included.
        let mut inside: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (v, chain) in units.chains.iter().enumerate().filter(|(v, _)| usable[*v]) {
            for &u in chain.iter().filter(|&&u| usable[u]) {
                inside[u].push(v);
            }
        }
        // The texts inside each unit of the leaves, enclosed by that unit's usable chain.
        // (Texts of the same chain may stand as separate entries: a size is their sum.)
        let mut sizes: Vec<(Plan, usize)> = Vec::with_capacity(count + 1);
        let mut sizes_in = vec![Vec::new(); count];
        let mut always = leaves.outside;
        for (len, chain) in leaves.inside.iter().zip(&units.chains) {
            if *len == 0 {
                continue;
            }
            let mut enclosing = chain.iter().copied().filter(|&u| usable[u]).peekable();
            if enclosing.peek().is_none() {
                always += len;
                continue;
            }
            let mut mask = Plan::none(count);
            for u in enclosing {
                mask.set(u);
                sizes_in[u].push(sizes.len());
            }
            sizes.push((mask, *len));
        }
        if always > 0 {
            sizes.push((Plan::none(count), always));
        }
        let member_masks = groups
            .iter()
            .map(|g| Plan::of(count, g.members.iter().copied()))
            .collect();
        let nested = parents.iter().zip(groups).all(|(parent, g)| match parent {
            Parent::Unit(p) => g.members.iter().all(|m| inside[*p].contains(m)),
            _ => true,
        });
        Planner {
            groups,
            units,
            member_masks,
            parents,
            children,
            inside,
            sizes,
            sizes_in,
            nested,
        }
    }

    /// The estimated length of a plan (sum of the slot texts it includes).
    pub fn estimate(&self, on: &Plan) -> usize {
        self.size(on)
    }

    /// Whether a plan has `unit` on (a unit the groups do not list never is).
    pub fn is_on(&self, on: &Plan, unit: &str) -> bool {
        self.units.id(unit).is_some_and(|u| on.get(u))
    }

    fn size(&self, on: &Plan) -> usize {
        self.sizes
            .iter()
            .filter(|(enclosing, _)| on.holds(enclosing))
            .map(|(_, len)| len)
            .sum()
    }

    /// The size of `with`: the plan `on`, of size `base`, with `unit` brought in.
    fn size_with(&self, on: &Plan, base: usize, unit: usize, with: &Plan) -> usize {
        if !self.nested {
            return self.size(with);
        }
        // What turns on lies inside `unit`, so every text it adds is one `unit` encloses.
        let added: usize = self.sizes_in[unit]
            .iter()
            .map(|&e| &self.sizes[e])
            .filter(|(enclosing, _)| with.holds(enclosing) && !on.holds(enclosing))
            .map(|(_, len)| len)
            .sum();
        base + added
    }

    /// The size of the plan `on`, of size `base`, with `unit` and all inside it dropped:
    /// a text inside any of them is inside `unit` (units nest by name).
    fn size_without(&self, on: &Plan, base: usize, unit: usize) -> usize {
        let dropped: usize = self.sizes_in[unit]
            .iter()
            .map(|&e| &self.sizes[e])
            .filter(|(enclosing, _)| on.holds(enclosing))
            .map(|(_, len)| len)
            .sum();
        base - dropped
    }

    /// The units a plan has on, by name.
    pub fn units_of(&self, on: &Plan) -> BTreeSet<String> {
        self.units
            .names
            .iter()
            .enumerate()
            .filter(|(i, _)| on.get(*i))
            .map(|(_, u)| u.clone())
            .collect()
    }

    /// Turns a unit on with the minimum of every group inside it, all the way down, each
    /// group's minimum taken from the front of `orders` (the shuffled order while
    /// choosing), or of the group's listed order (None, while refining).
    fn bring_in(&self, orders: Option<&[Vec<usize>]>, unit: usize, on: &mut Plan) {
        on.set(unit);
        for &gi in &self.children[unit] {
            let order = orders.map_or(&self.groups[gi].members, |o| &o[gi]);
            for &inner in &order[..self.groups[gi].min] {
                self.bring_in(orders, inner, on);
            }
        }
    }

    fn parent_on(&self, gi: usize, on: &Plan) -> bool {
        match self.parents[gi] {
            Parent::Root => true,
            Parent::Unit(p) => on.get(p),
            Parent::Absent => false,
        }
    }

    fn taken(&self, gi: usize, on: &Plan) -> usize {
        on.count_in(&self.member_masks[gi])
    }

    /// Chooses the units of one draft: shuffled groups, mandatory minimums, then as many
    /// further units as the target length allows.
    pub fn choose(&self, target: usize, stream: &[&[u8]]) -> Plan {
        let groups = self.groups;
        // Each group's stream is the draft's followed by its units joined by commas: the
        // draft's parts are hashed once.
        let draft = stream
            .iter()
            .fold(StreamHasher::new(), |hasher, part| hasher.part(part));
        let orders: Vec<Vec<usize>> = groups
            .iter()
            .map(|g| {
                let names = g.members.iter().map(|&u| self.units.names[u].as_bytes());
                let key = draft.joined_part(names, b",");
                let mut rng = ChaCha8Rng::seed_from_u64(key.finish());
                let mut order = g.members.clone();
                order.shuffle(&mut rng);
                // The units a group prefers (the point written for this kind of place)
                // come first, so the group's minimum takes them wherever they exist.
                order.sort_by_key(|&u| !g.group.prefer.contains(&self.units.names[u]));
                order
            })
            .collect();
        let mut on = Plan::none(self.units.names.len());
        for (gi, g) in groups.iter().enumerate() {
            if matches!(self.parents[gi], Parent::Root) {
                for &unit in &orders[gi][..g.min] {
                    self.bring_in(Some(&orders), unit, &mut on);
                }
            }
        }
        let mut next: Vec<usize> = groups.iter().map(|g| g.min).collect();
        let mut estimate = self.size(&on);
        // Round-robin over the groups so that additions spread over the whole speech.
        let mut with = on.clone();
        loop {
            let mut progressed = false;
            for (gi, g) in groups.iter().enumerate() {
                if !self.parent_on(gi, &on) {
                    continue;
                }
                if self.taken(gi, &on) >= g.max || next[gi] >= g.members.len() {
                    continue;
                }
                let unit = orders[gi][next[gi]];
                next[gi] += 1;
                progressed = true;
                with.copy_from(&on);
                self.bring_in(Some(&orders), unit, &mut with);
                let grown = self.size_with(&on, estimate, unit, &with);
                if grown <= target {
                    std::mem::swap(&mut on, &mut with);
                    estimate = grown;
                }
            }
            if !progressed {
                break;
            }
        }
        // Still short: one more unit if it brings the estimate closer to the target.
        if estimate < target {
            let mut best: Option<(usize, Plan)> = None;
            for (gi, g) in groups.iter().enumerate() {
                if !self.parent_on(gi, &on) || self.taken(gi, &on) >= g.max {
                    continue;
                }
                for &unit in orders[gi].iter().filter(|&&u| !on.get(u)) {
                    with.copy_from(&on);
                    self.bring_in(Some(&orders), unit, &mut with);
                    let distance = self.size_with(&on, estimate, unit, &with).abs_diff(target);
                    if distance < target - estimate
                        && best.as_ref().is_none_or(|(d, _)| distance < *d)
                    {
                        best = Some((distance, with.clone()));
                    }
                }
            }
            if let Some((_, with)) = best {
                on = with;
            }
        }
        self.no_lone(&mut on);
        on
    }

    /// A group marked `single: false` (sub-points: a lone 一是 is no list) never ends with
    /// exactly one unit on: a second one is added where there is one, else the one goes.
    fn no_lone(&self, on: &mut Plan) {
        for (gi, g) in self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.group.single)
        {
            if !self.parent_on(gi, on) {
                continue;
            }
            let members = &self.groups[gi].members;
            let taken: Vec<usize> = members.iter().copied().filter(|&u| on.get(u)).collect();
            if taken.len() != 1 {
                continue;
            }
            match members.iter().find(|&&u| !on.get(u)) {
                Some(&next) if g.max >= 2 => on.set(next),
                _ if g.min == 0 => self.inside[taken[0]].iter().for_each(|&u| on.clear(u)),
                _ => {}
            }
        }
    }

    /// Moves a plan towards an estimated length one unit at a time (add a unit whose
    /// parent is on, or drop one above its group's minimum, with everything inside it),
    /// taking the move that lands closest, until no move brings it closer. Fine-tunes what
    /// `choose` did in big steps.
    pub fn refine(&self, on: &Plan, want: usize) -> Plan {
        let mut on = on.clone();
        let mut size = self.size(&on);
        let mut current = size.abs_diff(want);
        let mut with = on.clone();
        loop {
            // The move that lands closest: (distance, unit, size after it), made below.
            let mut best: Option<(usize, usize, usize)> = None;
            for (gi, g) in self.groups.iter().enumerate() {
                if !self.parent_on(gi, &on) {
                    continue;
                }
                let taken = self.taken(gi, &on);
                for &unit in &self.groups[gi].members {
                    let moved = if on.get(unit) {
                        if taken <= g.min {
                            continue;
                        }
                        self.size_without(&on, size, unit)
                    } else {
                        if taken >= g.max {
                            continue;
                        }
                        // Units inside it come with their groups' minimum as listed, all the way
                        // down: a section brings its points, a point the sub-points its body
                        // announces.
                        with.copy_from(&on);
                        self.bring_in(None, unit, &mut with);
                        self.size_with(&on, size, unit, &with)
                    };
                    let distance = moved.abs_diff(want);
                    if distance < current && best.is_none_or(|(d, ..)| distance < d) {
                        best = Some((distance, unit, moved));
                    }
                }
            }
            match best {
                Some((distance, unit, moved)) => {
                    if on.get(unit) {
                        self.inside[unit].iter().for_each(|&u| on.clear(u));
                    } else {
                        self.bring_in(None, unit, &mut on);
                    }
                    size = moved;
                    current = distance;
                }
                None => {
                    self.no_lone(&mut on);
                    return on;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> Vec<Group> {
        vec![
            Group {
                units: vec!["a".into(), "b".into(), "c".into()],
                min: 1,
                max: 3,
                seed: 2,
                parent: None,
                single: true,
                from: 0,
                prefer: Vec::new(),
            },
            Group {
                units: vec!["a.x".into(), "a.y".into()],
                min: 1,
                max: 2,
                seed: 1,
                parent: Some("a".into()),
                single: true,
                from: 0,
                prefer: Vec::new(),
            },
        ]
    }

    fn fills() -> HashMap<String, Fill<'static>> {
        [
            ("a.x", 100),
            ("a.y", 100),
            ("b.t", 300),
            ("c.t", 300),
            ("fixed", 50),
        ]
        .into_iter()
        .map(|(k, n)| {
            let text = "字".repeat(n);
            let shown = text.chars().count();
            (
                k.to_string(),
                Fill::Text {
                    text: text.into(),
                    shown,
                },
            )
        })
        .collect()
    }

    #[test]
    fn faithful_takes_the_seed_units_inside_seed_parents() {
        let g = groups();
        let f = fills();
        let f: HashMap<&str, &Fill> = f.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let units = UnitIndex::of(&g);
        let on = faithful(&available(&g, &Leaves::of(&f, &units)), &units);
        assert_eq!(on, ["a", "b", "a.x"].map(String::from).into());
    }

    #[test]
    fn a_unit_without_text_leaves_its_group_and_the_bounds_shrink() {
        let g = groups();
        let mut f = fills();
        f.remove("c.t");
        let f: HashMap<&str, &Fill> = f.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let units = UnitIndex::of(&g);
        let planned = available(&g, &Leaves::of(&f, &units));
        let names = |p: &Planned| -> Vec<String> {
            p.members.iter().map(|&u| units.names[u].clone()).collect()
        };
        assert_eq!(names(&planned[0]), ["a", "b"]);
        assert_eq!((planned[0].min, planned[0].max, planned[0].seed), (1, 2, 2));
        assert_eq!(names(&planned[1]), ["a.x", "a.y"]);
        assert_eq!(every_unit(&planned, &units).len(), 4);
    }

    #[test]
    fn a_plan_one_move_away_is_sized_as_a_full_count_sizes_it() {
        let g = groups();
        let f = fills();
        let f: HashMap<&str, &Fill> = f.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let units = UnitIndex::of(&g);
        let leaves = Leaves::of(&f, &units);
        let planned = available(&g, &leaves);
        let planner = Planner::new(&planned, &leaves);
        assert!(planner.nested);
        let n = planner.units.names.len();
        // Every plan of the five units, every unit added (with what it brings) or dropped.
        for bits in 0..1u32 << n {
            let on = Plan::of(n, (0..n).filter(|u| bits >> u & 1 == 1));
            let base = planner.size(&on);
            for unit in 0..n {
                let mut with = on.clone();
                if on.get(unit) {
                    planner.inside[unit].iter().for_each(|&u| with.clear(u));
                    assert_eq!(planner.size_without(&on, base, unit), planner.size(&with));
                } else {
                    planner.bring_in(None, unit, &mut with);
                    let full = planner.size(&with);
                    assert_eq!(planner.size_with(&on, base, unit, &with), full);
                }
            }
        }
    }

    #[test]
    fn the_target_decides_how_much_is_included() {
        let g = groups();
        let f = fills();
        for seed in 0..20u64 {
            let s = seed.to_le_bytes();
            let f: HashMap<&str, &Fill> = f.iter().map(|(k, v)| (k.as_str(), v)).collect();
            let units = UnitIndex::of(&g);
            let leaves = Leaves::of(&f, &units);
            let planned = available(&g, &leaves);
            let planner = Planner::new(&planned, &leaves);
            let small_plan = planner.choose(200, &[&s]);
            assert!(planner.estimate(&small_plan) <= 500);
            let small = planner.units_of(&small_plan);
            let large = planner.units_of(&planner.choose(5_000, &[&s]));
            assert_eq!(large.len(), 5, "{large:?}");
            // A group's minimum always holds, and children need their parent.
            assert!(small.iter().any(|u| ["a", "b", "c"].contains(&u.as_str())));
            assert!(!small.contains("a.x") || small.contains("a"));
        }
    }
}
