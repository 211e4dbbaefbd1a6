// A paragraph marked `data-passage` (a library document's paragraph, a negotiation paragraph):
// its "Comment on a passage" link carries the words selected in that paragraph.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.passage-comment");
  if (!link) return;
  const item = link.closest("[data-passage]");
  const selection = window.getSelection();
  const words = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
  if (words && item && item.contains(selection.anchorNode)) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("q", words.slice(0, 1000));
    link.href = url.toString();
  }
});
