// dom.js — the small element makers every window's script shares: `el` for HTML elements, `svg` for
// SVG ones. Attributes are set as strings and text as textContent, never as markup, so nothing here
// can inject HTML or inline styles (the CSP allows neither).

const SVG = 'http://www.w3.org/2000/svg';

function fill(node, attrs, text) {
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An HTML element with these attributes and, if given, this text. */
export const el = (tag, attrs = {}, text) => fill(document.createElement(tag), attrs, text);

/** An SVG element with these attributes and, if given, this text. */
export const svg = (tag, attrs = {}, text) => fill(document.createElementNS(SVG, tag), attrs, text);
