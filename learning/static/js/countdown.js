// "Send the code again in N seconds": count down on a disabled button, then enable it.
(function () {
  document.querySelectorAll("button[data-countdown]").forEach(function (button) {
    var left = parseInt(button.getAttribute("data-countdown"), 10) || 0;
    var waiting = button.getAttribute("data-waiting");
    var tick = function () {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = button.getAttribute("data-ready");
        return;
      }
      button.textContent = waiting.replace("#", left);
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  });
})();
