// Forms with data-confirm ask before they are sent (publishing, finalising, crediting, ...).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
