// In the page: why each required crisis link could not be seen, as the reader's browser lays it out.
// Called with the list of href needles (sitekit.checks.outputcheck.REQUIRED); returns a list of problems.
(needles) => {
  const banner = document.querySelector('[data-crisis-banner]');
  if (!banner) return ['no crisis banner'];
  const problems = [];
  const links = [...banner.querySelectorAll('a[href]')];
  for (const needle of needles) {
    // The same matching as sitekit.checks.outputcheck._satisfies: "#x" ends the href, ".org" is a host.
    const matching = links.filter(a => needle.startsWith('#') ? a.getAttribute('href').endsWith(needle)
        : needle.endsWith('.org') ? a.hostname.endsWith(needle) : a.getAttribute('href') === needle);
    if (!matching.length) { problems.push(`${needle}: no link in the banner`); continue; }
    for (const a of matching) {
      const where = `${a.getAttribute('href')} ("${a.textContent.trim()}")`;
      if (!a.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true}))
        { problems.push(`${where}: not rendered (display, visibility, opacity or content-visibility)`); continue; }
      let rect = a.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) { problems.push(`${where}: ${rect.width}x${rect.height} px`); continue; }
      if (rect.right <= 0 || rect.bottom <= 0 || rect.left >= document.documentElement.scrollWidth)
        { problems.push(`${where}: outside the page`); continue; }
      let opacity = 1;
      for (let el = a; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        opacity *= parseFloat(style.opacity);
        if (el.closest('details:not([open])') && !el.closest('summary')) problems.push(`${where}: inside a closed <details>`);
        if (el !== a && ['hidden', 'clip', 'scroll', 'auto'].includes(style.overflowX + '') ||
            el !== a && ['hidden', 'clip', 'scroll', 'auto'].includes(style.overflowY + '')) {
          const box = el.getBoundingClientRect();
          const left = Math.max(rect.left, box.left), right = Math.min(rect.right, box.right);
          const top = Math.max(rect.top, box.top), bottom = Math.min(rect.bottom, box.bottom);
          if (right - left < 1 || bottom - top < 1) { problems.push(`${where}: clipped by <${el.tagName.toLowerCase()}>`); break; }
        }
        if (style.clipPath && style.clipPath !== 'none') problems.push(`${where}: clip-path on <${el.tagName.toLowerCase()}>`);
      }
      if (opacity < 0.5) problems.push(`${where}: opacity ${opacity}`);
      const color = getComputedStyle(a).color;
      if (/rgba\(.*,\s*0(\.0+)?\)$/.test(color) || color === 'transparent') problems.push(`${where}: transparent text`);
      const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      if (rect.top >= 0 && rect.top < innerHeight && hit && !a.contains(hit) && !hit.contains(a))
        problems.push(`${where}: covered by <${hit.tagName.toLowerCase()} class="${hit.className}">`);
    }
  }
  return [...new Set(problems)];
}
