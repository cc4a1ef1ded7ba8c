//! A small deterministic random source for demo data (SplitMix64): the same seed gives the same
//! ledger on every platform and every version of the program, which a library RNG does not promise.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x005E_ED0F_2020_0221)
    }

    /// A stream for one purpose (villages, firms, fleet …) that does not shift when another
    /// stream draws more or fewer numbers.
    pub fn stream(seed: u64, purpose: u64) -> Rng {
        let mut r = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ purpose);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        items.get(self.below(items.len())).copied()
    }

    /// `n` decimal digits.
    pub fn digits(&mut self, out: &mut String, n: usize) {
        for _ in 0..n {
            out.push(char::from(b'0' + self.below(10) as u8));
        }
    }
}

/// Draws indices in proportion to their weights.
pub struct Weighted(Vec<u64>);

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0;
        Weighted(
            weights
                .into_iter()
                .map(|w| {
                    total += w;
                    total
                })
                .collect(),
        )
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(0);
        if total == 0 {
            return 0;
        }
        let x = rng.next_u64() % total;
        self.0.partition_point(|&c| c <= x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers_and_weights_are_respected() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        let w = Weighted::new([1, 0, 3]);
        let mut r = Rng::new(1);
        let mut seen = [0; 3];
        for _ in 0..4000 {
            seen[w.sample(&mut r)] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!((2600..3400).contains(&seen[2]), "{seen:?}");
        assert!(Rng::new(3).below(0) == 0 && Rng::new(3).pick::<u8>(&[]).is_none());
    }
}
