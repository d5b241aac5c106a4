/* The API's documentation, drawn by the vendored Swagger UI from /openapi.json (no CDN). */
"use strict";
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null });
