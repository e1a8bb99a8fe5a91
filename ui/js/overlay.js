// overlay.js — behaviour of the break overlay: renders the break, runs the once-a-second
// countdown and ring, handles Postpone/Skip/Escape, and fades in and out.
import * as api from './api.js';
import { has, ready, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const backdrop = document.querySelector('.backdrop');
const ui = {
  title: $('title'), instruction: $('instruction'), covers: $('covers'), timer: $('timer'),
  count: $('count'), arc: $('arc'), done: $('done'), postpone: $('postpone'), skip: $('skip'),
  status: $('status'),
};
const KINDS = ['eye', 'stretch', 'walk'];
const RING_LENGTH = 2 * Math.PI * 54; // r="54" in overlay.html; --ring-length in overlay.css
const LABEL_EVERY_MS = 10_000;
const AFTER_ZERO_MS = 4000;
const AFTER_ACTION_MS = 2000;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

let info = null;        // overlay_info result
let endAt = 0;          // performance.now() at which the countdown reaches zero
let tickTimer = 0;
let fallbackTimer = 0;  // closes the overlay if break-ended never arrives
let lastLabelAt = -Infinity;
let busy = false;       // a postpone/skip request is in flight
let ended = false;      // the break is over; only closing is left
let closing = false;
const endedEarly = new Set(); // break-ended ids seen before overlay_info answered

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fadeMs = () => (reducedMotion.matches ? 0 : Math.max(0, info?.fade_ms ?? 1000));
const kindKey = (kind) => (KINDS.includes(kind) ? kind : 'other');
const clock = (secs) => `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;

function showError(err) {
  const message = err?.message || t('overlay.errorUnknown');
  ui.status.textContent = t('overlay.error', { message });
}

function setButtonsDisabled(disabled) {
  ui.postpone.disabled = disabled;
  ui.skip.disabled = disabled;
}

function listKinds(kinds) {
  const nouns = kinds.map((k) => t(`overlay.kind.${kindKey(k)}.noun`));
  try {
    return new Intl.ListFormat(document.documentElement.lang || 'en', { type: 'conjunction' }).format(nouns);
  } catch {
    return nouns.join(', ');
  }
}

function timeLeftLabel(secs) {
  if (secs < 60) return t('overlay.timeLeft', { seconds: secs });
  return t('overlay.timeLeftMinutes', { minutes: Math.floor(secs / 60), seconds: secs % 60 });
}

function render() {
  const key = kindKey(info.kind);
  const title = t(`overlay.kind.${key}.title`);
  ui.title.textContent = title;
  if (has('overlay.windowTitle')) document.title = t('overlay.windowTitle', { app: t('app.name'), kind: title });
  ui.instruction.textContent = t(`overlay.kind.${key}.instruction`);
  const covers = Array.isArray(info.covers) ? info.covers : [];
  ui.covers.hidden = covers.length === 0;
  if (covers.length) ui.covers.textContent = t('overlay.covers', { kinds: listKinds(covers) });
  ui.postpone.textContent = t('overlay.postpone', { minutes: info.postpone_minutes });
  ui.postpone.hidden = !(info.postpone_minutes > 0);
  endAt = performance.now() + Math.max(0, Number(info.remaining_ms) || 0);
  tick();
}

// One update per second, scheduled just after the next whole second of remaining time.
function tick() {
  const left = Math.max(0, endAt - performance.now());
  const secs = Math.ceil(left / 1000);
  const planned = Math.max(1, Number(info.planned_secs) || 1);
  ui.count.textContent = clock(secs);
  ui.arc.style.strokeDashoffset = String(RING_LENGTH * (1 - Math.min(1, secs / planned)));
  ui.arc.style.visibility = secs === 0 ? 'hidden' : ''; // no round-cap dot left at zero
  const now = performance.now();
  if (secs === 0) {
    ui.timer.setAttribute('aria-label', t('overlay.done'));
    reachedZero();
    return;
  }
  if (now - lastLabelAt >= LABEL_EVERY_MS) {
    ui.timer.setAttribute('aria-label', timeLeftLabel(secs));
    lastLabelAt = now;
  }
  tickTimer = setTimeout(tick, (left % 1000 || 1000) + 15);
}

// The daemon decides when the break ends; close on our own only if it stays silent.
function reachedZero() {
  ui.done.hidden = false;
  if (!ended) armFallback(AFTER_ZERO_MS);
}

function armFallback(ms) {
  clearTimeout(fallbackTimer);
  fallbackTimer = setTimeout(close, ms);
}

function reveal() {
  backdrop.style.setProperty('--fade', `${fadeMs()}ms`);
  const show = () => backdrop.classList.add('is-visible');
  requestAnimationFrame(() => requestAnimationFrame(show));
  setTimeout(show, 250); // in case frames are not produced yet (window still hidden)
  (ui.postpone.hidden ? ui.skip : ui.postpone).focus();
}

async function close() {
  if (closing) return;
  closing = true;
  ended = true;
  clearTimeout(tickTimer);
  clearTimeout(fallbackTimer);
  setButtonsDisabled(true);
  // In the app the window fades (fade_ms is 0) and the page stays as it is until it is gone.
  if (fadeMs() > 0) {
    backdrop.classList.remove('is-visible');
    await sleep(fadeMs());
  }
  try {
    await api.overlayClosed();
  } catch (err) {
    // Stay usable: show the problem and let Skip/Escape try closing again.
    showError(err);
    closing = false;
    ui.skip.disabled = false;
    backdrop.classList.add('is-visible');
    ui.skip.focus();
  }
}

async function act(action, button) {
  if (busy || closing) return;
  if (!info || ended) { close(); return; }
  busy = true;
  setButtonsDisabled(true);
  ui.status.textContent = '';
  try {
    await (action === 'postpone' ? api.postpone(info.break_id) : api.skip(info.break_id));
    ended = true;
    if (!closing) armFallback(AFTER_ACTION_MS);
  } catch (err) {
    showError(err);
    setButtonsDisabled(false);
    button.focus();
  } finally {
    busy = false;
  }
}

function onBreakEnded(payload) {
  if (!info) { endedEarly.add(payload?.break_id); return; }
  if (payload?.break_id === info.break_id) close();
}

function onKeydown(e) {
  if (e.key === 'Escape' && !e.repeat) {
    e.preventDefault();
    act('skip', ui.skip);
  } else if (e.key === 'Tab') {
    // Keep focus on the buttons: this is a modal full-screen dialog.
    e.preventDefault();
    const buttons = [ui.postpone, ui.skip].filter((b) => !b.hidden && !b.disabled);
    if (!buttons.length) return;
    const i = buttons.indexOf(document.activeElement);
    const next = e.shiftKey ? (i <= 0 ? buttons.length - 1 : i - 1) : (i + 1) % buttons.length;
    buttons[next].focus();
  }
}

async function start() {
  ui.postpone.addEventListener('click', () => act('postpone', ui.postpone));
  ui.skip.addEventListener('click', () => act('skip', ui.skip));
  document.addEventListener('keydown', onKeydown);
  const listening = api.onBreakEnded(onBreakEnded).catch(showError);
  await ready;
  try {
    info = await api.overlayInfo();
  } catch (err) {
    // Nothing to count down: explain, offer Close, and let the user leave.
    ui.title.textContent = t('overlay.loadFailed');
    ui.instruction.hidden = true;
    ui.timer.hidden = true;
    ui.postpone.hidden = true;
    ui.skip.textContent = t('overlay.close');
    ended = true;
    showError(err);
    reveal();
    return;
  }
  render();
  reveal();
  await listening;
  if (endedEarly.has(info.break_id)) close();
}

start();
