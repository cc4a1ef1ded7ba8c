//! The HTML papers rendered by headless Chromium, as a printer would see them: the manifest and
//! the advance notice. Skipped (with a notice) where no Chromium is installed.

#[path = "fixtures/papers/helper.rs"]
mod helper;
#[path = "fixtures/notice/mod.rs"]
mod notice;

use helper::*;
use std::path::Path;
use std::process::{Command, Stdio};

fn chromium() -> Option<&'static str> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .into_iter()
    .find(|bin| {
        Command::new(bin)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

#[test]
fn html_manifest_renders_to_a_page_image() {
    let Some(bin) = chromium() else {
        eprintln!("NOTICE: no chromium on PATH; the manifest rendering check was skipped");
        return;
    };
    let db = day_db();
    let html = db.dir.path().join("manifest.html");
    ok(db.run(&[
        "export",
        "manifest",
        "--date",
        TODAY,
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]));
    assert_page_image(bin, &html, &db.dir.path().join("manifest.png"));
}

#[test]
fn html_notice_renders_to_a_page_image() {
    let Some(bin) = chromium() else {
        eprintln!("NOTICE: no chromium on PATH; the notice rendering check was skipped");
        return;
    };
    let day = notice::imported();
    let html = day.dir.path().join("notice.html");
    day.ok(
        "2020-02-21T06:00",
        &[
            "export",
            "notice",
            "--date",
            notice::DAY,
            "--province",
            "浙江",
            "--format",
            "html",
            "--reveal",
            "--out",
            html.to_str().unwrap(),
        ],
    );
    assert_page_image(bin, &html, &day.dir.path().join("notice.png"));
}

/// Renders `html` to `png` at the pixel size of an A4 page and checks a page with text came out.
fn assert_page_image(bin: &str, html: &Path, png: &Path) {
    let profile = png.with_extension("profile");
    let status = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1240,1754")
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium runs");
    assert!(status.success(), "chromium exit {status}");
    let bytes = read(png);
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");
    // A blank A4 page compresses to a few kilobytes; tables of Chinese text do not.
    assert!(
        bytes.len() > 40_000,
        "PNG of {} bytes: is the page empty?",
        bytes.len()
    );
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    assert_eq!(width, 1240);
}
