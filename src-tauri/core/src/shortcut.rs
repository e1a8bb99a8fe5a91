//! Keyboard shortcuts as written in the settings ("Ctrl+Alt+B", "Super+F9"): modifiers and one
//! key, checked here, so the daemon only turns a valid one into the desktop's key codes.
//! Modifiers: Ctrl, Alt, Shift, Super (any order, any case); keys: a letter, a digit, F1 to F12.
//! A shortcut needs Ctrl, Alt or Super, so it cannot take a key away from typing.

use crate::message::Message;
use std::fmt;

/// A key a shortcut may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A letter, lower case.
    Letter(char),
    Digit(char),
    /// F1 to F12.
    Function(u8),
}

/// A shortcut: modifiers and a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortcut {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
    pub super_key: bool,
    pub key: Key,
}

impl Shortcut {
    /// Reads "Ctrl+Alt+B"; the reason it is not one, as a locale message.
    pub fn parse(text: &str) -> Result<Self, Message> {
        let bad = || Message::new("problem.bad_shortcut").text("value", format_args!("{text:?}"));
        let parts: Vec<&str> = text.split('+').map(str::trim).collect();
        let (key, modifiers) = parts.split_last().ok_or_else(bad)?;
        let mut shortcut = Shortcut { ctrl: false, alt: false, shift: false, super_key: false, key: Key::Letter('a') };
        for modifier in modifiers {
            let slot = match modifier.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => &mut shortcut.ctrl,
                "alt" => &mut shortcut.alt,
                "shift" => &mut shortcut.shift,
                "super" | "win" | "meta" => &mut shortcut.super_key,
                _ => return Err(bad()),
            };
            if *slot {
                return Err(bad());
            }
            *slot = true;
        }
        let lower = key.to_ascii_lowercase();
        let mut chars = lower.chars();
        shortcut.key = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_lowercase() => Key::Letter(c),
            (Some(c), None) if c.is_ascii_digit() => Key::Digit(c),
            (Some('f'), Some(_)) => match lower[1..].parse::<u8>() {
                Ok(n @ 1..=12) => Key::Function(n),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        if !(shortcut.ctrl || shortcut.alt || shortcut.super_key) {
            return Err(Message::new("problem.shortcut_needs_modifier").text("value", format_args!("{text:?}")));
        }
        Ok(shortcut)
    }
}

impl fmt::Display for Shortcut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, name) in [(self.ctrl, "Ctrl+"), (self.alt, "Alt+"), (self.shift, "Shift+"), (self.super_key, "Super+")] {
            if on {
                f.write_str(name)?;
            }
        }
        match self.key {
            Key::Letter(c) => write!(f, "{}", c.to_ascii_uppercase()),
            Key::Digit(c) => write!(f, "{c}"),
            Key::Function(n) => write!(f, "F{n}"),
        }
    }
}

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShortcutAction {
    /// Take a break now (a stretch, as the menu entry's action).
    BreakNow,
    /// Postpone the coming break (or the one on screen).
    Postpone,
    /// Pause for an hour.
    PauseHour,
}

/// The shortcuts set, by action; `None`: off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shortcuts {
    pub break_now: Option<Shortcut>,
    pub postpone: Option<Shortcut>,
    pub pause_hour: Option<Shortcut>,
}

impl Shortcuts {
    /// Each shortcut set, with what it does.
    pub fn bound(&self) -> Vec<(Shortcut, ShortcutAction)> {
        [(self.break_now, ShortcutAction::BreakNow), (self.postpone, ShortcutAction::Postpone), (self.pause_hour, ShortcutAction::PauseHour)]
            .into_iter()
            .filter_map(|(shortcut, action)| shortcut.map(|s| (s, action)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_read_in_any_case_and_order_and_written_back_the_same_way() {
        let s = Shortcut::parse("alt+ctrl+b").unwrap();
        assert_eq!(s, Shortcut { ctrl: true, alt: true, shift: false, super_key: false, key: Key::Letter('b') });
        assert_eq!(s.to_string(), "Ctrl+Alt+B");
        assert_eq!(Shortcut::parse("Super+F9").unwrap().key, Key::Function(9));
        assert_eq!(Shortcut::parse(" Ctrl + Shift + 7 ").unwrap().to_string(), "Ctrl+Shift+7");
        for bad in ["", "B", "Shift+B", "Ctrl+", "Ctrl+Ctrl+B", "Hyper+B", "Ctrl+F13", "Ctrl+Enter", "Ctrl+é"] {
            assert!(Shortcut::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Shortcut::parse("Shift+B").unwrap_err().code, "problem.shortcut_needs_modifier");
    }
}
