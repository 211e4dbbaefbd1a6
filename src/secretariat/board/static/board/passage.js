// A paragraph marked `data-passage` (a library document's paragraph, a negotiation paragraph):
// its "Comment on a passage" link carries the words last selected in that paragraph. The
// selection is remembered as it is made, because pressing the link may clear it first.
const selectedWords = new WeakMap();

document.addEventListener("selectionchange", () => {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.anchorNode) return;
  const start = selection.anchorNode.parentElement || selection.anchorNode;
  const item = start.closest ? start.closest("[data-passage]") : null;
  const words = selection.toString().replace(/\s+/g, " ").trim();
  if (item && words && item.contains(selection.focusNode)) selectedWords.set(item, words);
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.passage-comment");
  if (!link) return;
  const item = link.closest("[data-passage]");
  const words = item ? selectedWords.get(item) : "";
  if (words) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("q", words.slice(0, 1000));
    link.href = url.toString();
  }
});
