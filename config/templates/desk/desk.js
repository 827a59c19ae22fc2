// The web desk's only script: the compose form's preview shown in place, without reloading
// the page — when Preview is pressed, and a moment after typing stops (a live preview, with
// each channel's counter). Without this script the Preview button posts the form and the page
// comes back with the preview; nothing else depends on it. It also hides the repeat picker
// until "repeat" is chosen (without script it is always shown).
//
// Photos and videos: the drop zone (a button: Enter or Space opens the file chooser, and files
// can be dropped on it) checks each file's type and size against the limits the page carries
// (data-max-*), says why one is refused (data-msg-*, naming the file and the limit), and uploads
// each accepted one on its own to /desk/media with a progress bar and a remove button. The
// server's answer is the file's SHA-256, carried in a hidden media_sha256 field, so preview and
// submit send the hash, not the file again. Without this script the file field sends the files
// with the form.
"use strict";

function setUpUploads(form, changed) {
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("media");
  var list = document.getElementById("media-list");
  var refusedBox = document.getElementById("media-refused");
  if (!zone || !input || !list || !refusedBox || !window.XMLHttpRequest || !window.FormData) {
    return null;
  }
  var d = zone.dataset;
  var uploading = 0;

  function say(template, name, reason) {
    return template.split("{name}").join(name).split("{reason}").join(reason || "");
  }

  function refuse(text) {
    var p = document.createElement("p");
    p.textContent = text;
    refusedBox.appendChild(p);
    refusedBox.hidden = false;
  }

  function count() {
    return list.querySelectorAll("li").length;
  }

  // Why a file is not uploaded, or null: the same rules the server keeps (it judges the content
  // again; the browser knows only the type the name suggests).
  function check(file) {
    var type = file.type || "";
    var limit, tooLarge;
    if (/^image\//.test(type) && type !== "image/svg+xml") {
      limit = Number(d.maxImage); tooLarge = d.msgImageSize;
    } else if (/^video\//.test(type) || type === "") {
      // A type the browser does not know (HEIF on some systems) is left to the server, which
      // judges the content; it is at most as large as a video may be.
      limit = Number(d.maxVideo); tooLarge = d.msgVideoSize;
    } else {
      return say(d.msgType, file.name);
    }
    if (file.size > limit) { return say(tooLarge, file.name); }
    if (count() >= Number(d.maxFiles)) { return say(d.msgMany, file.name); }
    return null;
  }

  // What the server said: JSON {"error"} from /desk/media, or the desk's message page.
  function reasonOf(xhr) {
    var kind = xhr.getResponseHeader("Content-Type") || "";
    try {
      if (kind.indexOf("json") >= 0) { return JSON.parse(xhr.responseText).error || ""; }
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var m = page.querySelector(".message");
      return m ? m.textContent.trim() : String(xhr.status);
    } catch (e) {
      return String(xhr.status);
    }
  }

  function upload(file) {
    var li = document.createElement("li");
    li.className = "uploading";
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", say(d.msgProgress, file.name));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary remove";
    remove.textContent = "\u00d7";
    remove.setAttribute("aria-label", say(d.msgRemove, file.name));
    li.appendChild(name);
    li.appendChild(bar);
    li.appendChild(remove);
    list.appendChild(li);

    var body = new FormData();
    body.append("csrf", form.querySelector('input[name="csrf"]').value);
    body.append("media", file, file.name);
    var xhr = new XMLHttpRequest();
    var done = false;
    function finish() {
      if (!done) { done = true; uploading -= 1; li.classList.remove("uploading"); }
    }
    uploading += 1;
    xhr.open("POST", d.upload);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable && e.total > 0) { bar.value = Math.min(99, Math.floor(e.loaded * 100 / e.total)); }
    });
    xhr.addEventListener("load", function () {
      finish();
      if (xhr.status === 201) {
        var kept = JSON.parse(xhr.responseText);
        bar.value = 100;
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "media_sha256";
        hidden.value = kept.sha256;
        li.dataset.sha256 = kept.sha256;
        li.appendChild(hidden);
        changed();
      } else {
        li.remove();
        refuse(say(d.msgFailed, file.name, reasonOf(xhr)));
      }
    });
    xhr.addEventListener("error", function () {
      finish();
      li.remove();
      refuse(say(d.msgFailed, file.name, String(xhr.status || "")));
    });
    remove.addEventListener("click", function () {
      if (!done) { xhr.abort(); finish(); }
      li.remove();
      zone.focus();
      changed();
    });
    xhr.send(body);
  }

  function take(files) {
    refusedBox.textContent = "";
    refusedBox.hidden = true;
    Array.prototype.forEach.call(files || [], function (file) {
      var why = check(file);
      if (why) { refuse(why); } else { upload(file); }
    });
  }

  zone.hidden = false;
  // The file field stays for the chooser the zone opens (and for WebDriver), out of sight and
  // out of the Tab order: the zone is the one place to go.
  input.classList.add("visually-hidden");
  input.tabIndex = -1;
  zone.addEventListener("click", function () { input.click(); });
  zone.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
  });
  zone.addEventListener("dragover", function (e) {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    take(e.dataTransfer && e.dataTransfer.files);
  });
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files || []);
    // Uploaded on their own: the form sends their hashes, not the files again.
    input.value = "";
    take(files);
  });
  form.addEventListener("submit", function (e) {
    if (uploading > 0) {
      e.preventDefault();
      refusedBox.textContent = "";
      refuse(d.msgWait);
    }
  });
  return { busy: function () { return uploading > 0; } };
}
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
  var afterUpload = function () {};
  setUpUploads(form, function () { afterUpload(); });
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
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      preview(filesSize() <= LIVE_FILES_MAX).catch(function () { /* the button still works */ });
    }, 800);
  }
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") { return; }
    soon();
  });
  // A file uploaded or removed changes what each channel will send.
  afterUpload = soon;
});
