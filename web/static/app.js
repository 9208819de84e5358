// Forms with data-confirm ask before they are sent (publishing, finalising, crediting, ...).
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A page with data-refresh="N" (a plan being made) reloads every N seconds, unless the user is typing.
(function () {
  var marked = document.querySelector("[data-refresh]");
  if (!marked) {
    return;
  }
  var seconds = parseInt(marked.getAttribute("data-refresh"), 10) || 5;
  setInterval(function () {
    var active = document.activeElement;
    if (!active || !/^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) {
      window.location.reload();
    }
  }, seconds * 1000);
})();
