//! A sentence not yet worded: a locale key with named arguments. Refusals, settings problems
//! and errors are built as [`Message`]s, cross the socket as such (`{"code": …, "args": …}`),
//! and each process words them in its own language ([`Texts::say`](crate::text::Texts::say)).
//! Their English form, from the same locale file, is what the log and the JSON output keep.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A locale key (`error.strict`) and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

/// One argument: a number (`count` selects the plural form), words to insert as they are, a
/// break kind or another message, both worded by the reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Number(u64),
    Text(String),
    Nested(Box<Message>),
}

impl Message {
    pub fn new(code: &str) -> Self {
        Self { code: code.to_owned(), args: BTreeMap::new() }
    }

    /// With `{name}` standing for `value`, inserted as it is (a setting's key, a path, a value
    /// the person wrote).
    pub fn text(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.args.insert(name.to_owned(), Arg::Text(value.to_string()));
        self
    }

    /// With `{name}` standing for a number; `count` also chooses the plural form.
    pub fn number(mut self, name: &str, value: u64) -> Self {
        self.args.insert(name.to_owned(), Arg::Number(value));
        self
    }

    /// With `{name}` standing for another message, worded first.
    pub fn nested(mut self, name: &str, message: Message) -> Self {
        self.args.insert(name.to_owned(), Arg::Nested(Box::new(message)));
        self
    }

    /// With `{name}` standing for a break kind as a noun within a sentence ("stretch").
    pub fn kind(self, name: &str, kind: crate::record::BreakKind) -> Self {
        self.nested(name, Message::new(&format!("overlay.kind.{kind}.noun")))
    }

    /// The English words, for the log, the JSON output and `Display`.
    pub fn english(&self) -> String {
        crate::text::english().say(self)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_crosses_as_a_code_with_arguments_and_reads_back() {
        let message = Message::new("problem.or_write").text("word", "off").nested("reason", Message::new("problem.not_boolean").text("value", "3"));
        let line = serde_json::to_string(&message).unwrap();
        assert_eq!(line, r#"{"code":"problem.or_write","args":{"reason":{"code":"problem.not_boolean","args":{"value":"3"}},"word":"off"}}"#);
        assert_eq!(serde_json::from_str::<Message>(&line).unwrap(), message);
        assert_eq!(message.to_string(), "must be true or false, not 3; or write \"off\"");
        let counted = Message::new("error.postpone_limit").kind("kind", crate::record::BreakKind::Stretch).number("count", 3);
        assert_eq!(counted.to_string(), "this stretch break was already postponed 3 times in a row");
        assert_eq!(serde_json::from_str::<Message>(&serde_json::to_string(&counted).unwrap()).unwrap(), counted);
    }
}
