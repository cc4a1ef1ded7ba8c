//! `zhitong export manifest (--bus PLATE | --date D) [--format csv|html] [--encoding utf-8|gbk]
//! [--out FILE] [--reveal]`: writes the file (owner-only) or stdout.

use super::*;
use crate::ops::export::{self as ex, CsvEncoding, ManifestScope};
use std::io::Write;

pub fn manifest(ctx: &mut Ctx, a: &ManifestArgs) -> OpResult<Exit> {
    let scope = match (&a.trip, &a.plate, &a.date) {
        (Some(code), _, _) => ManifestScope::Trip(code.trim().to_string()),
        (None, Some(p), _) => ManifestScope::Bus(p.clone()),
        (None, None, Some(d)) => ManifestScope::Date(
            crate::model::parse_date(d).map_err(|e| OpError::Usage(format!("--date: {e}")))?,
        ),
        (None, None, None) => {
            return Err(OpError::Usage(
                "give --bus PLATE, --trip CODE or --date D".into(),
            ))
        }
    };
    let format = match a.format {
        ManifestFormat::Csv => ex::ManifestFormat::Csv,
        ManifestFormat::Html => ex::ManifestFormat::Html,
    };
    let encoding = match a.encoding {
        Encoding::Auto | Encoding::Utf8 => CsvEncoding::Utf8Bom,
        Encoding::Gbk if format == ex::ManifestFormat::Html => {
            return Err(OpError::Usage(
                "--encoding gbk applies to CSV; HTML manifests are always UTF-8".into(),
            ))
        }
        Encoding::Gbk => CsvEncoding::Gbk,
    };
    let lang = super::stats::paper_lang();
    let bytes = ex::export_manifest(ctx, &scope, format, encoding, a.reveal, lang)?;
    match &a.out {
        Some(path) => {
            write_private(path, &bytes)
                .map_err(|e| OpError::Failed(format!("{}: {e}", path.display())))?;
            eprintln!("{} {}", ctx.lang.pick("已写入", "wrote"), path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| OpError::Failed(format!("stdout: {e}")))?;
        }
    }
    Ok(Exit::Ok)
}

/// Manifests hold ID numbers and health data: the file is created readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
