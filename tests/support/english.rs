//! Whether a message meant to be Chinese carries an English word. What may stay in Latin
//! letters: values quoted from the input ('…'), commands and options (`zhitong init`, --trip),
//! file names, environment variables, plates, units and encodings (KB, GBK).

/// Words that may stand in Chinese text.
const ALLOWED: &[&str] = &["KB", "MB", "GBK", "UTF"];

/// The first English word (three or more Latin letters) outside what may stay, if any.
pub fn english_word(text: &str) -> Option<String> {
    let mut rest = String::new();
    // Quoted input and commands in backticks are the user's own words.
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '\'' | '`' | '‘') => quote = Some(if c == '‘' { '’' } else { c }),
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) => rest.push(c),
        }
    }
    rest.split(|c: char| c.is_whitespace() || "，。：；、（）()[]{},:;".contains(c))
        .filter(|tok| !tok.starts_with('-')) // an option, a file's -wal companion
        .filter(|tok| !tok.contains('/') && !looks_like_file(tok) && !is_env_var(tok))
        .flat_map(|tok| tok.split(|c: char| !c.is_ascii_alphabetic()))
        .find(|w| w.len() >= 3 && !ALLOWED.contains(w))
        .map(str::to_string)
}

/// `ZHITONG_TODAY=`: the name of an environment variable.
fn is_env_var(tok: &str) -> bool {
    let name = tok.split('=').next().unwrap_or("");
    name.contains('_') && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

fn looks_like_file(tok: &str) -> bool {
    [".csv", ".db", ".html", ".toml", ".json", ".zip"]
        .iter()
        .any(|ext| tok.contains(ext))
}
