// Progressive enhancement for the data upload form: sends the file with XMLHttpRequest so that the upload progress
// can be shown, then follows the server's redirect to the preview. Without JavaScript the form posts normally.
const form = document.getElementById("upload-form");
const box = document.getElementById("upload-progress");
const bar = document.getElementById("upload-progress-bar");
const text = document.getElementById("upload-progress-text");

function size(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

if (form && box && bar && text && window.FormData && window.XMLHttpRequest) {
  let sending = false;
  form.addEventListener("submit", (event) => {
    const file = form.querySelector("#file");
    if (sending || !file || !file.files || file.files.length === 0) return; // let the server explain the problem
    event.preventDefault();
    sending = true;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    box.hidden = false;
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.floor((100 * e.loaded) / e.total);
      bar.value = percent;
      text.textContent = form.dataset.uploading.replace("{percent}", String(percent)).replace("{size}", size(e.total));
    });
    xhr.upload.addEventListener("load", () => {
      bar.value = 100;
      bar.removeAttribute("value"); // indeterminate while the file is checked
      text.textContent = form.dataset.checking;
    });
    xhr.addEventListener("load", () => {
      const action = new URL(form.action, window.location.href).pathname;
      const landed = xhr.responseURL ? new URL(xhr.responseURL).pathname : action;
      if (xhr.status === 200 && landed !== action) window.location.assign(xhr.responseURL);
      else {
        sending = true;
        HTMLFormElement.prototype.submit.call(form); // show the server's answer (form errors) the ordinary way
      }
    });
    xhr.addEventListener("error", () => HTMLFormElement.prototype.submit.call(form));
    xhr.send(new FormData(form));
  });
}
