//! Global shortcuts on Wayland through the desktop portal's GlobalShortcuts
//! (`org.freedesktop.portal.GlobalShortcuts`: GNOME 48 and later, KDE Plasma, Hyprland), where
//! no program may grab keys itself. Respite opens one session with the portal, asks it to bind
//! the shortcuts set (with their combinations as the preferred triggers; the desktop may show a
//! dialog where the person confirms or changes them), and a thread of its own waits for the
//! portal's `Activated` signals and sends the requests to the runtime, as the X11 keys do.
//!
//! Binding does not hold up the runtime: the portal answers once the person has chosen, so the
//! answer is read on a thread of its own. A shortcut the portal did not bind (the person declined
//! it, or the desktop gave its combination to something else) is said in the log and a
//! notification. Where the portal has no GlobalShortcuts (GNOME before 48, wlroots desktops),
//! starting fails and the settings window's commands to bind by hand are the way.

use super::{request_for, Keys};
use crate::input::Input;
use respite_core::shortcut::{Key, Shortcut, ShortcutAction, Shortcuts};
use respite_core::text;
use std::collections::HashMap;
use std::sync::mpsc::{self, Sender};
use std::time::Duration;
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

const PORTAL: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const SHORTCUTS: &str = "org.freedesktop.portal.GlobalShortcuts";
/// How long to wait for the portal to open a session.
const SESSION_WAIT: Duration = Duration::from_secs(10);
/// How long the person may take over the portal's dialog.
const BIND_WAIT: Duration = Duration::from_secs(5 * 60);

/// The shortcuts' ids in the portal session, and what each does.
const IDS: [(&str, ShortcutAction); 3] = [("break-now", ShortcutAction::BreakNow), ("postpone", ShortcutAction::Postpone), ("pause-hour", ShortcutAction::PauseHour)];

/// A GlobalShortcuts session with the desktop portal.
pub struct PortalKeys {
    connection: Connection,
    session: OwnedObjectPath,
    /// Each bind's request token is new.
    binds: u32,
}

impl PortalKeys {
    /// Opens a session with the portal on `connection` and starts waiting for the shortcuts'
    /// activations; fails where the portal has no GlobalShortcuts.
    pub fn start(connection: Connection, inputs: Sender<Input>) -> Result<Self, String> {
        let portal = Proxy::new(&connection, PORTAL, PORTAL_PATH, SHORTCUTS).map_err(|e| e.to_string())?;
        let version: u32 = portal.get_property("version").map_err(|e| format!("the desktop portal has no GlobalShortcuts ({e})"))?;
        let token = format!("respite_{}", std::process::id());
        let options = HashMap::from([("handle_token", Value::from(token.as_str())), ("session_handle_token", Value::from(token.as_str()))]);
        let results = request(&connection, &token, SESSION_WAIT, || portal.call_method("CreateSession", &(options,)).map(drop))?;
        let session = results
            .get("session_handle")
            .and_then(|v| String::try_from(v.try_clone().ok()?).ok().or_else(|| OwnedObjectPath::try_from(v.try_clone().ok()?).ok().map(|p| p.to_string())))
            .and_then(|s| OwnedObjectPath::try_from(s).ok())
            .ok_or("the portal opened no session")?;
        tracing::info!(version, session = %session, "global shortcuts: a session with the desktop portal");
        let activations = portal.receive_signal("Activated").map_err(|e| e.to_string())?;
        let ours = session.clone();
        std::thread::Builder::new()
            .name("shortcuts".into())
            .spawn(move || {
                for signal in activations {
                    let Ok((session, id, _timestamp, _options)) = signal.body().deserialize::<(OwnedObjectPath, String, u64, HashMap<String, OwnedValue>)>() else { continue };
                    let Some((_, action)) = IDS.iter().find(|(known, _)| *known == id).filter(|_| session.as_str() == ours.as_str()) else { continue };
                    tracing::info!(?action, "shortcut pressed (portal)");
                    if inputs.send(Input::Request { request: request_for(*action), reply: None }).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Self { connection, session, binds: 0 })
    }
}

impl Keys for PortalKeys {
    /// Asks the portal to bind `shortcuts`; its answer (after the person's choice) is read on a
    /// thread, so none is reported taken here: those the portal leaves out are said there.
    fn bind(&mut self, shortcuts: &Shortcuts) -> Vec<Shortcut> {
        self.binds += 1;
        let wanted: Vec<(Shortcut, ShortcutAction)> = shortcuts.bound();
        if wanted.is_empty() {
            return Vec::new();
        }
        let (connection, session, token) = (self.connection.clone(), self.session.clone(), format!("respite_{}_bind{}", std::process::id(), self.binds));
        let spawned = std::thread::Builder::new().name("shortcuts-bind".into()).spawn(move || {
            let texts = text::texts();
            let list: Vec<(&str, HashMap<&str, Value<'_>>)> = wanted
                .iter()
                .map(|(shortcut, action)| {
                    let id = IDS.iter().find(|(_, a)| a == action).map_or("", |(id, _)| *id);
                    let description = texts.get(match action {
                        ShortcutAction::BreakNow => "settings.field.shortcuts.break_now",
                        ShortcutAction::Postpone => "settings.field.shortcuts.postpone",
                        ShortcutAction::PauseHour => "settings.field.shortcuts.pause_hour",
                    });
                    (id, HashMap::from([("description", Value::from(description.to_owned())), ("preferred_trigger", Value::from(trigger(shortcut)))]))
                })
                .collect();
            let options = HashMap::from([("handle_token", Value::from(token.as_str()))]);
            let bound = Proxy::new(&connection, PORTAL, PORTAL_PATH, SHORTCUTS).map_err(|e| e.to_string()).and_then(|portal| {
                request(&connection, &token, BIND_WAIT, || portal.call_method("BindShortcuts", &(&session, &list, "", options)).map(drop))
            });
            let bound_ids: Vec<String> = match bound {
                Ok(results) => results
                    .get("shortcuts")
                    .and_then(|v| v.try_clone().ok())
                    .and_then(|v| Vec::<(String, HashMap<String, OwnedValue>)>::try_from(v).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect(),
                Err(e) => {
                    tracing::warn!("global shortcuts: the portal did not bind them ({e})");
                    Vec::new()
                }
            };
            for (shortcut, action) in &wanted {
                let id = IDS.iter().find(|(_, a)| a == action).map_or("", |(id, _)| *id);
                if bound_ids.iter().any(|b| b == id) {
                    tracing::info!(?action, "shortcut {shortcut} bound through the desktop portal");
                } else {
                    tracing::warn!("shortcut {shortcut} was not bound by the desktop portal (declined, or taken)");
                    crate::notify::send(texts.get("notify.shortcut_taken.title").to_owned(), texts.fill("notify.shortcut_taken.body", &[("shortcut", shortcut)]));
                }
            }
        });
        if let Err(e) = spawned {
            tracing::warn!("cannot start binding the global shortcuts: {e}");
        }
        Vec::new()
    }
}

/// `shortcut` as the XDG shortcuts specification writes a trigger: "CTRL+ALT+b", "LOGO+F5".
fn trigger(shortcut: &Shortcut) -> String {
    let mut parts: Vec<String> = [(shortcut.ctrl, "CTRL"), (shortcut.alt, "ALT"), (shortcut.shift, "SHIFT"), (shortcut.super_key, "LOGO")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name.to_owned())
        .collect();
    parts.push(match shortcut.key {
        Key::Letter(c) | Key::Digit(c) => c.to_ascii_lowercase().to_string(),
        Key::Function(n) => format!("F{n}"),
    });
    parts.join("+")
}

/// Makes a portal request with `call` and waits, up to `wait`, for its `Response` on the
/// request object the portal makes for `token`; the results when the response is 0 (success).
/// The signal is subscribed to before the call, so a quick answer is not missed.
fn request(connection: &Connection, token: &str, wait: Duration, call: impl FnOnce() -> zbus::Result<()>) -> Result<HashMap<String, OwnedValue>, String> {
    let sender = connection.unique_name().ok_or("no name on the bus")?.as_str().trim_start_matches(':').replace('.', "_");
    let path = format!("{PORTAL_PATH}/request/{sender}/{token}");
    let request = Proxy::new(connection, PORTAL, path.as_str(), "org.freedesktop.portal.Request").map_err(|e| e.to_string())?;
    let responses = request.receive_signal("Response").map_err(|e| e.to_string())?;
    call().map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("portal-request".into())
        .spawn(move || {
            if let Some(signal) = responses.into_iter().next() {
                let _ = tx.send(signal.body().deserialize::<(u32, HashMap<String, OwnedValue>)>().map_err(|e| e.to_string()));
            }
        })
        .map_err(|e| e.to_string())?;
    match rx.recv_timeout(wait) {
        Ok(Ok((0, results))) => Ok(results),
        Ok(Ok((1, _))) => Err("the person cancelled it".into()),
        Ok(Ok((code, _))) => Err(format!("the portal answered {code}")),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(format!("no answer from the portal in {} s", wait.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_written_as_the_shortcuts_specification_asks() {
        assert_eq!(trigger(&Shortcut::parse("Ctrl+Alt+B").unwrap()), "CTRL+ALT+b");
        assert_eq!(trigger(&Shortcut::parse("Super+Shift+F5").unwrap()), "SHIFT+LOGO+F5");
        assert_eq!(trigger(&Shortcut::parse("Ctrl+7").unwrap()), "CTRL+7");
    }
}
