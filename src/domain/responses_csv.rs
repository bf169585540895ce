//! The response CSV: one row per complete respondent, one column per question key, then
//! the stored scores. Export writes it; import reads the same columns back (scores are
//! recomputed, never trusted), validating every row and naming row, column and reason.
//!
//! Columns, in order:
//! - `respondent` (1, 2, … in completion order), `version`, `completed_at` (UTC,
//!   `YYYY-MM-DDTHH:MM:SSZ`), `locale` (`vi`/`en`), `block_order` (`values_first`,
//!   `contact_first`, or empty when the bond blocks were not counterbalanced);
//! - every question key in survey order: an option key, several option keys joined by
//!   `,` (multiple choice), a number, `dk` for "don't know", free text, or empty;
//! - `score_values_bond`, `score_contact_bond`, `score_bond_class`, `score_alignment`,
//!   `score_shared_values` (value keys joined by `,`), `score_contact_fit`,
//!   `score_nps_class`, `score_quality_flags` (`speeder`, `straight_liner`, `bot` joined
//!   by `,`; empty for a clean response);
//! - `weight`: the respondent's weight when the report is weighted (raking to the survey's
//!   targets), empty otherwise. Import ignores the scores and the weight.
//!
//! Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is
//! written with a leading `'`, which import removes again.
//!
//! The CSV itself is read and written by the `csv` crate; only the server does either, so
//! the module (and the crate) stay out of the browser bundle.
#![cfg(feature = "ssr")]

use std::collections::BTreeSet;

use super::answer::{Answer, AnswerProblem};
use super::flow;
use super::report::{civil_from_days, day_of, days_from_civil, DAY_MS};
use super::scoring::RespondentScores;
use super::{AnswerSet, Locale, QuestionKind, SurveyDefinition};

pub const META_COLUMNS: [&str; 5] = [
    "respondent",
    "version",
    "completed_at",
    "locale",
    "block_order",
];
/// The respondent's weight in a weighted report (the last column).
pub const WEIGHT_COLUMN: &str = "weight";
pub const SCORE_COLUMNS: [&str; 8] = [
    "score_values_bond",
    "score_contact_bond",
    "score_bond_class",
    "score_alignment",
    "score_shared_values",
    "score_contact_fit",
    "score_nps_class",
    "score_quality_flags",
];
/// Byte-order mark that makes Excel read the file as UTF-8 (Vietnamese text).
pub const BOM: &str = "\u{feff}";
/// Import refuses files with more rows than this (bounded memory per request).
pub const MAX_IMPORT_ROWS: usize = 200_000;

pub fn header(def: &SurveyDefinition) -> Vec<String> {
    META_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(def.questions().map(|q| q.key.clone()))
        .chain(SCORE_COLUMNS.iter().map(|c| c.to_string()))
        .chain(std::iter::once(WEIGHT_COLUMN.to_string()))
        .collect()
}

/// One complete respondent, as exported.
pub struct ExportRow<'a> {
    pub respondent: u64,
    pub version: i64,
    pub completed_at: i64,
    pub locale: &'a str,
    pub answers: &'a AnswerSet,
    pub scores: &'a RespondentScores,
    /// The respondent's weight, when the export is of a weighted report.
    pub weight: Option<f64>,
}

fn number(x: Option<f64>) -> String {
    x.map(|v| {
        format!("{v:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    })
    .unwrap_or_default()
}

/// Characters a spreadsheet reads as the start of a formula (TAB and CR too: some strip
/// them and then see the formula), and the guard itself, so that unguarding is exact.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];
/// What a spreadsheet may split a cell on when the user picks another separator (`;` is
/// the default where the decimal mark is a comma, as in Vietnam).
const FIELD_SEPARATORS: [char; 3] = [',', ';', '\t'];

/// Neutralises spreadsheet formulas in free text: an apostrophe before a formula start at
/// the beginning of the text and of every field it would split into on `,`, `;` or TAB,
/// so `x;=1+1` stays text whichever separator the file is opened with.
pub fn guard_formula(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut field_start = true;
    for c in text.chars() {
        if field_start && FORMULA_STARTS.contains(&c) {
            out.push('\'');
        }
        out.push(c);
        field_start = FIELD_SEPARATORS.contains(&c);
    }
    out
}

/// The text `guard_formula` was given.
pub fn unguard_formula(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars().peekable();
    let mut field_start = true;
    while let Some(c) = chars.next() {
        if field_start && c == '\'' && chars.peek().is_some_and(|n| FORMULA_STARTS.contains(n)) {
            field_start = false;
            continue;
        }
        out.push(c);
        field_start = FIELD_SEPARATORS.contains(&c);
    }
    out
}

pub fn row(def: &SurveyDefinition, r: &ExportRow<'_>) -> Vec<String> {
    let s = r.scores;
    let mut cells = vec![
        r.respondent.to_string(),
        r.version.to_string(),
        format_timestamp(r.completed_at),
        r.locale.to_string(),
        s.block_order
            .map(|o| o.as_str().to_string())
            .unwrap_or_default(),
    ];
    for q in def.questions() {
        cells.push(match r.answers.get(&q.key) {
            Some(Answer::Text(t)) => guard_formula(t),
            Some(a) => a.to_stored(),
            None => String::new(),
        });
    }
    cells.extend([
        number(s.values_bond),
        number(s.contact_bond),
        s.bond_class.as_str().to_string(),
        number(s.alignment),
        s.shared_values.join(","),
        s.contact_fit
            .map(|f| f.as_str().to_string())
            .unwrap_or_default(),
        s.nps_class
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        s.quality
            .flags()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(","),
        r.weight.map(|w| format!("{w:.9}")).unwrap_or_default(),
    ]);
    cells
}

/// Appends one CSV record (RFC 4180, CRLF). Every cell is quoted: a spreadsheet opened
/// with another separator then still sees one cell, and quoting never turns a number
/// into text.
pub fn write_record(out: &mut String, cells: &[String]) {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and quoting UTF-8 cells keeps them UTF-8.
    writer.write_record(cells).expect("writing to memory");
    let bytes = writer.into_inner().expect("writing to memory");
    out.push_str(&String::from_utf8(bytes).expect("UTF-8 cells make UTF-8 CSV"));
}

/// "2026-11-27T10:35:01Z" for Unix milliseconds.
pub fn format_timestamp(ms: i64) -> String {
    let day = day_of(ms);
    let secs = ms.rem_euclid(DAY_MS) / 1000;
    let (y, m, d) = civil_from_days(day);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Unix milliseconds of "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ".
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t.strip_suffix('Z')?)),
        None => (s, None),
    };
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    if civil_from_days(day) != (y, m, d) {
        return None;
    }
    let secs = match time {
        None => 0,
        Some(t) => {
            let mut hms = t.splitn(3, ':').map(|x| x.parse::<i64>().ok());
            let (h, mi, se) = (hms.next()??, hms.next()??, hms.next()??);
            if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..60).contains(&se) {
                return None;
            }
            h * 3600 + mi * 60 + se
        }
    };
    Some(day * DAY_MS + secs * 1000)
}

/// A CSV file that cannot even be split into records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct CsvSyntaxError {
    pub line: usize,
    pub reason: &'static str,
}

/// Splits CSV text into records (RFC 4180; LF, CRLF or CR line ends; a leading BOM is
/// ignored).
pub fn parse_records(text: &str) -> Result<Vec<Vec<String>>, CsvSyntaxError> {
    // The reader skips a leading BOM (one) by itself; the quote check must as well.
    check_quotes(text.strip_prefix(BOM).unwrap_or(text))?;
    let mut reader = csv::ReaderBuilder::new()
        // The header is checked by `import`, as is a row with too few or too many cells
        // (naming the row).
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        // Not expected (valid UTF-8 in memory, ragged rows allowed); should it happen,
        // the file is refused like any other it cannot read.
        let record = record.map_err(|e| CsvSyntaxError {
            line: e.position().map_or(0, |p| p.line() as usize),
            reason: "not readable as CSV",
        })?;
        // Blank lines are skipped by the reader; a line of one empty quoted cell is no
        // record either.
        if !(record.len() == 1 && record[0].is_empty()) {
            records.push(record.iter().map(str::to_string).collect());
        }
    }
    Ok(records)
}

/// The csv crate reads leniently: a quote inside an unquoted cell stays in it, and a
/// quoted cell left open runs to the end of the file. Import refuses such a file rather
/// than guess what it meant, so its quotes are checked first, the way the crate reads
/// them (a cell is quoted only when its first character is a quote).
fn check_quotes(text: &str) -> Result<(), CsvSyntaxError> {
    let (mut line, mut quoted, mut cell_start) = (1, false, true);
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            // In a quoted cell `""` is a quote; a single one closes the cell.
            if b == b'"' && bytes.next_if_eq(&b'"').is_none() {
                quoted = false;
            }
            continue;
        }
        match b {
            b'"' if cell_start => quoted = true,
            b'"' => {
                return Err(CsvSyntaxError {
                    line,
                    reason: "a quote inside an unquoted cell",
                })
            }
            _ => {}
        }
        cell_start = matches!(b, b',' | b'\n' | b'\r');
    }
    if quoted {
        return Err(CsvSyntaxError {
            line,
            reason: "a quoted cell is not closed",
        });
    }
    Ok(())
}

/// A complete response read from a CSV row, ready to be scored and stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResponse {
    pub completed_at: i64,
    pub locale: Locale,
    /// The order the bond blocks were shown in, when the file says.
    pub block_order: Option<flow::BlockOrder>,
    pub answers: AnswerSet,
}

/// Why a row (or the header, row 1) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, column \"{column}\": {reason}")]
pub struct RowError {
    /// 1-based line of the record in the file (1 = the header).
    pub row: usize,
    pub column: String,
    pub reason: String,
}

/// At most this many row errors are reported (the file is rejected at the first anyway).
const MAX_ERRORS: usize = 100;

/// Validates every row against the survey; all rows or none (the errors).
pub fn import(
    def: &SurveyDefinition,
    records: &[Vec<String>],
) -> Result<Vec<ImportedResponse>, Vec<RowError>> {
    let Some((header, rows)) = records.split_first() else {
        return Err(header_error("", "the file is empty"));
    };
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(header_error(
            "",
            "too many rows for one import (split the file)",
        ));
    }
    check_header(def, header)?;
    let mut errors = Vec::new();
    let mut imported = Vec::with_capacity(rows.len());
    for (i, record) in rows.iter().enumerate() {
        let mut row = RowErrors {
            row: i + 2,
            errors: &mut errors,
        };
        imported.extend(import_row(def, header, record, &mut row));
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        errors.truncate(MAX_ERRORS);
        Err(errors)
    }
}

/// An error of the header row, which stops the import.
fn header_error(column: &str, reason: &str) -> Vec<RowError> {
    vec![RowError {
        row: 1,
        column: column.to_string(),
        reason: reason.to_string(),
    }]
}

/// Every column must be known and named once; the completion time and language are needed.
fn check_header(def: &SurveyDefinition, header: &[String]) -> Result<(), Vec<RowError>> {
    let mut seen = BTreeSet::new();
    for column in header {
        let known = META_COLUMNS.contains(&column.as_str())
            || SCORE_COLUMNS.contains(&column.as_str())
            || column == WEIGHT_COLUMN
            || def.question(column).is_some();
        if !known {
            return Err(header_error(column, "not a question of this survey"));
        }
        if !seen.insert(column.as_str()) {
            return Err(header_error(column, "appears twice"));
        }
    }
    for required in ["completed_at", "locale"] {
        if !seen.contains(required) {
            return Err(header_error(required, "missing column"));
        }
    }
    Ok(())
}

/// Where the errors of one row (its number as people count lines) go.
struct RowErrors<'a> {
    row: usize,
    errors: &'a mut Vec<RowError>,
}

impl RowErrors<'_> {
    fn fail(&mut self, column: &str, reason: String) {
        self.errors.push(RowError {
            row: self.row,
            column: column.to_string(),
            reason,
        });
    }
}

/// One response from one row, if its completion time and language could be read; every
/// problem found goes to `row`.
fn import_row(
    def: &SurveyDefinition,
    header: &[String],
    record: &[String],
    row: &mut RowErrors<'_>,
) -> Option<ImportedResponse> {
    if record.len() != header.len() {
        row.fail(
            "",
            format!(
                "has {} cells, the header has {}",
                record.len(),
                header.len()
            ),
        );
        return None;
    }
    let mut answers = AnswerSet::new();
    let mut unreadable = BTreeSet::new();
    let (mut completed_at, mut locale, mut block_order) = (None, None, None);
    for (column, cell) in header.iter().zip(record) {
        match column.as_str() {
            "completed_at" => match parse_timestamp(cell.trim()) {
                Some(t) => completed_at = Some(t),
                None => row.fail(
                    column,
                    format!("\"{cell}\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"),
                ),
            },
            "locale" => match Locale::parse(cell.trim()) {
                Some(l) => locale = Some(l),
                None => row.fail(column, format!("\"{cell}\" is not vi or en")),
            },
            "block_order" if !cell.trim().is_empty() => {
                match flow::BlockOrder::parse(cell.trim()) {
                    Some(o) => block_order = Some(o),
                    None => row.fail(
                        column,
                        format!("\"{cell}\" is not values_first or contact_first"),
                    ),
                }
            }
            c if META_COLUMNS.contains(&c) || SCORE_COLUMNS.contains(&c) || c == WEIGHT_COLUMN => {}
            key => {
                let Some(q) = def.question(key) else { continue };
                match Answer::parse(q, &cell_values(q.kind, cell)) {
                    Ok(Some(a)) => {
                        answers.insert(key.to_string(), a);
                    }
                    Ok(None) => {}
                    Err(problem) => {
                        unreadable.insert(key.to_string());
                        row.fail(key, describe(&problem));
                    }
                }
            }
        }
    }
    check_structure(def, &answers, &unreadable, row);
    Some(ImportedResponse {
        completed_at: completed_at?,
        locale: locale?,
        block_order,
        answers,
    })
}

/// A cell as the values of a question of `kind`: a multiple choice lists its options
/// separated by commas; free text loses the formula guard the export added.
fn cell_values(kind: QuestionKind, cell: &str) -> Vec<String> {
    match kind {
        QuestionKind::MultipleChoice => cell.split(',').map(|v| v.trim().to_string()).collect(),
        QuestionKind::ShortText | QuestionKind::LongText => vec![unguard_formula(cell)],
        _ => vec![cell.trim().to_string()],
    }
}

/// What show-if hides must be empty; what is asked and required, answered.
fn check_structure(
    def: &SurveyDefinition,
    answers: &AnswerSet,
    unreadable: &BTreeSet<String>,
    row: &mut RowErrors<'_>,
) {
    for q in def.questions() {
        if answers.contains_key(&q.key) && !flow::is_visible(q, answers) {
            row.fail(
                &q.key,
                "answered, but the survey does not ask it after the earlier answer".into(),
            );
        }
    }
    for page in flow::visible_pages(def, answers) {
        // A cell already reported as unreadable is not reported again as empty.
        for key in flow::missing_required(def, page, answers) {
            if !unreadable.contains(&key) {
                row.fail(&key, "required, but empty".into());
            }
        }
    }
}

fn describe(problem: &AnswerProblem) -> String {
    match problem {
        AnswerProblem::UnknownOption(v) => format!("\"{v}\" is not one of the question's answers"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::population::Population;
    use crate::domain::scoring::score_respondent;
    use crate::domain::survey::tests::demo;

    fn export(def: &SurveyDefinition, answers: &[AnswerSet], bom: bool) -> String {
        let mut out = if bom { BOM.to_string() } else { String::new() };
        write_record(&mut out, &header(def));
        for (i, a) in answers.iter().enumerate() {
            let scores = score_respondent(def, a);
            let r = ExportRow {
                respondent: i as u64 + 1,
                version: 1,
                completed_at: 1_764_239_701_000 + i as i64 * 1000,
                locale: "vi",
                answers: a,
                scores: &scores,
                weight: None,
            };
            write_record(&mut out, &row(def, &r));
        }
        out
    }

    #[test]
    fn export_and_import_round_trip() {
        let def = demo();
        let mut population = Population::new(3);
        let mut answers: Vec<AnswerSet> = (0..50).map(|_| population.respondent(&def)).collect();
        // Text that needs quoting, Vietnamese, and a would-be formula.
        let text_key = def
            .questions()
            .find(|q| q.kind == QuestionKind::LongText)
            .unwrap()
            .key
            .clone();
        answers[0].insert(
            text_key.clone(),
            Answer::Text("Tốt, \"rất\" tốt\nDòng hai".into()),
        );
        answers[1].insert(text_key.clone(), Answer::Text("=HYPERLINK(\"x\")".into()));
        let csv = export(&def, &answers, true);
        assert!(csv.starts_with(BOM));
        assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised");
        let records = parse_records(&csv).unwrap();
        assert_eq!(records.len(), 51);
        let imported = import(&def, &records).unwrap();
        assert_eq!(imported.len(), 50);
        for (a, b) in answers.iter().zip(&imported) {
            assert_eq!(a, &b.answers);
            assert_eq!(b.locale, Locale::Vi);
        }
        assert_eq!(
            format_timestamp(imported[0].completed_at),
            "2025-11-27T10:35:01Z"
        );
    }

    /// OWASP's CSV-injection payloads, and ones that hide behind a `;` or TAB separator.
    const INJECTIONS: [&str; 14] = [
        "=1+1",
        "+1+1",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "=cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "\t=1+1",
        "\r=1+1",
        "x;=1+1;",
        "a,=1+1",
        "a\t@SUM(1)",
        "ok; -1+1, +2",
        "'=1+1",
        "''",
    ];

    #[test]
    fn no_field_of_a_text_cell_starts_a_formula_whatever_the_separator() {
        for payload in INJECTIONS {
            let guarded = guard_formula(payload);
            for separator in [',', ';', '\t'] {
                for field in guarded.split(separator) {
                    assert!(
                        !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{payload:?} opened with {separator:?} gives the field {field:?}"
                    );
                }
            }
            assert_eq!(unguard_formula(&guarded), payload, "exact round trip");
        }
        assert_eq!(
            guard_formula("Tốt, rất tốt"),
            "Tốt, rất tốt",
            "prose is untouched"
        );
    }

    #[test]
    fn every_cell_is_quoted_and_injections_come_back_as_typed() {
        let def = demo();
        let mut population = Population::new(5);
        let text_key = def
            .questions()
            .find(|q| q.kind == QuestionKind::LongText)
            .unwrap()
            .key
            .clone();
        let answers: Vec<AnswerSet> = INJECTIONS
            .iter()
            .map(|p| {
                let mut a = population.respondent(&def);
                // As stored: a posted answer is trimmed.
                a.insert(text_key.clone(), Answer::Text(p.trim().to_string()));
                a
            })
            .collect();
        let csv = export(&def, &answers, false);
        for line in csv.split("\r\n").filter(|l| !l.is_empty()).take(2) {
            assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
        }
        assert!(
            csv.contains("\"x;'=1+1;\""),
            "the ;-hidden formula is guarded"
        );
        let imported = import(&def, &parse_records(&csv).unwrap()).unwrap();
        for (a, b) in answers.iter().zip(&imported) {
            assert_eq!(a, &b.answers);
        }
    }

    #[test]
    fn import_names_row_column_and_reason() {
        let def = demo();
        let a = Population::new(4).respondent(&def);
        let csv = export(&def, &[a.clone(), a], false);
        let mut records = parse_records(&csv).unwrap();
        let col = |name: &str| records[0].iter().position(|c| c == name).unwrap();
        let nps = def
            .questions()
            .find(|q| q.kind == QuestionKind::Recommend10)
            .unwrap()
            .key
            .clone();
        let (nps_col, date_col) = (col(&nps), col("completed_at"));
        records[1][nps_col] = "11".into();
        records[2][date_col] = "2026-02-30".into();
        let errors = import(&def, &records).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].row, errors[0].column.as_str()),
            (2, nps.as_str())
        );
        assert!(
            errors[0].reason.contains("outside the scale"),
            "{}",
            errors[0]
        );
        assert_eq!(
            (errors[1].row, errors[1].column.as_str()),
            (3, "completed_at")
        );
        assert!(errors[1]
            .to_string()
            .starts_with("row 3, column \"completed_at\""));
    }

    #[test]
    fn import_checks_structure() {
        let def = demo();
        let a = Population::new(5).respondent(&def);
        let csv = export(&def, &[a], false);
        let records = parse_records(&csv).unwrap();
        // An unknown column is refused at the header.
        let mut bad_header = records.clone();
        bad_header[0][4] = "colour".into();
        assert_eq!(import(&def, &bad_header).unwrap_err()[0].row, 1);
        // A required answer emptied is named.
        let required = def.questions().find(|q| q.required).unwrap().key.clone();
        let mut missing = records.clone();
        let i = missing[0].iter().position(|c| *c == required).unwrap();
        missing[1][i] = String::new();
        let errors = import(&def, &missing).unwrap_err();
        assert!(errors
            .iter()
            .any(|e| e.column == required && e.reason.contains("required")));
        // A reason given without a relationship "yes" is not a response the survey could produce.
        let reason = def.questions().find(|q| q.show_if.is_some()).unwrap();
        let trigger = &reason.show_if.as_ref().unwrap().question;
        let mut hidden = records.clone();
        let ti = hidden[0].iter().position(|c| c == trigger).unwrap();
        let ri = hidden[0].iter().position(|c| *c == reason.key).unwrap();
        hidden[1][ti] = "no".into();
        hidden[1][ri] = reason.options[0].key.clone();
        let errors = import(&def, &hidden).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.column == reason.key && e.reason.contains("does not ask")),
            "{errors:?}"
        );
        // Ragged rows and empty files.
        let mut ragged = records.clone();
        ragged[1].pop();
        assert!(import(&def, &ragged).unwrap_err()[0]
            .reason
            .contains("cells"));
        assert_eq!(
            import(&def, &[]).unwrap_err()[0].reason,
            "the file is empty"
        );
    }

    #[test]
    fn csv_syntax_is_rfc_4180() {
        let r = parse_records("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n").unwrap();
        assert_eq!(r, vec![vec!["a", "b"], vec!["x,1", "say \"hi\""]]);
        assert_eq!(
            parse_records("a,\"b\n").unwrap_err().reason,
            "a quoted cell is not closed"
        );
        assert_eq!(parse_records("a,b\"c\n").unwrap_err().line, 1);
        assert_eq!(parse_records("").unwrap(), Vec::<Vec<String>>::new());
        // A CR alone ends a line too (old Mac spreadsheets); inside quotes it is text.
        assert_eq!(
            parse_records("a\r\"b\rc\"\r").unwrap(),
            vec![vec!["a"], vec!["b\rc"]]
        );
    }

    #[test]
    fn the_block_order_is_exported_and_read_back() {
        let def = demo();
        let answers = Population::new(3).respondent(&def);
        let mut scores = score_respondent(&def, &answers);
        scores.block_order = Some(flow::BlockOrder::ContactFirst);
        let mut out = String::new();
        write_record(&mut out, &header(&def));
        let row = ExportRow {
            respondent: 1,
            version: 1,
            completed_at: 1_790_000_000_000,
            locale: "vi",
            answers: &answers,
            scores: &scores,
            weight: None,
        };
        write_record(&mut out, &super::row(&def, &row));
        assert!(out
            .lines()
            .next()
            .unwrap()
            .contains("\"locale\",\"block_order\""));
        assert!(out.contains("\"vi\",\"contact_first\""));
        let imported = import(&def, &parse_records(&out).unwrap()).unwrap();
        assert_eq!(
            imported[0].block_order,
            Some(flow::BlockOrder::ContactFirst)
        );
        let bad = out.replace("\"contact_first\"", "\"sideways\"");
        let errors = import(&def, &parse_records(&bad).unwrap()).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "row 2, column \"block_order\": \"sideways\" is not values_first or contact_first"
        );
    }

    #[test]
    fn timestamps_round_trip() {
        assert_eq!(parse_timestamp("1970-01-02"), Some(86_400_000));
        let t = parse_timestamp("2026-11-27T23:59:59Z").unwrap();
        assert_eq!(format_timestamp(t), "2026-11-27T23:59:59Z");
        for bad in [
            "2026-11-27T24:00:00Z",
            "2026-11-27T10:00:00",
            "27/11/2026",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
