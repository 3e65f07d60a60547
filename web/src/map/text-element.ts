/**
 * Issue 10: Leaflet writes a string given to a tooltip or popup with innerHTML, so a site or ward named
 * `<img src=...>` would become a real element (and fetch). Every user-supplied text reaches Leaflet as a DOM node whose
 * textContent is that text: this function is the one way to do that.
 */
export function textElement(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}
