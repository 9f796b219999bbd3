// Accessibility fix for the references page. Docutils writes the bibliography as
// <div role="list"> whose entries carry the DPUB-ARIA role "doc-biblioentry", which
// DPUB-ARIA 1.1 deprecates: axe-core then finds a list without list items
// (aria-required-children, critical). Entries of a list are list items.
document.addEventListener("DOMContentLoaded", () => {
  for (const entry of document.querySelectorAll('[role="doc-biblioentry"]')) {
    entry.setAttribute("role", "listitem");
  }
});
