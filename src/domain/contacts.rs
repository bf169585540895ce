//! Invitations by e-mail, the rules without I/O: reading an uploaded contact list (CSV),
//! who a send reaches and who the contact cap holds back, when a reminder is due, how
//! long a temporarily refused message waits, and how many messages the rate allows now.
#![cfg(feature = "ssr")]

use std::collections::{BTreeMap, HashMap};

use super::account::normalize_email;
use super::Locale;

/// Most contacts one upload may hold (the upload itself is capped at 1 MiB).
pub const MAX_CONTACTS: usize = 20_000;
/// Row problems reported at most (the rest would only repeat the kind).
pub const MAX_ROW_PROBLEMS: usize = 20;
/// Longest name or segment answer kept, in characters.
pub const MAX_FIELD_CHARS: usize = 200;
/// Reminders a contact gets per survey, at most.
pub const MAX_REMINDERS: u8 = 2;
/// The contact cap's window: a rolling 30 days.
pub const CAP_WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;
/// Attempts at a message before a temporary refusal counts as final.
pub const MAX_ATTEMPTS: i64 = 6;

/// One contact as uploaded (the address normalised to lower case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRow {
    pub email: String,
    pub name: String,
    pub locale: Locale,
    /// Answers to segment questions, by the column's name.
    pub segments: BTreeMap<String, String>,
}

/// What is wrong with an upload; `line` is the line in the file (the header is line 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadProblem {
    NotUtf8,
    Empty,
    NoEmailColumn,
    /// A column named twice (or a segment column with no name).
    BadColumn(String),
    TooManyContacts,
    Malformed {
        line: u64,
    },
    BadEmail {
        line: u64,
        value: String,
    },
    BadLanguage {
        line: u64,
        value: String,
    },
    TooLong {
        line: u64,
    },
}

/// An upload read without problems: its contacts (duplicates merged) and how many rows
/// were merged into an earlier one.
#[derive(Debug, PartialEq, Eq)]
pub struct ContactList {
    pub contacts: Vec<ContactRow>,
    pub merged: usize,
}

/// The columns of an upload: where e-mail, name and language are, and the segment columns.
struct Columns {
    email: usize,
    name: Option<usize>,
    language: Option<usize>,
    segments: Vec<(usize, String)>,
}

fn columns(header: &csv::StringRecord) -> Result<Columns, UploadProblem> {
    let mut seen = std::collections::HashSet::new();
    let (mut email, mut name, mut language, mut segments) = (None, None, None, Vec::new());
    for (i, raw) in header.iter().enumerate() {
        let col = raw.trim().to_lowercase();
        if col.is_empty() || col.chars().count() > 64 || !seen.insert(col.clone()) {
            return Err(UploadProblem::BadColumn(raw.chars().take(64).collect()));
        }
        match col.as_str() {
            "email" | "e-mail" => email = Some(i),
            "name" => name = Some(i),
            "language" | "lang" | "locale" => language = Some(i),
            _ => segments.push((i, col)),
        }
    }
    Ok(Columns {
        email: email.ok_or(UploadProblem::NoEmailColumn)?,
        name,
        language,
        segments,
    })
}

/// Reads an uploaded contact list: UTF-8 with or without a byte-order mark, a header row
/// naming `email` and optionally `name`, `language` (vi or en; empty takes `default`) and
/// segment columns. Rows with the same address are merged (a later non-empty value wins).
/// Any problem refuses the whole list: nothing of it is to be saved.
pub fn read_contacts(bytes: &[u8], default: Locale) -> Result<ContactList, Vec<UploadProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| vec![UploadProblem::NotUtf8])?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| vec![UploadProblem::Malformed { line: 1 }])?
        .clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(vec![UploadProblem::Empty]);
    }
    let cols = columns(&header).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let mut list = ContactList {
        contacts: Vec::new(),
        merged: 0,
    };
    for record in reader.records() {
        let row = match record {
            Ok(r) => read_row(&r, &cols, default),
            Err(e) => Err(UploadProblem::Malformed {
                line: e.position().map_or(0, |p| p.line()),
            }),
        };
        match row {
            Ok(None) => {}
            Ok(Some(contact)) => merge(&mut list, &mut by_email, contact),
            Err(p) if problems.len() < MAX_ROW_PROBLEMS => problems.push(p),
            Err(_) => {}
        }
        if list.contacts.len() > MAX_CONTACTS {
            return Err(vec![UploadProblem::TooManyContacts]);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if list.contacts.is_empty() {
        return Err(vec![UploadProblem::Empty]);
    }
    Ok(list)
}

/// One row as a contact; `None` for a blank row.
fn read_row(
    record: &csv::StringRecord,
    cols: &Columns,
    default: Locale,
) -> Result<Option<ContactRow>, UploadProblem> {
    let line = record.position().map_or(0, |p| p.line());
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    if record.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    let raw_email = cell(cols.email);
    let email = normalize_email(raw_email).ok_or_else(|| UploadProblem::BadEmail {
        line,
        value: raw_email.chars().take(80).collect(),
    })?;
    let lang = cols.language.map_or("", cell);
    let locale = if lang.is_empty() {
        default
    } else {
        Locale::parse(lang).ok_or_else(|| UploadProblem::BadLanguage {
            line,
            value: lang.chars().take(20).collect(),
        })?
    };
    let name = cols.name.map_or("", cell).to_string();
    let segments: BTreeMap<String, String> = cols
        .segments
        .iter()
        .filter(|(i, _)| !cell(*i).is_empty())
        .map(|(i, key)| (key.clone(), cell(*i).to_string()))
        .collect();
    let too_long = |s: &str| s.chars().count() > MAX_FIELD_CHARS || s.chars().any(char::is_control);
    if too_long(&name) || segments.values().any(|v| too_long(v)) {
        return Err(UploadProblem::TooLong { line });
    }
    Ok(Some(ContactRow {
        email,
        name,
        locale,
        segments,
    }))
}

/// Adds `contact`, or merges it into the earlier row with its address.
fn merge(list: &mut ContactList, by_email: &mut HashMap<String, usize>, contact: ContactRow) {
    let Some(&at) = by_email.get(&contact.email) else {
        by_email.insert(contact.email.clone(), list.contacts.len());
        list.contacts.push(contact);
        return;
    };
    list.merged += 1;
    let earlier = &mut list.contacts[at];
    if !contact.name.is_empty() {
        earlier.name = contact.name;
    }
    earlier.locale = contact.locale;
    earlier.segments.extend(contact.segments);
}

/// A contact of the brand as a send sees it.
#[derive(Clone, Copy, Debug)]
pub struct Recipient {
    pub contact_id: i64,
    pub unsubscribed: bool,
    /// Already has this survey's invitation.
    pub invited: bool,
}

/// Who an invitation send reaches.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SendPlan {
    pub to_queue: Vec<i64>,
    /// Held back by the contact cap (may be invited later, when the window has moved).
    pub held_by_cap: usize,
    pub unsubscribed: usize,
    pub already_invited: usize,
}

/// Splits the brand's contacts: unsubscribed ones are never e-mailed, invited ones not
/// twice, and a contact with `cap` survey e-mails in the last 30 days (`recent`, counting
/// those still queued) is held back.
pub fn plan_send(recipients: &[Recipient], recent: &HashMap<i64, i64>, cap: i64) -> SendPlan {
    let mut plan = SendPlan::default();
    for r in recipients {
        if r.unsubscribed {
            plan.unsubscribed += 1;
        } else if r.invited {
            plan.already_invited += 1;
        } else if recent.get(&r.contact_id).copied().unwrap_or(0) >= cap {
            plan.held_by_cap += 1;
        } else {
            plan.to_queue.push(r.contact_id);
        }
    }
    plan
}

/// What a survey has sent one contact: the newest message's number (0 the invitation),
/// whether it went out and when, and whether the contact has completed the survey.
#[derive(Clone, Copy, Debug)]
pub struct Sent {
    pub last_seq: u8,
    pub last_sent_at: Option<i64>,
    pub completed: bool,
    pub unsubscribed: bool,
}

/// The reminder due now (its number), if any: only to a contact who has not completed,
/// `days` after the last message went out, at most [`MAX_REMINDERS`].
pub fn reminder_due(s: &Sent, now: i64, days: i64) -> Option<u8> {
    let sent_at = s.last_sent_at?;
    let due = !s.completed
        && !s.unsubscribed
        && s.last_seq < MAX_REMINDERS
        && now - sent_at >= days * 24 * 3600 * 1000;
    due.then_some(s.last_seq + 1)
}

/// How long a message waits after its `attempt`-th temporary refusal: `base_ms` doubled
/// each time, at most six hours, so a mail server that is down briefly is not hammered
/// and one that is down for long still gets the message the same day.
pub fn retry_delay_ms(attempt: i64, base_ms: i64) -> i64 {
    let doublings = attempt.clamp(1, 20) - 1;
    base_ms
        .saturating_mul(1_i64 << doublings)
        .min(6 * 3600 * 1000)
}

/// Messages that may be claimed now under `per_minute`, given those sent in the last
/// minute and those claimed and not yet finished (by any instance).
pub fn send_budget(per_minute: u32, sent_last_minute: i64, in_flight: i64) -> i64 {
    (i64::from(per_minute) - sent_last_minute - in_flight).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<ContactList, Vec<UploadProblem>> {
        read_contacts(text.as_bytes(), Locale::Vi)
    }

    #[test]
    fn a_list_with_bom_merges_duplicates_and_keeps_segments() {
        let csv = "\u{feff}Email,Name,Language,tenure\r\n\
                   An@Example.com,An,en,over_3y\r\n\
                   binh@example.vn,Bình,,\r\n\
                   an@example.com,,vi,\r\n";
        let list = read(csv).unwrap();
        assert_eq!(list.merged, 1);
        assert_eq!(list.contacts.len(), 2);
        let an = &list.contacts[0];
        assert_eq!(an.email, "an@example.com");
        assert_eq!(an.name, "An", "an empty later name does not erase");
        assert_eq!(an.locale, Locale::Vi, "the later language wins");
        assert_eq!(
            an.segments.get("tenure").map(String::as_str),
            Some("over_3y")
        );
        assert_eq!(
            list.contacts[1].locale,
            Locale::Vi,
            "empty takes the default"
        );
        assert!(list.contacts[1].segments.is_empty());
    }

    #[test]
    fn bad_rows_are_named_by_line_and_refuse_the_list() {
        let csv = "email,language\nok@example.com,en\nnot-an-address,en\nx@example.com,fr\n";
        assert_eq!(
            read(csv).unwrap_err(),
            vec![
                UploadProblem::BadEmail {
                    line: 3,
                    value: "not-an-address".into()
                },
                UploadProblem::BadLanguage {
                    line: 4,
                    value: "fr".into()
                },
            ]
        );
        assert_eq!(
            read("name\nAn\n").unwrap_err(),
            vec![UploadProblem::NoEmailColumn]
        );
        assert_eq!(read("email\n\n").unwrap_err(), vec![UploadProblem::Empty]);
        assert_eq!(
            read_contacts(b"email\n\xff@x.vn\n", Locale::En).unwrap_err(),
            vec![UploadProblem::NotUtf8]
        );
        assert!(matches!(
            read("email,Email\na@b.vn,a@b.vn\n").unwrap_err()[..],
            [UploadProblem::BadColumn(_)]
        ));
    }

    #[test]
    fn the_cap_holds_back_and_unsubscribed_are_never_planned() {
        let r = |contact_id, unsubscribed, invited| Recipient {
            contact_id,
            unsubscribed,
            invited,
        };
        let recent = HashMap::from([(3, 2), (4, 1)]);
        let plan = plan_send(
            &[
                r(1, true, false),
                r(2, false, true),
                r(3, false, false),
                r(4, false, false),
            ],
            &recent,
            2,
        );
        assert_eq!(plan.to_queue, vec![4]);
        assert_eq!(
            (plan.unsubscribed, plan.already_invited, plan.held_by_cap),
            (1, 1, 1)
        );
    }

    #[test]
    fn reminders_go_to_non_completers_after_the_days_at_most_twice() {
        let day = 24 * 3600 * 1000;
        let s = |last_seq, completed| Sent {
            last_seq,
            last_sent_at: Some(0),
            completed,
            unsubscribed: false,
        };
        assert_eq!(reminder_due(&s(0, false), 3 * day, 3), Some(1));
        assert_eq!(
            reminder_due(&s(0, false), 3 * day - 1, 3),
            None,
            "too early"
        );
        assert_eq!(reminder_due(&s(1, false), 3 * day, 3), Some(2));
        assert_eq!(reminder_due(&s(2, false), 30 * day, 3), None, "two at most");
        assert_eq!(reminder_due(&s(0, true), 30 * day, 3), None, "completed");
        let unsent = Sent {
            last_sent_at: None,
            ..s(0, false)
        };
        assert_eq!(reminder_due(&unsent, 30 * day, 3), None, "not out yet");
    }

    #[test]
    fn retries_back_off_and_the_rate_is_shared() {
        assert_eq!(retry_delay_ms(1, 1000), 1000);
        assert_eq!(retry_delay_ms(3, 1000), 4000);
        assert_eq!(retry_delay_ms(40, 60_000), 6 * 3600 * 1000);
        assert_eq!(send_budget(60, 50, 5), 5);
        assert_eq!(send_budget(60, 70, 0), 0);
    }
}
