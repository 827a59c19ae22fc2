// The web desk's only script: the compose form's Preview button shows the preview in place,
// without reloading the page. Without this script the button posts the form and the page
// comes back with the preview; nothing else depends on it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("compose");
  if (!form || !window.fetch) { return; }
  var button = form.querySelector('button[name="intent"][value="preview"]');
  if (!button) { return; }
  button.addEventListener("click", function (event) {
    event.preventDefault();
    // Sent as the form is (multipart, with its files): the preview judges the photos and
    // videos too (a channel that takes only video is skipped without one).
    fetch(form.dataset.preview, {
      method: "POST",
      credentials: "same-origin",
      body: new FormData(form)
    }).then(function (r) { return r.text(); }).then(function (html) {
      var old = document.getElementById("preview");
      var next = new DOMParser().parseFromString(html, "text/html").getElementById("preview");
      if (old && next) { old.replaceWith(next); next.focus && next.focus(); }
    }).catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
  });
});
