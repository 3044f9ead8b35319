/**
 * The page script, served at /static/mall.js. Plain ES5 so any browser runs it. Buttons carry their
 * card as JSON in data attributes (escaped server-side); forms marked data-kefu-logout end the Kefu
 * session before the page navigates away from the signed-in customer.
 */
export const MALL_JS = `(function () {
  'use strict';
  function kefu() {
    if (typeof window.Kefu === 'function') return window.Kefu.apply(window, arguments);
  }
  document.addEventListener('click', function (event) {
    var el = event.target && event.target.closest ? event.target.closest('[data-kefu-product],[data-kefu-order]') : null;
    if (!el) return;
    event.preventDefault();
    try {
      var product = el.getAttribute('data-kefu-product');
      if (product) kefu('sendProduct', JSON.parse(product));
      var order = el.getAttribute('data-kefu-order');
      if (order) kefu('sendOrder', JSON.parse(order));
    } finally {
      kefu('open');
    }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-kefu-logout') || form.__kefuDone) return;
    event.preventDefault();
    form.__kefuDone = true;
    var gone = false;
    var go = function () { if (!gone) { gone = true; form.submit(); } };
    var result;
    try { result = kefu('logout'); } catch (e) { result = undefined; }
    // The widget may finish logging out asynchronously; wait for it, but never more than a second.
    if (result && typeof result.then === 'function') {
      setTimeout(go, 1000);
      result.then(go, go);
    } else {
      go();
    }
  });
})();
`;
