//! End-to-end tests: the real `respite` daemon and `respite-ui` under Xvfb with a D-Bus
//! session and temporary folders. One test binary, one module per area.

mod a11y;
mod break_loop;
mod calls;
mod cli;
mod crash;
mod damage;
mod devices;
mod first_start;
mod fixed_times;
mod gentle;
mod gnome_reminders;
mod holds;
mod hostile;
mod idle;
mod locale;
mod lock;
mod long_run;
mod media;
mod monitors;
mod no_tray;
mod packaging;
mod portal_shortcuts;
mod private_files;
mod settings;
mod shortcuts;
mod wayland;
mod webview;
mod weekly;
