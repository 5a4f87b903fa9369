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
  en: "eBay (Exchanging the authorization code for a User access token): the answer states the refresh token's lifetime in refresh_token_expires_in (47,304,000 s = 18 months); without it, 18 months from the sign-in.",
  de: "eBay (Exchanging the authorization code for a User access token): Die Antwort nennt die Laufzeit des Refresh-Tokens in refresh_token_expires_in (47.304.000 s = 18 Monate); fehlt sie, gelten 18 Monate ab der Anmeldung.",
};
const AMAZON_NOTE = {
  en: "Amazon (SP-API, Renew Authorizations): a selling partner must re-authorize a Selling Partner API application every 365 days; the refresh token states no expiry of its own. Every region redeems its code at the one Login with Amazon token endpoint the SP-API names, api.amazon.com (Connecting to the Selling Partner API).",
  de: "Amazon (SP-API, Renew Authorizations): Verkäufer müssen eine Selling-Partner-API-Anwendung alle 365 Tage neu autorisieren; der Refresh-Token selbst nennt kein Ablaufdatum. Jede Region löst ihren Code an dem einen Login-with-Amazon-Token-Endpunkt ein, den die SP-API nennt, api.amazon.com (Connecting to the Selling Partner API).",
};
const DATEV_NOTE = {
  en: "DATEV's developer portal (example for offline_access): a long-term token asked for with offline_access, the API's scope and datev:iam:client:<consultant number>-<client number> works for that DATEV client for at least two years, counted here from the sign-in; DATEV does not say whether a refresh restarts them. The access token's 15 minutes are read from expires_in in each token response.",
  de: "DATEV-Entwicklerportal (Beispiel zu offline_access): Ein Langzeittoken, angefordert mit offline_access, dem Scope der Schnittstelle und datev:iam:client:<Beraternummer>-<Mandantennummer>, gilt für diesen DATEV-Mandanten mindestens zwei Jahre, hier ab der Anmeldung gezählt; ob eine Erneuerung sie neu beginnen lässt, sagt DATEV nicht. Die 15 Minuten des Access-Tokens stehen in expires_in jeder Token-Antwort.",
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
      en: "Shopify (About offline access tokens): an expiring offline token, asked for with expiring=1, lasts 60 minutes; its refresh token 90 days, replaced by each refresh. refresh_token_expires_in in the response wins over the 90 days.",
      de: "Shopify (About offline access tokens): Ein ablaufender Offline-Token, angefordert mit expiring=1, gilt 60 Minuten, sein Refresh-Token 90 Tage und wird mit jeder Erneuerung ersetzt. refresh_token_expires_in in der Antwort hat Vorrang vor den 90 Tagen.",
    },
  },
  etsy: {
    note: {
      en: "Etsy (Open API v3, Authentication): an access token lasts one hour, a refresh token 90 days; PKCE is required. Each refresh answers with a new refresh token; that its 90 days start again is counted here, Etsy does not say so.",
      de: "Etsy (Open API v3, Authentication): Ein Access-Token gilt eine Stunde, ein Refresh-Token 90 Tage; PKCE ist Pflicht. Jede Erneuerung liefert einen neuen Refresh-Token; dass seine 90 Tage neu beginnen, wird hier so gezählt, Etsy sagt es nicht.",
    },
  },
  google: {
    note: {
      en: "Google (Using OAuth 2.0 to Access Google APIs, refresh token expiration): refresh tokens have no fixed end but lapse after 6 months unused (kept alive by each refresh), and after 7 days while the app's consent screen is in \"Testing\".",
      de: "Google (Using OAuth 2.0 to Access Google APIs, Ablauf von Refresh-Tokens): Refresh-Tokens haben kein festes Ende, verfallen aber nach 6 Monaten ohne Nutzung (jede Erneuerung hält sie am Leben) und nach 7 Tagen, solange der Zustimmungsbildschirm der App im Status „Testing“ ist.",
    },
  },
  microsoft: {
    note: {
      en: "Microsoft (Refresh tokens in the Microsoft identity platform): when a token broker redeems the code, refresh tokens last 90 days, restarted and rotated by each refresh. When the extension redeems it, its request carries its origin, which Microsoft accepts only for a redirect registered as a single-page application, and those refresh tokens end 24 hours after the sign-in: sign in again each day.",
      de: "Microsoft (Refresh tokens in the Microsoft identity platform): Löst ein Token-Broker den Code ein, gelten Refresh-Tokens 90 Tage, mit jeder Erneuerung neu und rotiert. Löst die Erweiterung ihn ein, trägt ihre Anfrage ihren Ursprung (Origin); das nimmt Microsoft nur für eine als Single-Page-Anwendung registrierte Weiterleitung an, und diese Refresh-Tokens enden 24 Stunden nach der Anmeldung: jeden Tag neu anmelden.",
    },
  },
  xero: {
    note: {
      en: "Xero (developer FAQ, OAuth 2.0): refresh tokens lapse after 60 days unused and are replaced by each refresh; access tokens last 30 minutes. Removing the connection revokes the refresh token as Xero's own SDK does.",
      de: "Xero (Entwickler-FAQ, OAuth 2.0): Refresh-Tokens verfallen nach 60 Tagen ohne Nutzung und werden mit jeder Erneuerung ersetzt; Access-Tokens gelten 30 Minuten. Beim Entfernen wird der Refresh-Token widerrufen, wie es Xeros eigenes SDK tut.",
    },
  },
  'intuit-quickbooks': {
    note: {
      en: "Intuit states the refresh token lifetime in x_refresh_token_expires_in; otherwise 100 days, restarted by each refresh, at most 5 years (Intuit's SDK release notes, 2025). The revocation endpoint is the one in Intuit's discovery document.",
      de: "Intuit nennt die Laufzeit des Refresh-Tokens in x_refresh_token_expires_in; sonst 100 Tage, mit jeder Erneuerung neu, höchstens 5 Jahre (Versionshinweise der Intuit-SDKs, 2025). Der Widerrufs-Endpunkt ist der aus Intuits Discovery-Dokument.",
    },
  },
  zoho: {
    note: {
      en: "Zoho (its OAuth guides, Generate Access and Refresh Token): refresh tokens do not expire, but a user keeps at most 20: the 21st deletes the oldest. Shown as unknown, never as \"never expires\".",
      de: "Zoho (seine OAuth-Anleitungen, Generate Access and Refresh Token): Refresh-Tokens laufen nicht ab, aber ein Benutzer hat höchstens 20: der 21. löscht den ältesten. Angezeigt als unbekannt, nie als „läuft nie ab“.",
    },
  },
  paypal: {
    note: {
      en: "PayPal (Integrate Log in with PayPal) documents no refresh token lifetime.",
      de: "PayPal (Integrate Log in with PayPal) dokumentiert keine Laufzeit für Refresh-Tokens.",
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
  consultant: { en: "DATEV consultant number", de: "DATEV-Beraternummer" },
  client: { en: "DATEV client number (Mandant)", de: "DATEV-Mandantennummer" },
};
