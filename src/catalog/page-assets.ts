/**
 * The catalog page's only style sheet and script, inline, and the Content-Security-Policy that
 * admits exactly these two (by SHA-256 hash) and nothing else: no external resource of any kind,
 * no other inline script or style, no inline event handlers, forms only to this origin. A
 * description that smuggled markup past the escaping still could not run or load anything.
 */
import { createHash } from 'node:crypto';

export const PAGE_STYLE = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa;overflow-wrap:anywhere}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:0}
h3{font-size:.95rem;margin:.75rem 0 .25rem}
form{display:flex;gap:.5rem;margin:.75rem 0}
input[type=search]{flex:1;min-width:0;font:inherit;padding:.5rem;border:1px solid #8c959f;border-radius:6px}
button{font:inherit;padding:.5rem 1rem;border:1px solid #8c959f;border-radius:6px;background:#fff}
.count{color:#59636e;margin:.25rem 0 1rem}
.server{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:1rem;margin:0 0 1rem}
.id{color:#59636e;font-size:.875rem;margin:.25rem 0}
.desc{margin:.5rem 0}
.states{display:flex;flex-wrap:wrap;gap:.375rem;margin:.5rem 0;padding:0;list-style:none}
.state{border-radius:2rem;padding:.125rem .625rem;font-size:.875rem;border:1px solid}
.ok{color:#116329;background:#dafbe1;border-color:#4ac26b}
.bad{color:#82071e;background:#ffebe9;border-color:#ff8182}
.warn{color:#7d4e00;background:#fff8c5;border-color:#d4a72c}
.info{color:#0a3069;background:#ddf4ff;border-color:#54aeff}
.tools{display:flex;flex-wrap:wrap;gap:.375rem;margin:.25rem 0;padding:0;list-style:none}
.tools li{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.8125rem;background:#eff2f5;border-radius:4px;padding:.125rem .375rem}
details{margin-top:.75rem}
summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;padding:.5rem;margin:.25rem 0;font-size:.8125rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.note{color:#59636e;font-size:.875rem;margin:.25rem 0}
footer{color:#59636e;font-size:.875rem;padding-bottom:1rem}
a{color:#0969da}
`;

/**
 * Instant filtering as you type; without JavaScript the form's `?q=` does the same on the server
 * (items carry `hidden` from the server, so both agree on what matches).
 */
export const PAGE_SCRIPT = `
(function () {
  var input = document.getElementById('q');
  var shown = document.getElementById('shown');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  if (!input || !shown) return;
  input.addEventListener('input', function () {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var n = 0;
    items.forEach(function (item) {
      var text = item.getAttribute('data-search') || '';
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) n++;
    });
    shown.textContent = String(n);
  });
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(PAGE_STYLE)}`,
  `script-src ${sha256(PAGE_SCRIPT)}`,
  "img-src 'none'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
