// embed.js: put `<script src="https://termin.example/embed.js" data-termin-url="https://termin.example/anna/intro"></script>`
// where the booking page should appear. It adds the page in an iframe (?embed=1) and re-emits the
// page's messages as a `termin:booking-successful` event on window (detail: the booking data).
(() => {
  const script = document.currentScript;
  if (!script) return;
  const target = script.getAttribute('data-termin-url');
  if (!target) return;
  const url = new URL(target, script.src);
  url.searchParams.set('embed', '1');
  const frame = document.createElement('iframe');
  frame.src = url.toString();
  frame.title = script.getAttribute('data-termin-title') || 'Booking';
  frame.style.width = '100%';
  frame.style.border = '0';
  frame.style.minHeight = script.getAttribute('data-termin-height') || '720px';
  script.after(frame);
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== url.origin) return;
    const message = event.data;
    if (message && message.event === 'booking-successful') {
      window.dispatchEvent(new CustomEvent('termin:booking-successful', { detail: message.data }));
    }
  });
})();
