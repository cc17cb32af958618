/* The orientation guide in the page: each screen's form is posted with fetch() and the answer
   (the next screen, rendered by the server) replaces it; the focus moves to its heading, or to
   the error. Nothing is stored in the browser, nothing goes into the address bar or the history
   (no pushState), the answers travel in the POST body as without JavaScript. If the request
   fails, the form is submitted the ordinary way. */
(function () {
  "use strict";
  var root = document.querySelector("[data-orientation]");
  if (!root || !window.fetch || !window.URLSearchParams || !window.FormData) return;

  function enhance() {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function focusScreen() {
    var target = root.querySelector("#form-errors") || root.querySelector("[data-step-heading]");
    if (target) target.focus();
  }

  function submitNatively(form, submitter) {
    if (submitter && submitter.name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.appendChild(input);
    }
    form.submit(); // no submit event: not intercepted again
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    // Without the pressed button (an old browser) the server cannot tell Continuer from
    // Retour: submit the ordinary way. The printable summary (a PDF) is an ordinary
    // submission to its own address.
    if (!submitter || submitter.hasAttribute("formaction")) return;
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    if (submitter.name) body.append(submitter.name, submitter.value);
    root.setAttribute("aria-busy", "true");
    // getAttribute: form.action would be the button named "action".
    fetch(form.getAttribute("action") || location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
      headers: { "X-Orientation-Step": "1" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        root.removeAttribute("aria-busy");
        enhance();
        focusScreen();
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
        submitNatively(form, submitter);
      });
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) window.print();
  });

  enhance();
})();
