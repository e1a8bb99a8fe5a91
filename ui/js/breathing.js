// breathing.js — the paced box-breathing guide of walk breaks: a dot travels a small square,
// 4 s per side (in, hold, out, hold), and the label under it changes in step.
//
// The dot moves by a CSS animation on transform (overlay.css, .breathing.is-running); this module
// only changes the label and the highlighted side, with one setTimeout every 4 s, reading the
// animation's own clock so the two stay together. With prefers-reduced-motion the dot is not
// shown (CSS) and the label still changes every 4 s.
import { t } from './i18n.js';

const PHASE_MS = 4000;
const PHASES = ['in', 'hold', 'out', 'hold']; // locale keys breathing.in / .hold / .out
const EARLY_MS = 50; // a timer firing this close to a phase boundary counts as on it

/** Starts the guide inside root (the .breathing element); returns a function that stops it. */
export function startBreathing(root) {
  const label = root.querySelector('.breathing-label');
  const dot = root.querySelector('.breathing-dot');
  const edges = [...root.querySelectorAll('.breathing-edge')];
  const startedAt = performance.now();
  let timer = 0;

  root.classList.add('is-running');

  // Milliseconds since the cycle began: the dot's animation time when it runs, else our own clock.
  const elapsed = () => {
    const animation = dot?.getAnimations?.()[0];
    const time = animation?.currentTime;
    return typeof time === 'number' ? time : performance.now() - startedAt;
  };

  const step = () => {
    const ms = elapsed();
    const n = Math.floor((ms + EARLY_MS) / PHASE_MS);
    const phase = n % PHASES.length;
    label.textContent = t(`breathing.${PHASES[phase]}`);
    edges.forEach((edge, i) => edge.classList.toggle('is-active', i === phase));
    timer = setTimeout(step, Math.max(EARLY_MS, (n + 1) * PHASE_MS - ms));
  };
  step();

  return () => {
    clearTimeout(timer);
    root.classList.remove('is-running');
  };
}
