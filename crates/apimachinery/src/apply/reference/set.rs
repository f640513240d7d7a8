//! Field sets: a trie of path elements where any node may itself be a member.
//!
//! Like upstream's `fieldpath.Set`, members and children are kept sorted, set algebra walks
//! both sides in order, and children never stay empty (so an encoded set always reads back
//! equal).

use std::cmp::Ordering;

use super::fieldpath::PathElement;

/// A set of paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Set {
    /// Elements that are members at this level, sorted.
    members: Vec<PathElement>,
    /// Sub-sets by their leading element, sorted, never empty.
    children: Vec<(PathElement, Set)>,
}

impl Set {
    pub fn new() -> Set {
        Set::default()
    }

    /// A set holding the given paths.
    pub fn from_paths<'a>(paths: impl IntoIterator<Item = &'a [PathElement]>) -> Set {
        let mut s = Set::new();
        for p in paths {
            s.insert(p);
        }
        s
    }

    pub fn members(&self) -> &[PathElement] {
        &self.members
    }

    pub fn children(&self) -> &[(PathElement, Set)] {
        &self.children
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.children.iter().all(|(_, c)| c.is_empty())
    }

    /// Number of paths in the set.
    pub fn len(&self) -> usize {
        self.members.len() + self.children.iter().map(|(_, c)| c.len()).sum::<usize>()
    }

    /// Adds `pe` as a member of this node.
    pub fn insert_member(&mut self, pe: PathElement) {
        if let Err(at) = self.members.binary_search(&pe) {
            self.members.insert(at, pe);
        }
    }

    /// Replaces (or adds) the sub-set under `pe`; an empty one is dropped.
    pub fn set_child(&mut self, pe: PathElement, child: Set) {
        match self.children.binary_search_by(|(p, _)| p.cmp(&pe)) {
            Ok(at) if child.is_empty() => {
                self.children.remove(at);
            }
            Ok(at) => self.children[at].1 = child,
            Err(_) if child.is_empty() => {}
            Err(at) => self.children.insert(at, (pe, child)),
        }
    }

    fn descend(&mut self, pe: &PathElement) -> &mut Set {
        let at = match self.children.binary_search_by(|(p, _)| p.cmp(pe)) {
            Ok(at) => at,
            Err(at) => {
                self.children.insert(at, (pe.clone(), Set::new()));
                at
            }
        };
        &mut self.children[at].1
    }

    /// Adds a path; the empty path is ignored.
    pub fn insert(&mut self, path: &[PathElement]) {
        match path {
            [] => {}
            [last] => self.insert_member(last.clone()),
            [first, rest @ ..] => self.descend(first).insert(rest),
        }
    }

    pub fn has(&self, path: &[PathElement]) -> bool {
        match path {
            [] => false,
            [last] => self.members.binary_search(last).is_ok(),
            [first, rest @ ..] => self.child(first).is_some_and(|c| c.has(rest)),
        }
    }

    pub fn has_member(&self, pe: &PathElement) -> bool {
        self.members.binary_search(pe).is_ok()
    }

    /// The sub-set under `pe`, if any.
    pub fn child(&self, pe: &PathElement) -> Option<&Set> {
        self.children.binary_search_by(|(p, _)| p.cmp(pe)).ok().map(|at| &self.children[at].1)
    }

    pub fn union(&self, other: &Set) -> Set {
        let members = merge_sorted(&self.members, &other.members, |_| true, |_| true, true);
        let mut children = Vec::with_capacity(self.children.len().max(other.children.len()));
        let (mut i, mut j) = (0, 0);
        while i < self.children.len() || j < other.children.len() {
            match order(self.children.get(i).map(|c| &c.0), other.children.get(j).map(|c| &c.0)) {
                Ordering::Less => {
                    children.push(self.children[i].clone());
                    i += 1;
                }
                Ordering::Greater => {
                    children.push(other.children[j].clone());
                    j += 1;
                }
                Ordering::Equal => {
                    children.push((self.children[i].0.clone(), self.children[i].1.union(&other.children[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        Set { members, children }
    }

    pub fn intersection(&self, other: &Set) -> Set {
        let members = merge_sorted(&self.members, &other.members, |_| false, |_| false, true);
        let mut children = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.children.len() && j < other.children.len() {
            match self.children[i].0.cmp(&other.children[j].0) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    let inner = self.children[i].1.intersection(&other.children[j].1);
                    if !inner.is_empty() {
                        children.push((self.children[i].0.clone(), inner));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        Set { members, children }
    }

    /// Paths of `self` not in `other` (children are compared path by path).
    pub fn difference(&self, other: &Set) -> Set {
        self.difference_impl(other, false)
    }

    /// Like [`Set::difference`], but a member of `other` also removes everything below it.
    pub fn recursive_difference(&self, other: &Set) -> Set {
        self.difference_impl(other, true)
    }

    fn difference_impl(&self, other: &Set, recursive: bool) -> Set {
        let members = merge_sorted(&self.members, &other.members, |_| true, |_| false, false);
        let mut children = Vec::with_capacity(self.children.len());
        for (pe, child) in &self.children {
            if recursive && other.has_member(pe) {
                continue;
            }
            match other.child(pe) {
                None => children.push((pe.clone(), child.clone())),
                Some(o) => {
                    let inner = child.difference_impl(o, recursive);
                    if !inner.is_empty() {
                        children.push((pe.clone(), inner));
                    }
                }
            }
        }
        Set { members, children }
    }

    /// Every path, in upstream's iteration order (members before children, level by level).
    pub fn paths(&self) -> Vec<Vec<PathElement>> {
        let mut out = Vec::new();
        let mut prefix = Vec::new();
        self.collect_paths(&mut prefix, &mut out);
        out
    }

    fn collect_paths(&self, prefix: &mut Vec<PathElement>, out: &mut Vec<Vec<PathElement>>) {
        for m in &self.members {
            let mut p = prefix.clone();
            p.push(m.clone());
            out.push(p);
        }
        for (pe, child) in &self.children {
            prefix.push(pe.clone());
            child.collect_paths(prefix, out);
            prefix.pop();
        }
    }

    /// Mutable access for in-crate rewrites that keep the ordering invariants.
    pub(crate) fn parts_mut(&mut self) -> (&mut Vec<PathElement>, &mut Vec<(PathElement, Set)>) {
        (&mut self.members, &mut self.children)
    }
}

fn order(a: Option<&PathElement>, b: Option<&PathElement>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Walks two sorted lists: keeps left-only items when `keep_left`, right-only when
/// `keep_right`, shared ones when `keep_both`.
fn merge_sorted(
    a: &[PathElement],
    b: &[PathElement],
    keep_left: impl Fn(&PathElement) -> bool,
    keep_right: impl Fn(&PathElement) -> bool,
    keep_both: bool,
) -> Vec<PathElement> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match order(a.get(i), b.get(j)) {
            Ordering::Less => {
                if keep_left(&a[i]) {
                    out.push(a[i].clone());
                }
                i += 1;
            }
            Ordering::Greater => {
                if keep_right(&b[j]) {
                    out.push(b[j].clone());
                }
                j += 1;
            }
            Ordering::Equal => {
                if keep_both {
                    out.push(a[i].clone());
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}
