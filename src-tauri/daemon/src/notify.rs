//! Desktop notifications over D-Bus (`org.freedesktop.Notifications`), sent from a short-lived
//! thread so a slow or missing notification server never holds up the scheduler. Failures are
//! logged, never fatal: the same message is always in the log too. As the specification asks,
//! each names the app (from the locale), its icon (`respite`, installed in hicolor) and its
//! desktop entry. A notification may offer actions ([`Choice`]), where the server's capabilities
//! include actions; choosing one calls back on that thread. One that offers a choice can be
//! withdrawn before its time is up ([`Withdraw`]): a gentle break that ended by itself.

use std::collections::HashMap;
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// One button on a notification, and what choosing it does.
pub struct Action {
    pub key: &'static str,
    pub label: String,
    /// How long the notification stays up (and the choice is listened for).
    pub lasts: Duration,
    pub chosen: Box<dyn FnOnce() + Send>,
}

/// Buttons on a notification (key and label each), and what choosing one does: `chosen` gets
/// its key.
pub struct Choice {
    pub actions: Vec<(&'static str, String)>,
    /// How long the notification stays up (and the choice is listened for).
    pub lasts: Duration,
    pub chosen: Box<dyn FnOnce(&'static str) + Send>,
}

impl From<Action> for Choice {
    fn from(action: Action) -> Self {
        let chosen = action.chosen;
        Self { actions: vec![(action.key, action.label)], lasts: action.lasts, chosen: Box::new(move |_| chosen()) }
    }
}

/// Takes a notification that offers a [`Choice`] off the screen (dropping it does not).
pub struct Withdraw(Option<Sender<Answer>>);

impl Withdraw {
    /// A handle that withdraws nothing (a notifier that shows nothing).
    #[cfg(test)]
    pub fn nothing() -> Self {
        Self(None)
    }

    pub fn withdraw(self) {
        if let Some(tx) = self.0 {
            let _ = tx.send(Answer::Withdrawn);
        }
    }
}

/// What ends the wait for a choice, besides its time running out.
pub(crate) enum Answer {
    Chosen(&'static str),
    /// The person closed it (or the server did): nothing to do.
    Closed,
    Withdrawn,
}

/// Shows a notification with `summary` and `body`; returns at once.
pub fn send(summary: String, body: String) {
    let spawned = thread::Builder::new().name("notify".into()).spawn(move || {
        if let Err(e) = send_blocking(&summary, &body) {
            tracing::info!("desktop notification not shown ({e}): {summary}: {body}");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the notification thread: {e}");
    }
}

/// Shows a notification that offers `choice`; returns at once.
pub fn ask(summary: String, body: String, choice: Choice) -> Withdraw {
    let (tx, rx) = mpsc::channel();
    let answers = tx.clone();
    let spawned = thread::Builder::new().name("notify".into()).spawn(move || {
        let shown = crate::session_bus::shared().and_then(|connection| offer_on(connection, &summary, &body, choice, (answers, rx)));
        if let Err(e) = shown {
            tracing::info!("desktop notification not shown ({e}): {summary}: {body}");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the notification thread: {e}");
    }
    Withdraw(Some(tx))
}

fn send_blocking(summary: &str, body: &str) -> zbus::Result<()> {
    let connection = crate::session_bus::shared()?;
    notify(&connection, summary, body, &[], -1)?;
    Ok(())
}

fn notify(connection: &zbus::blocking::Connection, summary: &str, body: &str, actions: &[&str], timeout_ms: i32) -> zbus::Result<u32> {
    let hints: HashMap<&str, zbus::zvariant::Value<'_>> =
        HashMap::from([("desktop-entry", "respite".into()), ("urgency", zbus::zvariant::Value::U8(1))]);
    let reply = connection.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.Notifications"),
        "Notify",
        &(respite_core::text::texts().get("app.name"), 0u32, "respite", summary, body, actions, hints, timeout_ms),
    )?;
    reply.body().deserialize()
}

/// Shows the notification on `connection` and waits, up to its lifetime, for one of its actions
/// to be chosen, for it to be closed, or for `answers` to say it is withdrawn. A server that
/// shows no actions (its capabilities lack "actions") gets a plain notification, which is still
/// closed when withdrawn. (Tests call it on a private bus.)
pub(crate) fn offer_on(
    connection: zbus::blocking::Connection,
    summary: &str,
    body: &str,
    choice: Choice,
    (answers, answered): (Sender<Answer>, mpsc::Receiver<Answer>),
) -> zbus::Result<()> {
    let proxy = zbus::blocking::Proxy::new(&connection, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")?;
    // A server that cannot say is offered the actions anyway.
    let shows_actions = proxy.call::<_, _, Vec<String>>("GetCapabilities", &()).map_or(true, |caps| caps.iter().any(|c| c == "actions"));
    let timeout_ms = i32::try_from(choice.lasts.as_millis()).unwrap_or(i32::MAX);
    let until = Instant::now() + choice.lasts;
    let actions: Vec<&str> = if shows_actions { choice.actions.iter().flat_map(|(key, label)| [*key, label.as_str()]).collect() } else { Vec::new() };
    // ActionInvoked and NotificationClosed: the listening thread ends at either, for this one.
    let signals = proxy.receive_all_signals()?;
    let id = notify(&connection, summary, body, &actions, timeout_ms)?;
    let keys: Vec<&'static str> = choice.actions.iter().map(|(key, _)| *key).collect();
    thread::Builder::new().name("notify-action".into()).spawn(move || {
        for signal in signals {
            let member = signal.header().member().map(|m| m.as_str().to_owned()).unwrap_or_default();
            let answer = match member.as_str() {
                "ActionInvoked" => match signal.body().deserialize::<(u32, String)>() {
                    Ok((signal_id, chosen)) if signal_id == id => keys.iter().find(|key| **key == chosen).map(|key| Answer::Chosen(key)),
                    _ => None,
                },
                "NotificationClosed" if signal.body().deserialize::<(u32, u32)>().is_ok_and(|(closed, _)| closed == id) => Some(Answer::Closed),
                _ => None,
            };
            if let Some(answer) = answer {
                let _ = answers.send(answer);
                return;
            }
        }
    })?;
    match answered.recv_timeout(until.saturating_duration_since(Instant::now())) {
        Ok(Answer::Chosen(key)) => (choice.chosen)(key),
        Ok(Answer::Closed) => {}
        // Withdrawn, or its time is up: close it, which ends the listening thread (the
        // connection is shared and stays open).
        Ok(Answer::Withdrawn) | Err(_) => {
            let _ = proxy.call::<_, _, ()>("CloseNotification", &(id,));
        }
    }
    Ok(())
}

/// A channel for [`offer_on`]'s answers, and its [`Withdraw`] handle.
#[cfg(test)]
pub(crate) fn answers() -> (Withdraw, (Sender<Answer>, mpsc::Receiver<Answer>)) {
    let (tx, rx) = mpsc::channel();
    (Withdraw(Some(tx.clone())), (tx, rx))
}
