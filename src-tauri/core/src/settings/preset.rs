//! The presets the welcome window offers: *Gentle* (eye rests and a walk), *Standard* (the
//! defaults) and *Focus* (focus mode's Pomodoro rhythm, from the start). A preset is a few
//! setting changes made through [`edit::set`], so the file keeps its comments and every setting
//! a preset does not decide.

use super::edit::{self, EditError, FieldValue};
use super::Settings;
use crate::record::BreakKind;
use serde::{Deserialize, Serialize};

/// A starting rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Eye rests and a walk; no stretch breaks.
    Gentle,
    /// The defaults: eye rests, stretches and walks.
    Standard,
    /// Focus mode (25 min rounds, 5 min breaks, a long one after four) whenever Respite runs.
    Focus,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Gentle, Preset::Standard, Preset::Focus];

    /// `text` (a settings file) with this preset's settings.
    pub fn apply(self, text: &str) -> Result<String, EditError> {
        self.changes().iter().try_fold(text.to_owned(), |text, (key, value)| edit::set(&text, key, value))
    }

    /// The preset `settings` follow exactly, if any (a hand-tuned rhythm follows none).
    pub fn of(settings: &Settings) -> Option<Preset> {
        Preset::ALL.into_iter().find(|preset| {
            let expected = preset.settings();
            settings.plans == expected.plans
                && settings.focus_on_start == expected.focus_on_start
                && (*preset != Preset::Focus || settings.focus == expected.focus)
        })
    }

    /// The default settings with this preset's changes.
    fn settings(self) -> Settings {
        let mut settings = Settings::default();
        settings.plans.0[BreakKind::Stretch.index()].enabled = self != Preset::Gentle;
        settings.focus_on_start = self == Preset::Focus;
        settings
    }

    /// Every break's rhythm at its default and the preset's choices.
    fn changes(self) -> Vec<(String, FieldValue)> {
        let settings = self.settings();
        let defaults = edit::fields("").fields;
        let default_of = |key: &str| defaults.iter().find(|f| f.key == key).map(|f| f.default.clone()).expect("a known key");
        let mut changes = Vec::new();
        for kind in BreakKind::ALL {
            for field in ["interval", "duration"] {
                let key = format!("{kind}.{field}");
                changes.push((key.clone(), default_of(&key)));
            }
            changes.push((format!("{kind}.enabled"), FieldValue::Bool(settings.plans.0[kind.index()].enabled)));
        }
        changes.push(("focus.on_start".into(), FieldValue::Bool(settings.focus_on_start)));
        if self == Preset::Focus {
            // The rhythm the preset promises (25 min rounds, 5 min breaks, a long one after four).
            for field in ["work", "short_break", "long_break", "rounds"] {
                let key = format!("focus.{field}");
                changes.push((key.clone(), default_of(&key)));
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{parse, DEFAULT_FILE};

    #[test]
    fn each_preset_written_to_a_file_reads_back_as_itself() {
        let hand_edited = format!("# my own notes\n{DEFAULT_FILE}").replace("interval = \"20m\"", "interval = \"35m\"");
        for preset in Preset::ALL {
            let text = preset.apply(&hand_edited).unwrap();
            let (settings, problems) = parse(&text);
            assert!(problems.is_empty(), "{preset:?}: {problems:?}");
            assert_eq!(Preset::of(&settings), Some(preset), "{text}");
            assert!(text.starts_with("# my own notes\n"), "comments are kept");
        }
    }

    #[test]
    fn gentle_drops_stretches_focus_starts_focus_mode_and_standard_is_the_defaults() {
        let gentle = parse(&Preset::Gentle.apply("").unwrap()).0;
        let enabled: Vec<bool> = BreakKind::ALL.iter().map(|k| gentle.plans.0[k.index()].enabled).collect();
        assert_eq!(enabled, [true, false, true]);
        assert!(!gentle.focus_on_start);
        let focus = parse(&Preset::Focus.apply("[focus]\nwork = \"50m\"\nrounds = 2\n").unwrap()).0;
        assert!(focus.focus_on_start);
        assert_eq!(focus.focus, Settings::default().focus, "the Pomodoro rhythm, whatever focus mode had before");
        let tuned_focus = parse("[focus]\non_start = true\nwork = \"50m\"\n").0;
        assert_eq!(Preset::of(&tuned_focus), None, "a hand-tuned focus rhythm is not the Focus preset");
        assert_eq!(parse(&Preset::Standard.apply("").unwrap()).0, Settings::default());
        assert_eq!(Preset::of(&Settings::default()), Some(Preset::Standard));
    }

    #[test]
    fn a_hand_tuned_rhythm_follows_no_preset_until_one_is_chosen() {
        let tuned = parse("[eye]\ninterval = \"30m\"\n").0;
        assert_eq!(Preset::of(&tuned), None);
        let chosen = Preset::Gentle.apply("[eye]\ninterval = \"30m\"\n").unwrap();
        assert_eq!(Preset::of(&parse(&chosen).0), Some(Preset::Gentle));
    }
}
