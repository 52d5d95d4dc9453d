// After a form comes back with errors, start where the errors are listed, so keyboard and
// screen-reader users hear what to fix instead of starting again at the top of the page.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
