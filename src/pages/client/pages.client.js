// The booking pages' only script, bundled with esbuild at start (pages.assets.ts). The pages work
// without it; it adds: the visitor's own time zone on the first visit, choices that apply on
// change, one submit per click, and the embed's message to its parent page (spec §3.6).
(() => {
  const main = document.querySelector('main');
  if (!main) return;

  // First visit without ?tz=: the server guessed the host's zone; show the visitor's own instead.
  if (main.dataset.detectZone !== undefined) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== main.dataset.zone) {
      const url = new URL(location.href);
      url.searchParams.set('tz', zone);
      location.replace(url.toString());
      return;
    }
  }

  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form?.requestSubmit());
  }

  const book = document.getElementById('book');
  if (book) {
    book.addEventListener('submit', (event) => {
      if (book.dataset.sent) event.preventDefault();
      book.dataset.sent = '1';
      for (const button of book.querySelectorAll('button')) button.setAttribute('aria-disabled', 'true');
    });
  }

  const booked = main.dataset.booked;
  if (booked) {
    document.getElementById('done')?.focus();
    if (window.parent !== window) {
      // The booking's own data, to whichever page frames us; framing is limited by frame-ancestors.
      window.parent.postMessage({ event: 'booking-successful', data: JSON.parse(booked) }, '*');
    }
  }
})();
