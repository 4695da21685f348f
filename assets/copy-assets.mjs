// Copy the GOV.UK Frontend script from its npm package into the Django
// static folder. Nothing here is committed: the install step builds it.
import { copyFileSync, mkdirSync } from "node:fs";

const out = "src/fingerpost/core/static/fingerpost/build";
mkdirSync(out, { recursive: true });
copyFileSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
