// Starts GOV.UK Frontend's components. Loaded as a module, so only browsers that
// GOV.UK Frontend supports run it; every page works without it.
import { initAll } from "../build/govuk-frontend.min.js";

// What GOV.UK's page template does with an inline script (we allow none): mark the
// page so components' JavaScript-only styles apply and their JavaScript will start.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
