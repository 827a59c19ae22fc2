//! The digest as an Excel workbook (`rust_xlsxwriter`): a `rows` sheet with the underlying
//! rows (the same table as the CSV, numbers as numbers) and a `totals` sheet with each
//! department's figures per channel and the station's. Empty cells are figures not told.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::model::{Digest, Figures};
use super::table::{self, Field};
use crate::store::DigestRows;

fn put(ws: &mut Worksheet, row: u32, col: u16, f: &Field) -> Result<(), XlsxError> {
    match f {
        Field::Text(s) => ws.write_string(row, col, s).map(|_| ()),
        Field::Int(n) => ws.write_number(row, col, *n as f64).map(|_| ()),
        Field::Empty => Ok(()),
    }
}

fn opt(v: Option<u64>) -> Field {
    v.map_or(Field::Empty, Field::Int)
}

fn figures(f: &Figures) -> [Field; 4] {
    [
        Field::Int(f.posts),
        opt(f.views),
        opt(f.reach),
        opt(f.engagement),
    ]
}

const TOTALS_HEADER: &[&str] = &[
    "department_code",
    "department",
    "channel",
    "posts",
    "views",
    "reach",
    "engagement",
];

/// The workbook's bytes. `Err` only when the writer refuses (a text longer than a cell takes).
pub fn workbook(digest: &Digest, raw: &DigestRows) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let ws = wb.add_worksheet().set_name("rows")?;
        for (c, h) in table::HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in table::rows(digest, raw).iter().enumerate() {
            for (c, f) in row.iter().enumerate() {
                put(ws, r as u32 + 1, c as u16, f)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;

        let ws = wb.add_worksheet().set_name("totals")?;
        for (c, h) in TOTALS_HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let mut r = 1u32;
        let mut line = |ws: &mut Worksheet, code: &str, name: &str, channel: &str, f: &Figures| {
            let cells = [
                Field::Text(code.to_owned()),
                Field::Text(name.to_owned()),
                Field::Text(channel.to_owned()),
            ];
            for (c, cell) in cells.iter().chain(figures(f).iter()).enumerate() {
                put(ws, r, c as u16, cell)?;
            }
            r += 1;
            Ok::<_, XlsxError>(())
        };
        for s in &digest.sections {
            for (col, f) in digest.columns.iter().zip(&s.channels) {
                line(ws, &s.code, &s.name_th, &col.name, f)?;
            }
            line(ws, &s.code, &s.name_th, "", &s.total)?;
        }
        for (col, f) in digest.columns.iter().zip(&digest.channels) {
            line(ws, "", "", &col.name, f)?;
        }
        line(ws, "", "", "", &digest.total)?;
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
