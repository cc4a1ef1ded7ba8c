//! `zhitong export manifest (--bus PLATE | --trip CODE | --date D) [--format csv|html] [--encoding utf-8|gbk]
//! [--out FILE|-] [--force] [--reveal]`: writes the file (owner-only, never over the database)
//! or stdout.

use super::*;
use crate::io::outfile::{Out, Protected};
use crate::ops::export::{self as ex, CsvEncoding, ManifestScope};

pub fn manifest(ctx: &mut Ctx, a: &ManifestArgs) -> OpResult<Exit> {
    let scope = match (&a.trip, &a.plate, &a.date) {
        (Some(code), _, _) => ManifestScope::Trip(code.trim().to_string()),
        (None, Some(p), _) => ManifestScope::Bus(p.clone()),
        (None, None, Some(d)) => ManifestScope::Date(
            crate::model::parse_date(d).map_err(|e| super::date_usage(e, ctx.lang))?,
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
    // Checked before the manifest is built: a refused file costs nothing, not even a reveal.
    let out = out_target(ctx, a.out.as_deref(), a.force)?;
    let lang = super::stats::paper_lang();
    let bytes = ex::export_manifest(ctx, &scope, format, encoding, a.reveal, lang)?;
    write_out(ctx, &out, &bytes)
}

/// `--out FILE|-` of any export, checked against the open database.
pub(super) fn out_target(ctx: &Ctx, out: Option<&Path>, force: bool) -> OpResult<Out> {
    Out::prepare(out, force, Protected::database(ctx.store.path()))
        .map_err(|e| OpError::Failed(e.message(ctx.lang)))
}

/// Writes a built file to the target `out_target` prepared, and says where it went when that
/// was a file (standard output carries the file itself).
pub(super) fn write_out(ctx: &Ctx, out: &Out, bytes: &[u8]) -> OpResult<Exit> {
    out.write(bytes)
        .map_err(|e| OpError::Failed(e.message(ctx.lang)))?;
    if let Out::File(f) = out {
        eprintln!(
            "{} {}",
            ctx.lang.pick("已写入", "wrote"),
            f.path().display()
        );
    }
    Ok(Exit::Ok)
}
