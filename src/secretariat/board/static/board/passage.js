// The library's document page: a "Comment" link carries the words selected in its paragraph.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.passage-comment");
  if (!link) return;
  const item = link.closest("li[id^='p']");
  const selection = window.getSelection();
  const words = selection ? selection.toString().trim() : "";
  if (words && item && item.contains(selection.anchorNode)) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("q", words.slice(0, 1000));
    link.href = url.toString();
  }
});
