// settings.js — behaviour of the settings window: draws a labelled field for every setting (the list is
// below), checks a value as it is typed (debounced; the core's reader decides, so the message beside
// the field is the one the log would show), saves it when it is committed (Enter, leaving the field,
// or at once for switches and lists) and says whether Respite applied it; launch at login; reset to
// the defaults after a confirmation. All Tauri calls go through api.js.
import * as api from './api.js';
import { el } from './dom.js';
import { formatDate, has, ready, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const CHECK_DELAY_MS = 300;
const KINDS = ['eye', 'stretch', 'walk'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SWITCHES = new Set([
  'sound.enabled', 'selfcheck.enabled', 'focus.on_start', 'breaks.wait_during_calls', 'breaks.wait_during_screen_share',
  'breaks.only_in_working_hours', 'budget.overlay', 'budget.strict', 'devices.share_checkins', ...KINDS.flatMap((k) => [`${k}.enabled`, `${k}.strict`, `${k}.pause_media`, `${k}.lock`]),
]);
const WHOLE_NUMBERS = new Set(['breaks.max_postpones', 'focus.rounds', 'sound.volume', 'reminders.per_hour', 'overlay.opacity']);
// Settings that are a list of words, typed separated by commas.
const LISTS = new Set(['breaks.wait_for_apps']);
// Settings that are a list of entries, each a row of fields: [field, 'text' | choices, default].
const ENTRIES = {
  'fixed.breaks': [['at', 'text', '12:30'], ['days', 'text', 'mon-fri'], ['kind', KINDS, 'walk'], ['duration', 'text', '30m']],
  'reminders.list': [['text', 'text', ''], ['every', 'text', '45m'], ['as', ['notification', 'tip'], 'notification']],
};
const CHOICES = {
  'overlay.monitors': ['all', 'primary', 'cursor'],
  'overlay.theme': ['system', 'light', 'dark'],
  'overlay.text_size': ['normal', 'large', 'larger'],
  'selfcheck.day': DAYS,
  ...Object.fromEntries(KINDS.map((k) => [`${k}.style`, ['overlay', 'notification']])),
};

// Which settings each section shows, in groups (a group with a legend is a fieldset).
const LAYOUT = {
  breaks: [
    ...KINDS.map((kind) => ({ legend: `settings.kind.${kind}`, note: `settings.kind.${kind}.note`, keys: ['enabled', 'interval', 'duration', 'notice', 'style', 'strict', 'pause_media', 'lock'].map((f) => `${kind}.${f}`) })),
    { legend: 'settings.group.postpone', keys: ['breaks.postpone', 'breaks.max_postpones'] },
  ],
  schedule: [
    { legend: 'settings.group.hours', note: 'settings.group.hours.note', days: true, keys: DAYS.map((d) => `hours.${d}`) },
    { legend: 'settings.group.evening', keys: ['hours.nudge_after', 'hours.bedtime'] },
    { legend: 'settings.group.breakHours', keys: ['breaks.only_in_working_hours'] },
    { legend: 'settings.group.away', keys: ['idle.reset_after'] },
    { legend: 'settings.group.focus', note: 'settings.group.focus.note', keys: ['focus.on_start', 'focus.work', 'focus.short_break', 'focus.long_break', 'focus.rounds'] },
    { legend: 'settings.group.selfcheck', note: 'settings.group.selfcheck.note', keys: ['selfcheck.enabled', 'selfcheck.day', 'selfcheck.time'] },
  ],
  holds: [
    { note: 'settings.group.holds.note', keys: ['breaks.wait_for_do_not_disturb', 'breaks.wait_during_calls', 'breaks.wait_during_screen_share', 'breaks.wait_for_apps'] },
  ],
  limits: [
    { legend: 'settings.group.fixed', note: 'settings.group.fixed.note', keys: ['fixed.breaks'] },
    { legend: 'settings.group.budget', note: 'settings.group.budget.note', keys: ['budget.daily', 'budget.overlay', 'budget.strict'] },
    { legend: 'settings.group.reminders', note: 'settings.group.reminders.note', keys: ['reminders.list', 'reminders.per_hour'] },
  ],
  overlays: [{ keys: ['overlay.monitors', 'overlay.fade', 'overlay.theme', 'overlay.text_size', 'overlay.opacity'] }],
  sound: [{ keys: ['sound.enabled', 'sound.volume'] }],
  behaviour: [
    {
      legend: 'settings.group.shortcuts',
      note: 'settings.group.shortcuts.note',
      commands: ['respite break stretch', 'respite postpone', 'respite pause 1h'],
      keys: ['shortcuts.break_now', 'shortcuts.postpone', 'shortcuts.pause_hour'],
    },
  ],
  privacy: [
    { keys: ['log.keep'] },
    { legend: 'settings.group.devices', note: 'settings.group.devices.note', keys: ['devices.folder', 'devices.name', 'devices.share_checkins'], seen: true },
  ],
};

const fields = new Map(); // key -> { input, error, timer, seq, problem }

const idFor = (key) => `f-${key.replace(/[._]/g, '-')}`;
// Per-kind settings share their words ("Every", "Lasting"); the fieldset's legend names the kind.
const textKey = (key) => {
  const [table, field] = key.split('.');
  return KINDS.includes(table) ? `settings.field.kind.${field}` : `settings.field.${key}`;
};
const hasHint = (key) => has(`${textKey(key)}.hint`);

// ---- Drawing ------------------------------------------------------------------------------------

// ---- Lists of entries ---------------------------------------------------------------------------

/** The words for an entry field's choice: break kinds by their names, others by their own key. */
const choiceText = (field, choice) => (field === 'kind' ? t(`settings.kind.${choice}`) : t(`settings.entry.${field}.${choice}`));

/** One row of an entries list: a labelled input per field, and Remove. */
function entryRow(key, entry) {
  const row = el('li', { class: 'entry' });
  for (const [field, type, fallback] of ENTRIES[key]) {
    const label = el('label', { class: 'entry-field' });
    label.append(el('span', { class: 'entry-label' }, t(`settings.entry.${field}`)));
    let input;
    if (Array.isArray(type)) {
      input = el('select', { class: 'input', 'data-field': field });
      for (const choice of type) input.append(el('option', { value: choice }, choiceText(field, choice)));
    } else {
      input = el('input', { type: 'text', class: 'input', 'data-field': field, spellcheck: field === 'text' ? 'true' : 'false', autocomplete: 'off' });
    }
    input.value = String(entry[field] ?? fallback);
    input.addEventListener('change', () => save(key));
    label.append(input);
    row.append(label);
  }
  const remove = el('button', { type: 'button', class: 'button button-small' }, t('settings.entry.remove'));
  remove.addEventListener('click', () => {
    const list = row.parentElement;
    row.remove();
    emptyNote(list);
    save(key);
    fields.get(key).add.focus();
  });
  row.append(remove);
  return row;
}

function emptyNote(list) {
  list.dataset.empty = list.children.length === 0 ? 'true' : 'false';
}

/** An entries setting: the rows, and Add (which adds a row with the usual values, saved when edited). */
function buildEntries(key) {
  const id = idFor(key);
  const row = el('div', { class: 'field field-entries', 'data-key': key });
  const text = el('div', { class: 'field-text' });
  text.append(el('span', { id: `${id}-label` }, t(textKey(key))));
  const list = el('ul', { id, class: 'entries', 'aria-labelledby': `${id}-label`, 'data-empty-text': t('settings.entry.empty') });
  const add = el('button', { type: 'button', class: 'button' }, t('settings.entry.add'));
  add.addEventListener('click', () => {
    const entry = entryRow(key, {});
    list.append(entry);
    emptyNote(list);
    entry.querySelector('input, select').focus();
  });
  const error = el('p', { id: `${id}-error`, class: 'error', 'aria-live': 'polite' });
  const control = el('div', { class: 'field-control' });
  control.append(list, add);
  row.append(text, control, error);
  fields.set(key, { input: list, error, timer: 0, seq: 0, problem: null, add });
  return row;
}

function buildField(key, sharedHint) {
  if (ENTRIES[key]) return buildEntries(key);
  const id = idFor(key);
  const row = el('div', { class: 'field', 'data-key': key });
  const text = el('div', { class: 'field-text' });
  text.append(el('label', { for: id }, t(textKey(key))));
  const describedBy = [];
  if (sharedHint) describedBy.push(sharedHint);
  if (hasHint(key)) {
    text.append(el('p', { id: `${id}-hint`, class: 'hint' }, t(`${textKey(key)}.hint`)));
    describedBy.push(`${id}-hint`);
  }
  describedBy.push(`${id}-error`);

  let input;
  if (SWITCHES.has(key)) {
    row.classList.add('field-toggle');
    input = el('input', { id, type: 'checkbox', class: 'toggle' });
  } else if (CHOICES[key]) {
    input = el('select', { id, class: 'input' });
    for (const choice of CHOICES[key]) input.append(el('option', { value: choice }, t(`${textKey(key)}.${choice}`)));
  } else {
    input = el('input', { id, type: 'text', class: 'input', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off' });
    if (WHOLE_NUMBERS.has(key)) input.setAttribute('inputmode', 'numeric');
  }
  input.setAttribute('aria-describedby', describedBy.join(' '));
  const control = el('div', { class: 'field-control' });
  control.append(input);
  const error = el('p', { id: `${id}-error`, class: 'error', 'aria-live': 'polite' });
  row.append(text, control, error);

  const state = { input, error, timer: 0, seq: 0, problem: null };
  fields.set(key, state);
  if (input.type === 'text') {
    input.addEventListener('input', () => {
      clearTimeout(state.timer);
      state.timer = setTimeout(() => check(key), CHECK_DELAY_MS);
    });
  }
  input.addEventListener('change', () => {
    clearTimeout(state.timer);
    save(key);
  });
  return row;
}

function buildGroup(group) {
  const box = group.legend ? el('fieldset', { class: 'group' }) : el('div', { class: 'group' });
  if (group.legend) box.append(el('legend', {}, t(group.legend)));
  let sharedHint = null;
  if (group.note) {
    sharedHint = group.note.replace(/\./g, '-');
    box.append(el('p', { id: sharedHint, class: 'note' }, t(group.note)));
  }
  // Commands are written as typed, never translated.
  if (group.commands) {
    const list = el('ul', { class: 'commands' });
    for (const command of group.commands) {
      const item = el('li');
      item.append(el('code', {}, command));
      list.append(item);
    }
    box.append(list);
  }
  const list = el('div', { class: group.days ? 'days' : 'fields' });
  for (const key of group.keys) list.append(buildField(key, group.days ? sharedHint : null));
  box.append(list);
  // The other devices that wrote to the shared folder, filled in when the settings are read.
  if (group.seen) {
    box.append(el('p', { id: 'devices-seen-label', class: 'hint' }, t('settings.devices.seen')));
    box.append(el('ul', { id: 'devices-seen', class: 'ideas', 'aria-labelledby': 'devices-seen-label', 'data-empty': 'true' }));
  }
  return box;
}

function draw() {
  for (const holder of document.querySelectorAll('[data-section]')) {
    for (const group of LAYOUT[holder.dataset.section] ?? []) holder.append(buildGroup(group));
  }
}

// ---- Values -------------------------------------------------------------------------------------

/** The value to send for `key`: a switch's state, a list's choice, or the text typed (digits alone as a number). */
function valueOf(key) {
  const { input } = fields.get(key);
  if (ENTRIES[key]) {
    return [...input.children].map((row) => Object.fromEntries(
      [...row.querySelectorAll('[data-field]')].map((f) => [f.dataset.field, f.value.trim()]),
    ));
  }
  if (LISTS.has(key)) return input.value.split(',').map((word) => word.trim()).filter(Boolean);
  if (input.type === 'checkbox') return input.checked;
  if (input.tagName === 'SELECT') return input.value;
  const text = input.value.trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : input.value;
}

function show(key, value) {
  const state = fields.get(key);
  if (!state) return;
  if (ENTRIES[key]) {
    state.input.replaceChildren(...(Array.isArray(value) ? value : []).map((entry) => entryRow(key, entry)));
    emptyNote(state.input);
    return;
  }
  if (LISTS.has(key)) {
    state.input.value = Array.isArray(value) ? value.join(', ') : String(value);
    return;
  }
  if (state.input.type === 'checkbox') state.input.checked = value === true;
  else state.input.value = String(value);
}

function setError(key, message) {
  const state = fields.get(key);
  if (!state) return;
  state.error.textContent = message ?? '';
  if (message) state.input.setAttribute('aria-invalid', 'true');
  else state.input.removeAttribute('aria-invalid');
}

/** Marks the file's problems beside their fields; the others go in the banner. */
function showProblems(problems) {
  const elsewhere = [];
  for (const [key, state] of fields) {
    const problem = problems.find((p) => p.key === key || (ENTRIES[key] && p.key.startsWith(`${key}.`)));
    const was = state.problem;
    state.problem = problem?.reason ?? null;
    // A field being typed in keeps its own message until it is checked again.
    if (document.activeElement !== state.input && (state.problem || was)) setError(key, state.problem);
  }
  const shownBeside = (k) => fields.has(k) || Object.keys(ENTRIES).some((e) => k.startsWith(`${e}.`));
  for (const p of problems) if (!shownBeside(p.key)) elsewhere.push(p.key ? `${p.key}: ${p.reason}` : p.reason);
  const banner = $('banner');
  banner.replaceChildren();
  banner.hidden = elsewhere.length === 0;
  if (elsewhere.length) {
    banner.append(el('p', {}, t('settings.fileProblems')));
    const list = el('ul');
    for (const line of elsewhere) list.append(el('li', {}, line));
    banner.append(list);
  }
}

function say(message) {
  $('status').textContent = message;
}

function sayApplied(result, prefix = '') {
  const lead = prefix ? `${prefix} ` : '';
  if (result.daemon === 'applied') say(lead + t('settings.saved'));
  else if (result.daemon === 'not_running') say(lead + t('settings.savedNotRunning'));
  else say(lead + t('settings.savedFailed', { message: result.message ?? '' }));
}

async function check(key) {
  const state = fields.get(key);
  const seq = ++state.seq;
  try {
    await api.settingsCheck(key, valueOf(key));
    if (seq === state.seq) setError(key, null);
  } catch (err) {
    if (seq === state.seq) setError(key, err.message);
  }
}

async function save(key) {
  const state = fields.get(key);
  const seq = ++state.seq;
  say(t('settings.saving'));
  try {
    const result = await api.settingsSet(key, valueOf(key));
    if (seq === state.seq) setError(key, null);
    showProblems(result.problems ?? []);
    sayApplied(result);
  } catch (err) {
    if (seq === state.seq) setError(key, err.message);
    say(t('settings.saveFailed', { message: err.message }));
  }
}

async function load() {
  const view = await api.settingsRead();
  for (const field of view.fields) show(field.key, field.value);
  for (const key of fields.keys()) setError(key, null);
  for (const state of fields.values()) state.problem = null;
  showProblems(view.problems);
  $('settings-file').textContent = view.settings_file;
  const ideas = $('ideas-list');
  ideas.replaceChildren(...(view.ideas ?? []).map((name) => el('li', {}, name)));
  ideas.dataset.empty = ideas.children.length ? 'false' : 'true';
  ideas.dataset.emptyText = t('settings.ideas.none');
  $('ideas-file').textContent = view.ideas_file ?? '';
  const seen = $('devices-seen');
  const when = (at) => formatDate(new Date(at), { dateStyle: 'medium', timeStyle: 'short' });
  seen.replaceChildren(
    ...(view.devices ?? []).map((d) => el('li', {}, d.last_wrote ? t('settings.devices.last', { name: d.name, when: when(d.last_wrote) }) : d.name)),
  );
  seen.dataset.empty = seen.children.length ? 'false' : 'true';
  seen.dataset.emptyText = t('settings.devices.none');
  $('database').textContent = view.database;
}

// ---- Launch at login ----------------------------------------------------------------------------

async function setupAutostart() {
  const box = $('autostart');
  const error = $('autostart-error');
  const fail = (err) => {
    error.textContent = err.message;
    box.setAttribute('aria-invalid', 'true');
  };
  try {
    box.checked = await api.autostartGet();
    box.disabled = false;
  } catch (err) {
    fail(err);
  }
  box.addEventListener('change', async () => {
    const wanted = box.checked;
    box.disabled = true;
    try {
      box.checked = await api.autostartSet(wanted);
      error.textContent = '';
      box.removeAttribute('aria-invalid');
      say(t(box.checked ? 'settings.autostart.on' : 'settings.autostart.off'));
    } catch (err) {
      box.checked = !wanted;
      fail(err);
    } finally {
      box.disabled = false;
    }
  });
}

// ---- Reset to defaults --------------------------------------------------------------------------

function setupReset() {
  const reset = $('reset');
  const confirm = $('confirm');
  const close = () => {
    confirm.hidden = true;
    reset.setAttribute('aria-expanded', 'false');
    reset.focus();
  };
  reset.addEventListener('click', () => {
    confirm.hidden = false;
    reset.setAttribute('aria-expanded', 'true');
    $('reset-no').focus();
  });
  $('reset-no').addEventListener('click', close);
  confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  $('reset-yes').addEventListener('click', async () => {
    try {
      const result = await api.settingsReset();
      await load();
      close();
      sayApplied(result, t('settings.reset.done'));
    } catch (err) {
      close();
      say(t('settings.saveFailed', { message: err.message }));
    }
  });
}

function setupIdeas() {
  $('ideas-open').addEventListener('click', async () => {
    try {
      await api.ideasOpen();
      $('ideas-error').textContent = '';
    } catch (err) {
      $('ideas-error').textContent = err.message;
    }
  });
}

async function main() {
  await ready;
  document.title = t('settings.windowTitle');
  document.querySelector('.nav').setAttribute('aria-label', t('settings.nav'));
  draw();
  setupReset();
  setupIdeas();
  try {
    await load();
  } catch (err) {
    const banner = $('banner');
    banner.textContent = t('settings.loadFailed', { message: err.message });
    banner.hidden = false;
  }
  await setupAutostart();
  try {
    await api.settingsReady();
  } catch (err) {
    console.error('settings: cannot ask to be shown', err);
  }
}

main();
