// content.js — what each break kind shows: title, text, picture, breathing guide.
//
// STRETCHES below is the ONE list of stretches. Each id is "NN-slug", and it names both
//   the picture  img/stretch/NN-slug.svg  and the text  stretch.NN.name, stretch.NN.instruction,
//   stretch.NN.alt  in locales/en.json.
// To add a stretch, draw the SVG (viewBox 0 0 200 200, page palette, no text), add the three keys
// and append the id here. The daemon's `idea` picks one: STRETCHES[idea % STRETCHES.length], so
// appending keeps earlier indices stable.
import { has, t } from './i18n.js';

export const STRETCHES = [
  '01-neck-tilt',
  '02-shoulder-rolls',
  '03-overhead-reach',
  '04-chest-opener',
  '05-seated-twist',
  '06-side-bend',
  '07-wrist-stretch',
  '08-wrist-circles',
  '09-quad-stretch',
  '10-calf-raises',
  '11-hip-flexor-lunge',
  '12-upper-back-hug',
  '13-chin-tucks',
  '14-ankle-circles',
];

const KINDS = ['eye', 'stretch', 'walk'];

/** The locale key part for a break kind: 'eye', 'stretch', 'walk', or 'other' for anything unknown. */
export const kindKey = (kind) => (KINDS.includes(kind) ? kind : 'other');

/** The stretch id for the daemon's idea number (any integer; anything else counts as 0). */
export function stretchId(idea) {
  const n = STRETCHES.length;
  const i = Number.isFinite(Number(idea)) ? Math.trunc(Number(idea)) : 0;
  return STRETCHES[((i % n) + n) % n];
}

const optional = (key) => (has(key) ? t(key) : '');

/** How many built-in ideas a kind has: each stretch, one text for the others. */
const builtIns = (kind) => (kindKey(kind) === 'stretch' ? STRETCHES.length : 1);

/**
 * What to show for a break of `seconds`: { title, name, instruction, tip, picture: {src, alt} | null, breathing }.
 * name is the stretch's (or the person's idea's) name, empty for other kinds; tip is an optional
 * second, softer line; breathing says whether to show the box-breathing guide.
 * `own` are the person's ideas for this kind ({ name, instruction, picture }), which rotate with
 * the built-in ones, or take their place when `replace` is set; `idea` picks one.
 */
export function breakContent(kind, idea, seconds, own = [], replace = false) {
  const ideas = Array.isArray(own) ? own.filter((o) => o && typeof o.name === 'string' && typeof o.instruction === 'string') : [];
  if (ideas.length) {
    const count = replace ? ideas.length : builtIns(kind) + ideas.length;
    const n = Number.isFinite(Number(idea)) ? Math.trunc(Number(idea)) : 0;
    const pick = ((n % count) + count) % count;
    const mine = replace ? pick : pick - builtIns(kind);
    if (mine < 0) return builtInContent(kind, pick, seconds);
    {
      const chosen = ideas[mine];
      return {
        title: t(`overlay.kind.${kindKey(kind)}.title`),
        name: chosen.name,
        instruction: chosen.instruction,
        tip: '',
        picture: typeof chosen.picture === 'string' && chosen.picture.startsWith('idea://') ? { src: chosen.picture, alt: chosen.name } : null,
        breathing: false,
      };
    }
  }
  return builtInContent(kind, idea, seconds);
}

function builtInContent(kind, idea, seconds) {
  const key = kindKey(kind);
  const base = `overlay.kind.${key}`;
  const content = {
    title: t(`${base}.title`),
    name: '',
    instruction: t(`${base}.instruction`, { count: seconds }),
    tip: optional(`${base}.tip`),
    picture: null,
    breathing: key === 'walk',
  };
  if (key === 'eye') {
    content.picture = { src: 'img/eye.svg', alt: t('overlay.kind.eye.alt') };
  } else if (key === 'stretch') {
    const id = stretchId(idea);
    const n = id.slice(0, 2);
    content.name = t(`stretch.${n}.name`);
    content.instruction = t(`stretch.${n}.instruction`);
    content.picture = { src: `img/stretch/${id}.svg`, alt: t(`stretch.${n}.alt`) };
  }
  return content;
}
