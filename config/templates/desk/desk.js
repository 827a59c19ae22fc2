// The web desk's only script: the compose form's preview shown in place, without reloading
// the page — when Preview is pressed, and a moment after typing stops (a live preview, with
// each channel's counter). Without this script the Preview button posts the form and the page
// comes back with the preview; nothing else depends on it. It also hides the repeat picker
// until "repeat" is chosen (without script it is always shown).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("compose");
  if (!form) { return; }
  var repeat = form.querySelector("fieldset.repeat");
  if (repeat) {
    var showRepeat = function () {
      var chosen = form.querySelector('input[name="when"]:checked');
      repeat.hidden = !(chosen && chosen.value === "repeat");
    };
    form.querySelectorAll('input[name="when"]').forEach(function (r) {
      r.addEventListener("change", showRepeat);
    });
    showRepeat();
  }
  if (!window.fetch || !window.FormData) { return; }
  var button = form.querySelector('button[name="intent"][value="preview"]');
  if (!button) { return; }
  // Files are sent with a preview only up to this size in all while typing (a video is
  // previewed with the button).
  var LIVE_FILES_MAX = 5 * 1024 * 1024;

  function filesSize() {
    var total = 0;
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; });
    });
    return total;
  }

  function preview(withFiles) {
    var data = new FormData(form);
    if (!withFiles) { data.delete("media"); }
    return fetch(form.dataset.preview, {
      method: "POST",
      credentials: "same-origin",
      body: data
    }).then(function (r) { return r.text(); }).then(function (html) {
      var old = document.getElementById("preview");
      var next = new DOMParser().parseFromString(html, "text/html").getElementById("preview");
      if (old && next) { old.replaceWith(next); }
    });
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    preview(true).catch(function () {
      if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
    });
  });

  var timer = null;
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      preview(filesSize() <= LIVE_FILES_MAX).catch(function () { /* the button still works */ });
    }, 800);
  });
});
