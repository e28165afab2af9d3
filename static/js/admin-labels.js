// The admin's autocomplete boxes (select2) don't carry their field's label: give each
// combobox, its text and its search box the label of the <select> it stands for.
// Runs on "load", after Django's autocomplete.js has built them on DOMContentLoaded.
window.addEventListener("load", () => {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) continue;
    const name = label.textContent.replace(/:\s*$/, "").trim();
    for (const part of container.querySelectorAll(
      "[role=combobox], [role=textbox], .select2-search__field"
    )) {
      part.setAttribute("aria-label", name);
    }
  }
});
