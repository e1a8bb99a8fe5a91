//! Languages end to end. The pseudo-locale (`RESPITE_LOCALE=pseudo`): every word a person reads
//! in the notifications and in every window comes from the locale files, so it shows accented
//! and bracketed (`⟦Ñéxt⟧`); a word written into the code instead shows plain and fails the
//! test. (The tray's labels and info line are checked the same way by the daemon's unit tests.)
//! Real languages, chosen from the desktop's environment: the daemon's notifications, the CLI
//! (its output, its help, and a refusal that crossed the socket as a code), and a window laid out
//! right to left in Arabic, whose plural forms (Intl) agree with the daemon's (CLDR rules).

use chrono::{Local, NaiveDate};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use respite_core::schedule::ScheduleError;
use respite_core::text::{is_pseudo, Texts};
use respite_e2e::webdriver::{Driver, Tools};
use respite_e2e::{wait_for, Session};
use serde_json::{json, Value};
use std::fs;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(20);

/// Two weeks of synthetic history, 2026-W39 and W40 (what the summary windows show).
fn seed_weeks_39_and_40(session: &Session) {
    let monday = NaiveDate::from_isoywd_opt(2026, 40, chrono::Weekday::Mon).unwrap();
    let mut store = Store::open(&session.data_dir().join("respite.sqlite3")).expect("open the break log");
    seed(&mut store, monday - chrono::Days::new(7), 14, &Local, Profile::DEFAULTS, 5).expect("seed the break log");
}

/// Whether a person reading `text` sees only words from the locale file (numbers, punctuation
/// file paths and `respite` commands, which are data, may stand outside it).
fn from_the_locale(text: &str) -> bool {
    // Paths and `respite` commands are shown as typed, in no language.
    is_pseudo(text) || !text.chars().any(char::is_alphabetic) || text.starts_with('/') || text.starts_with("respite ")
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
    seed_weeks_39_and_40(&session);
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

#[test]
fn the_daemon_and_the_command_line_speak_the_desktops_language() {
    let mut session = Session::headless();
    session.write_settings("[eye]\ninterval = \"3h\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nvolume = 400\n");
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon_with(&[("LANG", "de_DE.UTF-8")]);
    let (german, french, polish, japanese) = (Texts::for_tag("de"), Texts::for_tag("fr"), Texts::for_tag("pl"), Texts::for_tag("ja"));
    let (_, problems) = respite_core::settings::parse("[sound]\nvolume = 400\n");
    let problem = &problems[0];

    // The daemon's notification about the settings, in German, the problem worded in German.
    let title = german.get("notify.settings.title").to_owned();
    session.wait_for(LONG, "the notification about the settings", || {
        notify_calls(&fs::read_to_string(&notifications).unwrap_or_default()).into_iter().find(|call| call.get(2) == Some(&title))
    });
    // The body has several lines, which dbus-monitor prints as they are: look in the whole record.
    let recorded = fs::read_to_string(&notifications).unwrap_or_default();
    assert!(recorded.contains(&german.say(&problem.message())), "the problem in German: {recorded}");
    assert_ne!(german.say(&problem.message()), problem.to_string(), "German differs from English");

    // A refusal crosses the socket as a code: a French command line words it in French, though
    // the daemon speaks German.
    let out = session.respite_with(&["resume"], &[("LANG", "fr_FR.UTF-8")]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&french.say(&ScheduleError::NotPaused.message())), "{said}");

    // LANGUAGE comes first: Japanese status, with the settings problem worded in Polish when the
    // command line speaks Polish.
    let out = session.respite_with(&["status"], &[("LANGUAGE", "ja:de"), ("LANG", "de_DE.UTF-8")]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&japanese.kind_title(respite_core::record::BreakKind::Eye)), "{said}");
    let out = session.respite_with(&["status"], &[("LC_MESSAGES", "pl_PL.UTF-8"), ("LANG", "en_GB.UTF-8")]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&polish.say(&problem.reason)), "{said}");

    // German output: the status and the summary.
    let german_env = [("LANG", "de_DE.UTF-8")];
    let said = String::from_utf8_lossy(&session.respite_with(&["status"], &german_env).stdout).into_owned();
    let next = german.fill("cli.status.next", &[("kind", &german.kind_title(respite_core::record::BreakKind::Eye))]);
    assert!(said.contains(next.split("{at}").next().unwrap()), "{said}");
    let said = String::from_utf8_lossy(&session.respite_with(&["summary"], &german_env).stdout).into_owned();
    assert!(said.contains(german.get("cli.summary.empty")), "{said}");

    // Help in Russian; the man page stays English.
    let out = session.respite_with(&["--help"], &[("LANG", "ru_RU.UTF-8")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(Texts::for_tag("ru").get("cli.help.pause")));
    let out = session.respite_with(&["man"], &[("LANG", "ru_RU.UTF-8")]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Pause breaks"), "the man page is English");

    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

#[test]
fn a_window_in_arabic_reads_right_to_left_with_the_daemons_plural_forms() {
    let Some(tools) = Tools::find("locale::a_window_in_arabic_reads_right_to_left_with_the_daemons_plural_forms") else { return };
    let session = Session::with_display();
    seed_weeks_39_and_40(&session);
    let summary: Value = serde_json::from_slice(&session.respite(&["summary", "--week", "2026-W40", "--json"]).stdout).expect("the summary as JSON");
    let days = summary["streak"]["days"].as_u64().expect("a streak");
    let arabic = Texts::for_tag("ar");

    let driver = Driver::start_with(&session, &tools, &[("LANG", "ar_EG.UTF-8")]);
    let browser = driver.open("arabic-summary", &["summary", "--week", "2026-W40"]);
    browser.checked(|| {
        browser.wait(LONG, "the summary to draw", || browser.execute("return document.querySelectorAll('#headline li').length === 5;", json!([])).ok().filter(|v| v == &Value::Bool(true)));
        let page = browser
            .execute("return [document.documentElement.dir, document.documentElement.lang, getComputedStyle(document.body).direction, document.querySelector('#headline li:last-child .value').textContent, document.querySelector('#headline li .label').textContent];", json!([]))
            .expect("read the page");
        assert_eq!(page[0], "rtl");
        assert_eq!(page[1], "ar");
        assert_eq!(page[2], "rtl", "the layout follows");
        assert_eq!(page[3], arabic.count("summary.streak.days", days, &[]), "Intl.PluralRules and the CLDR rules agree for {days} days");
        assert_eq!(page[4], arabic.get("summary.headline.compliance"));
    });
}

/// What on the page spills out of its box: text wider than its element (clipped, or running into
/// a neighbour), an element past the window's edge, or a page that scrolls sideways.
const OVERFLOWING: &str = r#"
const out = [];
const width = document.documentElement.clientWidth;
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('svg') || ['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(el.tagName)) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
  const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!hasText) continue;
  const box = el.getBoundingClientRect();
  const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/ +/g, '.') : ''}`;
  const text = el.textContent.trim().slice(0, 50);
  if (style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) out.push(`${name} is ${el.scrollWidth} px of text in ${el.clientWidth} px: ${text}`);
  if (box.right > width + 1 || box.left < -1) out.push(`${name} reaches past the window (${Math.round(box.left)}..${Math.round(box.right)} of ${width}): ${text}`);
}
if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px in ${width})`);
return out;
"#;

/// Whether `text` looks like a locale key shown instead of its words (`summary.kinds.due`).
fn looks_like_a_key(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) && parts[0].chars().all(|c| c.is_ascii_lowercase())
}

#[test]
fn every_window_in_german_japanese_and_arabic_shows_words_not_keys_and_nothing_spills() {
    let Some(tools) = Tools::find("locale::every_window_in_german_japanese_and_arabic_shows_words_not_keys_and_nothing_spills") else { return };
    let session = Session::with_display();
    session.write_settings("[eye]\ninterval = \"3h\"\nduration = \"10m\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[selfcheck]\nenabled = true\n");
    seed_weeks_39_and_40(&session);
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(LONG, "the daemon to answer", || session.status());
    assert!(session.respite(&["break", "eye"]).status.success());
    let id = session.wait_for(LONG, "the break on screen", || session.status()?["current"]["id"].as_u64());
    let pages: Vec<(&str, Vec<String>, &str)> = vec![
        ("welcome", vec!["welcome".into()], "document.getElementById('sound').checked !== undefined && document.documentElement.lang !== 'en'"),
        ("settings", vec!["settings".into()], "document.getElementById('f-eye-interval').value !== ''"),
        ("summary", vec!["summary".into(), "--week".into(), "2026-W40".into()], "document.querySelectorAll('#headline li').length === 5"),
        ("overlay", vec!["overlay".into(), "--break-id".into(), id.to_string()], "document.getElementById('instruction').textContent !== ''"),
    ];
    let mut problems = Vec::new();
    for (lang, tag) in [("de_DE.UTF-8", "de"), ("ja_JP.UTF-8", "ja"), ("ar_EG.UTF-8", "ar")] {
        let driver = Driver::start_with(&session, &tools, &[("LANG", lang)]);
        for (name, args, drawn) in &pages {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let browser = driver.open(&format!("{tag}-{name}"), &args);
            browser.checked(|| {
                let ready = format!("return document.documentElement.lang === '{tag}' && Boolean({drawn});");
                browser.wait(LONG, &format!("the {name} page to draw in {tag}"), || browser.execute(&ready, json!([])).ok().filter(|v| v == &Value::Bool(true)));
                let texts: Vec<String> = serde_json::from_value(browser.execute(READABLE_TEXT, json!([])).expect("read the page's text")).expect("strings");
                problems.extend(texts.iter().filter(|t| looks_like_a_key(t)).map(|t| format!("{tag} {name}: a key on screen: {t}")));
                let spilled: Vec<String> = serde_json::from_value(browser.execute(OVERFLOWING, json!([])).expect("measure the page")).expect("strings");
                problems.extend(spilled.into_iter().map(|p| format!("{tag} {name}: {p}")));
                if *name == "summary" && tag == "de" {
                    // The measure itself: a word too long for its box is caught.
                    let probe = "const p = document.createElement('p'); p.style.cssText = 'width: 40px; white-space: nowrap'; p.textContent = 'Bildschirmzeitübersicht'; document.body.append(p);";
                    browser.execute(probe, json!([])).expect("add a probe");
                    let caught: Vec<String> = serde_json::from_value(browser.execute(OVERFLOWING, json!([])).expect("measure")).expect("strings");
                    assert!(caught.iter().any(|c| c.contains("Bildschirmzeit")), "the probe was not caught: {caught:?}");
                }
            });
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(looks_like_a_key("summary.kinds.due") && !looks_like_a_key("Respite") && !looks_like_a_key("1.5"));
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}
