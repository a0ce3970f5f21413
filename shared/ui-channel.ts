/** Constants both ends of the UI channel agree on (browser mode and Electron). */
export const UI_NAMESPACE = '/ui';

/**
 * No inline scripts, no remote code. ECharts needs inline styles (it sets style attributes);
 * connect-src 'self' covers the browser-mode Socket.IO channel (CSP3 matches same-origin ws: to 'self').
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
