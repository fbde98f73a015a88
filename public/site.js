/* Hindsight: theme before first paint (no flash), the theme toggle, and expanded disclosures when
   printing. A classic script loaded from the site's own origin: no inline code, CSP-friendly. */
(function () {
  var root = document.documentElement;
  var stored = null;
  try {
    stored = localStorage.getItem('hindsight-theme');
  } catch (e) {}
  if (stored === 'dark' || stored === 'light') root.setAttribute('data-theme', stored);

  function current() {
    var set = root.getAttribute('data-theme');
    if (set) return set;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('[data-theme-toggle]');
    if (button) {
      var label = function () {
        var dark = current() === 'dark';
        button.setAttribute('aria-pressed', dark ? 'true' : 'false');
        button.textContent = dark ? 'Light theme' : 'Dark theme';
      };
      button.hidden = false;
      label();
      button.addEventListener('click', function () {
        var next = current() === 'dark' ? 'light' : 'dark';
        root.setAttribute('data-theme', next);
        try {
          localStorage.setItem('hindsight-theme', next);
        } catch (e) {}
        label();
        document.dispatchEvent(new CustomEvent('hindsight:theme', { detail: next }));
      });
    }
  });

  var reopen = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) {
      d.open = true;
      reopen.push(d);
    });
  });
  window.addEventListener('afterprint', function () {
    reopen.forEach(function (d) {
      d.open = false;
    });
    reopen = [];
  });
})();
