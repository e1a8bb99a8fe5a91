//! The pseudo-locale (`RESPITE_LOCALE=pseudo`) end to end: every word a person reads in the
//! notifications and in every window comes from `ui/locales/en.json`, so it shows accented and
//! bracketed (`⟦Ñéxt⟧`); a word written into the code instead shows plain and fails the test.
//! (The tray's labels and info line are checked the same way by the daemon's unit tests.)

use chrono::{Local, NaiveDate};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use respite_core::text::is_pseudo;
use respite_e2e::webdriver::{Driver, Tools};
use respite_e2e::{wait_for, Session};
use serde_json::{json, Value};
use std::fs;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(20);

/// Whether a person reading `text` sees only words from the locale file (numbers, punctuation
/// and file paths, which are data, may stand outside it).
fn from_the_locale(text: &str) -> bool {
    is_pseudo(text) || !text.chars().any(char::is_alphabetic) || text.starts_with('/')
}

/// The strings of the `Notify` calls recorded by dbus-monitor, call by call.
fn notify_calls(log: &str) -> Vec<Vec<String>> {
    log.split("member=Notify")
        .skip(1)
        .map(|call| {
            call.lines()
                .filter_map(|line| line.trim().strip_prefix("string \"").and_then(|s| s.strip_suffix('"')).map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn notifications_in_the_pseudo_locale_have_no_word_from_the_code() {
    let mut session = Session::headless();
    session.write_settings("[eye]\ninterval = \"20s\"\nduration = \"5s\"\nnotice = \"10s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n");
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_LOCALE", "pseudo")]);
    // Notify(app_name, replaces_id, app_icon, summary, body, [action key, action label], hints):
    // the notice before the eye rest offers "postpone".
    let calls = session.wait_for(LONG, "the notice before the eye rest", || {
        let calls = notify_calls(&fs::read_to_string(&notifications).unwrap_or_default());
        calls.iter().any(|call| call.get(4).is_some_and(|key| key == "postpone")).then_some(calls)
    });
    // Also the others sent at start (a headless session has no tray: where Respite can be reached).
    assert!(calls.len() >= 2, "the notice and the one about the missing tray: {calls:?}");
    for call in &calls {
        assert!(call.len() >= 4, "{call:?}");
        for (what, text) in [("app name", &call[0]), ("summary", &call[2]), ("body", &call[3])] {
            assert!(from_the_locale(text), "a notification's {what} {text:?} is not from the locale file");
        }
        assert_eq!(call[1], "respite", "the icon is named, not translated");
    }
    let notice = calls.iter().find(|call| call.get(4).is_some_and(|key| key == "postpone")).expect("the notice");
    assert!(from_the_locale(&notice[5]), "the notice's action {:?} is not from the locale file", notice[5]);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

/// Every visible text of the page, and every label a screen reader reads.
const READABLE_TEXT: &str = r#"
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  const parent = node.parentElement;
  if (text && parent && parent.getClientRects().length > 0 && getComputedStyle(parent).visibility !== 'hidden') out.push(text);
}
for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
  for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
    const value = el.getAttribute(name);
    if (value && value.trim()) out.push(value.trim());
  }
}
out.push(document.title);
return out;
"#;

#[test]
fn every_window_in_the_pseudo_locale_has_no_word_from_the_code() {
    let Some(tools) = Tools::find("locale::every_window_in_the_pseudo_locale_has_no_word_from_the_code") else { return };
    let session = Session::with_display();
    session.write_settings("[eye]\ninterval = \"3h\"\nduration = \"2m\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[selfcheck]\nenabled = true\n");
    let monday = NaiveDate::from_isoywd_opt(2026, 40, chrono::Weekday::Mon).unwrap();
    let mut store = Store::open(&session.data_dir().join("respite.sqlite3")).expect("open the break log");
    seed(&mut store, monday - chrono::Days::new(7), 14, &Local, Profile::DEFAULTS, 5).expect("seed the break log");
    drop(store);
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true"), ("RESPITE_LOCALE", "pseudo")]);
    session.wait_for(LONG, "the daemon to answer", || session.status());
    let driver = Driver::start_with(&session, &tools, &[("RESPITE_LOCALE", "pseudo")]);

    let mut pages: Vec<(&str, Vec<String>, &str)> = vec![
        ("welcome", vec!["welcome".into()], "document.getElementById('sound').checked && document.querySelector('h1').textContent.startsWith('⟦')"),
        ("settings", vec!["settings".into()], "document.getElementById('f-eye-interval').value !== ''"),
        ("summary", vec!["summary".into(), "--week".into(), "2026-W40".into()], "document.querySelectorAll('#headline li').length === 5"),
    ];
    assert!(session.respite(&["break", "eye"]).status.success());
    let id = session.wait_for(LONG, "the break on screen", || session.status()?["current"]["id"].as_u64());
    pages.push(("overlay", vec!["overlay".into(), "--break-id".into(), id.to_string()], "document.getElementById('instruction').textContent !== ''"));

    let mut plain = Vec::new();
    for (name, args, drawn) in &pages {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let browser = driver.open(&format!("pseudo-{name}"), &args);
        browser.checked(|| {
            browser.wait(LONG, &format!("the {name} page to draw"), || browser.execute(&format!("return Boolean({drawn});"), json!([])).ok().filter(|v| v == &Value::Bool(true)));
            let texts = browser.execute(READABLE_TEXT, json!([])).expect("read the page's text");
            let texts: Vec<String> = serde_json::from_value(texts).expect("a list of strings");
            assert!(texts.len() > 5, "{name}: too little text found: {texts:?}");
            plain.extend(texts.into_iter().filter(|t| !from_the_locale(t)).map(|t| format!("{name}: {t:?}")));
        });
    }
    assert!(plain.is_empty(), "words on screen that are not from the locale file:\n{}", plain.join("\n"));
    drop(driver);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}
