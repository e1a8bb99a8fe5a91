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

// Demo stand-ins for a browser preview: a 90 s stretch break that also covers the eye rest.
const demo = {
  overlayInfo: async () => ({
    break_id: 1, kind: 'stretch', covers: ['eye'], planned_secs: 90,
    remaining_ms: 90_000, postpone_minutes: 5, fade_ms: 1000,
  }),
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

export function overlayClosed() {
  return inTauri ? invoke('overlay_closed') : demo.log('overlay_closed');
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
