// overlay.js — behaviour of the break overlay: renders the break (what to show comes from
// content.js, the walk's breathing guide from breathing.js), runs the once-a-second countdown and
// ring, offers Postpone (early in the break only), Skip and I'm back, honours strict mode, handles
// the keyboard, and fades in and out.
import * as api from './api.js';
import { startBreathing } from './breathing.js';
import { breakContent, kindKey } from './content.js';
import { has, list, ready, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const backdrop = document.querySelector('.backdrop');
const ui = {
  card: $('card'), title: $('title'), content: $('content'), picture: $('picture'),
  breathing: $('breathing'), name: $('name'), instruction: $('instruction'), tip: $('tip'),
  covers: $('covers'), timer: $('timer'), count: $('count'), arc: $('arc'), done: $('done'),
  actions: $('actions'), postpone: $('postpone'), skip: $('skip'), finish: $('finish'),
  strict: $('strict'), status: $('status'),
};
const BUTTONS = [ui.postpone, ui.skip, ui.finish]; // in visual (and Tab) order
const RING_LENGTH = 2 * Math.PI * 54; // r="54" in overlay.html; --ring-length in overlay.css
const LABEL_EVERY_MS = 10_000;
const AFTER_ZERO_MS = 4000;
const AFTER_ACTION_MS = 2000;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

let info = null;        // overlay_info result, with defaults filled in
let endAt = 0;          // performance.now() at which the countdown reaches zero
let tickTimer = 0;
let fallbackTimer = 0;  // closes the overlay if break-ended never arrives
let postponeTimer = 0;  // withdraws Postpone when its window has passed
let stopBreathing = () => {};
let lastLabelAt = -Infinity;
let busy = false;       // a postpone/skip/finish request is in flight
let ended = false;      // the break is over; only closing is left
let closing = false;
const endedEarly = new Set(); // break-ended ids seen before overlay_info answered

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fadeMs = () => (reducedMotion.matches ? 0 : Math.max(0, info?.fade_ms ?? 1000));
const clock = (secs) => `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
const visibleButtons = () => BUTTONS.filter((b) => !b.hidden && !b.disabled);

// Fields added after the first shell, with the values an older shell (or a preview) implies.
function withDefaults(raw) {
  const planned = Math.max(1, Number(raw.planned_secs) || 1);
  const number = (value, fallback) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  const flag = (value, fallback) => (typeof value === 'boolean' ? value : fallback);
  return {
    ...raw,
    idea: number(raw.idea, 0),
    strict: flag(raw.strict, false),
    can_postpone: flag(raw.can_postpone, true),
    postpone_left_ms: number(raw.postpone_left_ms, planned * 500),
    can_finish: flag(raw.can_finish, raw.kind === 'walk'),
  };
}

function showError(err) {
  const message = err?.message || t('overlay.errorUnknown');
  ui.status.textContent = t('overlay.error', { message });
}

function setButtonsDisabled(disabled) {
  for (const button of BUTTONS) button.disabled = disabled;
}

// Focus the first offered button, or the dialog itself when none is (strict mode).
function focusFirst() {
  (visibleButtons()[0] ?? ui.card).focus();
}

function updateActions() {
  ui.actions.hidden = BUTTONS.every((b) => b.hidden);
}

function listKinds(kinds) {
  return list(kinds.map((k) => t(`overlay.kind.${kindKey(k)}.noun`)));
}

function timeLeftLabel(secs) {
  if (secs < 60) return t('overlay.timeLeft', { count: secs });
  return t('overlay.timeLeftMinutes', { minutes: Math.floor(secs / 60), seconds: secs % 60 });
}

function setText(el, text) {
  el.textContent = text;
  el.hidden = !text;
}

function renderContent() {
  const content = breakContent(info.kind, info.idea, info.planned_secs, info.ideas, info.ideas_replace === true);
  if (info.trigger === 'budget') {
    content.title = t('overlay.budget.title');
    content.name = '';
    content.instruction = t('overlay.budget.instruction');
  }
  // The person's own reminder, as they wrote it, takes the tip's place.
  if (typeof info.tip === 'string' && info.tip.trim()) content.tip = info.tip.trim();
  ui.title.textContent = content.title;
  if (has('overlay.windowTitle')) {
    document.title = t('overlay.windowTitle', { app: t('app.name'), kind: content.title });
  }
  setText(ui.name, content.name);
  setText(ui.instruction, content.instruction);
  setText(ui.tip, content.tip);
  ui.picture.hidden = !content.picture;
  if (content.picture) {
    ui.picture.alt = content.picture.alt;
    ui.picture.src = content.picture.src;
  }
  ui.breathing.hidden = !content.breathing;
  if (content.breathing) {
    ui.breathing.setAttribute('aria-label', t('breathing.label'));
    stopBreathing = startBreathing(ui.breathing);
  }
  ui.content.classList.toggle('has-visual', Boolean(content.picture || content.breathing));
}

function renderActions(answeredAt) {
  ui.postpone.textContent = t('overlay.postpone', { minutes: info.postpone_minutes });
  const postponeOffered = !info.strict && info.can_postpone && info.postpone_minutes > 0
    && info.postpone_left_ms > 0;
  ui.postpone.hidden = !postponeOffered;
  if (postponeOffered) {
    const left = info.postpone_left_ms - (performance.now() - answeredAt);
    postponeTimer = setTimeout(withdrawPostpone, Math.max(0, left));
  }
  ui.skip.hidden = info.strict;
  ui.finish.hidden = info.strict || !info.can_finish;
  ui.strict.hidden = !info.strict;
  updateActions();
}

function withdrawPostpone() {
  const hadFocus = document.activeElement === ui.postpone;
  ui.postpone.hidden = true;
  updateActions();
  if (hadFocus) focusFirst();
}

function render(answeredAt) {
  // The look the settings ask for: "system" follows the desktop's light or dark preference.
  const prefersLight = window.matchMedia('(prefers-color-scheme: light)').matches;
  document.documentElement.dataset.theme = ['light', 'dark'].includes(info.theme) ? info.theme : (prefersLight ? 'light' : 'dark');
  document.documentElement.dataset.textSize = ['large', 'larger'].includes(info.text_size) ? info.text_size : 'normal';
  renderContent();
  const covers = Array.isArray(info.covers) ? info.covers : [];
  ui.covers.hidden = covers.length === 0;
  if (covers.length) ui.covers.textContent = t('overlay.covers', { kinds: listKinds(covers) });
  renderActions(answeredAt);
  const described = ['name', 'instruction', 'tip', 'strict'].filter((id) => !ui[id].hidden);
  ui.card.setAttribute('aria-describedby', described.join(' '));
  endAt = answeredAt + Math.max(0, Number(info.remaining_ms) || 0);
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
  if (fadeMs() === 0) {
    show(); // in the app the window fades, and it is still hidden: no frame to wait for
  } else {
    requestAnimationFrame(() => requestAnimationFrame(show));
    setTimeout(show, 250); // in case frames are not produced yet
  }
  focusFirst();
  if (info) api.overlayReady(info.break_id).catch(showError);
}

async function close() {
  if (closing) return;
  closing = true;
  ended = true;
  clearTimeout(tickTimer);
  clearTimeout(fallbackTimer);
  clearTimeout(postponeTimer);
  stopBreathing();
  setButtonsDisabled(true);
  // In the app the window fades (fade_ms is 0) and the page stays as it is until it is gone.
  if (fadeMs() > 0) {
    backdrop.classList.remove('is-visible');
    await sleep(fadeMs());
  }
  try {
    await api.overlayClosed();
  } catch (err) {
    // Stay usable, strict mode included (the break is over): show the problem and offer Close.
    showError(err);
    closing = false;
    ui.postpone.hidden = true;
    ui.finish.hidden = true;
    ui.strict.hidden = true;
    ui.skip.hidden = false;
    ui.skip.textContent = t('overlay.close');
    ui.skip.disabled = false;
    updateActions();
    backdrop.classList.add('is-visible');
    ui.skip.focus();
  }
}

const ACTIONS = { postpone: api.postpone, skip: api.skip, finish: api.finish };

async function act(action, button) {
  if (busy || closing) return;
  if (!info || ended) { close(); return; }
  busy = true;
  setButtonsDisabled(true);
  ui.status.textContent = '';
  try {
    await ACTIONS[action](info.break_id);
    ended = true;
    if (!closing) armFallback(AFTER_ACTION_MS);
  } catch (err) {
    showError(err);
    setButtonsDisabled(false);
    if (button.hidden) focusFirst(); else button.focus();
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
    // Escape is Skip, so it does nothing when Skip is not offered (strict mode).
    if (!ui.skip.hidden) act('skip', ui.skip);
  } else if (e.key === 'Tab') {
    // Keep focus on the buttons: this is a modal full-screen dialog.
    e.preventDefault();
    const buttons = visibleButtons();
    if (!buttons.length) return;
    const i = buttons.indexOf(document.activeElement);
    const next = e.shiftKey ? (i <= 0 ? buttons.length - 1 : i - 1) : (i + 1) % buttons.length;
    buttons[next].focus();
  }
}

async function start() {
  for (const [action, button] of [['postpone', ui.postpone], ['skip', ui.skip], ['finish', ui.finish]]) {
    button.addEventListener('click', () => act(action, button));
  }
  ui.picture.addEventListener('error', () => {
    ui.picture.hidden = true;
    ui.content.classList.toggle('has-visual', !ui.breathing.hidden);
  });
  document.addEventListener('keydown', onKeydown);
  const listening = api.onBreakEnded(onBreakEnded).catch(showError);
  await ready;
  try {
    // A prepared overlay (started ahead of its break) gets null and waits for the break.
    const { started } = await api.listenBreakStarted();
    const now = await api.overlayInfo();
    info = withDefaults(now ?? (await started));
  } catch (err) {
    // Nothing to count down: explain, offer Close, and let the user leave.
    ui.title.textContent = t('overlay.loadFailed');
    ui.content.hidden = true;
    ui.timer.hidden = true;
    ui.postpone.hidden = true;
    ui.skip.textContent = t('overlay.close');
    ended = true;
    showError(err);
    reveal();
    return;
  }
  render(performance.now());
  reveal();
  await listening;
  if (endedEarly.has(info.break_id)) close();
}

start();
