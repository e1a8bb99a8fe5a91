// api.js — the only module that touches window.__TAURI__: wraps the Tauri commands and events
// used by the pages, with a harmless demo fallback when the page is opened in a plain browser.

const tauri = window.__TAURI__;

/** True when running inside the Tauri shell (false in a plain-browser preview). */
export const inTauri = Boolean(tauri?.core?.invoke);

// Normalise every rejection to {kind, message} so pages can show err.message.
function asError(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    return { kind: err.kind ?? 'unknown', message: err.message };
  }
  return { kind: 'unknown', message: String(err) };
}

async function invoke(name, args) {
  try {
    return await tauri.core.invoke(name, args);
  } catch (err) {
    throw asError(err);
  }
}

// Demo stand-ins for a browser preview. The break is chosen by the page's query string:
//   overlay.html?kind=eye|stretch|walk&idea=3&strict=1&postpone_left_ms=5000
// (default: a 90 s stretch break, idea 0, that also covers the eye rest).
const DEMO_KINDS = {
  eye: { planned_secs: 20, covers: [] },
  stretch: { planned_secs: 90, covers: ['eye'] },
  walk: { planned_secs: 300, covers: ['stretch', 'eye'] },
};

function demoOverlayInfo() {
  const query = new URLSearchParams(window.location.search);
  const asked = query.get('kind');
  const kind = Object.prototype.hasOwnProperty.call(DEMO_KINDS, asked) ? asked : 'stretch';
  const { planned_secs, covers } = DEMO_KINDS[kind];
  const strict = ['1', 'true', 'yes'].includes(query.get('strict'));
  const idea = Number.parseInt(query.get('idea') ?? '', 10);
  const postponeLeft = Number.parseInt(query.get('postpone_left_ms') ?? '', 10);
  return {
    break_id: 1, kind, covers, planned_secs,
    remaining_ms: planned_secs * 1000, postpone_minutes: 5, fade_ms: 1000,
    idea: Number.isNaN(idea) ? 0 : idea,
    strict,
    can_postpone: !strict,
    postpone_left_ms: Number.isNaN(postponeLeft) ? planned_secs * 500 : postponeLeft,
    can_finish: kind === 'walk',
  };
}

const demo = {
  overlayInfo: async () => demoOverlayInfo(),
  log: async (what, args) => { console.info(`[respite demo] ${what}`, args ?? ''); return null; },
};

export function overlayInfo() {
  return inTauri ? invoke('overlay_info') : demo.overlayInfo();
}

export function postpone(breakId) {
  return inTauri ? invoke('postpone', { breakId }) : demo.log('postpone', { breakId });
}

export function skip(breakId) {
  return inTauri ? invoke('skip', { breakId }) : demo.log('skip', { breakId });
}

/** "I'm back": ends the break now because the user has returned (offered when can_finish, e.g. walks). */
export function finish(breakId) {
  return inTauri ? invoke('finish', { breakId }) : demo.log('finish', { breakId });
}

/** Asks the shell to show this window: the break is drawn. */
export function overlayReady(breakId) {
  return inTauri ? invoke('overlay_ready', { breakId }) : demo.log('overlay_ready', { breakId });
}

export function overlayClosed() {
  return inTauri ? invoke('overlay_closed') : demo.log('overlay_closed');
}

/**
 * A prepared overlay learns its break from the 'break-started' event. Resolves once listening
 * (so no event can slip by) to `{ started }`: a promise of the same object as overlayInfo().
 * (Wrapped in an object: an async function returning a bare promise would wait for it.)
 */
export async function listenBreakStarted() {
  if (!inTauri || !tauri.event?.listen) return { started: new Promise(() => {}) };
  let resolveStarted;
  const started = new Promise((resolve) => { resolveStarted = resolve; });
  try {
    await tauri.event.listen('break-started', (e) => resolveStarted(e.payload));
  } catch (err) {
    throw asError(err);
  }
  return { started };
}

/** Calls handler({break_id, outcome}) on every 'break-ended' event; resolves to an unlisten function. */
export async function onBreakEnded(handler) {
  if (!inTauri || !tauri.event?.listen) return () => {};
  try {
    return await tauri.event.listen('break-ended', (e) => handler(e.payload));
  } catch (err) {
    throw asError(err);
  }
}

// ---- Settings window -------------------------------------------------------------------------

// A browser preview of settings.html keeps its changes in memory and accepts every value.
const demoSettings = {
  values: {
    'eye.enabled': true, 'eye.interval': '20m', 'eye.duration': '20s', 'eye.strict': false, 'eye.notice': '10s',
    'stretch.enabled': true, 'stretch.interval': '50m', 'stretch.duration': '90s', 'stretch.strict': false, 'stretch.notice': '30s',
    'walk.enabled': true, 'walk.interval': '110m', 'walk.duration': '5m', 'walk.strict': false, 'walk.notice': '30s',
    'breaks.postpone': '5m', 'breaks.max_postpones': 2, 'breaks.wait_for_do_not_disturb': '30m', 'breaks.wait_during_calls': true, 'idle.reset_after': '5m',
    'hours.mon': '09:00-18:00', 'hours.tue': '09:00-18:00', 'hours.wed': '09:00-18:00', 'hours.thu': '09:00-18:00',
    'hours.fri': '09:00-18:00', 'hours.sat': 'off', 'hours.sun': 'off', 'hours.nudge_after': '15m', 'hours.bedtime': 'off',
    'focus.work': '25m', 'focus.short_break': '5m', 'focus.long_break': '20m', 'focus.rounds': 4,
    'overlay.monitors': 'all', 'overlay.fade': '1s', 'sound.enabled': true, 'sound.volume': 50, 'log.keep': 'forever',
  },
  autostart: false,
  view() {
    const fields = Object.entries(this.values).map(([key, value]) => ({ key, value, default: value }));
    return { fields, problems: [], settings_file: '~/.config/respite/settings.toml', database: '~/.local/share/respite/respite.sqlite3' };
  },
};

/** Every setting: {fields: [{key, value, default}], problems: [{key, reason}], settings_file, database}. */
export function settingsRead() {
  return inTauri ? invoke('settings_read') : Promise.resolve(demoSettings.view());
}

/** Resolves if `value` would be accepted for `key`; rejects with {kind: 'invalid', message: reason}. */
export function settingsCheck(key, value) {
  return inTauri ? invoke('settings_check', { key, value }) : Promise.resolve(null);
}

/** Saves one setting and asks Respite to apply it: {daemon: 'applied'|'not_running'|'failed', message, problems}. */
export function settingsSet(key, value) {
  if (inTauri) return invoke('settings_set', { key, value });
  demoSettings.values[key] = value;
  return Promise.resolve({ daemon: 'not_running', message: null, problems: [] });
}

/** Writes the default settings file; resolves like settingsSet. */
export function settingsReset() {
  return inTauri ? invoke('settings_reset') : Promise.resolve({ daemon: 'not_running', message: null, problems: [] });
}

/** Opens the file of the person's own break ideas in their editor (a new one starts from a template). */
export function ideasOpen() {
  return inTauri ? invoke('ideas_open') : Promise.resolve(null);
}

/** The page has drawn the settings: the window may be shown. */
export function settingsReady() {
  return inTauri ? invoke('settings_ready') : Promise.resolve(null);
}

/** Whether Respite starts at login (read from the autostart entry itself). */
export function autostartGet() {
  return inTauri ? invoke('autostart_get') : Promise.resolve(demoSettings.autostart);
}

/** Turns launch at login on or off; resolves to the state afterwards. */
export function autostartSet(on) {
  if (!inTauri) demoSettings.autostart = on;
  return inTauri ? invoke('autostart_set', { on }) : Promise.resolve(on);
}

// ---- Weekly summary window ------------------------------------------------------------------

// A demo week for a plain-browser preview of summary.html.
function demoWeek() {
  const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];
  const screen = [25200, 27000, 23400, 28800, 21600, 0, 3600];
  const after = [0, 3600, 0, 5400, 0, 0, 3600];
  const tally = (due, taken, natural, skipped, postponed) => ({ due, taken, natural, skipped, postponed, interrupted: 0, compliance: due ? (taken + natural) / due : null });
  const heat = days.map((_, d) => Array.from({ length: 24 }, (__, h) => (screen[d] && h >= 9 && h < 17 ? 50 : 0) + (after[d] && h >= 19 && h < 21 ? 40 : 0)));
  return {
    summary: {
      week: '2026-W47', first_day: days[0], last_day: days[6], is_empty: false,
      headline: { compliance: 0.78, screen_secs: 129600, after_hours_secs: 12600, breaks_taken: 96 },
      breaks: tally(130, 88, 14, 20, 9),
      by_kind: { eye: tally(96, 68, 12, 14, 5), stretch: tally(26, 15, 2, 5, 3), walk: tally(8, 5, 0, 1, 1) },
      days: days.map((date, i) => ({ date, screen_secs: screen[i], after_hours_secs: after[i], longest_stretch_secs: [3000, 4200, 2400, 5400, 1800, 0, 1200][i], breaks: tally(0, 0, 0, 0, 0) })),
      heatmap_minutes: heat,
      streak: { days: 3, target: 0.8, first_day: days[2], last_day: days[4] },
      previous: { week: '2026-W46', headline: { compliance: 0.7, screen_secs: 136800, after_hours_secs: 5400, breaks_taken: 90 }, change: { compliance: 0.08, screen_secs: -7200, after_hours_secs: 7200, breaks_taken: 6 } },
      observations: [{ text: 'Most skipped stretch breaks were after 15:00.' }, { text: 'You were at the screen after 19:00 on 3 days.' }],
    },
    week: '2026-W47', current: '2026-W48', previous: '2026-W46', next: '2026-W48',
  };
}

/** One week's summary view: {summary, week, current, previous, next}; `week` null = the first one. */
export function summaryWeek(week) {
  return inTauri ? invoke('summary_week', { week }) : Promise.resolve(demoWeek());
}

/** The page has drawn: the window may be shown. */
export function summaryReady() {
  return inTauri ? invoke('summary_ready') : Promise.resolve(null);
}

/** Saves the weekly self-check answers ({energy, closeness, accomplishment}, each 1–5) for `week`. */
export function selfCheckSave(week, answers) {
  return inTauri ? invoke('self_check_save', { week, ...answers }) : Promise.resolve(null);
}

// ---- Welcome window -------------------------------------------------------------------------

const demoWelcome = { preset: 'standard', autostart: true, sound: true };

/** {preset: 'gentle'|'standard'|'focus'|null (hand-tuned), autostart: bool|null (unreadable), sound: bool}. */
export function welcomeRead() {
  return inTauri ? invoke('welcome_read') : Promise.resolve({ ...demoWelcome });
}

/** Writes the preset into the settings and has Respite apply it; resolves like settingsSet. */
export function welcomePreset(preset) {
  if (!inTauri) demoWelcome.preset = preset;
  return inTauri ? invoke('welcome_preset', { preset }) : Promise.resolve({ daemon: 'not_running', message: null, problems: [] });
}

/** Turns the break sounds on or off; resolves like settingsSet. */
export function welcomeSound(on) {
  if (!inTauri) demoWelcome.sound = on;
  return inTauri ? invoke('welcome_sound', { on }) : Promise.resolve({ daemon: 'not_running', message: null, problems: [] });
}

/** The page has drawn: the window may be shown. */
export function welcomeReady() {
  return inTauri ? invoke('welcome_ready') : Promise.resolve(null);
}

/** Closes the welcome window (the choices are already saved). */
export function welcomeDone() {
  return inTauri ? invoke('welcome_done') : Promise.resolve(null);
}
