// i18n.js — loads locales/en.json, fills [data-i18n] elements and exports t(key, vars). With the
// pseudo-locale (RESPITE_LOCALE=pseudo, passed in by the shell) every string is accented and bracketed,
// as the Rust side does (respite_core::text), so a test can see nothing on screen bypassed the file.

let messages = {};

/** True if the loaded locale has a string for key. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

/** The string for key with {name} placeholders replaced from vars; the key itself if missing. */
export function t(key, vars = {}) {
  const text = has(key) ? messages[key] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Replace the text of every [data-i18n] element under root (the English fallback stays if a key is missing). */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    if (has(el.dataset.i18n)) el.textContent = t(el.dataset.i18n);
  }
}

const ACCENTED = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', c: 'ç', n: 'ñ', s: 'š', y: 'ý', z: 'ž', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', C: 'Ç', N: 'Ñ', S: 'Š' };

/** text in the pseudo-locale: letters accented, the whole bracketed; {placeholders} kept. */
function pseudo(text) {
  let inPlaceholder = false;
  let out = '⟦';
  for (const c of text) {
    if (c === '{') inPlaceholder = true;
    if (c === '}') inPlaceholder = false;
    out += inPlaceholder ? c : (ACCENTED[c] ?? c);
  }
  return `${out}⟧`;
}

async function load() {
  try {
    const response = await fetch('locales/en.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    messages = await response.json();
    if (window.__RESPITE_LOCALE__ === 'pseudo') {
      for (const key of Object.keys(messages)) messages[key] = pseudo(messages[key]);
    }
  } catch (err) {
    console.error('i18n: could not load locales/en.json', err);
  }
  translate();
}

/** Resolves once the locale is loaded and the page's [data-i18n] elements are filled. */
export const ready = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true })).then(load)
  : load();
