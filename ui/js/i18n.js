// i18n.js — loads locales/en.json, fills [data-i18n] elements and exports t(key, vars).

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

async function load() {
  try {
    const response = await fetch('locales/en.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    messages = await response.json();
  } catch (err) {
    console.error('i18n: could not load locales/en.json', err);
  }
  translate();
}

/** Resolves once the locale is loaded and the page's [data-i18n] elements are filled. */
export const ready = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true })).then(load)
  : load();
