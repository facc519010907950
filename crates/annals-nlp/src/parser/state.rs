//! The arc-hybrid parser configuration and its transitions.

pub(crate) const NONE: u32 = u32::MAX;

/// A move with the label of the arc it builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Shift,
    Left(u8),
    Right(u8),
}

/// A parser configuration: stack, buffer front, and the arcs built so far. Word `n`
/// is the artificial root.
pub(crate) struct State {
    pub n: usize,
    pub stack: Vec<u32>,
    pub b: usize,
    pub on_stack: Vec<bool>,
    pub head: Vec<u32>,
    pub label: Vec<u8>,
    /// Two leftmost and two rightmost dependents of each word (outermost first).
    pub left: Vec<[u32; 2]>,
    pub right: Vec<[u32; 2]>,
    pub nleft: Vec<u8>,
    pub nright: Vec<u8>,
    pub lset: Vec<u64>,
    pub rset: Vec<u64>,
}

impl State {
    pub fn new(n: usize) -> State {
        State {
            n,
            stack: Vec::with_capacity(n),
            b: 0,
            on_stack: vec![false; n + 1],
            head: vec![NONE; n + 1],
            label: vec![0; n + 1],
            left: vec![[NONE; 2]; n + 1],
            right: vec![[NONE; 2]; n + 1],
            nleft: vec![0; n + 1],
            nright: vec![0; n + 1],
            lset: vec![0; n + 1],
            rset: vec![0; n + 1],
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.stack.is_empty() && self.b >= self.n
    }

    pub fn s(&self, k: usize) -> u32 {
        if k < self.stack.len() {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }

    pub fn can_shift(&self) -> bool {
        self.b < self.n
    }

    fn add_arc(&mut self, h: usize, d: usize, l: u8) {
        self.head[d] = h as u32;
        self.label[d] = l;
        let bit = 1u64 << (l % 64);
        if d < h {
            let [a, _] = self.left[h];
            self.left[h] = [d as u32, a];
            self.nleft[h] = self.nleft[h].saturating_add(1);
            self.lset[h] |= bit;
        } else {
            let [a, _] = self.right[h];
            self.right[h] = [d as u32, a];
            self.nright[h] = self.nright[h].saturating_add(1);
            self.rset[h] |= bit;
        }
    }

    pub fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.on_stack[self.b] = true;
                self.stack.push(self.b as u32);
                self.b += 1;
            }
            Move::Left(l) => {
                if let Some(s0) = self.stack.pop() {
                    self.on_stack[s0 as usize] = false;
                    self.add_arc(self.b.min(self.n), s0 as usize, l);
                }
            }
            Move::Right(l) => {
                if let Some(s0) = self.stack.pop() {
                    self.on_stack[s0 as usize] = false;
                    if let Some(&s1) = self.stack.last() {
                        self.add_arc(s1 as usize, s0 as usize, l);
                    }
                }
            }
        }
    }
}
