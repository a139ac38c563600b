// html-validate configuration for the built site (tests/test_browser.py runs it on every page).
// Base: the "standard" preset, as html-validate recommends for generated sites ("recommended"
// also enforces style choices such as self-closing void elements). No rule is turned off.
module.exports = {
  root: true,
  extends: ["html-validate:standard"],
};
