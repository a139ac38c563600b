// The crisis banner's contract, checked where it is decided: in the reader's browser, after the page's
// own CSS, at the first screen (scroll 0). Called with {needles, selector}: the href needles of the links
// that must be seen (sitekit.checks.outputcheck.REQUIRED, or another edition's) and the banner's selector.
// Returns one line per problem ([] when every required link is there and can be seen, read and used).
//
// For each required link: rendered (display, visibility, opacity, content-visibility); no filter, blend
// mode, mask or clip-path on it or above it; not inert, not in a closed <details>, not clipped by an
// ancestor; its box at least 24x24 CSS px (WCAG 2.5.8) and wholly on the first screen; its text drawn
// at least 10 px high, not squeezed, wholly on screen; the link itself the topmost element at the centre
// of its box and of its text (with pointer-events forced on, so a transparent overlay with
// pointer-events: none still counts, and a pseudo-element laid over it is found as its host); and a
// contrast of at least 4.5:1 between its text (-webkit-text-fill-color, with the opacity above it) and
// what is painted behind it. And nothing modal is open, nor an open <dialog> or popover before the banner.
({needles, selector = '[data-crisis-banner]'}) => {
  const banner = document.querySelector(selector);
  if (!banner) return [`no crisis banner (${selector})`];
  const problems = [];
  const tag = el => `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${
      typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : ''}>`;
  const modal = document.querySelector(':modal');
  if (modal) problems.push(`${tag(modal)} is open as a modal: nothing else on the page can be used`);
  for (const open of document.querySelectorAll('dialog[open], :popover-open'))
    if (!open.contains(banner) && (open.compareDocumentPosition(banner) & Node.DOCUMENT_POSITION_FOLLOWING))
      problems.push(`an open ${tag(open)} comes before the crisis banner`);

  // Colours as the browser paints them, whatever their syntax (rgb, oklch, color-mix...): [r, g, b, a].
  const ctx = Object.assign(document.createElement('canvas'), {width: 1, height: 1}).getContext('2d', {willReadFrequently: true});
  const rgba = css => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];
  const luminance = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (x, y) => { const [a, b] = [luminance(x), luminance(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };

  const viewW = document.documentElement.clientWidth, viewH = document.documentElement.clientHeight;
  const onScreen = r => r.left >= -0.5 && r.top >= -0.5 && r.right <= viewW + 0.5 && r.bottom <= viewH + 0.5;
  const union = rects => rects.reduce((u, r) => r.width * r.height === 0 ? u : !u ? {left: r.left, top: r.top, right: r.right, bottom: r.bottom}
      : {left: Math.min(u.left, r.left), top: Math.min(u.top, r.top), right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom)}, null);

  // Hit tests see every element, including those a stylesheet made transparent to the pointer.
  const force = new CSSStyleSheet();
  force.replaceSync('*, *::before, *::after { pointer-events: auto !important; }');
  const sheets = document.adoptedStyleSheets;
  document.adoptedStyleSheets = [...sheets, force];
  try {
    const links = [...banner.querySelectorAll('a[href]')];
    for (const needle of needles) {
      // The same matching as sitekit.checks.outputcheck._satisfies: "#x" ends the href, ".org" is a host.
      const matching = links.filter(a => needle.startsWith('#') ? a.getAttribute('href').endsWith(needle)
          : needle.endsWith('.org') ? a.hostname.endsWith(needle) : a.getAttribute('href') === needle);
      if (!matching.length) { problems.push(`${needle}: no link in the banner`); continue; }
      for (const a of matching) problems.push(...linkProblems(a).map(p => `${a.getAttribute('href')} ("${a.textContent.trim()}"): ${p}`));
    }
  } finally {
    document.adoptedStyleSheets = sheets;
  }
  return [...new Set(problems)];

  function linkProblems(a) {
    const found = [];
    if (!a.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true}))
      return ['not rendered (display, visibility, opacity or content-visibility)'];
    if (a.closest('[inert]')) found.push(`inert (${tag(a.closest('[inert]'))})`);
    const box = a.getBoundingClientRect();
    if (box.width < 24 || box.height < 24) found.push(`${Math.round(box.width)}x${Math.round(box.height)} px, smaller than 24x24`);
    if (!onScreen(box)) found.push(`not wholly on the first screen (${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)} in ${viewW}x${viewH})`);
    let opacity = 1;
    for (let el = a; el; el = el.parentElement) {
      const s = getComputedStyle(el);
      opacity *= parseFloat(s.opacity);
      if (el.closest('details:not([open])') && !el.closest('summary')) found.push('inside a closed <details>');
      for (const [property, none] of [['filter', 'none'], ['mixBlendMode', 'normal'], ['clipPath', 'none'], ['maskImage', 'none']])
        if (s[property] && s[property] !== none) found.push(`${property.replace(/[A-Z]/g, c => '-' + c.toLowerCase())}: ${s[property]} on ${tag(el)}`);
      if (el !== a && [s.overflowX, s.overflowY].some(o => ['hidden', 'clip', 'scroll', 'auto'].includes(o))) {
        const clip = el.getBoundingClientRect();
        if (Math.min(box.right, clip.right) - Math.max(box.left, clip.left) < box.width - 0.5 ||
            Math.min(box.bottom, clip.bottom) - Math.max(box.top, clip.top) < box.height - 0.5)
          found.push(`clipped by ${tag(el)}`);
      }
    }
    const range = document.createRange();
    range.selectNodeContents(a);
    const text = union([...range.getClientRects()]);
    const chars = a.textContent.trim().length;
    const style = getComputedStyle(a);
    if (!text || text.bottom - text.top < 10) found.push(`its text is ${text ? Math.round(text.bottom - text.top) : 0} px high (under 10)`);
    else {
      const scale = box.height / (a.offsetHeight || box.height);
      if (text.right - text.left < 0.25 * parseFloat(style.fontSize) * scale * chars) found.push('its text is squeezed together');
      if (!onScreen(text)) found.push('its text is not wholly on the first screen');
    }
    for (const [x, y, what] of [[(box.left + box.right) / 2, (box.top + box.bottom) / 2, 'its centre'],
                                ...(text ? [[(text.left + text.right) / 2, (text.top + text.bottom) / 2, 'its text']] : [])]) {
      if (x < 0 || y < 0 || x >= viewW || y >= viewH) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit !== a && !a.contains(hit)) { found.push(`${what} is covered by ${tag(hit)}`); continue; }
      // What is painted behind the text there: the backgrounds under the link, bottom first.
      const stack = document.elementsFromPoint(x, y);
      const from = stack.findIndex(el => el === a || a.contains(el));
      let behind = [255, 255, 255, 1], image = null;
      for (const el of stack.slice(from).reverse()) {
        const s = getComputedStyle(el);
        const bg = rgba(s.backgroundColor);  // an element's colour is painted under its own image
        if (bg[3] > 0) { behind = over(bg, behind); if (bg[3] === 1) image = null; }
        if (s.backgroundImage && s.backgroundImage !== 'none') image = el;
      }
      if (image) { found.push(`a background image on ${tag(image)} is behind its text: its contrast cannot be known`); continue; }
      for (const el of [a, ...a.querySelectorAll('*')]) {
        if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
        const s = getComputedStyle(el), ink = rgba(s.webkitTextFillColor || s.color);
        const seen = over([ink[0], ink[1], ink[2], ink[3] * opacity], behind);
        const ratio = contrast(seen, behind);
        if (ratio < 4.5) found.push(`${what}: text contrast ${ratio.toFixed(2)}:1 against what is behind it (needs 4.5:1)`);
      }
    }
    return found;
  }
}
