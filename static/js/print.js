// The "Print" button on printable documents (no inline scripts: the Content Security Policy forbids them).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
