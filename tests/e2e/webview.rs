//! The real windows driven through WebDriver (tauri-driver → WebKitWebDriver → respite-ui's
//! WebView), as a user would: the break overlay's text, countdown and Skip; the weekly summary's
//! numbers against `respite summary --json`; a setting changed in the settings form and written
//! to `settings.toml`; the welcome window's preset and switches, saved as they are chosen. Skipped with a notice when the WebDriver tools are missing (never in CI).

use chrono::{Local, NaiveDate};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use respite_core::text::texts;
use respite_e2e::webdriver::{Driver, Tools, ENTER};
use respite_e2e::{wait_for, Session};
use serde_json::Value;
use std::fs;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(20);

/// One long eye rest and nothing scheduled soon, so only the break asked for shows.
const ONE_EYE_REST: &str = "[eye]\ninterval = \"1h\"\nduration = \"2m\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n";

#[test]
fn the_overlay_shows_what_to_do_counts_down_and_skip_is_logged() {
    let Some(tools) = Tools::find("webview::the_overlay_shows_what_to_do_counts_down_and_skip_is_logged") else { return };
    let session = Session::with_display();
    session.write_settings(ONE_EYE_REST);
    // The daemon's own overlay is a no-op here: WebDriver starts the real one for the break.
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(LONG, "the daemon to answer", || session.status());
    let driver = Driver::start(&session, &tools);
    let out = session.respite(&["break", "eye"]);
    assert!(out.status.success(), "respite break eye: {out:?}");
    let id = session.wait_for(LONG, "the break on screen", || {
        let status = session.status()?;
        (status["state"] == "on_break").then(|| status["current"]["id"].as_u64()).flatten()
    });
    let overlay = driver.open("overlay", &["overlay", "--break-id", &id.to_string()]);
    overlay.checked(|| {
        let instruction = overlay.wait_find("#instruction", LONG);
        let text = overlay.wait(LONG, "the instruction to be drawn", || overlay.text(&instruction).ok().filter(|t| !t.is_empty()));
        assert_eq!(text, "Look at something about 6 metres (20 feet) away for the next 120 seconds.");
        assert_eq!(overlay.text(&overlay.find("#title").unwrap()).unwrap(), "Eye rest");
        assert_eq!(overlay.title().unwrap(), "Respite — Eye rest");

        // The countdown moves: read twice, 1.5 s apart ("1:58" → "1:56" or "1:57").
        let count = overlay.find("#count").unwrap();
        let seconds = |text: String| -> u64 {
            let (m, s) = text.split_once(':').unwrap_or_else(|| panic!("countdown {text:?} is not m:ss"));
            m.parse::<u64>().unwrap() * 60 + s.parse::<u64>().unwrap()
        };
        let started = std::time::Instant::now();
        let first = seconds(overlay.text(&count).unwrap());
        std::thread::sleep(Duration::from_millis(1500));
        let second = seconds(overlay.text(&count).unwrap());
        let elapsed = started.elapsed().as_secs_f64();
        assert!(first <= 120 && first > 100, "countdown starts near 2:00, shows {first} s");
        assert!(second < first && (first - second) as f64 <= elapsed + 1.0, "countdown moved from {first} s to {second} s in {elapsed:.1} s");

        let skip = overlay.find("#skip").unwrap();
        assert_eq!(overlay.text(&skip).unwrap(), "Skip");
        overlay.click(&skip).unwrap();
        let row = session.wait_for(LONG, "the skipped break in the log", || session.export().into_iter().find(|r| r["outcome"] == "skipped"));
        assert_eq!(row["kind"], "eye", "{row}");
        assert_eq!(row["trigger"], "manual", "{row}");
        assert_eq!(session.export().len(), 1, "one break, logged once");
    });
    assert_eq!(session.status().unwrap()["state"], "working");
    // The overlay closes itself after the break; ending the WebDriver session is then a no-op.
    drop(overlay);
    drop(driver);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

/// The seeded week (a finished week, so "now" does not cut it short).
const WEEK: &str = "2026-W40";

#[test]
fn the_summary_window_shows_the_numbers_the_cli_computes() {
    let Some(tools) = Tools::find("webview::the_summary_window_shows_the_numbers_the_cli_computes") else { return };
    let session = Session::with_display();
    let monday = NaiveDate::from_isoywd_opt(2026, 40, chrono::Weekday::Mon).unwrap();
    let mut store = Store::open(&session.data_dir().join("respite.sqlite3")).expect("open the break log");
    // The week before too, so the page shows changes from last week.
    let seeded = seed(&mut store, monday - chrono::Days::new(7), 14, &Local, Profile::DEFAULTS, 47).expect("seed the break log");
    assert!(seeded.breaks > 50, "{} breaks seeded", seeded.breaks);
    drop(store);

    let out = session.respite(&["summary", "--week", WEEK, "--json"]);
    assert!(out.status.success(), "respite summary: {out:?}");
    let cli: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    let headline = &cli["headline"];
    assert!(headline["breaks_taken"].as_u64().unwrap() > 10, "{headline}");

    let driver = Driver::start(&session, &tools);
    let page = driver.open("summary", &["summary", "--week", WEEK]);
    page.checked(|| {
        let cards = page.wait(LONG, "the headline cards", || {
            let cards = page.execute(
                "return Array.from(document.querySelectorAll('#headline li')).map(li => [li.querySelector('.label').textContent, li.querySelector('.value').textContent]);",
                Value::Array(vec![]),
            );
            cards.ok().filter(|c| c.as_array().is_some_and(|a| a.len() == 5))
        });
        let card = |label: &str| -> String {
            let found = cards.as_array().unwrap().iter().find(|c| c[0] == label);
            found.unwrap_or_else(|| panic!("no card {label:?} in {cards}"))[1].as_str().unwrap().to_owned()
        };
        assert_eq!(card("Breaks taken"), headline["breaks_taken"].to_string());
        assert_eq!(card("Breaks taken or natural"), percent(&headline["compliance"]));
        assert_eq!(card("Time at the screen"), duration(headline["screen_secs"].as_u64().unwrap()));
        assert_eq!(card("After hours"), duration(headline["after_hours_secs"].as_u64().unwrap()));
        assert_eq!(card("Streak"), format!("{} days", cli["streak"]["days"]));
        assert_eq!(page.text(&page.find("#week-title").unwrap()).unwrap(), "Week 40, 2026");

        // The table of kinds: due, taken, natural, skipped, postponed, share.
        let rows = page
            .execute("return Array.from(document.querySelectorAll('#kinds tbody tr')).map(tr => Array.from(tr.children).map(c => c.textContent));", Value::Array(vec![]))
            .unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        for (row, kind) in rows.iter().zip(["eye", "stretch", "walk"]) {
            let tally = &cli["by_kind"][kind];
            let expected: Vec<String> = ["due", "taken", "natural", "skipped", "postponed"].iter().map(|k| tally[k].to_string()).chain([percent(&tally["compliance"])]).collect();
            let shown: Vec<String> = row.as_array().unwrap()[1..].iter().map(|c| c.as_str().unwrap().to_owned()).collect();
            assert_eq!(shown, expected, "{kind} row");
        }
    });
}

/// How the page shows a share: in the same words as the core ("87%"), or "—" for none.
fn percent(share: &Value) -> String {
    share.as_f64().map_or("—".to_owned(), |s| texts().percent(s))
}

/// How the page shows a time: in the same words as the core ("3 h 20 min", "4 h", "45 min").
fn duration(secs: u64) -> String {
    texts().duration(secs)
}

#[test]
fn the_persons_own_idea_is_listed_in_the_settings_and_shown_with_its_picture_at_a_break() {
    let Some(tools) = Tools::find("webview::the_persons_own_idea_is_listed_in_the_settings_and_shown_with_its_picture_at_a_break") else { return };
    let session = Session::with_display();
    session.write_settings(ONE_EYE_REST);
    // One idea for eye rests, replacing the built-in one, with a picture in the ideas folder.
    let config = session.config_dir();
    fs::write(
        config.join("ideas.toml"),
        "replace = true\n[[idea]]\nname = \"Palming\"\ninstruction = \"Cup your warm palms over your closed eyes.\"\nkinds = [\"eye\"]\npicture = \"palms 1.png\"\n",
    )
    .unwrap();
    fs::create_dir_all(config.join("ideas")).unwrap();
    let picture = fs::File::create(config.join("ideas/palms 1.png")).unwrap();
    let mut encoder = png::Encoder::new(picture, 40, 30);
    encoder.set_color(png::ColorType::Rgb);
    encoder.write_header().unwrap().write_image_data(&[200u8; 40 * 30 * 3]).unwrap();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(LONG, "the daemon to answer", || session.status());
    // The desktop's opener, standing in: it notes what it was asked to open.
    let bin = session.root.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let opened = session.root.path().join("opened");
    fs::write(bin.join("xdg-open"), format!("#!/bin/sh\necho \"$1\" >> {}\n", opened.display())).unwrap();
    fs::set_permissions(bin.join("xdg-open"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let driver = Driver::start_with(&session, &tools, &[("PATH", &path)]);
    // The settings window lists the idea and opens its file.
    let settings = driver.open("settings-ideas", &["settings"]);
    settings.checked(|| {
        let list = settings.wait_find("#ideas-list", LONG);
        settings.wait(LONG, "the idea in the list", || settings.text(&list).ok().filter(|t| t == "Palming"));
        settings.execute("document.getElementById('ideas-open').scrollIntoView({ block: 'center' })", Value::Array(Vec::new())).unwrap();
        settings.click(&settings.find("#ideas-open").unwrap()).unwrap();
        let asked = settings.wait(LONG, "the opener to be asked", || fs::read_to_string(&opened).ok().filter(|t| !t.is_empty()));
        assert_eq!(asked.trim(), config.join("ideas.toml").display().to_string());
    });
    drop(settings);
    assert!(session.respite(&["break", "eye"]).status.success());
    let id = session.wait_for(LONG, "the break on screen", || session.status()?["current"]["id"].as_u64());
    let overlay = driver.open("overlay-idea", &["overlay", "--break-id", &id.to_string()]);
    overlay.checked(|| {
        let name = overlay.wait_find("#name", LONG);
        overlay.wait(LONG, "the idea's name", || overlay.text(&name).ok().filter(|t| t == "Palming"));
        assert_eq!(overlay.text(&overlay.find("#instruction").unwrap()).unwrap(), "Cup your warm palms over your closed eyes.");
        let loaded = overlay.wait(LONG, "the picture to load through the idea: scheme", || {
            overlay.execute("const p = document.getElementById('picture'); return p.complete && p.naturalWidth > 0 ? [p.src, p.naturalWidth, p.alt] : null;", Value::Array(Vec::new())).ok().filter(|v| !v.is_null())
        });
        assert_eq!(loaded, serde_json::json!(["idea://localhost/palms%201.png", 40, "Palming"]));
        // Nothing else is served on the scheme: a path out of the folder is refused.
        let refused = overlay
            .execute_async("const done = arguments[0]; const i = new Image(); i.onload = () => done('loaded'); i.onerror = () => done('refused'); i.src = 'idea://localhost/..%2Fsettings.toml';", Value::Array(Vec::new()))
            .unwrap();
        assert_eq!(refused, "refused");
    });
    drop(overlay);
    drop(driver);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

const MY_SETTINGS: &str = "# My own notes, kept.\n[eye]\ninterval = \"20m\"  # as the optician said\nduration = \"20s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n";

#[test]
fn a_setting_changed_in_the_window_is_written_keeping_comments_and_applied() {
    let Some(tools) = Tools::find("webview::a_setting_changed_in_the_window_is_written_keeping_comments_and_applied") else { return };
    let session = Session::with_display();
    session.write_settings(MY_SETTINGS);
    let mut daemon = session.spawn_daemon();
    let before = session.wait_for(LONG, "the daemon to answer", || session.status());
    assert!(before["next"]["in_secs"].as_u64().unwrap() <= 20 * 60, "{before}");

    let driver = Driver::start(&session, &tools);
    let page = driver.open("settings", &["settings"]);
    page.checked(|| {
        let field = page.wait_find("#f-eye-interval", LONG);
        page.wait(LONG, "the form to be filled", || page.property(&field, "value").ok().filter(|v| v == "20m"));
        // Every setting is in the window, a yes/no one as a switch.
        for setting in respite_core::settings::edit::fields("").fields {
            let id = format!("#f-{}", setting.key.replace(['.', '_'], "-"));
            let input = page.find(&id).unwrap_or_else(|e| panic!("{} is not in the settings window: {e}", setting.key));
            let switch = matches!(setting.default, respite_core::settings::edit::FieldValue::Bool(_));
            assert_eq!(page.property(&input, "type").unwrap() == "checkbox", switch, "{} as a switch", setting.key);
        }
        page.clear(&field).unwrap();
        page.send_keys(&field, &format!("45m{ENTER}")).unwrap();
        let file = session.config_dir().join("settings.toml");
        let text = page.wait(LONG, "settings.toml to change", || fs::read_to_string(&file).ok().filter(|t| t.contains("45m")));
        assert_eq!(text, MY_SETTINGS.replace("\"20m\"", "\"45m\""), "only the value changed; comments and order kept");
        // Applied live: the next eye rest moved out past 20 minutes.
        let status = session.wait_for(LONG, "the daemon to apply it", || session.status().filter(|s| s["next"]["in_secs"].as_u64() > Some(20 * 60)));
        assert!(status["next"]["in_secs"].as_u64().unwrap() <= 45 * 60, "{status}");
        let said = page.find("#status").unwrap();
        let message = page.wait(LONG, "the page to say it was saved", || page.text(&said).ok().filter(|t| t.starts_with("Saved")));
        assert_eq!(message, "Saved and applied.");

        // A bad value is refused in the form and the file is left alone.
        page.clear(&field).unwrap();
        page.send_keys(&field, &format!("soon{ENTER}")).unwrap();
        let error = page.find("#f-eye-interval-error").unwrap();
        let shown = page.wait(LONG, "the field's error", || page.text(&error).ok().filter(|t| !t.is_empty()));
        assert!(shown.contains("soon"), "{shown}");
        assert_eq!(page.attribute(&field, "aria-invalid").unwrap(), "true");
        // The field's error may come from the check while typing; the status line says how the
        // save that Enter asked for ended.
        let refused = page.wait(LONG, "the page to say it was not saved", || page.text(&said).ok().filter(|t| t.starts_with("Not saved")));
        assert!(refused.contains("soon"), "{refused}");
        assert!(fs::read_to_string(&file).unwrap().contains("\"45m\""));
    });
    drop(page);
    drop(driver);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

#[test]
fn reminders_are_added_edited_and_removed_in_the_window_and_a_bad_entry_is_shown_beside_its_list() {
    let Some(tools) = Tools::find("webview::reminders_are_added_edited_and_removed_in_the_window_and_a_bad_entry_is_shown_beside_its_list") else { return };
    let session = Session::with_display();
    session.write_settings(MY_SETTINGS);
    let file = session.config_dir().join("settings.toml");
    let mut daemon = session.spawn_daemon();
    session.wait_for(LONG, "the daemon to answer", || session.status());
    let driver = Driver::start(&session, &tools);
    let page = driver.open("settings", &["settings"]);
    page.checked(|| {
        let list = page.wait_find("#f-reminders-list", LONG);
        page.wait(LONG, "the form to be filled", || page.attribute(&list, "data-empty").ok().filter(|v| v == "true"));
        // As a person would, scroll what comes next into the middle of the window.
        let into_view = |selector: &str| {
            page.execute(&format!("document.querySelector({selector:?}).scrollIntoView({{ block: 'center' }})"), Value::Array(Vec::new())).unwrap();
        };
        into_view("#f-reminders-list");
        // Add: a row with the usual values; typing the text saves it.
        let add = page.find("[data-key='reminders.list'] .field-control > .button").unwrap();
        page.click(&add).unwrap();
        let text = page.wait_find("#f-reminders-list [data-field='text']", LONG);
        page.send_keys(&text, &format!("Drink some water{ENTER}")).unwrap();
        into_view("#f-reminders-list [data-field='every']");
        let every = page.find("#f-reminders-list [data-field='every']").unwrap();
        page.clear(&every).unwrap();
        page.send_keys(&every, &format!("40m{ENTER}")).unwrap();
        let written = page.wait(LONG, "the reminder in settings.toml", || fs::read_to_string(&file).ok().filter(|t| t.contains("40m")));
        let (settings, problems) = respite_core::settings::parse(&written);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.reminders.list.len(), 1, "{written}");
        assert_eq!((settings.reminders.list[0].text.as_str(), settings.reminders.list[0].every.as_secs(), settings.reminders.list[0].as_tip), ("Drink some water", 2400, false));
        assert!(written.starts_with("# My own notes, kept."), "the user's comments are kept: {written}");
        // A bad interval is refused beside the list, and the file keeps the good one.
        page.clear(&every).unwrap();
        page.send_keys(&every, &format!("often{ENTER}")).unwrap();
        let error = page.find("#f-reminders-list-error").unwrap();
        let shown = page.wait(LONG, "the list's error", || page.text(&error).ok().filter(|t| !t.is_empty()));
        assert!(shown.contains("often") && shown.starts_with("Entry 1, Every:"), "{shown}");
        assert!(fs::read_to_string(&file).unwrap().contains("40m"));
        // Remove: the list is empty again, in the file too.
        into_view("#f-reminders-list .entry > .button");
        let remove = page.find("#f-reminders-list .entry > .button").unwrap();
        page.click(&remove).unwrap();
        page.wait(LONG, "the reminder gone from settings.toml", || {
            fs::read_to_string(&file).ok().filter(|t| respite_core::settings::parse(t).0.reminders.list.is_empty() && t.contains("[reminders]"))
        });
    });
    drop(page);
    drop(driver);
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}

#[test]
fn the_welcome_windows_choices_are_saved_as_made_and_the_focus_preset_starts_focus_mode() {
    let Some(tools) = Tools::find("webview::the_welcome_windows_choices_are_saved_as_made_and_the_focus_preset_starts_focus_mode") else { return };
    let session = Session::with_display();
    // A hand-tuned file (only eye rests), so no preset is chosen when the window opens.
    session.write_settings(MY_SETTINGS);
    let file = session.config_dir().join("settings.toml");
    let login_entry = session.root.path().join(".config/autostart/respite.desktop");
    let mut daemon = session.spawn_daemon();
    let before = session.wait_for(LONG, "the daemon to answer", || session.status());
    assert!(before["focus"].is_null(), "{before}");

    let driver = Driver::start(&session, &tools);
    let page = driver.open("welcome", &["welcome"]);
    page.checked(|| {
        let sound = page.wait_find("#sound", LONG);
        page.wait(LONG, "the switches to be set", || (page.property(&sound, "checked").ok()? == Value::Bool(true)).then_some(()));
        let chosen = page.execute("return [...document.querySelectorAll('input[name=preset]')].filter(r => r.checked).length", Value::Array(vec![])).unwrap();
        assert_eq!(chosen, 0, "a hand-tuned rhythm follows no preset");
        let autostart = page.find("#autostart").unwrap();
        assert_eq!(page.property(&autostart, "checked").unwrap(), false, "no login entry yet");

        page.click(&page.find("input[name=preset][value=focus]").unwrap()).unwrap();
        let text = page.wait(LONG, "the preset to be saved", || fs::read_to_string(&file).ok().filter(|t| t.contains("on_start = true")));
        assert!(text.starts_with("# My own notes, kept."), "comments are kept:\n{text}");
        let (settings, problems) = respite_core::settings::parse(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(respite_core::settings::preset::Preset::of(&settings), Some(respite_core::settings::preset::Preset::Focus), "{text}");
        let status = session.wait_for(LONG, "focus mode to start", || session.status().filter(|s| !s["focus"].is_null()));
        assert_eq!(status["focus"]["round"], 1, "{status}");

        page.click(&sound).unwrap();
        page.wait(LONG, "sound off to be saved", || {
            let text = fs::read_to_string(&file).ok()?;
            (!respite_core::settings::parse(&text).0.sound.enabled).then_some(())
        });
        page.click(&autostart).unwrap();
        let entry = page.wait(LONG, "the login entry", || fs::read_to_string(&login_entry).ok());
        assert!(entry.lines().any(|l| l.starts_with("Exec=") && l.ends_with("/respite")), "{entry}");

        // Start closes the window, and respite-ui exits under the click (WebDriver's answer to
        // it may be an error for that); the choices stay.
        let _ = page.click(&page.find("#done").unwrap());
        page.wait(LONG, "respite-ui to exit", || (!session.live_processes().iter().any(|p| p.contains("respite-ui"))).then_some(()));
    });
    drop(page);
    drop(driver);
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("on_start = true") && !respite_core::settings::parse(&text).0.sound.enabled, "{text}");
    session.quit();
    wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
}
