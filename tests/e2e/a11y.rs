//! Accessibility audit: axe-core (pinned in `tests/a11y/package.json`, installed with `npm ci`)
//! run inside each page of the real app through WebDriver, with the page drawn as a user sees it.
//! Any `serious` or `critical` violation fails, listed with its rule, impact, nodes and help;
//! lesser ones, and what axe leaves for a person to check, are printed. Each page is audited in
//! light and dark. [`PAGES`] is the one list of pages and states; every `ui/*.html` must be on it.

use chrono::{Local, NaiveDate};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use respite_e2e::skip_or_fail;
use respite_e2e::webdriver::{crate_file, Browser, Driver, Tools};
use respite_e2e::{wait_for, Session};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(20);

/// What a page needs before it can be opened.
#[derive(Clone, Copy, Debug)]
enum Needs {
    /// Nothing but its settings file.
    Nothing,
    /// A running daemon (to apply what the page changes).
    Daemon,
    /// A break of this kind on screen: `--break-id N` is added to the arguments.
    Break(&'static str),
    /// A break log with two weeks of history (2026-W39 and W40).
    History,
}

/// A page of `ui/` in one state, and how to bring it there.
struct Page {
    html: &'static str,
    /// Names the state in reports and screenshots.
    state: &'static str,
    /// `respite-ui` arguments.
    args: &'static [&'static str],
    needs: Needs,
    /// A condition (JavaScript) that holds once the page has drawn what it shows; the window
    /// must also be visible (each window stays hidden until its page is drawn).
    drawn: &'static str,
    /// What a user does before the audit (JavaScript statements; may be empty), and the
    /// condition that holds once the page has answered.
    act: &'static str,
    acted: &'static str,
}

const OVERLAY_DRAWN: &str = "document.getElementById('instruction').textContent !== ''";
const SETTINGS_DRAWN: &str = "document.getElementById('f-eye-interval').value !== ''";

/// Every page of the app, in the states worth auditing. Add new pages and states here.
const PAGES: &[Page] = &[
    Page { html: "overlay.html", state: "eye", args: &["overlay"], needs: Needs::Break("eye"), drawn: OVERLAY_DRAWN, act: "", acted: "true" },
    Page { html: "overlay.html", state: "stretch-strict", args: &["overlay"], needs: Needs::Break("stretch"), drawn: "document.getElementById('name').textContent !== '' && document.getElementById('skip').hidden", act: "", acted: "true" },
    Page { html: "overlay.html", state: "walk", args: &["overlay"], needs: Needs::Break("walk"), drawn: "!document.getElementById('breathing').hidden", act: "", acted: "true" },
    Page {
        html: "summary.html",
        state: "week",
        args: &["summary", "--week", "2026-W40"],
        needs: Needs::History,
        drawn: "document.querySelectorAll('#headline li').length === 5 && document.querySelectorAll('#checkin-questions input').length === 15",
        act: "",
        acted: "true",
    },
    Page { html: "summary.html", state: "empty", args: &["summary", "--week", "2026-W30"], needs: Needs::History, drawn: "!document.getElementById('empty').hidden", act: "", acted: "true" },
    Page { html: "settings.html", state: "filled", args: &["settings"], needs: Needs::Daemon, drawn: SETTINGS_DRAWN, act: "", acted: "true" },
    Page {
        html: "settings.html",
        state: "error-and-reset",
        args: &["settings"],
        needs: Needs::Daemon,
        drawn: SETTINGS_DRAWN,
        act: "const f = document.getElementById('f-eye-interval'); f.value = 'soon'; f.dispatchEvent(new Event('input')); document.getElementById('reset').click();",
        acted: "document.getElementById('f-eye-interval-error').textContent !== '' && !document.getElementById('confirm').hidden",
    },
    Page { html: "welcome.html", state: "first", args: &["welcome"], needs: Needs::Nothing, drawn: "document.getElementById('sound').checked", act: "", acted: "true" },
];

/// Settings for the audit: nothing falls due on its own in a test's time; long breaks of each
/// kind for the overlay, the stretch strict; the weekly check-in on so the summary shows its form.
const SETTINGS: &str = "[eye]\ninterval = \"3h\"\nduration = \"2m\"\n[stretch]\ninterval = \"4h\"\nduration = \"2m\"\nstrict = true\n\
                        [walk]\ninterval = \"5h\"\nduration = \"5m\"\n[selfcheck]\nenabled = true\n[sound]\nenabled = true\n";

#[test]
fn every_page_is_on_the_audit_list() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    for entry in fs::read_dir(&ui).expect("ui folder") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            assert!(PAGES.iter().any(|p| p.html == name), "ui/{name} is not audited: add it to PAGES in tests/e2e/a11y.rs");
        }
    }
}

#[test]
fn no_page_has_serious_or_critical_accessibility_violations() {
    let test = "a11y::no_page_has_serious_or_critical_accessibility_violations";
    let Some(tools) = Tools::find(test) else { return };
    let axe_path = crate_file("a11y/node_modules/axe-core/axe.min.js");
    let Ok(axe) = fs::read_to_string(&axe_path) else {
        skip_or_fail(test, &format!("{} is missing: run `npm ci` in tests/a11y (scripts/install-deps test does)", axe_path.display()));
        return;
    };
    let mut failures = Vec::new();
    for page in PAGES {
        let (report, serious) = audit(page, &tools, &axe);
        eprintln!("{report}");
        if serious > 0 {
            failures.push(report);
        }
    }
    assert!(failures.is_empty(), "serious or critical accessibility violations:\n{}", failures.join("\n"));
}

#[test]
fn the_audit_reports_a_planted_violation() {
    let test = "a11y::the_audit_reports_a_planted_violation";
    let Some(tools) = Tools::find(test) else { return };
    let Ok(axe) = fs::read_to_string(crate_file("a11y/node_modules/axe-core/axe.min.js")) else {
        skip_or_fail(test, "axe-core is missing: run `npm ci` in tests/a11y (scripts/install-deps test does)");
        return;
    };
    let session = Session::with_display();
    session.write_settings(SETTINGS);
    let driver = Driver::start(&session, &tools);
    let browser = driver.open("a11y-planted", &["settings"]);
    browser.checked(|| {
        browser.wait_find("#f-eye-interval", LONG);
        // A button with no name (critical) and a field with no label (critical).
        browser.execute("document.querySelector('main').append(document.createElement('button'), document.createElement('input'));", json!([])).unwrap();
        let (report, serious) = run_axe(&browser, &axe, "settings.html with planted faults");
        assert!(serious >= 2, "{report}");
        assert!(report.contains("[CRITICAL] button-name") && report.contains("[CRITICAL] label"), "{report}");
        assert!(report.contains("main > button"), "the report names the nodes: {report}");
    });
}

/// Opens `page` in a fresh session, runs axe-core in it, and describes what axe found (serious
/// and critical violations in capitals), with how many of those there were.
fn audit(page: &Page, tools: &Tools, axe: &str) -> (String, usize) {
    let session = Session::with_display();
    session.write_settings(SETTINGS);
    let mut args: Vec<String> = page.args.iter().map(|a| (*a).to_owned()).collect();
    if let Needs::History = page.needs {
        let monday = NaiveDate::from_isoywd_opt(2026, 40, chrono::Weekday::Mon).unwrap();
        let mut store = Store::open(&session.data_dir().join("respite.sqlite3")).expect("open the break log");
        seed(&mut store, monday - chrono::Days::new(7), 14, &Local, Profile::DEFAULTS, 47).expect("seed the break log");
    }
    let mut daemon = None;
    if let Needs::Daemon | Needs::Break(_) = page.needs {
        daemon = Some(session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]));
        session.wait_for(LONG, "the daemon to answer", || session.status());
    }
    if let Needs::Break(kind) = page.needs {
        let out = session.respite(&["break", kind]);
        assert!(out.status.success(), "respite break {kind}: {out:?}");
        let id = session.wait_for(LONG, "the break on screen", || session.status()?["current"]["id"].as_u64());
        args.extend(["--break-id".to_owned(), id.to_string()]);
    }
    let mut report = String::new();
    let mut serious = 0;
    // Each page in light and dark (WebKitGTK follows the GTK theme's preference).
    for (scheme, env) in [("light", vec![]), ("dark", vec![("GTK_THEME", "Adwaita:dark")])] {
        let driver = Driver::start_with(&session, tools, &env);
        let label = format!("{} ({}, {scheme})", page.html, page.state);
        let name = format!("a11y-{}-{}-{scheme}", page.html.trim_end_matches(".html"), page.state);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let browser = driver.open(&name, &args);
        let (text, count) = browser.checked(|| {
            let drawn = format!("return document.visibilityState === 'visible' && ({});", page.drawn);
            browser.wait(LONG, &format!("{} to be drawn and shown", page.html), || browser.execute(&drawn, json!([])).ok().filter(|v| v == true));
            let dark = browser.execute("return matchMedia('(prefers-color-scheme: dark)').matches;", json!([])).unwrap();
            assert_eq!(dark, scheme == "dark", "{label} should be in the {scheme} scheme");
            if !page.act.is_empty() {
                browser.execute(page.act, json!([])).expect("act on the page");
            }
            let acted = format!("return {};", page.acted);
            browser.wait(LONG, &format!("{label} to answer"), || browser.execute(&acted, json!([])).ok().filter(|v| v == true));
            run_axe(&browser, axe, &label)
        });
        report += &text;
        report.push('\n');
        serious += count;
    }
    if let Some(mut daemon) = daemon {
        session.quit();
        wait_for(LONG, "the daemon to exit", || daemon.try_wait().unwrap());
    }
    (report.trim_end().to_owned(), serious)
}

/// Injects axe-core (WebDriver's scripts are not bound by the page's CSP) and runs it on the
/// whole document.
fn run_axe(browser: &Browser, axe: &str, html: &str) -> (String, usize) {
    let loaded = browser.execute(&format!("{axe}\n;return typeof window.axe === 'object' && window.axe.version;"), json!([])).expect("inject axe-core");
    assert!(loaded.is_string(), "axe-core did not load in {html}: {loaded}");
    let result = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations', 'incomplete'] })
               .then((r) => done({ ok: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                   nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) })),
                   passes: r.passes.length,
                   review: r.incomplete.map((v) => {
                     const why = [...new Set(v.nodes.flatMap((n) => n.any.concat(n.all).map((c) => c.data?.messageKey ?? c.id)))];
                     return `${v.id} (${v.nodes.length}: ${why.join(' ')})`;
                   }) }))
               .catch((e) => done({ error: String(e) }));",
            json!([]),
        )
        .expect("run axe-core");
    assert!(result["error"].is_null(), "axe-core failed in {html}: {}", result["error"]);
    let violations = result["ok"].as_array().cloned().unwrap_or_default();
    let review: Vec<&str> = result["review"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let mut report = format!(
        "a11y: {html} (axe-core {}): {} violation(s), {} rule(s) passed, left for a person to check: {}",
        loaded.as_str().unwrap_or("?"),
        violations.len(),
        result["passes"],
        if review.is_empty() { "none".to_owned() } else { review.join(", ") }
    );
    let mut serious = 0;
    for v in &violations {
        let impact = v["impact"].as_str().unwrap_or("?");
        let grave = matches!(impact, "serious" | "critical");
        serious += usize::from(grave);
        let shown = if grave { impact.to_uppercase() } else { impact.to_owned() };
        report += &format!("\n  [{shown}] {}: {} ({})", v["id"].as_str().unwrap_or("?"), v["help"].as_str().unwrap_or(""), v["url"].as_str().unwrap_or(""));
        for node in v["nodes"].as_array().into_iter().flatten() {
            let summary = node["summary"].as_str().unwrap_or("").replace('\n', " ");
            report += &format!("\n      {} — {summary}", node["target"].as_str().unwrap_or("?"));
        }
    }
    (report, serious)
}
