//! Global keyboard shortcuts on X11 (`[shortcuts]`): "Take a break now", "Postpone the coming
//! break" and "Pause for an hour". Respite grabs each key combination on the root window of its
//! own X connection (with and without Caps Lock and Num Lock, which X counts as modifiers), and a
//! thread of its own waits for the presses and sends the requests to the runtime. A combination
//! another program holds already is refused by the X server: it is reported (log, notification,
//! `respite status`) and the rest still work. Changing the settings grabs afresh.
//!
//! Wayland gives no program the keyboard outside its own windows: there the desktop portal's
//! GlobalShortcuts binds them (`portal`: GNOME 48 and later, KDE); where it has none, the
//! settings window shows the `respite` commands to bind in the desktop's keyboard settings.

mod portal;
pub use portal::PortalKeys;

use crate::input::Input;
use respite_core::protocol::{PauseSpec, Request};
use respite_core::record::BreakKind;
use respite_core::shortcut::{Key, Shortcut, ShortcutAction, Shortcuts};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use x11rb::connection::Connection as _;
use x11rb::errors::ReplyError;
use x11rb::protocol::xproto::{ConnectionExt as _, GrabMode, ModMask, Window};
use x11rb::protocol::{ErrorKind, Event};
use x11rb::rust_connection::RustConnection;

/// Binds the shortcuts set to keys.
pub trait Keys: Send {
    /// Binds `shortcuts` (and releases the ones bound before); returns those another program
    /// holds already.
    fn bind(&mut self, shortcuts: &Shortcuts) -> Vec<Shortcut>;
}

/// Makes the [`Keys`] (a connection and a thread), when first needed.
pub type MakeKeys = Box<dyn FnOnce() -> Result<Box<dyn Keys>, String> + Send>;

/// The keys, once made; or how to make them; or none (Wayland, tests).
pub enum KeysSlot {
    None,
    Later(MakeKeys),
    Made(Box<dyn Keys>),
    Failed,
}

impl KeysSlot {
    /// The keys: made now if `needed` and not yet made; `None` when there are none (yet).
    pub fn get(&mut self, needed: bool) -> Option<&mut Box<dyn Keys>> {
        *self = match std::mem::replace(self, KeysSlot::None) {
            KeysSlot::Later(make) if needed => match make() {
                Ok(keys) => KeysSlot::Made(keys),
                Err(e) => {
                    tracing::warn!("global shortcuts cannot be bound ({e})");
                    KeysSlot::Failed
                }
            },
            slot => slot,
        };
        match self {
            KeysSlot::Made(keys) => Some(keys),
            _ => None,
        }
    }
}

/// A bound combination: key code, modifiers, and what it does.
type Bound = Vec<(u8, u16, ShortcutAction)>;

/// Shortcuts grabbed on an X display.
pub struct X11Keys {
    conn: Arc<RustConnection>,
    root: Window,
    bound: Arc<Mutex<Bound>>,
}

/// The modifiers that tell shortcuts apart; Caps Lock and Num Lock (Mod2) do not.
const MEANINGFUL: u16 = 0x4 | 0x8 | 0x1 | 0x40; // Control, Mod1 (Alt), Shift, Mod4 (Super)

impl X11Keys {
    /// Connects to `display` and starts waiting for the shortcuts' presses.
    pub fn start(display: &str, inputs: Sender<Input>) -> Result<Self, String> {
        let (conn, screen) = RustConnection::connect(Some(display)).map_err(|e| e.to_string())?;
        let root = conn.setup().roots.get(screen).ok_or("no such screen")?.root;
        let conn = Arc::new(conn);
        let bound: Arc<Mutex<Bound>> = Arc::default();
        let (events, table) = (Arc::clone(&conn), Arc::clone(&bound));
        std::thread::Builder::new()
            .name("shortcuts".into())
            .spawn(move || {
                while let Ok(event) = events.wait_for_event() {
                    let Event::KeyPress(press) = event else { continue };
                    let mods = u16::from(press.state) & MEANINGFUL;
                    let action = table.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|(key, m, _)| *key == press.detail && *m == mods).map(|(_, _, a)| *a);
                    if let Some(action) = action {
                        tracing::info!(?action, "shortcut pressed");
                        if inputs.send(Input::Request { request: request_for(action), reply: None }).is_err() {
                            return;
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(X11Keys { conn, root, bound })
    }

    /// The key code that types `key` on this keyboard (its first keysym).
    fn keycode(&self, key: Key) -> Option<u8> {
        let keysym = match key {
            Key::Letter(c) | Key::Digit(c) => u32::from(c),
            Key::Function(n) => 0xffbd + u32::from(n),
        };
        let setup = self.conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let mapping = self.conn.get_keyboard_mapping(min, max - min + 1).ok()?.reply().ok()?;
        let per = usize::from(mapping.keysyms_per_keycode).max(1);
        mapping.keysyms.chunks(per).position(|syms| syms.first() == Some(&keysym)).and_then(|i| u8::try_from(i).ok()).map(|i| min + i)
    }

    fn grab(&self, key: u8, mods: u16) -> Result<(), ReplyError> {
        for locks in [0, u16::from(ModMask::LOCK), u16::from(ModMask::M2), u16::from(ModMask::LOCK | ModMask::M2)] {
            self.conn.grab_key(false, self.root, ModMask::from(mods | locks), key, GrabMode::ASYNC, GrabMode::ASYNC)?.check()?;
        }
        Ok(())
    }
}

impl Keys for X11Keys {
    fn bind(&mut self, shortcuts: &Shortcuts) -> Vec<Shortcut> {
        let _ = self.conn.ungrab_key(0u8, self.root, ModMask::ANY);
        let mut bound = Vec::new();
        let mut taken = Vec::new();
        for (shortcut, action) in shortcuts.bound() {
            let Some(key) = self.keycode(shortcut.key) else {
                tracing::warn!("shortcut {shortcut}: this keyboard has no such key");
                continue;
            };
            let mods = modifiers(&shortcut);
            match self.grab(key, mods) {
                Ok(()) => {
                    tracing::info!(?action, "shortcut {shortcut} bound");
                    bound.push((key, mods, action));
                }
                Err(ReplyError::X11Error(e)) if e.error_kind == ErrorKind::Access => {
                    tracing::warn!("shortcut {shortcut} is taken by another program");
                    taken.push(shortcut);
                    // Release the lock variants grabbed before the refusal.
                    let _ = self.conn.ungrab_key(key, self.root, ModMask::ANY);
                }
                Err(e) => tracing::warn!("shortcut {shortcut} cannot be bound: {e}"),
            }
        }
        let _ = self.conn.flush();
        *self.bound.lock().unwrap_or_else(PoisonError::into_inner) = bound;
        taken
    }
}

fn modifiers(shortcut: &Shortcut) -> u16 {
    let mut mods = 0;
    for (on, mask) in [(shortcut.ctrl, ModMask::CONTROL), (shortcut.alt, ModMask::M1), (shortcut.shift, ModMask::SHIFT), (shortcut.super_key, ModMask::M4)] {
        if on {
            mods |= u16::from(mask);
        }
    }
    mods
}

/// What a shortcut asks of the runtime.
fn request_for(action: ShortcutAction) -> Request {
    match action {
        ShortcutAction::BreakNow => Request::Break { kind: BreakKind::Stretch },
        ShortcutAction::Postpone => Request::Postpone { break_id: None },
        ShortcutAction::PauseHour => Request::Pause { length: PauseSpec::ForSecs(3600) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senses::tests::support::Xvfb;

    #[test]
    fn a_combination_another_client_holds_is_reported_and_the_others_are_bound() {
        let Some(x) = Xvfb::start() else { return };
        let (inputs, _received) = std::sync::mpsc::channel();
        let mut keys = X11Keys::start(&x.display, inputs).expect("connect");
        // Another program: a client of its own that holds Ctrl+Alt+B.
        let other = X11Keys::start(&x.display, std::sync::mpsc::channel().0).expect("connect");
        let ctrl_alt_b = Shortcut::parse("Ctrl+Alt+B").unwrap();
        let key = other.keycode(ctrl_alt_b.key).expect("a B key");
        other.grab(key, modifiers(&ctrl_alt_b)).expect("the first client gets it");
        let shortcuts = Shortcuts { break_now: Some(ctrl_alt_b), postpone: None, pause_hour: Some(Shortcut::parse("Ctrl+Alt+H").unwrap()) };
        assert_eq!(keys.bind(&shortcuts), [ctrl_alt_b]);
        let bound: Vec<ShortcutAction> = keys.bound.lock().unwrap().iter().map(|(_, _, action)| *action).collect();
        assert_eq!(bound, [ShortcutAction::PauseHour]);
        // Once the other lets go, binding again takes it.
        other.conn.ungrab_key(key, other.root, ModMask::ANY).unwrap().check().unwrap();
        assert_eq!(keys.bind(&shortcuts), []);
        assert_eq!(keys.bound.lock().unwrap().len(), 2);
    }
}
