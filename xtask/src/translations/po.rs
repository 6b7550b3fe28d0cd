//! Reading and writing gettext PO files, the format translators' tools (Poedit, Weblate, Crowdin) edit.
//!
//! Written here rather than taken from a crate because the course needs what the PO crates on crates.io do not
//! give: the line of every entry (so a check can say `translations/ja.po:120: fuzzy`), the previous context and
//! msgid (`#| msgctxt`, `#| msgid`) that msgmerge keeps on a fuzzy entry, which show a translator what changed,
//! and a file that comes back byte for byte. A translator's editor wraps long strings over several quoted lines
//! and writes comments, flags and header fields the course never looks at; `cargo xtask translations` must not
//! rewrite any of that. `polib` (0.3), for one, keeps each string only as its joined value, and has no line
//! numbers and no `#|` fields.
//!
//! What is kept of a file:
//! - the header entry ([`Header`]): the comments above it as written and every field in order;
//! - each entry: translator comments (`# `), notes (`#.`), references (`#:`), every flag (`#,`), the previous
//!   context, msgid and plural (`#|`), `msgctxt`, `msgid`, `msgid_plural`, `msgstr` or `msgstr[n]`;
//! - obsolete entries (`#~`), written at the end as msgmerge does;
//! - how each string was split into quoted pieces and the references over `#:` lines ([`Layout`]): what did not
//!   change is written the same way; a changed or new string is written one piece per line of its text, never
//!   wrapped.
//!
//! A UTF-8 byte order mark and CRLF line ends are read; the file is written back without them.

use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// One translatable message of a PO file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// The translator's own comments (`# ...` lines), in order, without the `# `.
    pub comments: Vec<String>,
    /// Where the English text comes from (`#: lessons/01-neural-networks.md:12`).
    pub references: Vec<String>,
    /// Notes for the translator (`#.` lines).
    pub notes: Vec<String>,
    /// The translation no longer matches the English: review it (`#, fuzzy`).
    pub fuzzy: bool,
    /// The flags other than `fuzzy` (`#, c-format`, `#, no-wrap`...), in the order read.
    pub flags: Vec<String>,
    /// For a fuzzy entry, the context of the message it was translated from (`#| msgctxt`).
    pub previous_context: Option<String>,
    /// For a fuzzy entry, the English it was translated from (`#| msgid`).
    pub previous: Option<String>,
    /// For a fuzzy plural entry, the English plural it was translated from (`#| msgid_plural`).
    pub previous_plural: Option<String>,
    /// What distinguishes this message from another with the same English (`msgctxt`): the key of a crate
    /// message; `None` for the lessons' messages.
    pub context: Option<String>,
    /// The English text.
    pub msgid: String,
    /// For a plural message, the English plural (`msgid_plural`). The course's own messages have none; a file
    /// from another tool may carry some.
    pub msgid_plural: Option<String>,
    /// The translation; empty when not yet translated. For a plural message, the first form (`msgstr[0]`).
    pub msgstr: String,
    /// For a plural message, the other forms (`msgstr[1]`, `msgstr[2]`, ...).
    pub msgstr_plural: Vec<String>,
    /// The line of `msgid` in the file (0 for entries not read from a file).
    pub line: usize,
    /// How the entry was written in its file, reused for what did not change.
    pub layout: Layout,
}

impl Entry {
    /// Whether the message has a translation (any form of a plural message).
    pub fn is_translated(&self) -> bool {
        !self.msgstr.is_empty() || self.msgstr_plural.iter().any(|s| !s.is_empty())
    }
}

/// Which string of an entry quoted pieces belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Context,
    Msgid,
    Plural,
    /// `msgstr` (0) or `msgstr[n]`.
    Msgstr(usize),
    PreviousContext,
    PreviousMsgid,
    PreviousPlural,
}

/// How an entry was written in the file it was read from: the quoted pieces of each string (a PO editor wraps
/// long strings at about 79 columns), the references of each `#:` line, and where `fuzzy` was among the flags.
/// The writer reuses what still matches the entry, so an unchanged file comes back byte for byte. It describes
/// the text, not the message: two layouts always compare equal.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Each string's pieces as read, escapes kept, without the quotes.
    pieces: Vec<(Part, Vec<String>)>,
    /// The references of each `#:` line, as read.
    references: Vec<Vec<String>>,
    /// Where `fuzzy` was among the flags.
    fuzzy_at: usize,
}

impl PartialEq for Layout {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The header entry (`msgid ""`): what the file says about itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// The comment lines above the header, as written: the notes at the top of the file (`# Japanese translation
    /// of ...`, `# FIRST AUTHOR <EMAIL>, YEAR.`) and `#, fuzzy` if the header has it.
    pub comments: Vec<String>,
    /// The fields (`Project-Id-Version`, `Last-Translator`, `Language`, `Plural-Forms`, `X-Generator`, ...) as
    /// (name, value), in order.
    pub fields: Vec<(String, String)>,
    /// How the header's text was split into quoted pieces.
    pub layout: Layout,
}

/// A PO file: its header and its entries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// The language code, e.g. `ja`.
    pub language: String,
    /// The header read from the file; `None` for a new catalog, which is written with the course's comments and
    /// the fields `Content-Type` and `Language`.
    pub header: Option<Header>,
    /// The entries, in the order of the source.
    pub entries: Vec<Entry>,
    /// Obsolete entries (`#~`): translations of messages that are gone, kept at the end of the file (as msgmerge
    /// does) in case their English comes back.
    pub obsolete: Vec<Entry>,
}

/// The comments at the top of a PO file the course starts.
const COURSE_COMMENTS: [&str; 3] = [
    "# Translations of the blitz lessons. Edit with any PO editor (Poedit, Weblate, ...).",
    "# `cargo xtask translations` updates this file from lessons/ and the blitz crate's messages",
    "# (crate/src/messages/english.rs, with their key as msgctxt) and marks changed messages fuzzy.",
];

/// Parses PO text; `file` names the file in errors.
pub fn parse(file: &Path, text: &str) -> Result<Catalog> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        file,
        catalog: Catalog::default(),
        entry: Entry::default(),
        comment_lines: Vec::new(),
        obsolete: false,
        started: false,
        complete: false,
        target: None,
    };
    for (i, raw) in text.lines().enumerate() {
        reader.line(i + 1, raw.trim())?;
    }
    if reader.started {
        if !reader.complete {
            bail!("{}: the last entry has no `msgstr`", file.display());
        }
        reader.finish()?;
    }
    Ok(reader.catalog)
}

/// The state of [`parse`] between lines.
struct Reader<'a> {
    file: &'a Path,
    catalog: Catalog,
    /// The entry being read.
    entry: Entry,
    /// Its comment lines as written (kept for the header).
    comment_lines: Vec<String>,
    /// Whether its keyword lines are obsolete (`#~ msgid ...`).
    obsolete: bool,
    /// Whether its `msgctxt` or `msgid` was read.
    started: bool,
    /// Whether its `msgstr` was read: a comment, `msgctxt` or `msgid` now starts the next entry.
    complete: bool,
    /// The string that quoted continuation lines extend.
    target: Option<Part>,
}

impl Reader<'_> {
    /// Reads one line, already trimmed.
    fn line(&mut self, line_no: usize, line: &str) -> Result<()> {
        let at = format!("{}:{line_no}", self.file.display());
        if line.is_empty() {
            return Ok(());
        }
        let (obsolete, body) = match line.strip_prefix("#~") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let previous = if obsolete {
            body.strip_prefix('|')
        } else {
            body.strip_prefix("#|")
        };
        if let Some(rest) = previous {
            return self.previous_line(&at, rest.trim_start());
        }
        if !obsolete && body.starts_with('#') {
            return self.comment(line);
        }
        self.keyword_line(&at, line_no, line, obsolete, body)
    }

    /// A comment line: translator comment, note, references or flags.
    fn comment(&mut self, line: &str) -> Result<()> {
        if self.complete {
            self.finish()?;
        }
        self.comment_lines.push(line.to_string());
        let e = &mut self.entry;
        if let Some(rest) = line.strip_prefix("#:") {
            let references: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            if !references.is_empty() {
                e.references.extend(references.iter().cloned());
                e.layout.references.push(references);
            }
        } else if let Some(rest) = line.strip_prefix("#.") {
            e.notes.push(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("#,") {
            for flag in rest.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                if flag == "fuzzy" {
                    e.fuzzy = true;
                    e.layout.fuzzy_at = e.flags.len();
                } else if !e.flags.iter().any(|f| f == flag) {
                    e.flags.push(flag.to_string());
                }
            }
        } else {
            let text = &line[1..];
            e.comments
                .push(text.strip_prefix(' ').unwrap_or(text).to_string());
        }
        Ok(())
    }

    /// A `#|` (or obsolete `#~|`) line, `rest` after the `|`: the previous context, msgid or plural.
    fn previous_line(&mut self, at: &str, rest: &str) -> Result<()> {
        if self.complete {
            self.finish()?;
        }
        if rest.starts_with('"') {
            if !matches!(
                self.target,
                Some(Part::PreviousContext | Part::PreviousMsgid | Part::PreviousPlural)
            ) {
                bail!("{at}: a `#|` continuation without `#| msgid` before it");
            }
            return self.continue_string(at, rest);
        }
        let part = if let Some(quoted) = rest.strip_prefix("msgctxt") {
            (Part::PreviousContext, quoted)
        } else if let Some(quoted) = rest.strip_prefix("msgid_plural") {
            (Part::PreviousPlural, quoted)
        } else if let Some(quoted) = rest.strip_prefix("msgid") {
            (Part::PreviousMsgid, quoted)
        } else {
            bail!("{at}: cannot read `#| {rest}`: a `#|` line holds `msgctxt`, `msgid` or `msgid_plural`");
        };
        self.start_string(at, part.0, part.1)
    }

    /// A line of `msgctxt`, `msgid`, `msgid_plural`, `msgstr`, `msgstr[n]` or a quoted continuation (`body`,
    /// after `#~` for an obsolete entry).
    fn keyword_line(
        &mut self,
        at: &str,
        line_no: usize,
        line: &str,
        obsolete: bool,
        body: &str,
    ) -> Result<()> {
        if body.starts_with('"') {
            return self.continue_string(at, body);
        }
        let same_entry = self.started && self.obsolete == obsolete;
        if let Some(quoted) = body.strip_prefix("msgctxt") {
            self.begin(at, obsolete)?;
            self.start_string(at, Part::Context, quoted)
        } else if let Some(quoted) = body.strip_prefix("msgid_plural") {
            if !same_entry || self.target != Some(Part::Msgid) {
                bail!("{at}: `msgid_plural` without a `msgid` just before it");
            }
            self.start_string(at, Part::Plural, quoted)
        } else if let Some(quoted) = body.strip_prefix("msgid") {
            self.begin(at, obsolete)?;
            self.entry.line = line_no;
            self.start_string(at, Part::Msgid, quoted)
        } else if let Some(rest) = body.strip_prefix("msgstr[") {
            let (n, quoted) = rest
                .split_once(']')
                .and_then(|(n, quoted)| Some((n.trim().parse::<usize>().ok()?, quoted)))
                .with_context(|| {
                    format!("{at}: cannot read `{line}`: expected `msgstr[n] \"...\"`")
                })?;
            let before = if n == 0 {
                Part::Plural
            } else {
                Part::Msgstr(n - 1)
            };
            if !same_entry || self.target != Some(before) {
                bail!(
                    "{at}: `msgstr[{n}]` out of order: a plural entry has `msgid`, `msgid_plural`, then `msgstr[0]`, \
                     `msgstr[1]`, ..."
                );
            }
            if n > 0 {
                self.entry.msgstr_plural.push(String::new());
            }
            self.complete = true;
            self.start_string(at, Part::Msgstr(n), quoted)
        } else if let Some(quoted) = body.strip_prefix("msgstr") {
            if !same_entry || self.target != Some(Part::Msgid) {
                bail!("{at}: `msgstr` without a `msgid` just before it");
            }
            self.complete = true;
            self.start_string(at, Part::Msgstr(0), quoted)
        } else {
            bail!(
                "{at}: cannot read `{line}`: a PO line starts with `#`, `msgid`, `msgstr` or a quoted string"
            );
        }
    }

    /// A `msgctxt` or `msgid` line: the start of an entry, or of the next one if this one is complete.
    fn begin(&mut self, at: &str, obsolete: bool) -> Result<()> {
        if self.complete {
            self.finish()?;
        }
        if self.started && self.obsolete != obsolete {
            bail!("{at}: an entry mixes obsolete (`#~`) and live lines");
        }
        self.started = true;
        self.obsolete = obsolete;
        Ok(())
    }

    /// The first quoted piece of a string.
    fn start_string(&mut self, at: &str, part: Part, quoted: &str) -> Result<()> {
        let (value, raw) = unquote(quoted).with_context(|| at.to_string())?;
        *self.string(part) = value;
        let pieces = &mut self.entry.layout.pieces;
        pieces.retain(|(p, _)| *p != part);
        pieces.push((part, vec![raw.to_string()]));
        self.target = Some(part);
        Ok(())
    }

    /// A quoted line that continues the last string.
    fn continue_string(&mut self, at: &str, quoted: &str) -> Result<()> {
        let (more, raw) = unquote(quoted).with_context(|| at.to_string())?;
        let Some(part) = self.target else {
            bail!("{at}: a quoted line that continues nothing");
        };
        self.string(part).push_str(&more);
        if let Some((_, pieces)) = self.entry.layout.pieces.last_mut() {
            pieces.push(raw.to_string());
        }
        Ok(())
    }

    /// The string of the entry being read that `part` names.
    fn string(&mut self, part: Part) -> &mut String {
        let e = &mut self.entry;
        match part {
            Part::Context => e.context.get_or_insert_with(String::new),
            Part::Msgid => &mut e.msgid,
            Part::Plural => e.msgid_plural.get_or_insert_with(String::new),
            Part::Msgstr(0) => &mut e.msgstr,
            Part::Msgstr(n) => &mut e.msgstr_plural[n - 1],
            Part::PreviousContext => e.previous_context.get_or_insert_with(String::new),
            Part::PreviousMsgid => e.previous.get_or_insert_with(String::new),
            Part::PreviousPlural => e.previous_plural.get_or_insert_with(String::new),
        }
    }

    /// Files the entry read: the header, an entry or an obsolete entry.
    fn finish(&mut self) -> Result<()> {
        let entry = std::mem::take(&mut self.entry);
        let comments = std::mem::take(&mut self.comment_lines);
        let obsolete = self.obsolete;
        self.obsolete = false;
        self.started = false;
        self.complete = false;
        self.target = None;
        let at = format!("{}:{}", self.file.display(), entry.line);
        if obsolete {
            self.catalog.obsolete.push(entry);
        } else if entry.context.is_none() && entry.msgid.is_empty() && entry.msgid_plural.is_none()
        {
            if self.catalog.header.is_some() {
                bail!("{at}: a second header (`msgid \"\"`): a PO file has one");
            }
            let mut fields = Vec::new();
            for line in entry.msgstr.split('\n').filter(|l| !l.trim().is_empty()) {
                let Some((name, value)) = line.split_once(':') else {
                    bail!("{at}: the header line `{line}` is not `Name: value`");
                };
                let value = value.strip_prefix(' ').unwrap_or(value);
                if name == "Language" {
                    self.catalog.language = value.trim().to_string();
                }
                fields.push((name.to_string(), value.to_string()));
            }
            self.catalog.header = Some(Header {
                comments,
                fields,
                layout: entry.layout,
            });
        } else {
            self.catalog.entries.push(entry);
        }
        Ok(())
    }
}

/// A PO string literal's content, and the literal's text between the quotes as written.
fn unquote(s: &str) -> Result<(String, &str)> {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .with_context(|| format!("expected a string in double quotes, found `{s}`"))?;
    Ok((unescape(inner)?, inner))
}

/// The text a PO string literal's content (without the quotes) stands for: C escapes as gettext reads them.
fn unescape(inner: &str) -> Result<String> {
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if c == '"' {
                bail!("a `\"` inside a string must be written `\\\"`");
            }
            out.push(c);
            continue;
        }
        let escaped = match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('a') => '\x07',
            Some('b') => '\x08',
            Some('f') => '\x0c',
            Some('v') => '\x0b',
            Some(c @ ('"' | '\\' | '\'' | '?')) => c,
            Some(first @ '0'..='7') => {
                let mut value = first.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                ascii(value)?
            }
            Some('x') => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(16)) {
                    value = value.saturating_mul(16).saturating_add(d);
                    digits += 1;
                    chars.next();
                }
                if digits == 0 {
                    bail!("`\\x` must be followed by hexadecimal digits");
                }
                ascii(value)?
            }
            other => bail!(
                "unknown escape `\\{}`",
                other.map(String::from).unwrap_or_default()
            ),
        };
        out.push(escaped);
    }
    Ok(out)
}

/// The character of a numeric escape: ASCII only, since a higher byte would be one byte of a UTF-8 sequence.
fn ascii(value: u32) -> Result<char> {
    match u8::try_from(value) {
        Ok(byte) if byte.is_ascii() => Ok(char::from(byte)),
        _ => bail!(
            "a numeric escape above 127 (one byte of a character): write the character itself"
        ),
    }
}

/// A string's content as a PO literal (without the quotes).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            c => out.push(c),
        }
    }
    out
}

/// Writes a string: with the pieces it was read with if they still spell it, otherwise one piece per line of the
/// text, after an empty first piece if there are several. Every line starts with `prefix` (`#| `, `#~ `, ...).
fn write_string(
    out: &mut String,
    prefix: &str,
    keyword: &str,
    text: &str,
    layout: &Layout,
    part: Part,
) {
    let read = layout
        .pieces
        .iter()
        .find(|(p, _)| *p == part)
        .map(|(_, pieces)| pieces)
        .filter(|pieces| !pieces.is_empty() && spells(pieces, text));
    let pieces = match read {
        Some(pieces) => pieces.clone(),
        None => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.len() <= 1 {
                vec![escape(text)]
            } else {
                std::iter::once(String::new())
                    .chain(lines.into_iter().map(escape))
                    .collect()
            }
        }
    };
    let _ = writeln!(out, "{prefix}{keyword} \"{}\"", pieces[0]);
    for piece in &pieces[1..] {
        let _ = writeln!(out, "{prefix}\"{piece}\"");
    }
}

/// Whether pieces as read (escapes kept) make up `text`.
fn spells(pieces: &[String], text: &str) -> bool {
    let mut rest = text;
    for piece in pieces {
        match unescape(piece) {
            Ok(value) if rest.starts_with(value.as_str()) => rest = &rest[value.len()..],
            _ => return false,
        }
    }
    rest.is_empty()
}

/// The current UTC time as PO headers write it (`2026-11-24 13:10+0000`).
///
/// Computed here (days to a civil date, Howard Hinnant's algorithm) because a date library for one header field
/// would be more than the tool needs.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}+0000",
        rest / 3_600,
        rest % 3_600 / 60
    )
}

/// The PO text of a catalog: the header, the entries, then the obsolete entries.
pub fn write(catalog: &Catalog) -> String {
    let mut out = String::new();
    let new_header;
    let header = match &catalog.header {
        Some(header) => header,
        None => {
            // Every field `msgfmt --check` asks for; the course's languages have one plural form.
            let now = utc_now();
            new_header = Header {
                comments: COURSE_COMMENTS.iter().map(|c| c.to_string()).collect(),
                fields: [
                    ("Project-Id-Version", "blitz"),
                    ("PO-Revision-Date", now.as_str()),
                    ("Last-Translator", "blitz translators"),
                    ("Language-Team", "blitz translators"),
                    ("Language", catalog.language.as_str()),
                    ("MIME-Version", "1.0"),
                    ("Content-Type", "text/plain; charset=UTF-8"),
                    ("Content-Transfer-Encoding", "8bit"),
                    ("Plural-Forms", "nplurals=1; plural=0;"),
                ]
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
                ..Header::default()
            };
            &new_header
        }
    };
    for comment in &header.comments {
        out.push_str(comment);
        out.push('\n');
    }
    let mut fields = header.fields.clone();
    if !fields.iter().any(|(name, _)| name == "Content-Type") {
        fields.push(("Content-Type".into(), "text/plain; charset=UTF-8".into()));
    }
    match fields.iter_mut().find(|(name, _)| name == "Language") {
        Some((_, value)) if value.trim().is_empty() => *value = catalog.language.clone(),
        Some(_) => {}
        None => fields.push(("Language".into(), catalog.language.clone())),
    }
    let text: String = fields
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();
    out.push_str("msgid \"\"\n");
    write_string(
        &mut out,
        "",
        "msgstr",
        &text,
        &header.layout,
        Part::Msgstr(0),
    );
    for e in &catalog.entries {
        write_entry(&mut out, e, false);
    }
    for e in &catalog.obsolete {
        write_entry(&mut out, e, true);
    }
    out
}

/// One entry after a blank line, its comments in gettext's order: translator, notes, references, flags, previous.
fn write_entry(out: &mut String, e: &Entry, obsolete: bool) {
    out.push('\n');
    for comment in &e.comments {
        if comment.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {comment}");
        }
    }
    for note in &e.notes {
        let _ = writeln!(out, "#. {note}");
    }
    if e.layout.references.concat() == e.references {
        for line in &e.layout.references {
            let _ = writeln!(out, "#: {}", line.join(" "));
        }
    } else if !e.references.is_empty() {
        let _ = writeln!(out, "#: {}", e.references.join(" "));
    }
    let mut flags: Vec<&str> = e.flags.iter().map(String::as_str).collect();
    if e.fuzzy {
        flags.insert(e.layout.fuzzy_at.min(flags.len()), "fuzzy");
    }
    if !flags.is_empty() {
        let _ = writeln!(out, "#, {}", flags.join(", "));
    }
    let (previous, prefix) = if obsolete {
        ("#~| ", "#~ ")
    } else {
        ("#| ", "")
    };
    let layout = &e.layout;
    if let Some(context) = &e.previous_context {
        write_string(
            out,
            previous,
            "msgctxt",
            context,
            layout,
            Part::PreviousContext,
        );
    }
    if let Some(msgid) = &e.previous {
        write_string(out, previous, "msgid", msgid, layout, Part::PreviousMsgid);
    }
    if let Some(plural) = &e.previous_plural {
        write_string(
            out,
            previous,
            "msgid_plural",
            plural,
            layout,
            Part::PreviousPlural,
        );
    }
    if let Some(context) = &e.context {
        write_string(out, prefix, "msgctxt", context, layout, Part::Context);
    }
    write_string(out, prefix, "msgid", &e.msgid, layout, Part::Msgid);
    if let Some(plural) = &e.msgid_plural {
        write_string(out, prefix, "msgid_plural", plural, layout, Part::Plural);
        write_string(out, prefix, "msgstr[0]", &e.msgstr, layout, Part::Msgstr(0));
        for (i, form) in e.msgstr_plural.iter().enumerate() {
            let keyword = format!("msgstr[{}]", i + 1);
            write_string(out, prefix, &keyword, form, layout, Part::Msgstr(i + 1));
        }
    } else {
        write_string(out, prefix, "msgstr", &e.msgstr, layout, Part::Msgstr(0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translations::merge::merge;
    use std::path::PathBuf;
    use std::process::Command;

    /// A Japanese file as Poedit 3 / msgmerge save it (gettext's `msgcat` writes it back unchanged).
    const EDITOR_SAVED: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/po/editor-saved.po"
    ));

    fn editor_saved() -> Catalog {
        parse(Path::new("editor-saved.po"), EDITOR_SAVED).unwrap()
    }

    /// The English of a catalog's live entries, as `extract::all_entries` gives it: what an update merges with.
    fn english_of(catalog: &Catalog) -> Vec<Entry> {
        catalog
            .entries
            .iter()
            .map(|e| Entry {
                references: e.references.clone(),
                notes: e.notes.clone(),
                context: e.context.clone(),
                msgid: e.msgid.clone(),
                msgid_plural: e.msgid_plural.clone(),
                ..Entry::default()
            })
            .collect()
    }

    /// A folder of its own under the system's temporary folder.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "blitz-po-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs one of GNU gettext's tools: `Err` with its report when it fails. Panics when gettext is missing, so
    /// that the tests fail rather than skip the check.
    fn gettext(tool: &str, args: &[&str], path: &Path) -> std::result::Result<(), String> {
        let output = match Command::new(tool).args(args).arg(path).output() {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "{tool} is not installed: the tests check the PO files with GNU gettext's tools (`msgfmt --check`, \
                 `msgcat`); install gettext (Debian/Ubuntu: `apt install gettext`, macOS: `brew install gettext`)"
            ),
            Err(e) => panic!("cannot run {tool}: {e}"),
        };
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} {} refuses {}:\n{}",
                args.join(" "),
                path.display(),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// `msgfmt --check` on a file: `Err` with its report when it refuses the file.
    fn msgfmt_check(path: &Path) -> std::result::Result<(), String> {
        gettext("msgfmt", &["--check", "-o", "/dev/null"], path)
    }

    #[test]
    fn a_catalog_survives_writing_and_reading() {
        let catalog = Catalog {
            language: "ja".into(),
            entries: vec![
                Entry {
                    references: vec!["lessons/a.md:3".into()],
                    msgid: "One line with \"quotes\"".into(),
                    msgstr: "一行".into(),
                    ..Entry::default()
                },
                Entry {
                    context: Some("a-key".into()),
                    msgid: "{layer} refused".into(),
                    msgstr: "{layer} が拒否".into(),
                    ..Entry::default()
                },
                Entry {
                    fuzzy: true,
                    previous: Some("Old\ntext".into()),
                    msgid: "New\ntext".into(),
                    msgstr: "古い\n訳".into(),
                    ..Entry::default()
                },
            ],
            ..Catalog::default()
        };
        let text = write(&catalog);
        let mut back = parse(Path::new("x.po"), &text).unwrap();
        for e in &mut back.entries {
            e.line = 0;
        }
        assert_eq!(back.language, catalog.language);
        assert_eq!(back.entries, catalog.entries);
        assert_eq!(write(&back), text);
    }

    #[test]
    fn a_new_catalog_gets_the_course_comments_and_header() {
        let catalog = Catalog {
            language: "ko".into(),
            ..Catalog::default()
        };
        let text = write(&catalog);
        let date = text
            .lines()
            .find_map(|l| l.strip_prefix("\"PO-Revision-Date: "))
            .expect("a revision date");
        assert_eq!(date.len(), "2026-11-24 13:10+0000\\n\"".len(), "{date}");
        assert!(date.starts_with("20") && date.contains("+0000"), "{date}");
        assert_eq!(
            text.replace(date, "DATE"),
            format!(
                "{}\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: blitz\\n\"\n\
                 \"PO-Revision-Date: DATE\n\"Last-Translator: blitz translators\\n\"\n\
                 \"Language-Team: blitz translators\\n\"\n\"Language: ko\\n\"\n\"MIME-Version: 1.0\\n\"\n\
                 \"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n\
                 \"Plural-Forms: nplurals=1; plural=0;\\n\"\n",
                COURSE_COMMENTS.join("\n")
            )
        );
        // Every header field msgfmt asks for is there: no warning, not even about the header.
        let path = std::env::temp_dir().join(format!("blitz-new-{}.po", std::process::id()));
        std::fs::write(&path, write(&catalog)).unwrap();
        let out = std::process::Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(&path)
            .output()
            .expect("msgfmt (Debian: apt install gettext)");
        std::fs::remove_file(&path).unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_broken_line_is_named() {
        let err = parse(
            Path::new("t/ja.po"),
            "msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").starts_with("t/ja.po:2"), "{err:#}");
        let err = parse(Path::new("t/ja.po"), "msgid \"a\"\nmsgstr \"b\"\nhello\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t/ja.po:3: cannot read `hello`"),
            "{err}"
        );
        let err = parse(
            Path::new("t/ja.po"),
            "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t/ja.po:3: `msgstr[1]` out of order"),
            "{err}"
        );
        let err = parse(Path::new("t/ja.po"), "#~ msgid \"a\"\nmsgstr \"b\"\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t/ja.po:2: `msgstr` without a `msgid`"),
            "{err}"
        );
        let err = parse(Path::new("t/ja.po"), "msgid \"a\"\n").unwrap_err();
        assert_eq!(err.to_string(), "t/ja.po: the last entry has no `msgstr`");
        let err = parse(Path::new("t/ja.po"), "msgid \"a\"\nmsgstr \"\\q\"\n").unwrap_err();
        assert_eq!(format!("{err:#}"), "t/ja.po:2: unknown escape `\\q`");
    }

    #[test]
    fn every_construct_of_the_editor_file_is_read() {
        let catalog = editor_saved();
        assert_eq!(catalog.language, "ja");
        let header = catalog.header.as_ref().unwrap();
        assert_eq!(header.comments.len(), 5);
        assert_eq!(
            header.comments[3],
            "# Hanako Yamada <hanako@example.com>, 2024."
        );
        let names: Vec<&str> = header.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Project-Id-Version",
                "Report-Msgid-Bugs-To",
                "POT-Creation-Date",
                "PO-Revision-Date",
                "Last-Translator",
                "Language-Team",
                "Language",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding",
                "Plural-Forms",
                "X-Generator",
                "X-Poedit-SourceCharset",
            ]
        );
        assert!(header
            .fields
            .contains(&("X-Generator".into(), "Poedit 3.4.2".into())));
        let find = |msgid: &str| {
            catalog
                .entries
                .iter()
                .find(|e| e.msgid.starts_with(msgid))
                .unwrap()
        };
        assert_eq!(
            find("Neural networks").comments,
            ["「ニューラルネットワーク」は用語集どおり。"]
        );
        assert_eq!(find("one number").references.len(), 4);
        assert!(find("In this lesson")
            .msgid
            .ends_with("tell every weight which way to move."));
        assert_eq!(find("Training a network").flags, ["no-wrap"]);
        assert_eq!(
            find("Print it").msgid,
            "Print it with \"{:?}\":\tthe shape comes first, then the values \\ the device."
        );
        let fuzzy = find("{layer} expects");
        assert!(fuzzy.fuzzy);
        assert_eq!(fuzzy.previous_context.as_deref(), Some("needs-batch"));
        assert!(fuzzy.previous.as_deref().unwrap().starts_with(
            "{layer} expects a mini-batch of shape [N, {channels}, H, W], but got {got} (no"
        ));
        assert_eq!(find("%d weights").flags, ["c-format"]);
        let plural = find("one epoch");
        assert_eq!(plural.msgid_plural.as_deref(), Some("%d epochs"));
        assert_eq!(plural.msgstr, "%d エポック");
        assert_eq!(catalog.obsolete.len(), 3);
        assert_eq!(catalog.obsolete[0].comments, ["古い訳。"]);
        assert!(catalog.obsolete[1].fuzzy);
        assert_eq!(
            catalog.obsolete[1].previous.as_deref(),
            Some("The loss goes down.")
        );
        assert_eq!(catalog.obsolete[2].context.as_deref(), Some("hint-old"));
    }

    #[test]
    fn an_editor_saved_file_is_written_back_byte_for_byte() {
        assert_eq!(write(&editor_saved()), EDITOR_SAVED);
    }

    #[test]
    fn an_update_that_changes_nothing_changes_nothing() {
        let catalog = editor_saved();
        let merged = merge(&english_of(&catalog), &catalog, "ja");
        assert_eq!(write(&merged), EDITOR_SAVED);
        // And again: msgmerge of its own output changes nothing.
        assert_eq!(
            write(&merge(&english_of(&catalog), &merged, "ja")),
            EDITOR_SAVED
        );
    }

    #[test]
    fn changed_english_with_a_context_becomes_fuzzy_with_the_previous_context() {
        let catalog = editor_saved();
        let mut english = english_of(&catalog);
        let changed = english
            .iter_mut()
            .find(|e| e.context.as_deref() == Some("shape-mismatch"))
            .unwrap();
        changed.msgid = "{layer}: expected an input of shape {expected}, got {got}.".into();
        let text = write(&merge(&english, &catalog, "ja"));
        assert!(
            text.contains(
                "#, fuzzy\n\
                 #| msgctxt \"shape-mismatch\"\n\
                 #| msgid \"{layer}: expected an input of shape {expected}, but got {got}.\"\n\
                 msgctxt \"shape-mismatch\"\n\
                 msgid \"{layer}: expected an input of shape {expected}, got {got}.\"\n\
                 msgstr \"\"\n\
                 \"{layer}: 形が {expected} の入力を受け取りますが、届いたのは {got} です。\"\n"
            ),
            "{text}"
        );
        // Everything else is as the editor saved it.
        let entries = |t: &str| t.split("\n\n").map(str::to_string).collect::<Vec<_>>();
        let changed_entries = entries(&text)
            .into_iter()
            .zip(entries(EDITOR_SAVED))
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(changed_entries, 1);
        let dir = scratch("fuzzy");
        let path = dir.join("ja.po");
        std::fs::write(&path, &text).unwrap();
        msgfmt_check(&path).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_message_that_disappears_becomes_obsolete_and_comes_back_with_its_english() {
        let catalog = editor_saved();
        let english = english_of(&catalog);
        let without: Vec<Entry> = english
            .iter()
            .filter(|e| e.msgid != "Neural networks with blitz" && e.msgid_plural.is_none())
            .cloned()
            .collect();
        let merged = merge(&without, &catalog, "ja");
        assert_eq!(merged.entries.len(), catalog.entries.len() - 2);
        let gone: Vec<&str> = merged.obsolete.iter().map(|e| e.msgid.as_str()).collect();
        assert_eq!(gone[..2], ["Neural networks with blitz", "one epoch"]);
        assert_eq!(merged.obsolete.len(), catalog.obsolete.len() + 2);
        let text = write(&merged);
        assert!(
            text.contains(
                "\n# 「ニューラルネットワーク」は用語集どおり。\n\
                 #~ msgid \"Neural networks with blitz\"\n\
                 #~ msgstr \"blitz で学ぶニューラルネットワーク\"\n\
                 \n\
                 #~ msgid \"one epoch\"\n\
                 #~ msgid_plural \"%d epochs\"\n\
                 #~ msgstr[0] \"%d エポック\"\n"
            ),
            "{text}"
        );
        let dir = scratch("obsolete");
        let path = dir.join("ja.po");
        std::fs::write(&path, &text).unwrap();
        msgfmt_check(&path).unwrap();
        std::fs::remove_dir_all(dir).unwrap();
        // Read back, then the English returns: both messages are revived as they were.
        let back = parse(Path::new("ja.po"), &text).unwrap();
        assert_eq!(write(&back), text);
        let revived = merge(&english, &back, "ja");
        assert_eq!(write(&revived), EDITOR_SAVED);
        // An untranslated message that disappears is dropped, as msgmerge does.
        let without_untranslated: Vec<Entry> = english
            .iter()
            .filter(|e| e.msgid != "Not translated yet.")
            .cloned()
            .collect();
        let merged = merge(&without_untranslated, &catalog, "ja");
        assert_eq!(merged.obsolete.len(), catalog.obsolete.len());
        assert!(!write(&merged).contains("Not translated yet."));
    }

    #[test]
    fn plural_forms_escapes_crlf_and_a_byte_order_mark_are_read() {
        let text = "\u{feff}msgid \"\"\r\nmsgstr \"\"\r\n\"Language: ko\\n\"\r\n\"Content-Type: text/plain; charset=UTF-8\\n\"\r\n\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\r\n\r\n\
                    #, c-format\r\nmsgid \"%d file\"\r\nmsgid_plural \"%d files\"\r\nmsgstr[0] \"%d \\x41\\101\"\r\n\
                    msgstr[1] \"%d \\r\\a\\b\\f\\v\\\\\\\"\\'\\?\"\r\n";
        let catalog = parse(Path::new("ko.po"), text).unwrap();
        assert_eq!(catalog.language, "ko");
        let e = &catalog.entries[0];
        assert_eq!(e.msgid_plural.as_deref(), Some("%d files"));
        assert_eq!(e.msgstr, "%d AA");
        assert_eq!(e.msgstr_plural, ["%d \r\x07\x08\x0c\x0b\\\"'?"]);
        assert_eq!(e.flags, ["c-format"]);
        // Written without the BOM and CR, with the escapes as they were: reading that gives the same catalog.
        let written = write(&catalog);
        assert_eq!(written, text.replace('\u{feff}', "").replace("\r\n", "\n"));
        assert_eq!(parse(Path::new("ko.po"), &written).unwrap(), catalog);
        // A changed string is written with gettext's escapes.
        let mut changed = catalog.clone();
        changed.entries[0].msgstr_plural[0].push('\r');
        let written = write(&changed);
        assert!(
            written.contains("msgstr[1] \"%d \\r\\a\\b\\f\\v\\\\\\\"'?\\r\"\n"),
            "{written}"
        );
        assert_eq!(parse(Path::new("ko.po"), &written).unwrap(), changed);
    }

    #[test]
    fn the_header_keeps_its_fields_and_gets_only_what_is_missing() {
        let text = "# Korean.\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: blitz\\n\"\n\"Language: \\n\"\n\
                    \"X-Generator: Weblate 5.0\\n\"\n";
        let mut catalog = parse(Path::new("ko.po"), text).unwrap();
        catalog.language = "ko".into();
        assert_eq!(
            write(&catalog),
            "# Korean.\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: blitz\\n\"\n\"Language: ko\\n\"\n\
             \"X-Generator: Weblate 5.0\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
        );
        let err = parse(
            Path::new("ko.po"),
            "msgid \"\"\nmsgstr \"Language: ko\\n\"\n\nmsgid \"\"\nmsgstr \"Language: ja\\n\"\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("ko.po:4: a second header"),
            "{err}"
        );
    }

    #[test]
    fn a_changed_string_is_written_again_and_an_unchanged_one_keeps_its_pieces() {
        let mut catalog = editor_saved();
        let entry = catalog
            .entries
            .iter_mut()
            .find(|e| e.msgid.starts_with("In this lesson"))
            .unwrap();
        entry.msgstr = "短い\n訳".into();
        let text = write(&catalog);
        assert!(
            text.contains(
                "msgid \"\"\n\
                 \"In this lesson you build a small neural network in Rust, watch it compute an \"\n\
                 \"answer, measure how wrong the answer is, and let automatic differentiation \"\n\
                 \"tell every weight which way to move.\"\n\
                 msgstr \"\"\n\"短い\\n\"\n\"訳\"\n"
            ),
            "{text}"
        );
    }

    /// Every PO file in `translations/`, the fixture, and the files an update of the real lessons writes.
    #[test]
    fn msgfmt_accepts_every_po_file_the_tool_reads_or_writes() {
        let root = crate::layout::repo_root();
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("translations"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "po"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no PO file in translations/");
        files.push(root.join("xtask/tests/fixtures/po/editor-saved.po"));
        let lessons = crate::lessons::load_lessons(&root.join("lessons")).unwrap();
        let current = crate::translations::extract::all_entries(&root, &lessons).unwrap();
        let dir = scratch("msgfmt");
        for lang in crate::translations::LANGUAGES {
            let old = crate::translations::load(&root, lang).unwrap();
            let path = dir.join(format!("{lang}.po"));
            std::fs::write(&path, write(&merge(&current, &old, lang))).unwrap();
            files.push(path);
        }
        let refused: Vec<String> = files
            .iter()
            .filter_map(|path| msgfmt_check(path).err())
            .collect();
        std::fs::remove_dir_all(dir).unwrap();
        assert!(refused.is_empty(), "{}", refused.join("\n"));
    }

    /// The repository's PO files as gettext writes them (`msgcat` wraps every long string at 79 columns, as Poedit
    /// and msgmerge do): an update leaves them byte for byte, and the suite's check finds nothing to say.
    #[test]
    fn the_repository_files_rewrapped_by_gettext_survive_an_update_and_the_check() {
        use crate::translations::{check, extract, po_path, present_languages, update};
        let repo = crate::layout::repo_root();
        let lessons = crate::lessons::load_lessons(&repo.join("lessons")).unwrap();
        let current = extract::all_entries(&repo, &lessons).unwrap();
        let root = scratch("rewrapped");
        let glossaries = root.join("translations/glossary");
        std::fs::create_dir_all(&glossaries).unwrap();
        let langs = present_languages(&repo);
        for lang in &langs {
            let glossary = format!("{lang}.tsv");
            std::fs::copy(
                repo.join("translations/glossary").join(&glossary),
                glossaries.join(&glossary),
            )
            .unwrap();
            let path = po_path(&root, lang);
            let path_text = path.to_str().unwrap();
            gettext("msgcat", &["-o", path_text], &po_path(&repo, lang)).unwrap();
        }
        let before: Vec<String> = langs
            .iter()
            .map(|lang| std::fs::read_to_string(po_path(&root, lang)).unwrap())
            .collect();
        update(&root, &current, &langs).unwrap();
        for (lang, before) in langs.iter().zip(&before) {
            let after = std::fs::read_to_string(po_path(&root, lang)).unwrap();
            assert!(
                after == *before,
                "the update rewrote the msgcat'ed {lang}.po"
            );
            assert_eq!(
                check::problems(&root, &current, lang).unwrap(),
                Vec::<String>::new()
            );
        }
        std::fs::remove_dir_all(root).unwrap();
    }
}
