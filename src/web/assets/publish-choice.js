// Progressive enhancement for the publish choice of the upload preview: the embargo date and time are shown only
// while "publish at a date and time" is chosen. Without JavaScript they are always shown. (govuk-frontend's own
// conditional reveal sets aria-expanded on the radio, which a radio may not have, so it is not used here.)
const fields = document.getElementById("embargo-fields");
const radios = document.querySelectorAll('input[type="radio"][name="publish"]');

function sync() {
  const embargo = document.querySelector('input[type="radio"][name="publish"][value="embargo"]');
  if (fields && embargo) fields.hidden = !embargo.checked;
}

if (fields && radios.length > 0) {
  for (const r of radios) r.addEventListener("change", sync);
  sync();
}
