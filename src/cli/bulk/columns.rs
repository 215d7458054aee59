//! The CSV columns of each kind of record: which header names which part of the JSON item
//! the API takes, how a cell becomes that part, and which columns a JSON pointer into the
//! item lands in, so that an error names the cell to fix rather than a pointer.

use serde_json::{Map, Value};

use crate::domain::record::RecordKind;

/// How a cell's text becomes JSON. The rules of the value are the server's; a cell only has
/// to arrive in the type the API expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    /// A number when the cell reads as one; otherwise the text, which the server's rules
    /// then refuse, as they would over HTTP.
    Number,
    /// A list in one cell, its entries separated by `;` or spaces (NIKs hold neither).
    List,
}

/// A column of the shared schema.
#[derive(Debug)]
struct Field {
    header: &'static str,
    /// Where the cell goes in the item.
    path: &'static [&'static str],
    shape: Shape,
    /// Every record needs it, so a header without it is refused before any row is read.
    required: bool,
}

const fn field(
    header: &'static str,
    path: &'static [&'static str],
    shape: Shape,
    required: bool,
) -> Field {
    Field {
        header,
        path,
        shape,
        required,
    }
}

const GRADUATION: &[Field] = &[
    field("source_record_id", &["source_record_id"], Shape::Text, true),
    field("program", &["program"], Shape::Text, true),
    field("kk", &["household", "kk"], Shape::Text, true),
    field("head_nik", &["household", "head_nik"], Shape::Text, true),
    field("member_niks", &["member_niks"], Shape::List, false),
    field("region_code", &["region_code"], Shape::Text, true),
    field("graduation_type", &["graduation_type"], Shape::Text, true),
    field("graduated_on", &["graduated_on"], Shape::Text, true),
    field("welfare_decile", &["welfare_decile"], Shape::Number, false),
    field("reason", &["reason"], Shape::Text, false),
];

const ENROLLMENT: &[Field] = &[
    field("source_record_id", &["source_record_id"], Shape::Text, true),
    field("program", &["program"], Shape::Text, true),
    // Either may be empty, not both: the server's rule about `subject`.
    field("subject_nik", &["subject", "nik"], Shape::Text, false),
    field("subject_kk", &["subject", "kk"], Shape::Text, false),
    field("region_code", &["region_code"], Shape::Text, true),
    field("status", &["status"], Shape::Text, true),
    field("enrolled_on", &["enrolled_on"], Shape::Text, true),
    field("ended_on", &["ended_on"], Shape::Text, false),
    field("graduation_id", &["graduation_id"], Shape::Text, false),
];

/// A header starting so (`attr.pendamping`) names a member of `attributes`.
pub const ATTRIBUTE_PREFIX: &str = "attr.";
/// The column a rejected-rows file adds. It is ignored when read, so that the rows can be
/// fixed in that file and the file sent again.
pub const ERRORS: &str = "errors";

fn fields(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Graduation => GRADUATION,
        RecordKind::Enrollment => ENROLLMENT,
    }
}

/// The header names of `kind`'s columns, in the templates' order.
pub fn headers(kind: RecordKind) -> impl Iterator<Item = &'static str> {
    fields(kind).iter().map(|f| f.header)
}

#[derive(Debug)]
enum Column {
    Field(&'static Field),
    /// One member of `attributes`, by its name.
    Attribute(String),
    Errors,
}

impl Column {
    /// The pointer of the item's part the column fills.
    fn pointer(&self) -> Option<String> {
        match self {
            Self::Field(f) => Some(f.path.iter().map(|s| format!("/{s}")).collect()),
            Self::Attribute(name) => Some(format!(
                "/attributes/{}",
                name.replace('~', "~0").replace('/', "~1")
            )),
            Self::Errors => None,
        }
    }
}

/// The columns of one CSV file, as its header row names them.
#[derive(Debug)]
pub struct Layout {
    pub kind: RecordKind,
    columns: Vec<Column>,
}

impl Layout {
    /// Reads the header row; `kind` when the user gave it, else told by the header. Every
    /// problem is returned, each naming its column by number (and by its header only when
    /// that is one of the schema's names: an unknown header could be anything, a NIK too).
    pub fn parse(headers: &[String], kind: Option<RecordKind>) -> Result<Self, Vec<String>> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let Some(kind) = kind.or_else(|| infer(&names)) else {
            return Err(vec![
                "the header does not say whether the rows are graduations or enrollments; \
                 give --kind"
                    .to_owned(),
            ]);
        };
        let known = fields(kind);
        let mut problems = Vec::new();
        let mut columns = Vec::with_capacity(headers.len());
        for (i, (header, name)) in headers.iter().zip(&names).enumerate() {
            let number = i + 1;
            let column = if let Some(f) = known.iter().find(|f| f.header == name) {
                Column::Field(f)
            } else if name == ERRORS {
                Column::Errors
            } else if name.starts_with(ATTRIBUTE_PREFIX) {
                let attribute = header.trim()[ATTRIBUTE_PREFIX.len()..].trim();
                if attribute.is_empty() {
                    problems.push(format!(
                        "column {number} names no attribute after `{ATTRIBUTE_PREFIX}`"
                    ));
                }
                Column::Attribute(attribute.to_owned())
            } else {
                // The other kind's columns are the schema's names too, and may be repeated.
                let other = [GRADUATION, ENROLLMENT]
                    .iter()
                    .flat_map(|fields| fields.iter())
                    .find(|f| f.header == name)
                    .map_or_else(String::new, |f| format!(" ({})", f.header));
                problems.push(if name.is_empty() {
                    format!("column {number} has no name in the header")
                } else {
                    format!(
                        "column {number}{other} is not a column of {kind}s; the columns are {}, \
                         {ATTRIBUTE_PREFIX}NAME for an attribute, and {ERRORS} (ignored)",
                        headers_of(kind)
                    )
                });
                continue;
            };
            if let Some(first) = columns
                .iter()
                .position(|(_, c): &(usize, Column)| same(c, &column))
            {
                let first = columns[first].0;
                problems.push(match &column {
                    Column::Field(f) => {
                        format!("columns {first} and {number} are both {}", f.header)
                    }
                    Column::Attribute(_) => {
                        format!("columns {first} and {number} name the same attribute")
                    }
                    Column::Errors => format!("columns {first} and {number} are both {ERRORS}"),
                });
            }
            columns.push((number, column));
        }
        for f in known.iter().filter(|f| f.required) {
            if !names.iter().any(|n| n == f.header) {
                problems.push(format!("no column {}; every {kind} needs one", f.header));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            kind,
            columns: columns.into_iter().map(|(_, c)| c).collect(),
        })
    }

    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The position of the `errors` column, if the file has one.
    pub fn errors_column(&self) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| matches!(c, Column::Errors))
    }

    /// The JSON item of one row, whose cells are trimmed; an empty cell leaves its field out.
    pub fn item(&self, cells: &[&str]) -> Value {
        let mut item = Map::new();
        for (column, cell) in self.columns.iter().zip(cells) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::Field(f) => insert(&mut item, f.path, value_of(f.shape, cell)),
                Column::Attribute(name) => {
                    insert(&mut item, &["attributes", name], attribute_value(cell))
                }
                Column::Errors => {}
            }
        }
        Value::Object(item)
    }

    /// Where in the row the item's part at `pointer` is: `column 3 (kk)`, `column 5
    /// (member_niks), entry 2`, `columns 3 (kk) and 4 (head_nik)`; `None` for the whole row.
    pub fn locate(&self, pointer: &str) -> Option<String> {
        if pointer.is_empty() {
            return None;
        }
        let mut at = Vec::new();
        let mut covering = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            let Some(own) = column.pointer() else {
                continue;
            };
            if let Some(rest) = pointer.strip_prefix(own.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                at.push((i, rest.trim_start_matches('/').to_owned()));
            } else if own
                .strip_prefix(pointer)
                .is_some_and(|rest| rest.starts_with('/'))
            {
                covering.push(i);
            }
        }
        if let Some((i, rest)) = at.first() {
            let entry = match (&self.columns[*i], rest.parse::<usize>()) {
                (Column::Field(f), Ok(n)) if f.shape == Shape::List => {
                    format!(", entry {}", n + 1)
                }
                _ => String::new(),
            };
            return Some(format!("column {}{entry}", self.name(*i)));
        }
        match covering.as_slice() {
            [] => Some(format!("field {pointer}")),
            [i] => Some(format!("column {}", self.name(*i))),
            [first @ .., last] => {
                let first: Vec<String> = first.iter().map(|i| self.name(*i)).collect();
                Some(format!(
                    "columns {} and {}",
                    first.join(", "),
                    self.name(*last)
                ))
            }
        }
    }

    /// A column by its number, with its header when that is one of the schema's names.
    fn name(&self, i: usize) -> String {
        match &self.columns[i] {
            Column::Field(f) => format!("{} ({})", i + 1, f.header),
            Column::Attribute(_) => format!("{} (an attribute)", i + 1),
            Column::Errors => format!("{} ({ERRORS})", i + 1),
        }
    }
}

fn same(a: &Column, b: &Column) -> bool {
    match (a, b) {
        (Column::Field(a), Column::Field(b)) => a.header == b.header,
        (Column::Attribute(a), Column::Attribute(b)) => a == b,
        (Column::Errors, Column::Errors) => true,
        _ => false,
    }
}

fn headers_of(kind: RecordKind) -> String {
    headers(kind).collect::<Vec<_>>().join(", ")
}

/// The kind whose own columns (those the other kind lacks) the header holds, if only one's.
fn infer(names: &[String]) -> Option<RecordKind> {
    let has_own = |kind: RecordKind, other: RecordKind| {
        fields(kind).iter().any(|f| {
            names.iter().any(|n| n == f.header)
                && !fields(other).iter().any(|o| o.header == f.header)
        })
    };
    let graduation = has_own(RecordKind::Graduation, RecordKind::Enrollment);
    let enrollment = has_own(RecordKind::Enrollment, RecordKind::Graduation);
    match (graduation, enrollment) {
        (true, false) => Some(RecordKind::Graduation),
        (false, true) => Some(RecordKind::Enrollment),
        _ => None,
    }
}

fn value_of(shape: Shape, cell: &str) -> Value {
    match shape {
        Shape::Text => Value::from(cell),
        Shape::Number => {
            if let Ok(n) = cell.parse::<i64>() {
                Value::from(n)
            } else if let Some(n) = cell
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Value::Number(n)
            } else {
                Value::from(cell)
            }
        }
        Shape::List => cell
            .split(|c: char| c == ';' || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .map(Value::from)
            .collect(),
    }
}

/// An attribute cell that is JSON other than `null` (a number, `true`, an object, a quoted
/// string) is that value; any other text is a string. So `12` is a number and `"12"` the text.
fn attribute_value(cell: &str) -> Value {
    match serde_json::from_str::<Value>(cell) {
        Ok(Value::Null) | Err(_) => Value::from(cell),
        Ok(value) => value,
    }
}

fn insert(item: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = item;
    for key in parents {
        let slot = at.entry(*key).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(next) = slot else {
            unreachable!("only the column table makes objects, and no column fills a parent")
        };
        at = next;
    }
    at.insert((*last).to_owned(), value);
}

#[cfg(test)]
mod tests;
