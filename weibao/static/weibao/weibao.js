// Small behaviours that CSP forbids inline: auto-submitting selects.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
