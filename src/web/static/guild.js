// Guild's only script, and an optional one: every page works without it. It adds a "Copy"
// button beside each invitation link (the link stays selectable for browsers without it), and
// makes "Back to the form" on an error page the browser's back, which keeps what was typed,
// and opens a folded form that the browser refilled with something changed.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('a.back').forEach(function (link) {
    link.addEventListener('click', function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
  document.querySelectorAll('input.invite').forEach(function (field) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy link';
    button.setAttribute('aria-describedby', field.id);
    var status = document.createElement('span');
    status.className = 'copied';
    status.setAttribute('role', 'status');
    button.addEventListener('click', function () {
      var done = function () { status.textContent = 'Copied'; };
      var fallback = function () {
        field.select();
        status.textContent = document.execCommand('copy') ? 'Copied' : 'Select the link and copy it';
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
    field.insertAdjacentElement('afterend', status);
    field.insertAdjacentElement('afterend', button);
  });
});

// After "Back to the form" the browser refills the fields; a folded form with a changed field
// is opened so the member sees their choice was kept.
window.addEventListener('pageshow', function () {
  document.querySelectorAll('details').forEach(function (box) {
    var changed = Array.prototype.some.call(box.querySelectorAll('select, input, textarea'),
      function (field) {
        if (field.tagName === 'SELECT') { // without a selected option the first is the default
          var first = Array.prototype.findIndex.call(field.options, function (o) {
            return o.defaultSelected;
          });
          return field.selectedIndex !== Math.max(first, 0);
        }
        if (field.type === 'checkbox' || field.type === 'radio') {
          return field.checked !== field.defaultChecked;
        }
        return field.type !== 'hidden' && field.value !== field.defaultValue;
      });
    if (changed) {
      box.open = true;
    }
  });
});
