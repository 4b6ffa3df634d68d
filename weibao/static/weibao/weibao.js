// Small behaviours that CSP forbids inline: auto-submitting selects.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// Pickers (weibao/kit/pickers.py): a search box asks for matches with htmx; choosing one (a
// click, or Enter) puts its value in a hidden input, as a chip with a remove button.
(function () {
  function choose(result) {
    var picker = result.closest("[data-picker]");
    var chosen = picker.querySelector(".picker-chosen");
    var value = result.dataset.value;
    var box = picker.querySelector(".picker-input");
    if (!picker.hasAttribute("data-multiple")) {
      chosen.replaceChildren();
    }
    var already = Array.prototype.some.call(chosen.querySelectorAll("input"), function (input) {
      return input.value === value;
    });
    if (!already) {
      var chip = document.createElement("li");
      chip.className = "picker-chip";
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = picker.dataset.name;
      input.value = value;
      var label = document.createElement("span");
      label.className = "picker-label";
      label.textContent = result.dataset.label;
      chip.append(input, label);
      if (result.dataset.detail) {
        var detail = document.createElement("small");
        detail.className = "picker-detail";
        detail.textContent = result.dataset.detail;
        chip.append(" ", detail);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "picker-remove link";
      remove.textContent = "×";
      remove.setAttribute("aria-label", picker.dataset.removeLabel || "");
      remove.title = picker.dataset.removeLabel || "";
      chip.append(" ", remove);
      chosen.append(chip);
    }
    box.value = "";
    box.setAttribute("aria-expanded", "false");
    picker.querySelector(".picker-results").replaceChildren();
    box.focus();
    picker.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var result = event.target.closest(".picker-result");
    if (result) {
      event.preventDefault();
      choose(result);
      return;
    }
    var remove = event.target.closest(".picker-remove");
    if (remove) {
      event.preventDefault();
      var picker = remove.closest("[data-picker]");
      remove.closest(".picker-chip").remove();
      picker.querySelector(".picker-input").focus();
      picker.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var picker = target.closest("[data-picker]");
    if (!picker) {
      return;
    }
    var results = Array.prototype.slice.call(picker.querySelectorAll(".picker-result"));
    var box = picker.querySelector(".picker-input");
    if (target === box) {
      if (event.key === "Enter") {
        event.preventDefault(); // never send the form from the search box
        if (results.length) {
          choose(results[0]);
        }
      } else if (event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        results[0].focus();
      }
    } else if (target.classList.contains("picker-result")) {
      var at = results.indexOf(target);
      if (event.key === "ArrowDown" && at < results.length - 1) {
        event.preventDefault();
        results[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? results[at - 1] : box).focus();
      } else if (event.key === "Escape") {
        box.focus();
      }
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var results = event.target;
    if (results.classList && results.classList.contains("picker-results")) {
      var box = results.closest("[data-picker]").querySelector(".picker-input");
      box.setAttribute("aria-expanded", results.querySelector(".picker-result") ? "true" : "false");
    }
  });
})();

// Confirmation before anything destructive or county-wide: a form with data-confirm="question"
// asks in the page's own dialog (base.html, in the page's language), then submits as clicked.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) {
      return;
    }
    if (form.dataset.confirmed === "yes") {
      delete form.dataset.confirmed;
      return;
    }
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      return; // no dialog support: the server still checks everything
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    document.getElementById("confirm-dialog-text").textContent = form.dataset.confirm;
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      function () {
        if (dialog.returnValue === "ok") {
          form.dataset.confirmed = "yes";
          if (submitter) {
            form.requestSubmit(submitter);
          } else {
            form.requestSubmit();
          }
        }
      },
      { once: true }
    );
    dialog.showModal();
  });
})();
