// i18n.js — loads the locale the shell chose (window.__RESPITE_LOCALE__: a tag such as 'de' or
// 'pt-BR', the same choice the daemon makes from the desktop's LANGUAGE/LC_*/LANG), with English
// beneath it for any key it lacks; fills [data-i18n] elements; sets the page's lang and dir (Arabic
// lays out right to left). t(key, vars) fills {name} placeholders; plural messages are keys with a
// CLDR category suffix (key_one, key_few, key_other…) chosen by vars.count through Intl.PluralRules.
// Numbers, percentages, dates and times are formatted with Intl for the locale (Latin digits
// everywhere, as the tray and the command line write them).
// With the pseudo-locale (RESPITE_LOCALE=pseudo) every string is accented and bracketed, as the Rust
// side does (respite_core::text), so a test can see nothing on screen bypassed the file.

const requested = window.__RESPITE_LOCALE__ ?? 'en';
const isPseudo = requested === 'pseudo';
/** The locale file's tag, and the BCP 47 tag Intl formats with. */
export const locale = isPseudo ? 'en' : requested;
const intlTag = `${locale}-u-nu-latn`;

let messages = {};
let plurals = new Intl.PluralRules(intlTag);

/** True if the loaded locale has a string for key. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

/** The key of the plural form for count: key_<category>, else key_other, else key. */
function pluralKey(key, count) {
  const form = `${key}_${plurals.select(count)}`;
  if (has(form)) return form;
  return has(`${key}_other`) ? `${key}_other` : key;
}

/**
 * The string for key with {name} placeholders replaced from vars; the plural form for vars.count
 * when the key has plural forms; the key itself if missing. Numbers are formatted for the locale.
 */
export function t(key, vars = {}) {
  const chosen = typeof vars.count === 'number' && !has(key) ? pluralKey(key, vars.count) : key;
  const text = has(chosen) ? messages[chosen] : chosen;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    const value = vars[name];
    return typeof value === 'number' ? number(value) : String(value);
  });
}

/** n in the locale's digits, without grouping (a year stays 2026). */
export function number(n) {
  return new Intl.NumberFormat(intlTag, { useGrouping: false }).format(n);
}

/** A share (0..1) as a whole percentage, as the locale writes it; '—' for none. */
export function percent(share) {
  if (share === null || share === undefined) return '—';
  return new Intl.NumberFormat(intlTag, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Words Intl made (month and weekday names), in the pseudo-locale too, so a test can tell them from words written into the code. */
const marked = (text) => (isPseudo ? pseudo(text) : text);

/** A date (a Date) by Intl options, in the locale. */
export function formatDate(date, options) {
  return marked(new Intl.DateTimeFormat(intlTag, options).format(date));
}

/** Two dates as a range, as the locale writes one ("16–22 Nov 2026"). */
export function formatRange(from, to, options) {
  return marked(new Intl.DateTimeFormat(intlTag, options).formatRange(from, to));
}

/** Words joined as the locale lists them: "a, b and c". */
export function list(items) {
  return marked(new Intl.ListFormat(intlTag, { style: 'long', type: 'conjunction' }).format(items));
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

async function fetchLocale(tag) {
  const response = await fetch(`locales/${tag}.json`);
  if (!response.ok) throw new Error(`locales/${tag}.json: HTTP ${response.status}`);
  return response.json();
}

/** English, then the chosen locale over it; a plural group the locale writes replaces English's. */
async function load() {
  try {
    const english = await fetchLocale('en');
    let own = {};
    if (locale !== 'en') {
      try {
        own = await fetchLocale(locale);
      } catch (err) {
        console.error('i18n: falling back to English', err);
      }
    }
    const base = (key) => key.replace(/_(zero|one|two|few|many|other)$/, '');
    const groups = new Set(Object.keys(own).filter((key) => base(key) !== key).map(base));
    messages = Object.fromEntries(Object.entries(english).filter(([key]) => base(key) === key || !groups.has(base(key))));
    Object.assign(messages, own);
    if (isPseudo) {
      for (const key of Object.keys(messages)) messages[key] = pseudo(messages[key]);
    }
    document.documentElement.lang = locale;
    document.documentElement.dir = own['locale.dir'] === 'rtl' ? 'rtl' : 'ltr';
    plurals = new Intl.PluralRules(intlTag);
  } catch (err) {
    console.error('i18n: could not load the locale files', err);
  }
  translate();
}

/** Resolves once the locale is loaded and the page's [data-i18n] elements are filled. */
export const ready = document.readyState === 'loading'
  ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true })).then(load)
  : load();
