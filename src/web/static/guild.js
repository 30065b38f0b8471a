// Guild's only script, and an optional one: every page works without it. It adds a "Copy"
// button beside each invitation link (the link stays selectable for browsers without it).
'use strict';
document.addEventListener('DOMContentLoaded', function () {
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
