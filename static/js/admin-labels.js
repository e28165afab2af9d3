// The admin's autocomplete boxes (select2) don't carry their field's label: give each
// combobox, its text and its search box the label of the <select> it stands for.
// Django's autocomplete.js builds the boxes in a jQuery "ready" callback, which can run
// after the page's "load" event, and select2 builds a box's search field again whenever
// its choices change or its list opens; so the labels are given on "load" and again
// whenever elements are added to the page.
(() => {
  function labelAutocompletes() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) continue;
      const name = label.textContent.replace(/:\s*$/, "").trim();
      const parts = [
        ...container.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field"),
      ];
      // An open single-choice box puts its search field in a dropdown at the end of the page.
      const dropdown = document.querySelector(`.select2-dropdown [aria-controls="select2-${select.id}-results"]`);
      if (dropdown) parts.push(dropdown);
      for (const part of parts) {
        if (part.getAttribute("aria-label") !== name) part.setAttribute("aria-label", name);
      }
    }
  }

  window.addEventListener("load", () => {
    labelAutocompletes();
    new MutationObserver(labelAutocompletes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
