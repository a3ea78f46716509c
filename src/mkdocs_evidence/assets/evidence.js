// mkdocs-evidence: Escape hides a citation's full reference (WCAG 1.4.13, content on hover or focus
// must be dismissable). Everything else on the pages works without this script.
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.documentElement.classList.add("ev-tips-dismissed");
});
// The reference comes back once focus moves or the pointer leaves the citation.
document.addEventListener("focusin", () => document.documentElement.classList.remove("ev-tips-dismissed"));
document.addEventListener("mouseout", (event) => {
  if (event.target instanceof Element && event.target.closest(".ev-cite-wrap")) {
    document.documentElement.classList.remove("ev-tips-dismissed");
  }
});
// The claim index filters with CSS alone; this only says how many claims a filter leaves.
document.addEventListener("change", (event) => {
  const index = event.target instanceof Element && event.target.closest(".ev-index");
  const count = index && index.querySelector(".ev-filter-count");
  if (!count) return;
  const shown = [...index.querySelectorAll(".ev-card")].filter((card) => card.offsetParent !== null).length;
  count.textContent = `Showing ${shown} of ${count.dataset.total} claims.`;
});
