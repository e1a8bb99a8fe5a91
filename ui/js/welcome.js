// welcome.js — behaviour of the welcome window: shows the current preset, launch at login and sound,
// saves each choice the moment it is made (so closing the window keeps them), says so when Respite is
// not running or a change failed, and closes on Start. All Tauri calls go through api.js.
import * as api from './api.js';
import { ready, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const presets = () => [...document.querySelectorAll('input[name="preset"]')];

// A problem in the error colour; `info` (saved, but Respite is not running) in the quiet one.
function say(text, info = false) {
  $('status').textContent = text;
  $('status').classList.toggle('info', info);
  $('later').hidden = text !== '';
}

// What a saved change means for the user: nothing to say when Respite applied it.
function reportSaved(saved) {
  if (saved?.daemon === 'failed') say(t('welcome.status.failed', { message: saved.message ?? '' }));
  else if (saved?.daemon === 'not_running') say(t('welcome.status.notRunning'), true);
  else say('');
}

async function change(what, undo) {
  try {
    reportSaved(await what());
  } catch (err) {
    undo();
    say(t('welcome.status.error', { message: err.message }));
  }
}

async function start() {
  await ready;
  let view;
  try {
    view = await api.welcomeRead();
  } catch (err) {
    view = { preset: null, autostart: null, sound: true };
    say(t('welcome.status.error', { message: err.message }));
  }
  let chosen = view.preset;
  for (const radio of presets()) {
    radio.checked = radio.value === chosen;
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      const before = chosen;
      chosen = radio.value;
      change(() => api.welcomePreset(radio.value), () => {
        chosen = before;
        for (const r of presets()) r.checked = r.value === before;
      });
    });
  }

  const autostart = $('autostart');
  autostart.checked = view.autostart === true;
  autostart.disabled = view.autostart === null;
  autostart.addEventListener('change', async () => {
    const wanted = autostart.checked;
    try {
      autostart.checked = await api.autostartSet(wanted);
      say('');
    } catch (err) {
      autostart.checked = !wanted;
      say(t('welcome.status.error', { message: err.message }));
    }
  });

  const sound = $('sound');
  sound.checked = view.sound;
  sound.addEventListener('change', () => change(() => api.welcomeSound(sound.checked), () => { sound.checked = !sound.checked; }));

  $('done').addEventListener('click', () => api.welcomeDone().catch((err) => say(t('welcome.status.error', { message: err.message }))));
  await api.welcomeReady();
}

start();
