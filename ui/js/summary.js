// summary.js — draws one week's summary (computed by the core, fetched through api.js) as headline
// cards, observations, SVG bar charts, a kind table and an hour-by-day heatmap; arrows move between
// weeks. Draws once per week shown; nothing animates.

import { summaryWeek, summaryReady, selfCheckSave } from './api.js';
import { el, svg } from './dom.js';
import { formatDate, formatRange, list, number, percent, ready, t, translate } from './i18n.js';

const KINDS = ['eye', 'stretch', 'walk'];

const $ = (id) => document.getElementById(id);
let view = null;

/** "3 h 20 min", "45 min", "0 min": the locale file's units, with their plural forms. */
export function duration(secs) {
  const minutes = Math.round(secs / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('time.minutes', { count: m });
  if (m === 0) return t('time.hours', { count: h });
  return t('time.hours_minutes', { hours: t('time.hours', { count: h }), minutes: t('time.minutes', { count: m }) });
}

/** A day of the summary ("2026-11-16", local) as a Date at noon (no DST edge). */
function day(dateText) {
  const [y, m, d] = dateText.split('-').map(Number);
  return new Date(y, m - 1, d, 12);
}

/** The weekday's name as the locale writes it: "Mon", or "Monday" when long. */
function weekday(dateText, style = 'short') {
  return formatDate(day(dateText), { weekday: style === 'long' ? 'long' : 'short' });
}

/** An hour of the day, "14:00" or "2 PM", as the locale writes it. */
function hourOfDay(hour) {
  return formatDate(new Date(2026, 0, 1, hour), { hour: 'numeric', minute: '2-digit' });
}

/**
 * A change from last week, worded, and whether it is good news. A change that rounds to nothing
 * in the words shown (under half a minute, under half a point) is "same as last week", in the
 * neutral tone.
 */
function changeFrom(value, format, higherIsBetter, rounded = (v) => v) {
  if (value === null || value === undefined || rounded(Math.abs(value)) === 0) return { text: t('summary.change.same'), tone: '' };
  const up = value > 0;
  const text = t(up ? 'summary.change.up' : 'summary.change.down', { amount: format(Math.abs(value)) });
  return { text, tone: up === higherIsBetter ? 'better' : 'worse' };
}

const toMinutes = (secs) => Math.round(secs / 60);
const toPoints = (share) => Math.round(share * 100);

function drawHeadline(summary) {
  const list = $('headline');
  list.replaceChildren();
  const h = summary.headline;
  const c = summary.previous?.change ?? {};
  // Nothing logged the week before: no change to speak of ("240 more than last week" would mislead).
  const before = summary.previous?.headline;
  const nothingBefore = before && before.compliance == null && !before.screen_secs && !before.after_hours_secs && !before.breaks_taken;
  const change = nothingBefore ? () => ({ text: t('summary.change.none'), tone: '' }) : changeFrom;
  const cards = [
    ['summary.headline.compliance', percent(h.compliance), change(c.compliance, (v) => t('summary.change.points', { count: toPoints(v) }), true, toPoints)],
    ['summary.headline.taken', number(h.breaks_taken), change(c.breaks_taken, number, true)],
    ['summary.headline.screen', duration(h.screen_secs), change(c.screen_secs, duration, false, toMinutes)],
    ['summary.headline.afterHours', duration(h.after_hours_secs), change(c.after_hours_secs, duration, false, toMinutes)],
    ['summary.headline.streak', t('summary.streak.days', { count: summary.streak?.days ?? 0 }), { text: t('summary.streak.target', { target: percent(summary.streak?.target) }), tone: '' }],
  ];
  for (const [label, value, delta] of cards) {
    const item = el('li');
    item.append(el('span', { class: 'label' }, t(label)), el('span', { class: 'value' }, value), el('span', { class: `change ${delta.tone}` }, delta.text));
    list.append(item);
  }
}

function drawObservations(summary) {
  const list = $('observations');
  list.replaceChildren();
  for (const observation of summary.observations ?? []) {
    const item = el('li', {}, observation.text);
    if (observation.care) item.classList.add('care');
    list.append(item);
  }
  list.hidden = list.children.length === 0;
}

/** Whether the page reads right to left: the charts' days and hours then run from the right. */
const rtl = () => document.documentElement.dir === 'rtl';

/** x of a box `w` wide drawn at `x` in a chart `width` wide, mirrored right to left. */
const mirrored = (x, w, width) => (rtl() ? width - x - w : x);

/** A chart's svg (its positions are mirrored by hand; its words keep the page's direction). */
const chartSvg = (attrs) => svg('svg', attrs);

/** Bars per day: working hours below, after hours stacked on top. */
function drawScreen(summary) {
  const width = 640;
  const height = 200;
  const top = 18;
  const bottom = 24;
  const slot = width / 7;
  const max = Math.max(3600, ...summary.days.map((d) => d.screen_secs));
  const scale = (secs) => (secs / max) * (height - top - bottom);
  const chart = chartSvg({ viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('summary.screen.title') });
  chart.append(svg('line', { class: 'grid-line', x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  summary.days.forEach((day, i) => {
    const w = slot * 0.6;
    const x = mirrored(i * slot + slot * 0.2, w, width);
    const after = scale(day.after_hours_secs);
    const inHours = scale(day.screen_secs - day.after_hours_secs);
    const base = height - bottom;
    const label = `${weekday(day.date, 'long')}: ${duration(day.screen_secs)}, ${t('summary.screen.afterHoursShort', { time: duration(day.after_hours_secs) })}`;
    const group = svg('g', { role: 'listitem', 'aria-label': label });
    group.append(svg('title', {}, label));
    if (inHours > 0) group.append(svg('rect', { class: 'bar-hours', x, y: base - inHours, width: w, height: inHours, rx: 2 }));
    if (after > 0) group.append(svg('rect', { class: 'bar-after', x, y: base - inHours - after, width: w, height: after, rx: 2 }));
    if (day.screen_secs > 0) group.append(svg('text', { class: 'value-label', x: x + w / 2, y: base - inHours - after - 4, 'text-anchor': 'middle' }, duration(day.screen_secs)));
    group.append(svg('text', { x: x + w / 2, y: height - 6, 'text-anchor': 'middle' }, weekday(day.date)));
    chart.append(group);
  });
  const budget = summary.budget?.daily_secs;
  if (budget && budget <= max) {
    const y = height - bottom - scale(budget);
    chart.append(svg('line', { class: 'budget-line', x1: 0, x2: width, y1: y, y2: y }));
  }
  chart.setAttribute('role', 'list');
  $('screen-chart').replaceChildren(chart);
  drawBudget(summary);
}

/** The budget's line under the chart: within it every day, or the days over it and by how much. */
function drawBudget(summary) {
  const box = $('budget');
  const budget = summary.budget;
  box.hidden = !budget;
  if (!budget) return;
  const title = t('summary.budget.title', { budget: duration(budget.daily_secs) });
  if (!budget.over.length) {
    box.textContent = `${title} ${t('summary.budget.within')}`;
    return;
  }
  const days = budget.over.map((day) => t('summary.budget.day', { day: weekday(day.date, 'long'), over: duration(day.over_secs) }));
  box.textContent = `${title} ${t('summary.budget.over', { count: budget.over.length })} ${list(days)}`;
}

function drawStretch(summary) {
  const width = 640;
  const height = 150;
  const bottom = 24;
  const slot = width / 7;
  const max = Math.max(3600, ...summary.days.map((d) => d.longest_stretch_secs));
  const chart = chartSvg({ viewBox: `0 0 ${width} ${height}`, role: 'list', 'aria-label': t('summary.stretch.title') });
  chart.append(svg('line', { class: 'grid-line', x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  summary.days.forEach((day, i) => {
    const w = slot * 0.6;
    const x = mirrored(i * slot + slot * 0.2, w, width);
    const h = (day.longest_stretch_secs / max) * (height - bottom - 18);
    const label = `${weekday(day.date, 'long')}: ${duration(day.longest_stretch_secs)}`;
    const group = svg('g', { role: 'listitem', 'aria-label': label });
    group.append(svg('title', {}, label));
    if (h > 0) {
      group.append(svg('rect', { class: 'bar-stretch', x, y: height - bottom - h, width: w, height: h, rx: 2 }));
      group.append(svg('text', { class: 'value-label', x: x + w / 2, y: height - bottom - h - 4, 'text-anchor': 'middle' }, duration(day.longest_stretch_secs)));
    }
    group.append(svg('text', { x: x + w / 2, y: height - 6, 'text-anchor': 'middle' }, weekday(day.date)));
    chart.append(group);
  });
  $('stretch-chart').replaceChildren(chart);
}

function drawKinds(summary) {
  const body = $('kinds').querySelector('tbody');
  body.replaceChildren();
  for (const kind of KINDS) {
    const tally = summary.by_kind?.[kind];
    if (!tally) continue;
    const row = el('tr');
    row.append(el('th', { scope: 'row' }, t(`overlay.kind.${kind}.title`)));
    for (const n of [tally.due, tally.taken, tally.natural, tally.skipped, tally.postponed]) row.append(el('td', {}, String(n)));
    const cell = el('td');
    const meter = el('span', { class: 'meter', 'aria-hidden': 'true' });
    const fill = el('span');
    fill.style.width = `${Math.round((tally.compliance ?? 0) * 100)}%`;
    meter.append(fill);
    cell.append(meter, document.createTextNode(percent(tally.compliance)));
    row.append(cell);
    body.append(row);
  }
  // Gentle mode's notifications, told apart from the overlay's breaks, when the week had any.
  const gentle = summary.by_style?.notification;
  if (gentle && gentle.due + gentle.postponed + gentle.interrupted + gentle.unseen > 0) {
    for (const style of ['overlay', 'notification']) {
      const tally = summary.by_style[style];
      const row = el('tr', { class: 'by-style' });
      row.append(el('th', { scope: 'row' }, t(`summary.style.${style}`)));
      for (const n of [tally.due, tally.taken, tally.natural, tally.skipped, tally.postponed]) row.append(el('td', {}, String(n)));
      row.append(el('td', {}, percent(tally.compliance)));
      body.append(row);
    }
  }
  // Breaks that ran with no window on screen are in no column: say how many there were.
  const unseen = summary.breaks?.unseen ?? 0;
  const note = $('kinds-unseen');
  note.textContent = unseen > 0 ? t('summary.kinds.unseen', { count: unseen }) : '';
  note.hidden = unseen === 0;
}

/** Each computer's share of the week, when several share a history folder. */
function drawDevices(summary) {
  const devices = summary.devices ?? [];
  $('devices').hidden = devices.length === 0;
  const body = $('devices').querySelector('tbody');
  body.replaceChildren();
  for (const device of devices) {
    const row = el('tr');
    row.append(el('th', { scope: 'row' }, device.name ?? t('summary.devices.this')));
    const last = device.last_wrote ? formatDate(new Date(device.last_wrote), { weekday: 'short', hour: 'numeric', minute: '2-digit' }) : '';
    for (const text of [duration(device.screen_secs), String(device.breaks.due), percent(device.breaks.compliance), last]) row.append(el('td', {}, text));
    body.append(row);
  }
}

/** Day × hour grid, darker for more minutes at the screen. */
function drawHeatmap(summary) {
  const cell = 22;
  const left = 40;
  const top = 16;
  const width = left + 24 * cell;
  const height = top + 7 * cell + 4;
  const chart = chartSvg({ viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': t('summary.heat.label') });
  for (let hour = 0; hour < 24; hour += 3) {
    chart.append(svg('text', { x: mirrored(left + hour * cell, cell, width) + cell / 2, y: 11, 'text-anchor': 'middle' }, String(hour).padStart(2, '0')));
  }
  summary.heatmap_minutes.forEach((hours, d) => {
    // 'start' is the right edge of a right-to-left text.
    const name = { x: rtl() ? width : 0, 'text-anchor': 'start' };
    chart.append(svg('text', { ...name, y: top + d * cell + cell * 0.7 }, weekday(summary.days[d].date)));
    hours.forEach((minutes, hour) => {
      const attrs = { x: mirrored(left + hour * cell + 1, cell - 2, width), y: top + d * cell + 1, width: cell - 2, height: cell - 2, rx: 3 };
      const rect = minutes > 0
        ? svg('rect', { ...attrs, class: 'heat-cell', 'fill-opacity': (0.15 + 0.85 * Math.min(minutes, 60) / 60).toFixed(2) })
        : svg('rect', { ...attrs, class: 'heat-empty' });
      if (minutes > 0) rect.append(svg('title', {}, `${weekday(summary.days[d].date, 'long')} ${hourOfDay(hour)} — ${t('time.minutes', { count: minutes })}`));
      chart.append(rect);
    });
  });
  $('heatmap').replaceChildren(chart);
}

const QUESTIONS = ['energy', 'closeness', 'accomplishment'];

/** The weekly check-in: three 1–5 questions, the last weeks' answers, and care when they stay low. */
function drawCheckin() {
  const check = view.self_check;
  $('checkin').hidden = !check;
  if (!check) return;
  const box = $('checkin-questions');
  box.replaceChildren();
  for (const question of QUESTIONS) {
    const set = el('fieldset');
    set.append(el('legend', {}, t(`checkin.${question}.question`)));
    const scale = el('div', { class: 'scale' });
    scale.append(el('span', { class: 'end', 'aria-hidden': 'true' }, t(`checkin.${question}.low`)));
    for (let n = 1; n <= 5; n += 1) {
      const label = el('label');
      const input = el('input', { type: 'radio', name: question, value: n, 'aria-label': `${n} — ${t(`checkin.${question}.${n <= 2 ? 'low' : n >= 4 ? 'high' : 'middle'}`)}` });
      if (check.answers && check.answers[question] === n) input.checked = true;
      label.append(input, el('span', {}, String(n)));
      scale.append(label);
    }
    scale.append(el('span', { class: 'end', 'aria-hidden': 'true' }, t(`checkin.${question}.high`)));
    set.append(scale);
    box.append(set);
  }
  $('checkin-status').textContent = check.answers ? t('checkin.saved') : '';
  const help = $('checkin-help');
  help.hidden = !check.suggest_help;
  help.textContent = check.suggest_help ? t('checkin.help') : '';
  const trend = $('checkin-trend');
  trend.hidden = check.trend.length === 0;
  const head = trend.querySelector('thead tr');
  head.replaceChildren(el('th', { scope: 'col' }, t('checkin.week')), ...QUESTIONS.map((q) => el('th', { scope: 'col' }, t(`checkin.${q}.short`))));
  const body = trend.querySelector('tbody');
  body.replaceChildren();
  for (const row of check.trend) {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row' }, row.week));
    for (const q of QUESTIONS) tr.append(el('td', {}, String(row.answers[q])));
    body.append(tr);
  }
}

async function saveCheckin(event) {
  event.preventDefault();
  const form = $('checkin-form');
  const answers = Object.fromEntries(QUESTIONS.map((q) => [q, Number(form.elements[q].value)]));
  if (QUESTIONS.some((q) => !answers[q])) {
    $('checkin-status').textContent = t('checkin.incomplete');
    return;
  }
  try {
    await selfCheckSave(view.week, answers);
    $('checkin-status').textContent = t('checkin.saved');
    draw(await summaryWeek(view.week));
  } catch (err) {
    $('checkin-status').textContent = t('checkin.error', { message: err.message });
  }
}

function draw(next) {
  view = next;
  drawCheckin();
  const summary = view.summary;
  const isCurrent = view.week === view.current;
  const [year, number] = view.week.split('-W');
  $('week-title').textContent = isCurrent ? t('summary.thisWeek') : t('summary.week', { number: Number(number), year });
  $('newer').disabled = isCurrent;
  const empty = !summary || summary.is_empty;
  $('empty').hidden = !empty;
  $('week').hidden = empty;
  if (summary) {
    $('week-dates').textContent = formatRange(day(summary.first_day), day(summary.last_day), { day: 'numeric', month: 'short', year: 'numeric' });
  } else {
    $('week-dates').textContent = view.week;
  }
  if (empty) return;
  drawHeadline(summary);
  drawObservations(summary);
  drawScreen(summary);
  drawKinds(summary);
  drawDevices(summary);
  drawHeatmap(summary);
  drawStretch(summary);
}

async function show(week) {
  try {
    $('status').textContent = '';
    draw(await summaryWeek(week));
  } catch (err) {
    $('week').hidden = true;
    $('empty').hidden = true;
    $('status').textContent = t('summary.error', { message: err.message });
  }
}

async function start() {
  await ready;
  translate();
  for (const button of document.querySelectorAll('[data-i18n-label]')) button.setAttribute('aria-label', t(button.dataset.i18nLabel));
  $('older').addEventListener('click', () => view && show(view.previous));
  $('checkin-form').addEventListener('submit', saveCheckin);
  $('newer').addEventListener('click', () => view && view.week !== view.current && show(view.next));
  document.addEventListener('keydown', (event) => {
    // The arrow that points back in time: left, or right when the page reads right to left.
    const [back, forward] = rtl() ? ['ArrowRight', 'ArrowLeft'] : ['ArrowLeft', 'ArrowRight'];
    if (event.key === back && view) show(view.previous);
    if (event.key === forward && view && view.week !== view.current) show(view.next);
  });
  await show(null);
  // Shown once the first week is drawn: never a blank window. (Not from requestAnimationFrame:
  // a hidden WebKit window draws no frames.)
  await summaryReady();
}

start();
