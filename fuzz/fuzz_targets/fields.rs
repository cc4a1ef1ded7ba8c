//! Any text into every cell parser of the model: ID number, phone, plate, date, temperature.
//! Each returns a value or an error; whatever it accepts, it accepts again in normal form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhitong::model::{parse_date, IdNumber, Phone, Plate, Temperature};

fuzz_target!(|s: &str| {
    if let Ok(id) = IdNumber::parse(s) {
        assert_eq!(
            IdNumber::parse(id.as_str())
                .ok()
                .map(|i| i.as_str().to_string()),
            Some(id.as_str().to_string())
        );
        assert_eq!(id.masked().chars().count(), 18);
    }
    if let Ok(p) = Phone::parse(s) {
        assert_eq!(
            Phone::parse(p.as_str())
                .ok()
                .map(|q| q.as_str().to_string()),
            Some(p.as_str().to_string())
        );
    }
    if let Ok(p) = Plate::parse(s) {
        assert_eq!(
            Plate::parse(p.as_str())
                .ok()
                .map(|q| q.as_str().to_string()),
            Some(p.as_str().to_string())
        );
    }
    if let Ok(d) = parse_date(s) {
        assert_eq!(parse_date(&d.to_string()).ok(), Some(d));
    }
    if let Ok(t) = Temperature::parse(s) {
        assert!((34.0..=43.0).contains(&t.celsius()), "{}", t.celsius());
    }
});
