//! Music and videos pause during a break (`pause_media`, per kind): at its start every MPRIS
//! player on the session bus (`org.mpris.MediaPlayer2.*`: Spotify, browsers, VLC, mpv, Rhythmbox…)
//! that is playing gets `Pause`; at its end exactly those players get `Play` again, unless the
//! person has dealt with them meanwhile. A player counts as left alone when it is still paused at
//! the same position (within [`MOVED`]); one the person played, stopped, or played and paused
//! again stays as it is, and one that went away is forgotten. Every call goes through the shared
//! session connection, which times out, so a player that hangs cannot hold a break up.

use crate::session_bus;
use std::time::Duration;
use zbus::blocking::fdo::DBusProxy;
use zbus::blocking::Proxy;
use zbus::names::BusName;

/// Where MPRIS players live.
const PREFIX: &str = "org.mpris.MediaPlayer2.";
const PATH: &str = "/org/mpris/MediaPlayer2";
const PLAYER: &str = "org.mpris.MediaPlayer2.Player";
/// A player whose position moved more than this while paused was played meanwhile.
const MOVED: Duration = Duration::from_secs(2);

/// A player Respite paused, and where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PausedPlayer {
    pub name: String,
    /// Microseconds, where the player tells it.
    pub position: Option<i64>,
}

/// Pauses and resumes the media players.
pub trait Media: Send {
    /// Pauses every player that is playing; returns those it paused.
    fn pause_playing(&mut self) -> Vec<PausedPlayer>;
    /// Plays again those of `paused` that were left alone.
    fn resume(&mut self, paused: Vec<PausedPlayer>);
}

/// The session bus's MPRIS players.
#[derive(Default)]
pub struct Mpris;

impl Media for Mpris {
    fn pause_playing(&mut self) -> Vec<PausedPlayer> {
        match players().map(|names| names.into_iter().filter_map(|name| pause_if_playing(&name)).collect::<Vec<_>>()) {
            Ok(paused) => {
                if !paused.is_empty() {
                    let names: Vec<&str> = paused.iter().map(|p| p.name.as_str()).collect();
                    tracing::info!("paused for the break: {}", names.join(", "));
                }
                paused
            }
            Err(e) => {
                tracing::info!("media players cannot be paused: {e}");
                Vec::new()
            }
        }
    }

    fn resume(&mut self, paused: Vec<PausedPlayer>) {
        for player in paused {
            match resume_if_left_alone(&player) {
                Ok(true) => tracing::info!("{} plays again after the break", player.name),
                Ok(false) => tracing::info!("{} was dealt with during the break: left as it is", player.name),
                Err(e) => tracing::info!("{} is not resumed: {e}", player.name),
            }
        }
    }
}

/// The bus names of the MPRIS players on the session bus.
fn players() -> zbus::Result<Vec<String>> {
    let bus = session_bus::shared()?;
    let names = DBusProxy::new(&bus)?.list_names()?;
    Ok(names.into_iter().map(|n| n.to_string()).filter(|n| n.starts_with(PREFIX)).collect())
}

fn player(name: &str) -> zbus::Result<Proxy<'static>> {
    let bus = session_bus::shared()?;
    let name = BusName::try_from(name.to_owned())?;
    Proxy::new(&bus, name, PATH, PLAYER)
}

fn status(proxy: &Proxy<'_>) -> zbus::Result<String> {
    proxy.get_property::<String>("PlaybackStatus")
}

fn position(proxy: &Proxy<'_>) -> Option<i64> {
    proxy.get_property::<i64>("Position").ok()
}

/// Pauses `name` if it is playing.
fn pause_if_playing(name: &str) -> Option<PausedPlayer> {
    let paused = (|| -> zbus::Result<Option<PausedPlayer>> {
        let proxy = player(name)?;
        if status(&proxy)? != "Playing" {
            return Ok(None);
        }
        proxy.call_method("Pause", &())?;
        Ok(Some(PausedPlayer { name: name.to_owned(), position: position(&proxy) }))
    })();
    paused.unwrap_or_else(|e| {
        tracing::info!("{name} is not paused: {e}");
        None
    })
}

/// Plays `player` again if it is still paused where it was left; whether it did.
fn resume_if_left_alone(player: &PausedPlayer) -> zbus::Result<bool> {
    let proxy = self::player(&player.name)?;
    if status(&proxy)? != "Paused" {
        return Ok(false);
    }
    let moved = match (player.position, position(&proxy)) {
        (Some(then), Some(now)) => then.abs_diff(now) > MOVED.as_micros() as u64,
        _ => false,
    };
    if moved {
        return Ok(false);
    }
    proxy.call_method("Play", &())?;
    Ok(true)
}
