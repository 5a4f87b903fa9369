/**
 * The catalogue's words, in every language the extension speaks: each platform's rule note
 * (where its expiry rule comes from, so a user can judge the date), the names of generic
 * things, and the labels of address parts. They reach the extension through its message
 * catalogues (public/_locales), written from here by `npm run catalogue`, so no script
 * carries them. Every platform in platforms.ts has its entry here (a unit test checks).
 */
import type { Localized } from '../i18n/texts';

export interface PlatformTexts {
  /** Where the platform's expiry rule comes from. */
  note: Localized;
  /** The name of a generic thing (a brand keeps its name from platforms.ts). */
  name?: Localized;
}

const EBAY_NOTE = {
  en: "eBay states the refresh token lifetime in refresh_token_expires_in (47,304,000 s = 18 months); without it, the documented 18 months from consent.",
  de: "eBay nennt die Laufzeit des Refresh-Tokens in refresh_token_expires_in (47.304.000 s = 18 Monate); fehlt sie, gelten die dokumentierten 18 Monate ab der Anmeldung.",
};
const AMAZON_NOTE = {
  en: "Amazon requires sellers to re-authorize a Selling Partner API application every 365 days; the refresh token states no expiry of its own.",
  de: "Amazon verlangt, dass Verkäufer eine Selling-Partner-API-Anwendung alle 365 Tage neu autorisieren; der Refresh-Token selbst nennt kein Ablaufdatum.",
};
const DATEV_NOTE = {
  en: "DATEV documents two years for the long-term token (offline_access), one per DATEV company; whether each use restarts the two years is unconfirmed (verify).",
  de: "DATEV dokumentiert zwei Jahre für den Langzeittoken (offline_access), einen je DATEV-Mandant; ob jede Nutzung die zwei Jahre neu startet, ist nicht bestätigt (prüfen).",
};

export const PLATFORM_TEXTS: Readonly<Record<string, PlatformTexts>> = {
  ebay: {
    note: EBAY_NOTE,
  },
  'ebay-sandbox': {
    note: EBAY_NOTE,
  },
  'amazon-sp-api-eu': {
    note: AMAZON_NOTE,
  },
  'amazon-sp-api-na': {
    note: AMAZON_NOTE,
  },
  'amazon-sp-api-fe': {
    note: AMAZON_NOTE,
  },
  datev: {
    note: DATEV_NOTE,
  },
  'datev-sandbox': {
    note: DATEV_NOTE,
  },
  shopify: {
    note: {
      en: "Shopify expiring offline tokens: refresh_token_expires_in in the response, otherwise 90 days, renewed (and rotated) by each refresh.",
      de: "Shopify, ablaufende Offline-Tokens: refresh_token_expires_in in der Antwort, sonst 90 Tage, mit jeder Erneuerung neu (und rotiert).",
    },
  },
  etsy: {
    note: {
      en: "Etsy refresh tokens last 90 days and rotate with each refresh; PKCE is required.",
      de: "Etsy-Refresh-Tokens gelten 90 Tage und rotieren mit jeder Erneuerung; PKCE ist Pflicht.",
    },
  },
  google: {
    note: {
      en: "Google refresh tokens have no fixed end but lapse after 6 months unused (kept alive by each refresh), and after about 7 days while the app is in \"Testing\".",
      de: "Google-Refresh-Tokens haben kein festes Ende, verfallen aber nach 6 Monaten ohne Nutzung (jede Erneuerung hält sie am Leben) und nach etwa 7 Tagen, solange die App im Status „Testing“ ist.",
    },
  },
  microsoft: {
    note: {
      en: "Microsoft refresh tokens last 90 days, restarted and rotated by each refresh; only 24 hours if the redirect is registered as \"spa\" (register it as mobile/desktop).",
      de: "Microsoft-Refresh-Tokens gelten 90 Tage, mit jeder Erneuerung neu und rotiert; nur 24 Stunden, wenn die Weiterleitung als „spa“ registriert ist (als mobil/Desktop registrieren).",
    },
  },
  xero: {
    note: {
      en: "Xero refresh tokens lapse after 60 days unused and rotate with each refresh; the revocation endpoint is from secondary sources (verify).",
      de: "Xero-Refresh-Tokens verfallen nach 60 Tagen ohne Nutzung und rotieren mit jeder Erneuerung; der Widerrufs-Endpunkt stammt aus Sekundärquellen (prüfen).",
    },
  },
  'intuit-quickbooks': {
    note: {
      en: "Intuit states the refresh token lifetime in x_refresh_token_expires_in; otherwise 100 days, restarted by each refresh, at most 5 years. The revocation endpoint is from secondary sources (verify).",
      de: "Intuit nennt die Laufzeit des Refresh-Tokens in x_refresh_token_expires_in; sonst 100 Tage, mit jeder Erneuerung neu, höchstens 5 Jahre. Der Widerrufs-Endpunkt stammt aus Sekundärquellen (prüfen).",
    },
  },
  zoho: {
    note: {
      en: "Zoho refresh tokens do not expire, but a user keeps at most 20: the 21st deletes the oldest. Shown as unknown, never as \"never expires\".",
      de: "Zoho-Refresh-Tokens laufen nicht ab, aber ein Benutzer hat höchstens 20: der 21. löscht den ältesten. Angezeigt als unbekannt, nie als „läuft nie ab“.",
    },
  },
  paypal: {
    note: {
      en: "PayPal documents no refresh token lifetime.",
      de: "PayPal dokumentiert keine Laufzeit für Refresh-Tokens.",
    },
  },
  'amazon-lwa-client-secret': {
    note: {
      en: "Amazon requires the Login with Amazon client secret of an SP-API app to be rotated every 180 days, and warns 90 days ahead.",
      de: "Amazon verlangt, das Login-with-Amazon-Client-Secret einer SP-API-App alle 180 Tage zu wechseln, und warnt 90 Tage vorher.",
    },
    name: { en: "Amazon LWA client secret", de: "Amazon LWA Client-Secret" },
  },
  'lexware-office-api-key': {
    note: {
      en: "Lexware Office (lexoffice) deactivates a public API key at the latest 24 months after it was issued.",
      de: "Lexware Office (lexoffice) deaktiviert einen öffentlichen API-Schlüssel spätestens 24 Monate nach der Ausstellung.",
    },
    name: { en: "Lexware Office API key", de: "Lexware Office API-Schlüssel" },
  },
  'sevdesk-api-token': {
    note: {
      en: "sevDesk documents no expiry for API tokens.",
      de: "sevDesk dokumentiert kein Ablaufdatum für API-Tokens.",
    },
    name: { en: "sevDesk API token", de: "sevDesk API-Token" },
  },
  'other-software': {
    note: {
      en: "The date your business software shows for this authorization, entered by you.",
      de: "Das Datum, das Ihre Unternehmenssoftware für diese Freigabe anzeigt, von Ihnen eingetragen.",
    },
    name: { en: "Authorization held by other software", de: "Freigabe in anderer Software" },
  },
};

/** Labels of the address parts a connection fills in (Shopify's shop, Microsoft's tenant, Zoho's region). */
export const FIELD_LABELS: Readonly<Record<string, Localized>> = {
  shop: { en: "Shop name (xyz in xyz.myshopify.com)", de: "Shop-Name (xyz in xyz.myshopify.com)" },
  tenant: { en: "Tenant (domain or ID)", de: "Tenant (Domain oder ID)" },
  region: { en: "Data centre (com, eu, in, com.au, jp)", de: "Rechenzentrum (com, eu, in, com.au, jp)" },
};
