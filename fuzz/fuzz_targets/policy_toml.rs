//! Any text as a policy file: an error naming the file, or a policy under which every coach
//! from 1 to 120 rated seats lays out without a panic and within its load cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhitong::model::{Layout, Policy};

fuzz_target!(|text: &str| {
    match Policy::from_toml(text, "p.toml") {
        Err(e) => assert!(e.to_string().starts_with("p.toml"), "{e}"),
        Ok(p) => {
            for rated in 1..=120 {
                let l = Layout::new(rated, &p);
                assert_eq!(l.seats.len(), rated as usize);
                assert!(l.capacity() <= p.load_cap(rated).min(rated));
            }
        }
    }
});
