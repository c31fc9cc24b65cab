//! Grounded semantics (Dung 1995) of a bipolar framework, in linear time, without
//! materialising the attacks that supports imply.
//!
//! A framework is arguments, attacks and supports, and arguments attacked by a *defect*
//! (an unattacked attacker outside the framework: evidence that fails). The attacks the
//! labelling reads depend on the reading of supports ([`Support`], Cayrol &
//! Lagasquie-Schiex 2005), with `S(x)` the arguments that reach `x` by a chain of supports
//! (`x` itself included) and `Att(c)` the direct attackers of `c`:
//!
//! - `None`: the attackers of `c` are `Att(c)`;
//! - `Supported`: `∪ S(x)` for `x ∈ Att(c)` (a supports x, x attacks c: a attacks c);
//! - `Deductive`: `∪ S(x)` for `x ∈ Att(y)`, `y ∈ S(c)` (also: a attacks y, y supports c:
//!   a attacks c; both along whole chains).
//!
//! That set can be quadratic (n supporters of a claim that attacks n claims are n² attacks),
//! so it is never built. The labelling needs only two questions of it: "is an attacker in?"
//! and "are all attackers out?". The first is reachability from the arguments in along
//! supports, asked node by node (each node is reached once, and keeps the node it was
//! reached from, which makes the explanation). The second is a count over the strongly
//! connected components of the support graph (on its condensation, a DAG, "every argument
//! of `S(x)` is out" is "every member of x's component is out and so is every component
//! supporting it"). Every argument, component and link is visited a bounded number of
//! times: O(arguments + attacks + supports).
//!
//! The labels are the least fixpoint of "in when every attacker is out, out when an
//! attacker is in" over the implied attacks, which is the grounded labelling of the
//! framework those attacks make; the tests hold it to a naive computation of that
//! framework.

use crate::model::Relation;

/// An argument: its index in the framework.
pub type Arg = u32;

/// A grounded label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Accepted: every attacker is out.
    In,
    /// Rejected: an attacker is in.
    Out,
    /// Neither: an attacker is undecided, and none is in.
    Undecided,
}

impl Label {
    /// `in`, `out` or `undecided`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::In => "in",
            Label::Out => "out",
            Label::Undecided => "undecided",
        }
    }
}

/// How supports imply attacks (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Support {
    /// Attacks only; supports imply nothing.
    None,
    /// Supported attacks: a supports x (through any chain), x attacks c, so a attacks c.
    #[default]
    Supported,
    /// Supported and secondary attacks: also a attacks x, x supports c (through any
    /// chain), so a attacks c.
    Deductive,
}

impl Support {
    /// `none`, `supported` or `deductive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::None => "none",
            Support::Supported => "supported",
            Support::Deductive => "deductive",
        }
    }
}

/// Arguments, attacks, supports and defects.
#[derive(Clone, Debug, Default)]
pub struct Framework {
    /// How many arguments there are (numbered from 0).
    pub len: usize,
    /// Attacks, (attacker, attacked).
    pub attacks: Vec<(Arg, Arg)>,
    /// Supports, (supporter, supported).
    pub supports: Vec<(Arg, Arg)>,
    /// Arguments attacked by a defect: by an argument outside the framework that nothing
    /// attacks.
    pub defective: Vec<Arg>,
}

/// One link of an explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The argument the link is from.
    pub from: Arg,
    /// Supports or attacks.
    pub relation: Relation,
    /// The argument it is to.
    pub to: Arg,
}

/// What decides an argument that is not in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The attacker that decides it: one that is in (the argument is out) or undecided.
    pub attacker: Attacker,
    /// The links from the attacker to the argument, in order: supports, an attack,
    /// supports, as the reading of supports allows.
    pub path: Vec<Step>,
}

/// The source of a deciding attack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attacker {
    /// An argument of the framework.
    Argument(Arg),
    /// The defect of this argument (the first step of the path starts at it, if any).
    Defect(Arg),
}

const UNSET: u32 = u32::MAX;
const SELF: u32 = u32::MAX - 1;

/// Compressed rows: `values[start[i]..start[i + 1]]` are row i's, in the order given.
struct Rows {
    start: Vec<u32>,
    values: Vec<u32>,
}

impl Rows {
    fn new(rows: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> Rows {
        let mut start = vec![0u32; rows + 1];
        for (row, _) in pairs.clone() {
            start[row as usize + 1] += 1;
        }
        for i in 0..rows {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut values = vec![0u32; start[rows] as usize];
        for (row, value) in pairs {
            values[fill[row as usize] as usize] = value;
            fill[row as usize] += 1;
        }
        Rows { start, values }
    }

    fn row(&self, i: u32) -> &[u32] {
        &self.values[self.start[i as usize] as usize..self.start[i as usize + 1] as usize]
    }
}

/// The strongly connected components of a graph (Tarjan's algorithm, without
/// recursion): each node's component, and how many there are.
fn components(len: usize, succ: &Rows) -> (Vec<u32>, u32) {
    let mut index = vec![UNSET; len];
    let mut low = vec![0u32; len];
    let mut on_stack = vec![false; len];
    let mut stack: Vec<u32> = Vec::new();
    let mut comp = vec![UNSET; len];
    let mut count = 0u32;
    let mut next = 0u32;
    // (node, position in its successor row)
    let mut calls: Vec<(u32, u32)> = Vec::new();
    for root in 0..len as u32 {
        if index[root as usize] != UNSET {
            continue;
        }
        calls.push((root, 0));
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            let row = succ.row(v);
            if let Some(&w) = row.get(*pos as usize) {
                *pos += 1;
                if index[w as usize] == UNSET {
                    index[w as usize] = next;
                    low[w as usize] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    calls.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    (comp, count)
}

/// The grounded labelling of a framework, and what decides each argument.
#[derive(Debug)]
pub struct Grounded {
    /// By argument.
    pub labels: Vec<Label>,
    support: Support,
    attacks: Vec<(Arg, Arg)>,
    /// By argument with an attacker in among its support ancestors: the argument it was
    /// reached from along a support, or `SELF` (it is in).
    in_from: Vec<u32>,
    /// By argument out: the argument it was reached from along a support (deductive), or
    /// `SELF` (its own attacker or defect is in).
    out_from: Vec<u32>,
    /// By argument out by itself: the attack (index) whose attacker's support ancestor is
    /// in, or `SELF` for its defect.
    out_cause: Vec<u32>,
    /// By argument with an undecided support ancestor: the argument it was reached from,
    /// or `SELF` (it is undecided).
    undecided_from: Vec<u32>,
    /// By argument: an attack (index) on it whose attacker's support ancestors are not
    /// all out, or `UNSET`.
    open_attack: Vec<u32>,
    /// Deductive: by argument, the argument it was reached from along a support on the way
    /// from one with an open attack, or `SELF` (it has one).
    open_from: Vec<u32>,
}

enum Event {
    /// An argument's support ancestors include one that is in.
    HasIn(Arg),
    /// An argument is out (and, deductive, so is every argument it supports).
    Out(Arg),
    /// Every argument of a component's support ancestors is out.
    AllOut(u32),
    /// Deductive: every attacker of every support ancestor of a component's members is out.
    Unattacked(u32),
}

impl Grounded {
    /// Labels `framework` under a reading of supports.
    pub fn new(framework: &Framework, support: Support) -> Grounded {
        let n = framework.len;
        let attacks = framework.attacks.clone();
        let supports: &[(Arg, Arg)] = match support {
            Support::None => &[],
            _ => &framework.supports,
        };
        let attack_out = Rows::new(
            n,
            attacks.iter().enumerate().map(|(i, &(a, _))| (a, i as u32)),
        );
        let support_out = Rows::new(n, supports.iter().map(|&(a, b)| (a, b)));
        let (comp, count) = components(n, &support_out);
        let members = Rows::new(count as usize, (0..n as u32).map(|v| (comp[v as usize], v)));
        let deductive = support == Support::Deductive;
        // By component: members and supports from other components still to be all out.
        let mut pending_out = vec![0u32; count as usize];
        for &c in &comp {
            pending_out[c as usize] += 1;
        }
        for &(a, b) in supports {
            if comp[a as usize] != comp[b as usize] {
                pending_out[comp[b as usize] as usize] += 1;
            }
        }
        let mut pending_unattacked = pending_out.clone();
        // By argument: attacks (and its defect) whose attackers are not yet all out.
        let mut pending_attacks = vec![0u32; n];
        for &(_, b) in &attacks {
            pending_attacks[b as usize] += 1;
        }
        let mut defective = vec![false; n];
        for &d in &framework.defective {
            if !std::mem::replace(&mut defective[d as usize], true) {
                pending_attacks[d as usize] += 1;
            }
        }
        let mut g = Grounded {
            labels: vec![Label::Undecided; n],
            support,
            attacks,
            in_from: vec![UNSET; n],
            out_from: vec![UNSET; n],
            out_cause: vec![UNSET; n],
            undecided_from: vec![UNSET; n],
            open_attack: vec![UNSET; n],
            open_from: vec![UNSET; n],
        };
        let mut work: Vec<Event> = Vec::new();
        let make_in = |g: &mut Grounded, work: &mut Vec<Event>, v: Arg| {
            debug_assert_ne!(g.labels[v as usize], Label::Out);
            g.labels[v as usize] = Label::In;
            if g.in_from[v as usize] == UNSET {
                g.in_from[v as usize] = SELF;
                work.push(Event::HasIn(v));
            }
        };
        let out_by = |g: &mut Grounded, work: &mut Vec<Event>, v: Arg, from: u32, cause: u32| {
            if g.out_from[v as usize] == UNSET {
                g.out_from[v as usize] = from;
                g.out_cause[v as usize] = cause;
                work.push(Event::Out(v));
            }
        };
        for v in 0..n as u32 {
            if defective[v as usize] {
                out_by(&mut g, &mut work, v, SELF, SELF);
            }
        }
        if deductive {
            for v in 0..n as u32 {
                if pending_attacks[v as usize] == 0 {
                    let c = comp[v as usize] as usize;
                    pending_unattacked[c] -= 1;
                    if pending_unattacked[c] == 0 {
                        work.push(Event::Unattacked(c as u32));
                    }
                }
            }
        } else {
            for v in 0..n as u32 {
                if pending_attacks[v as usize] == 0 {
                    make_in(&mut g, &mut work, v);
                }
            }
        }
        while let Some(event) = work.pop() {
            match event {
                Event::HasIn(x) => {
                    for &w in support_out.row(x) {
                        if g.in_from[w as usize] == UNSET {
                            g.in_from[w as usize] = x;
                            work.push(Event::HasIn(w));
                        }
                    }
                    for &e in attack_out.row(x) {
                        let target = g.attacks[e as usize].1;
                        out_by(&mut g, &mut work, target, SELF, e);
                    }
                }
                Event::Out(v) => {
                    debug_assert_ne!(g.labels[v as usize], Label::In);
                    g.labels[v as usize] = Label::Out;
                    let c = comp[v as usize] as usize;
                    pending_out[c] -= 1;
                    if pending_out[c] == 0 {
                        work.push(Event::AllOut(c as u32));
                    }
                    if deductive {
                        for &w in support_out.row(v) {
                            out_by(&mut g, &mut work, w, v, UNSET);
                        }
                    }
                }
                Event::AllOut(c) => {
                    for &x in members.row(c) {
                        for &w in support_out.row(x) {
                            let d = comp[w as usize];
                            if d != c {
                                pending_out[d as usize] -= 1;
                                if pending_out[d as usize] == 0 {
                                    work.push(Event::AllOut(d));
                                }
                            }
                        }
                        for &e in attack_out.row(x) {
                            let target = g.attacks[e as usize].1;
                            pending_attacks[target as usize] -= 1;
                            if pending_attacks[target as usize] != 0 {
                                continue;
                            }
                            if deductive {
                                let d = comp[target as usize] as usize;
                                pending_unattacked[d] -= 1;
                                if pending_unattacked[d] == 0 {
                                    work.push(Event::Unattacked(d as u32));
                                }
                            } else {
                                make_in(&mut g, &mut work, target);
                            }
                        }
                    }
                }
                Event::Unattacked(c) => {
                    for &y in members.row(c) {
                        make_in(&mut g, &mut work, y);
                        for &w in support_out.row(y) {
                            let d = comp[w as usize];
                            if d != c {
                                pending_unattacked[d as usize] -= 1;
                                if pending_unattacked[d as usize] == 0 {
                                    work.push(Event::Unattacked(d));
                                }
                            }
                        }
                    }
                }
            }
        }
        // What keeps the undecided undecided: an undecided support ancestor of an attacker.
        let mut todo: Vec<Arg> = Vec::new();
        for v in 0..n as u32 {
            if g.labels[v as usize] == Label::Undecided {
                g.undecided_from[v as usize] = SELF;
                todo.push(v);
            }
        }
        reach(&support_out, &mut g.undecided_from, todo);
        // An attack whose attacker has a support ancestor that is not out (not all out).
        for (e, &(a, b)) in g.attacks.iter().enumerate() {
            if g.open_attack[b as usize] == UNSET
                && (g.undecided_from[a as usize] != UNSET || g.in_from[a as usize] != UNSET)
            {
                g.open_attack[b as usize] = e as u32;
            }
        }
        if deductive {
            let mut todo = Vec::new();
            for v in 0..n as u32 {
                if g.open_attack[v as usize] != UNSET {
                    g.open_from[v as usize] = SELF;
                    todo.push(v);
                }
            }
            reach(&support_out, &mut g.open_from, todo);
        }
        g
    }

    /// The reading of supports the labels are under.
    pub fn support(&self) -> Support {
        self.support
    }

    /// What decides an argument that is not in: for one out, an attacker that is in (or a
    /// defect) and the links from it; for one undecided, an attacker that is undecided.
    /// `None` for an argument in.
    pub fn decision(&self, v: Arg) -> Option<Decision> {
        let mut path = Vec::new();
        let attacker = match self.labels[v as usize] {
            Label::In => return None,
            Label::Out => {
                let y = self.back(&self.out_from, v, &mut path);
                match self.out_cause[y as usize] {
                    SELF => Attacker::Defect(y),
                    e => {
                        let (x, _) = self.attacks[e as usize];
                        path.push(Step {
                            from: x,
                            relation: Relation::Attacks,
                            to: y,
                        });
                        Attacker::Argument(self.back(&self.in_from, x, &mut path))
                    }
                }
            }
            Label::Undecided => {
                let y = match self.support {
                    Support::Deductive => self.back(&self.open_from, v, &mut path),
                    _ => v,
                };
                let e = self.open_attack[y as usize];
                debug_assert_ne!(e, UNSET, "an undecided argument has an open attack");
                let (x, _) = *self.attacks.get(e as usize)?;
                path.push(Step {
                    from: x,
                    relation: Relation::Attacks,
                    to: y,
                });
                Attacker::Argument(self.back(&self.undecided_from, x, &mut path))
            }
        };
        path.reverse();
        Some(Decision { attacker, path })
    }

    /// Follows `from` back from `v` to an argument marked `SELF`, pushing each support
    /// (reversed order); returns that argument.
    fn back(&self, from: &[u32], mut v: Arg, path: &mut Vec<Step>) -> Arg {
        loop {
            match from[v as usize] {
                SELF | UNSET => return v,
                u => {
                    path.push(Step {
                        from: u,
                        relation: Relation::Supports,
                        to: v,
                    });
                    v = u;
                }
            }
        }
    }
}

/// Marks every argument reachable along supports from `todo` (already marked) with the
/// argument it was first reached from.
fn reach(support_out: &Rows, from: &mut [u32], mut todo: Vec<Arg>) {
    while let Some(v) = todo.pop() {
        for &w in support_out.row(v) {
            if from[w as usize] == UNSET {
                from[w as usize] = v;
                todo.push(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The implied attacks, materialised: (attacker, attacked), with defects as arguments
    /// `len..`.
    fn closure(f: &Framework, support: Support) -> (usize, Vec<(usize, usize)>) {
        let n = f.len;
        // ancestors[x]: S(x), by a search from each argument against the supports.
        let mut ancestors = vec![vec![false; n]; n];
        for (x, row) in ancestors.iter_mut().enumerate() {
            row[x] = true;
            if support == Support::None {
                continue;
            }
            let mut todo = vec![x];
            while let Some(v) = todo.pop() {
                for &(a, b) in &f.supports {
                    if b as usize == v && !row[a as usize] {
                        row[a as usize] = true;
                        todo.push(a as usize);
                    }
                }
            }
        }
        let total = n + f.defective.len();
        let mut direct: Vec<(usize, usize)> = f
            .attacks
            .iter()
            .map(|&(a, b)| (a as usize, b as usize))
            .collect();
        direct.extend(
            f.defective
                .iter()
                .enumerate()
                .map(|(i, &d)| (n + i, d as usize)),
        );
        let mut out = std::collections::BTreeSet::new();
        for &(x, c) in &direct {
            for a in 0..total {
                let a_supports_x = if a < n && x < n {
                    ancestors[x][a]
                } else {
                    a == x
                };
                if !a_supports_x {
                    continue;
                }
                out.insert((a, c));
                if support == Support::Deductive {
                    for (d, row) in ancestors.iter().enumerate() {
                        if row[c] {
                            out.insert((a, d));
                        }
                    }
                }
            }
        }
        (total, out.into_iter().collect())
    }

    /// The grounded labelling by its definition: in when every attacker is out, out when
    /// one is in, until nothing changes.
    fn naive(total: usize, attacks: &[(usize, usize)]) -> Vec<Label> {
        let mut labels = vec![Label::Undecided; total];
        loop {
            let mut changed = false;
            for v in 0..total {
                if labels[v] != Label::Undecided {
                    continue;
                }
                let mut attackers = attacks.iter().filter(|&&(_, b)| b == v).map(|&(a, _)| a);
                let new = if attackers.clone().any(|a| labels[a] == Label::In) {
                    Label::Out
                } else if attackers.all(|a| labels[a] == Label::Out) {
                    Label::In
                } else {
                    continue;
                };
                labels[v] = new;
                changed = true;
            }
            if !changed {
                return labels;
            }
        }
    }

    fn framework() -> impl Strategy<Value = Framework> {
        (1usize..9).prop_flat_map(|n| {
            let arg = 0..n as u32;
            (
                Just(n),
                proptest::collection::vec((arg.clone(), arg.clone()), 0..14),
                proptest::collection::vec((arg.clone(), arg.clone()), 0..14),
                proptest::collection::vec(arg, 0..3),
            )
                .prop_map(|(len, attacks, supports, defective)| Framework {
                    len,
                    attacks,
                    supports,
                    defective,
                })
        })
    }

    fn support() -> impl Strategy<Value = Support> {
        prop_oneof![
            Just(Support::None),
            Just(Support::Supported),
            Just(Support::Deductive)
        ]
    }

    /// Checks a decision: its path is made of the framework's links, allowed by the
    /// reading, from the attacker to the argument, and the attacker's label fits.
    fn check_decision(f: &Framework, g: &Grounded, v: Arg, support: Support) {
        let d = g.decision(v).expect("a decision");
        let start = match d.attacker {
            Attacker::Argument(a) => {
                let expected = match g.labels[v as usize] {
                    Label::Out => Label::In,
                    _ => Label::Undecided,
                };
                assert_eq!(g.labels[a as usize], expected, "the attacker's label");
                a
            }
            Attacker::Defect(a) => {
                assert!(f.defective.contains(&a));
                assert_eq!(g.labels[v as usize], Label::Out);
                a
            }
        };
        let mut at = start;
        let mut attacks = 0;
        for step in &d.path {
            assert_eq!(step.from, at);
            let list = match step.relation {
                Relation::Supports => &f.supports,
                Relation::Attacks => {
                    attacks += 1;
                    &f.attacks
                }
            };
            assert!(
                list.contains(&(step.from, step.to)),
                "a link of the framework"
            );
            at = step.to;
        }
        assert_eq!(at, v);
        let defect = matches!(d.attacker, Attacker::Defect(_));
        assert_eq!(attacks, usize::from(!defect), "one attack on the path");
        if support == Support::None {
            assert!(d.path.iter().all(|s| s.relation == Relation::Attacks));
        }
        if support != Support::Deductive {
            // Supports come before the attack only.
            let last = d.path.last().map(|s| s.relation);
            assert!(defect && d.path.is_empty() || last == Some(Relation::Attacks));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn labels_are_the_grounded_labelling_of_the_implied_attacks(
            f in framework(), support in support()
        ) {
            let g = Grounded::new(&f, support);
            let (total, attacks) = closure(&f, support);
            let expected = naive(total, &attacks);
            prop_assert_eq!(&g.labels[..], &expected[..f.len]);
            for v in 0..f.len as u32 {
                if g.labels[v as usize] != Label::In {
                    check_decision(&f, &g, v, support);
                } else {
                    prop_assert!(g.decision(v).is_none());
                }
            }
        }

        #[test]
        fn unattacked_is_in_and_attacked_by_an_in_is_out(
            f in framework(), support in support()
        ) {
            let g = Grounded::new(&f, support);
            for v in 0..f.len as u32 {
                let attacked = f.attacks.iter().any(|&(_, b)| b == v) || f.defective.contains(&v);
                if support == Support::None && !attacked {
                    prop_assert_eq!(g.labels[v as usize], Label::In);
                }
            }
            for &(a, b) in &f.attacks {
                if g.labels[a as usize] == Label::In {
                    prop_assert_eq!(g.labels[b as usize], Label::Out);
                }
            }
        }

        #[test]
        fn labels_do_not_depend_on_the_order_of_links(
            f in framework(), support in support(), seed in any::<u64>()
        ) {
            let mut shuffled = f.clone();
            let mut rng = fastrand::Rng::with_seed(seed);
            rng.shuffle(&mut shuffled.attacks);
            rng.shuffle(&mut shuffled.supports);
            rng.shuffle(&mut shuffled.defective);
            prop_assert_eq!(
                Grounded::new(&f, support).labels,
                Grounded::new(&shuffled, support).labels
            );
        }
    }

    #[test]
    fn a_mutual_attack_alone_is_undecided() {
        let f = Framework {
            len: 2,
            attacks: vec![(0, 1), (1, 0)],
            ..Framework::default()
        };
        for support in [Support::None, Support::Supported, Support::Deductive] {
            let g = Grounded::new(&f, support);
            assert_eq!(g.labels, [Label::Undecided, Label::Undecided]);
            let d = g.decision(0).unwrap();
            assert_eq!(d.attacker, Attacker::Argument(1));
        }
    }

    #[test]
    fn each_reading_of_supports() {
        // z attacks y, x supports y, y attacks c; a attacks x2, x2 supports c2.
        let (z, y, x, c, a, x2, c2) = (0, 1, 2, 3, 4, 5, 6);
        let f = Framework {
            len: 7,
            attacks: vec![(z, y), (y, c), (a, x2)],
            supports: vec![(x, y), (x2, c2)],
            defective: vec![],
        };
        use Label::*;
        // Attacks only: y is out, so c is in; c2 is attacked by nothing.
        let g = Grounded::new(&f, Support::None);
        assert_eq!(g.labels, [In, Out, In, In, In, Out, In]);
        // Supported: x supports y, y attacks c, so x attacks c, and x is in.
        let g = Grounded::new(&f, Support::Supported);
        assert_eq!(g.labels, [In, Out, In, Out, In, Out, In]);
        let d = g.decision(c).unwrap();
        assert_eq!(d.attacker, Attacker::Argument(x));
        let step = |from, relation, to| Step { from, relation, to };
        assert_eq!(
            d.path,
            [
                step(x, Relation::Supports, y),
                step(y, Relation::Attacks, c)
            ]
        );
        // Deductive: also a attacks x2, x2 supports c2, so a attacks c2.
        let g = Grounded::new(&f, Support::Deductive);
        assert_eq!(g.labels, [In, Out, In, Out, In, Out, Out]);
        let d = g.decision(c2).unwrap();
        assert_eq!(d.attacker, Attacker::Argument(a));
        assert_eq!(
            d.path,
            [
                step(a, Relation::Attacks, x2),
                step(x2, Relation::Supports, c2)
            ]
        );
    }

    #[test]
    fn a_long_support_cycle_is_linear_and_does_not_recurse() {
        // 200,000 claims supporting each other in one cycle; its last attacks `target`,
        // `attacker` attacks one of them.
        let m = 200_000u32;
        let (target, attacker) = (m, m + 1);
        let mut supports: Vec<(Arg, Arg)> = (0..m - 1).map(|i| (i, i + 1)).collect();
        supports.push((m - 1, 0));
        let f = Framework {
            len: m as usize + 2,
            attacks: vec![(m - 1, target), (attacker, 5)],
            supports,
            defective: vec![],
        };
        let g = Grounded::new(&f, Support::Supported);
        assert_eq!(g.labels[5], Label::Out);
        assert_eq!(g.labels[0], Label::In);
        assert_eq!(
            g.labels[target as usize],
            Label::Out,
            "a supporter of m - 1 is in"
        );
        let g = Grounded::new(&f, Support::Deductive);
        assert_eq!(g.labels[5], Label::Out);
        assert_eq!(
            g.labels[0],
            Label::Out,
            "5 supports every claim of the cycle"
        );
        assert_eq!(g.labels[target as usize], Label::In);
        assert_eq!(g.labels[attacker as usize], Label::In);
        let d = g.decision(0).unwrap();
        assert_eq!(d.attacker, Attacker::Argument(attacker));
        assert_eq!(d.path.len(), m as usize - 5 + 1);
    }
}
